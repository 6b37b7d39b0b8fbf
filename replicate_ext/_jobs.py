"""Predictions and trainings as jobs: when one has ended, what its end means, where it lives.

The API runs a training as a prediction of a model's `train()`, so both are
waited for, fetched and canceled alike; `JobKind` holds what differs (the
word in messages, the endpoints). Statuses are read as the API sends them:
one this client does not know yet counts as ended once the answer has a
`completed_at`.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import logging
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import httpx

from ._context import Context, Deadline, parse
from ._errors import (
    ModelError,
    PredictionAborted,
    PredictionCanceled,
    PredictionError,
    PredictionTimeout,
)
from ._flow import Flow, Send

if TYPE_CHECKING:
    from generated.models.prediction import Prediction
    from generated.models.training import Training

__all__ = [
    "PREDICTION",
    "RUNNING",
    "TERMINAL",
    "TRAINING",
    "JobKind",
    "JobT",
    "by_id_flow",
    "cancel_failed",
    "cancel_flow",
    "cancel_on_the_way_out_flow",
    "cancel_request",
    "get_flow",
    "is_terminal",
    "job_request",
    "kind_of",
    "name_job",
    "outcome_error",
    "refresh_flow",
]

JobT = TypeVar("JobT", bound="Prediction | Training")

TERMINAL = frozenset({"succeeded", "failed", "canceled", "aborted"})
"""The statuses a prediction or training ends in, as far as this client knows."""
RUNNING = frozenset({"starting", "processing"})

logger = logging.getLogger("replicate_ext")


def is_terminal(prediction: Prediction | Training) -> bool:
    """Whether a prediction (or training) has ended.

    A status this client does not know counts as ended once the answer has a
    `completed_at`: Replicate adds statuses without notice, and waiting on
    one forever would be worse than reporting it.
    """
    status = prediction.status
    if status in TERMINAL:
        return True
    if status in RUNNING:
        return False
    return isinstance(prediction.completed_at, datetime.datetime)


def cancel_request(prediction_id: str) -> Send:
    """The best-effort request that cancels a prediction."""
    from generated.api.predictions import predictions_cancel

    return Send(predictions_cancel._get_kwargs(prediction_id), best_effort=True)


def cancel_on_the_way_out_flow(
    cancel: Send, job_id: str, error: BaseException | None, noun: str = "prediction"
) -> Flow[httpx.Response | None]:
    """Send the best-effort `cancel` of a job that `error` leaves; its answer, if the API took it.

    The answer shows the job as the cancel found it: one that had already
    ended by itself is shown so.

    A cancel that fails (no answer, an error status) leaves the job running,
    and billed, with nobody watching: that is said on `error` (a
    `PredictionTimeout` no longer claims it was canceled; another error gets
    a note; None for a cancel no error caused) and as a warning on the
    `replicate_ext` logger, with the job's id to cancel it by.
    """
    response: httpx.Response | None = yield cancel
    if response is not None and response.status_code < 300:
        return response
    why = "no answer" if response is None else f"HTTP {response.status_code}"
    resource = "trainings" if noun == "training" else "predictions"
    advice = (
        f"canceling it failed ({why}), so it may still be running: "
        f"cancel it with client.{resource}.cancel({job_id!r})"
    )
    logger.warning("%s %s: %s", noun, job_id, advice)
    if isinstance(error, PredictionTimeout):
        error.cancel_failed(advice)
    elif error is not None:
        error.add_note(f"replicate_ext: {noun} {job_id}: {advice}")
    return None


def name_job(error: BaseException, job_id: str, doing: str) -> None:
    """Name the job `error` leaves behind (`prediction_id`, and a note saying `doing` what).

    An error while waiting or streaming (an outage, say) must still say which
    prediction was left: its result may be fetched later, or it may need
    canceling. Interruptions, and errors that already name one, are left as they are.
    """
    if not isinstance(error, Exception) or hasattr(error, "prediction_id"):
        return
    error.add_note(f"({doing} {job_id})")
    with contextlib.suppress(AttributeError):
        error.prediction_id = job_id  # type: ignore[attr-defined]


def cancel_failed(error: BaseException, job_id: str) -> bool:
    """Whether `cancel_on_the_way_out_flow` found that canceling the job `error` left failed."""
    if isinstance(error, PredictionTimeout):
        return not error.canceled
    notes: list[str] = getattr(error, "__notes__", [])
    return any(f" {job_id}: canceling it failed" in note for note in notes)


class JobKind:
    """What differs between waiting for a prediction and for a training: a word, endpoints."""

    __slots__ = ("_api", "noun")

    def __init__(self, noun: str, api: str) -> None:
        self.noun = noun
        self._api = api

    def __repr__(self) -> str:
        return f"JobKind({self.noun!r})"

    def operation(self, action: Literal["get", "cancel"]) -> ModuleType:
        """The generated module of this kind's `action` (`predictions_get`, say)."""
        return importlib.import_module(f"generated.api.{self._api}.{self._api}_{action}")


