"""The exceptions this package raises, and the mapping from HTTP answers to them.

Every error a `replicate_ext` call raises for the API, the network or a
prediction is a `ReplicateError`::

    ReplicateError                  an error answer (status, title, detail, ...) or any below
    ├── APIConnectionError          no answer: connecting, sending or receiving failed
    │   └── APITimeoutError         ... because a timeout passed
    ├── AuthenticationError         401, or no usable token
    ├── NotFoundError               404
    ├── RateLimitError              429 after the retries
    ├── ResponseParseError          an answer not of its promised shape (generated's ParseError)
    ├── CreationFateUnknown         a creation got no usable answer: it may or may not have made one
    ├── PredictionError             the prediction ended without an output (a status not known yet)
    │   ├── ModelError              ... it failed
    │   ├── PredictionCanceled      ... it was canceled
    │   │   └── PredictionAborted   ... before it started
    │   └── PredictionTimeout       ... the run's `timeout` passed; it was canceled
    ├── StreamInterrupted           an event stream could not be resumed
    └── WebhookVerificationError    a webhook failed verification; also a ValueError

Bad arguments are `TypeError` or `ValueError` (`InputError` for a model's
inputs), raised before any request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from generated.errors import ParseError

if TYPE_CHECKING:
    from typing import Protocol, TypeVar

    from generated.models.prediction import Prediction
    from generated.models.problem import Problem
    from generated.models.training import Training
    from generated.types import Response

    T = TypeVar("T")

    class _ResponseLike(Protocol):
        """What `from_response` needs: an httpx response or a generated `Response`."""

        @property
        def status_code(self) -> int: ...

        @property
        def content(self) -> bytes: ...

        @property
        def headers(self) -> Mapping[str, str]: ...


__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "CreationFateUnknown",
    "InputError",
    "ModelError",
    "NotFoundError",
    "PredictionAborted",
    "PredictionCanceled",
    "PredictionError",
    "PredictionTimeout",
    "RateLimitError",
    "ReplicateError",
    "ResponseParseError",
    "StreamInterrupted",
    "WebhookVerificationError",
    "raise_for_response",
    "unwrap",
]


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ReplicateError(Exception):
    """Base class of every error this package raises.

    For an error answer from the API, `status` is the HTTP status and `title`,
    `detail` and `invalid_fields` come from the problem+json body. `response` is
    the answer itself; it is never part of `str()` or `repr()`.
    """

    status: int | None
    title: str | None
    detail: str | None
    invalid_fields: list[dict[str, Any]]
    response: Any

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        title: str | None = None,
        detail: str | None = None,
        invalid_fields: list[dict[str, Any]] | None = None,
        response: Any = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.invalid_fields = invalid_fields or []
        self.response = response
        if message is None:
            message = _describe(status, title, detail, self.invalid_fields)
        # Not super(): a subclass may also derive from another exception with
        # its own constructor (ResponseParseError).
        Exception.__init__(self, _one_line(message))

    def __repr__(self) -> str:
        status = "" if self.status is None else f", status={self.status}"
        return f"{type(self).__name__}({str(self)!r}{status})"

    @classmethod
    def from_response(cls, response: _ResponseLike) -> ReplicateError:
        """The error an API answer stands for, with the subclass its status calls for.

        Takes an `httpx.Response` or a generated `Response` (from a `*_detailed`
        call); reads the problem+json body when there is one.
        """
        import json

        status = int(response.status_code)
        title: str | None = None
        detail: str | None = None
        invalid: list[dict[str, Any]] | None = None
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:
            body = None
            text = response.content.decode("utf-8", "replace").strip()
            detail = text[:500] or None
        if isinstance(body, dict):
            title = _str_or_none(body.get("title"))
            detail = _str_or_none(body.get("detail"))
            fields = body.get("invalid_fields")
            if isinstance(fields, list):
                invalid = [f for f in fields if isinstance(f, dict)]
        kind = _BY_STATUS.get(status, ReplicateError)
        return kind(
            status=status, title=title, detail=detail, invalid_fields=invalid, response=response
        )


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _describe(
    status: int | None, title: str | None, detail: str | None, invalid: list[dict[str, Any]]
) -> str:
    head = " ".join(part for part in (str(status) if status else None, title) if part)
    text = f"{head}: {detail}" if head and detail else head or detail or "request failed"
    # The API's detail usually lists the invalid fields already ("- input.x: ..."):
    # only those it leaves out are added, so that none is said twice.
    said = _one_line(detail or "")
    fields = [
        entry
        for entry in (
            f"{f.get('field', '?')}: {f.get('description', f.get('type', 'invalid'))}"
            for f in invalid
        )
        if _one_line(entry) not in said
    ]
    return f"{text} ({'; '.join(fields)})" if fields else text


class AuthenticationError(ReplicateError):
    """The API token is missing, empty or refused (HTTP 401)."""


class NotFoundError(ReplicateError):
    """The API answered 404: no such model, version, prediction, file, ..."""


class RateLimitError(ReplicateError):
    """The API answered 429 and retrying did not help."""


class APIConnectionError(ReplicateError):
    """A request got no answer: connecting, sending or receiving failed, after the retries.

    DNS, a refused or dropped connection, TLS, a proxy, a garbled answer. The
    exception httpx raised is the `__cause__`. `request` is the request
    (method and URL are in the message, without the query). `prediction_id`
    names the prediction the call was working on, when there is one: it may
    still be running, and its result can be fetched later.
    """

    def __init__(
        self, message: str, *, request: Any = None, prediction_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.request = request
        self.prediction_id = prediction_id


class APITimeoutError(APIConnectionError):
    """A request timed out: connecting, sending, receiving, or waiting for a free connection.

    The limits are the client's `timeout`; see `APIConnectionError`.
    """


_BY_STATUS: dict[int, type[ReplicateError]] = {
    401: AuthenticationError,
    404: NotFoundError,
    429: RateLimitError,
}


def _noun(job: object) -> str:
    # The errors below serve trainings too, and say which one they are about.
    return "training" if type(job).__name__ == "Training" else "prediction"


class PredictionError(ReplicateError):
    """A prediction (or training) ended without an output; the base of the errors below.

    Raised as it is for a status this client does not know yet: `status`
    holds it, and `prediction` the whole answer (its output included, if any),
    a `Training` for a training.
    """

    def __init__(self, message: str, prediction: Prediction | Training | None) -> None:
        super().__init__(message)
        self.prediction = prediction

    @classmethod
    def unknown_status(cls, prediction: Prediction | Training) -> PredictionError:
        """The error for a prediction that ended with a status this client does not know."""
        error = cls(
            f"{_noun(prediction)} {prediction.id} ended with status {prediction.status!r}, "
            "which this client does not know; its answer is in error.prediction",
            prediction,
        )
        error.prediction_id = prediction.id  # type: ignore[attr-defined]
        return error


class ModelError(PredictionError):
    """The prediction failed: the model raised an error.

    `prediction` is the failed prediction; `prediction_id`, `error` and `logs`
    are its id, error message and logs.
    """

    def __init__(self, prediction: Prediction | Training) -> None:
        error = _text(getattr(prediction, "error", None))
        super().__init__(
            f"{_noun(prediction)} {prediction.id} failed: {error or 'no error message'}",
            prediction,
        )
        self.prediction_id: str = prediction.id
        self.error: str | None = error
        self.logs: str | None = _text(getattr(prediction, "logs", None))


class PredictionCanceled(PredictionError):
    """The prediction was canceled before it finished."""

    def __init__(self, prediction: Prediction | Training) -> None:
        super().__init__(f"{_noun(prediction)} {prediction.id} was canceled", prediction)
        self.prediction_id: str = prediction.id


class PredictionAborted(PredictionCanceled):
    """The prediction ended before it started (status `aborted`).

    A `Cancel-After` deadline passing while it waited in the queue does this;
    `run()` raises `PredictionTimeout` instead when the deadline was its own.
    """

    def __init__(self, prediction: Prediction | Training) -> None:
        PredictionError.__init__(
            self, f"{_noun(prediction)} {prediction.id} was aborted before it started", prediction
        )
        self.prediction_id = prediction.id


class PredictionTimeout(PredictionError):
    """The prediction (or training) did not finish within the `timeout` given; it was canceled."""

    def __init__(
        self,
        prediction_id: str,
        timeout: float,
        prediction: Prediction | Training | None = None,
        *,
        kind: str | None = None,
    ):
        noun = kind or _noun(prediction)
        super().__init__(
            f"{noun} {prediction_id} did not finish within {timeout:g} s and was canceled",
            prediction,
        )
        self.prediction_id = prediction_id
        self.timeout = timeout
        self.canceled = True
        """False when the request that cancels it failed: it may still be running."""
        self._noun = noun

    def cancel_failed(self, advice: str) -> None:
        """Say that canceling it failed (`advice` says how and what to do), not that it was."""
        self.canceled = False
        message = f"{self._noun} {self.prediction_id} did not finish within {self.timeout:g} s"
        self.args = (f"{message}; {advice}",)


class ResponseParseError(ReplicateError, ParseError):
    """An answer from the API that does not have the shape its description promises.

    The same error as `generated.errors.ParseError`, which direct typed calls
    raise, and a `ReplicateError`: catching either works. `model` and `field`
    name what could not be read (`Prediction`, `urls.get`), `reason` says
    why, and `response` is the answer (never part of the message). Unknown
    statuses and fields are not errors: they are kept as they are.
    """

    def __init__(self, error: ParseError, response: Any = None) -> None:
        response = error.response if response is None else response
        ParseError.__init__(self, error.model, error.field, error.reason, response)
        request = getattr(response, "request", None)
        to = f" to {request.method} {request.url.path}" if request is not None else ""
        status = getattr(response, "status_code", None)
        where = f"{error.model} at {error.field}" if error.field else error.model
        ReplicateError.__init__(
            self,
            f"unreadable answer{to} (HTTP {status}): {where}: {error.reason}",
            status=status,
            response=response,
        )

    def __str__(self) -> str:
        return Exception.__str__(self)

    def __reduce__(self) -> Any:
        return (type(self), (ParseError(self.model, self.field, self.reason),))


class CreationFateUnknown(ReplicateError):
    """A request to create a prediction (or training) got no usable answer: it may have made one.

    A gateway's 5xx, an answer lost or cut short, a read timeout, an answer
    that cannot be read: the API may have made the prediction, or not. One it
    made cannot be told apart from a lookalike another caller made (another
    worker of the same app, another sample of one prompt: same model, same
    input), so nothing is canceled: that could end someone else's work.

    `candidates` are the ids of the predictions (or trainings) of the same
    model, version or deployment with exactly the input sent, created since
    shortly before the request, newest first: the one this request made, if
    it made one, is among them, beside any other caller's. `searched` is
    False when the search for them failed (`candidates` is then empty for
    want of knowing). `cancel_after` is the `Cancel-After` the request
    carried (``"30s"``): the server ends the prediction by then if it was
    made; None when none was sent (no `timeout`, and always for trainings).
    `kind` is ``"prediction"`` or ``"training"``; `status` is the HTTP status
    of the answer when one came (a gateway's 502), and the error that left the
    fate unknown is the `__cause__`.

    Creating again may pay twice: look at the candidates first (`wait()` for
    one whose output you can use), and cancel one only if you know it is yours.
    """

    def __init__(
        self,
        kind: str,
        target: str,
        reason: str,
        candidates: Sequence[tuple[str, str]] | None,
        *,
        cancel_after: str | None = None,
        status: int | None = None,
        response: Any = None,
    ) -> None:
        super().__init__(
            _fate_unknown(kind, target, reason, candidates, cancel_after),
            status=status,
            response=response,
        )
        self.kind = kind
        self.candidates: tuple[str, ...] = tuple(job_id for job_id, _ in candidates or ())
        self.searched = candidates is not None
        self.cancel_after = cancel_after

    def __reduce__(self) -> Any:
        # Rebuilt from its message: the arguments above are not all kept.
        return (
            _rebuilt_fate_unknown,
            (str(self), self.kind, self.candidates, self.searched, self.cancel_after, self.status),
        )


def _rebuilt_fate_unknown(
    message: str,
    kind: str,
    candidates: tuple[str, ...],
    searched: bool,
    cancel_after: str | None,
    status: int | None,
) -> CreationFateUnknown:
    error = CreationFateUnknown.__new__(CreationFateUnknown)
    ReplicateError.__init__(error, message, status=status)
    error.kind, error.candidates, error.searched = kind, candidates, searched
    error.cancel_after = cancel_after
    return error


_SHOWN_CANDIDATES = 10


def _fate_unknown(
    kind: str,
    target: str,
    reason: str,
    candidates: Sequence[tuple[str, str]] | None,
    cancel_after: str | None,
) -> str:
    head = f"whether a {kind} of {target} was created is unknown ({reason})."
    if candidates is None:
        found = "The search for lookalikes failed; none was canceled."
    elif not candidates:
        found = f"No {kind} with the same model and input was found since the request."
    else:
        first = candidates[:_SHOWN_CANDIDATES]
        shown = ", ".join(f"{job_id} ({status})" for job_id, status in first)
        if len(candidates) > _SHOWN_CANDIDATES:
            shown += f" and {len(candidates) - _SHOWN_CANDIDATES} more"
        found = (
            f"Lookalikes (same model and input, created since the request): {shown}. It may "
            "be one of them, and they may be another caller's: none was canceled."
        )
    if cancel_after is not None:
        ending = f"If it was made, its Cancel-After ends it within {cancel_after}."
    else:
        cancel = "trainings.cancel" if kind == "training" else "predictions.cancel"
        ending = f"No Cancel-After was sent: cancel one with {cancel}(id) only if it is yours."
    return f"{head} {found} {ending}"


def _text(value: object) -> str | None:
    # Generated models use an `Unset` sentinel for absent fields.
    return value if isinstance(value, str) else None


def raise_for_response(response: _ResponseLike) -> None:
    """Raise the `ReplicateError` an answer stands for; do nothing for a success.

    Takes a generated `Response` (from a `*_detailed` call) or an `httpx.Response`.
    """
    if int(response.status_code) >= 400:
        raise ReplicateError.from_response(response)


def unwrap(response: Response[T | Problem]) -> T:
    """The parsed body of a generated `*_detailed` call's answer, or the error it stands for.

    For example `unwrap(models_get.sync_detailed("replicate", "hello-world", client=client.api))`
    is the `Model`, or raises `NotFoundError`. A success without a body (the 204
    of a delete, the 202 of `models.versions.delete`) is None, as its type says.
    """
    raise_for_response(response)
    parsed = response.parsed
    if parsed is None and 200 <= int(response.status_code) < 300 and not response.content.strip():
        return parsed  # type: ignore[return-value]
    if parsed is None or type(parsed).__name__ == "Problem":
        raise ReplicateError.from_response(response)
    return parsed  # type: ignore[return-value]


class InputError(ValueError):
    """An input that does not fit the model's schema, found before any prediction was made.

    Not a `ReplicateError`: like the other argument checks, it is a ValueError.
    `input_name` names the input at fault (None when no single one is).
    """

    def __init__(self, message: str, input_name: str | None = None) -> None:
        super().__init__(message)
        self.input_name = input_name


class StreamInterrupted(ReplicateError):
    """The event stream broke off and could not be resumed; the prediction may still be running.

    `prediction_id` names the prediction (to `wait()` for it or cancel it);
    `last_event_id` is the id of the last event received, to resume later with
    ``stream_prediction(..., last_event_id=...)``; `status` is the HTTP status of
    the last attempt, if it got an answer.
    """

    def __init__(
        self,
        prediction_id: str,
        last_event_id: str | None,
        attempts: int,
        cause: BaseException | None,
        status: int | None = None,
        *,
        opened: bool = True,
    ) -> None:
        after = f" (last event id {last_event_id})" if last_event_id else ""
        reason = f": {type(cause).__name__}: {cause}" if cause is not None else ""
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        what = (
            f"broke off{after} and could not be resumed after {tries}"
            if opened
            else f"could not be opened ({tries})"
        )
        super().__init__(
            f"the event stream of prediction {prediction_id} {what}{reason}", status=status
        )
        self.prediction_id = prediction_id
        self.last_event_id = last_event_id
        self.attempts = attempts


class WebhookVerificationError(ReplicateError, ValueError):
    """A webhook request failed verification; the message says why."""