PREDICTION = JobKind("prediction", "predictions")
TRAINING = JobKind("training", "trainings")


def kind_of(job: Prediction | Training) -> JobKind:
    """`TRAINING` for a generated `Training`, else `PREDICTION`."""
    # No training can exist before its model's module is loaded: asking
    # sys.modules spares every prediction's run the import.
    trainings = sys.modules.get("generated.models.training")
    return TRAINING if trainings is not None and isinstance(job, trainings.Training) else PREDICTION


def by_id_flow(
    ctx: Context, kind: JobKind, action: Literal["get", "cancel"], job_id: str
) -> Flow[Any]:
    """Fetch (or cancel) the prediction or training with this id; the parsed answer."""
    operation = kind.operation(action)
    response = yield Send(operation._get_kwargs(job_id))
    return parse(ctx, operation, response)


def get_flow(ctx: Context, prediction_id: str) -> Flow[Prediction]:
    """Fetch a prediction."""
    return cast("Prediction", (yield from by_id_flow(ctx, PREDICTION, "get", prediction_id)))


def cancel_flow(ctx: Context, prediction_id: str) -> Flow[Prediction]:
    """Cancel a prediction and return it as the answer shows it."""
    return cast("Prediction", (yield from by_id_flow(ctx, PREDICTION, "cancel", prediction_id)))


def job_request(
    ctx: Context, job: Prediction | Training, action: Literal["get", "cancel"]
) -> dict[str, Any]:
    """The request that fetches (or cancels) `job`, at the URL its answer gave.

    The API hands a new training URLs under /predictions/, and a fetched one
    URLs under /trainings/: the answer knows where the job lives. Its URL is
    followed when it is on this client's API (origin and base path) and names
    this job; otherwise (the API behind a proxy of another address, a garbled
    answer) the documented path of the job's kind is.
    """
    request: dict[str, Any] = kind_of(job).operation(action)._get_kwargs(job.id)
    url = getattr(job.urls, action, None)
    base = ctx.base_url
    if isinstance(url, str):
        try:
            target, root = httpx.URL(url), httpx.URL(base)
        except httpx.InvalidURL:
            return request
        path = target.path.rstrip("/")
        ending = f"/{job.id}/cancel" if action == "cancel" else f"/{job.id}"
        if (
            (target.scheme, target.host, target.port) == (root.scheme, root.host, root.port)
            and path.startswith(root.path.rstrip("/") + "/")
            and path.endswith(ending)
        ):
            request["url"] = url
    return request


def refresh_flow(ctx: Context, job: JobT, deadline: Deadline | None = None) -> Flow[JobT]:
    """`job` as it is now, fetched where its answer says it lives (within `deadline`)."""
    operation = kind_of(job).operation("get")
    request = job_request(ctx, job, "get")
    response = yield Send(request if deadline is None else deadline.bound(request))
    return cast("JobT", parse(ctx, operation, response))


def outcome_error(prediction: Prediction | Training) -> PredictionError | None:
    """The error a finished prediction (or training) stands for; None when it succeeded."""
    status = prediction.status
    if status == "succeeded":
        return None
    if status == "failed":
        return ModelError(prediction)
    if status == "canceled":
        return PredictionCanceled(prediction)
    if status == "aborted":
        return PredictionAborted(prediction)
    return PredictionError.unknown_status(prediction)
