"""Trainings: start one, follow it to its end, and name the version it made.

A training runs a trainable model's `train()` on an input (often a zip of
images, a file input uploaded as `run()` uploads them) and, if it succeeds,
pushes a new version to the destination, a model of the caller's. The API
starts trainings only at /models/{owner}/{name}/versions/{id}/trainings, so
the reference must name the model and the version; the destination is
checked for shape before anything is sent. Waiting, cancelling and progress
are `_predictions.wait_flow`'s: the API runs a training as a prediction of
`train()`, with the same statuses, and has no `Cancel-After` for it, so a
`timeout` is kept by the client alone, which cancels the training when it
passes.

The input is checked before anything is uploaded or paid for, as `use()` and
the command line check a prediction's: against the `TrainingInput` schema Cog
writes beside `Input` in the version's `openapi_schema` (the inputs of
`train()`), read by `_schema` as `Input` is. That costs one request, the
version's; a version whose schema declares no `TrainingInput` (or that has no
schema) has nothing to check against, and its input is sent as given, as
`strict=False` sends any. Trainable versions without one exist: a recorded
answer of the real API for a stability-ai/sdxl version has none, and the API
took a training of it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from ._checks import callback, positive_seconds, webhook_events, webhook_url
from ._context import Context, Deadline
from ._creation import creation_flow, training_lookalikes
from ._errors import NotFoundError, PredictionTimeout
from ._files import FileEncoding, encode_input
from ._flow import Flow
from ._jobs import outcome_error
from ._predictions import TrainingProgress, _ended_by_deadline, upload_flow, wait_flow
from ._refs import Ref, parse_ref
from ._resolve import resolve_flow
from ._schema import InputSpec, check_input, input_specs

if TYPE_CHECKING:
    from generated.models.prediction import Prediction
    from generated.models.training import Training

logger = logging.getLogger("replicate_ext")

__all__ = [
    "TrainOptions",
    "create_training_flow",
    "destination_name",
    "train_flow",
    "trained_ref",
    "training_input_specs",
    "training_ref",
]


def training_ref(ref: str) -> Ref:
    """`ref` as the version to train: `owner/name:version`, else a ValueError saying why."""
    parsed = parse_ref(ref)
    if parsed.kind == "version" and parsed.owner is not None:
        return parsed
    if parsed.kind == "version":
        reason = (
            "a bare version id does not name its model, and the API starts trainings "
            "under the model's name"
        )
    elif parsed.kind == "model":
        reason = "a training needs the exact version to train"
    else:
        reason = "deployments cannot be trained"
    raise ValueError(f"cannot train {ref!r}: {reason}; give 'owner/name:version'")


def destination_name(destination: str) -> str:
    """`destination` if it is shaped `owner/name`, else a ValueError naming the problem."""
    if not isinstance(destination, str):
        kind = type(destination).__name__
        raise TypeError(f"destination must be 'owner/name' of a model of yours, not {kind}")
    try:
        parsed = parse_ref(destination)
    except ValueError:
        parsed = None
    if parsed is None or parsed.kind != "model":
        raise ValueError(
            f"destination must be 'owner/name' of a model of yours (the new version goes "
            f"there), not {destination!r}"
        )
    return destination


def training_input_specs(openapi_schema: Any) -> dict[str, InputSpec] | None:
    """The inputs of a version's `train()`: its schema's `TrainingInput`, read as `Input` is.

    None when the schema declares none (then there is nothing to check against).
    """
    if not isinstance(openapi_schema, Mapping):
        return None
    components = openapi_schema.get("components")
    if not isinstance(components, Mapping):
        return None
    schemas = components.get("schemas")
    if not isinstance(schemas, Mapping) or "TrainingInput" not in schemas:
        return None
    swapped = {**schemas, "Input": schemas["TrainingInput"]}
    return input_specs({**openapi_schema, "components": {**components, "schemas": swapped}})


class TrainOptions:
    """The options of `create_training()` and `train()`; checked on the way in."""

    __slots__ = (
        "file_encoding",
        "progress",
        "strict",
        "timeout",
        "webhook",
        "webhook_events_filter",
    )

    def __init__(
        self,
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        file_encoding: FileEncoding = "auto",
        timeout: float | None = None,
        progress: TrainingProgress | None = None,
        strict: bool = True,
    ) -> None:
        self.webhook = None if webhook is None else webhook_url(webhook)
        self.webhook_events_filter = (
            None if webhook_events_filter is None else webhook_events(webhook_events_filter)
        )
        self.file_encoding = file_encoding
        self.timeout = None if timeout is None else positive_seconds("timeout", timeout)
        self.progress = callback("progress", progress)
        self.strict = bool(strict)


def check_training_input_flow(ctx: Context, ref: Ref, input: Mapping[str, Any]) -> Flow[None]:
    """Raise `InputError` for the first thing wrong with `input` as the inputs of `train()`.

    Reads the version's schema (one request); sends nothing to check against
    when it declares no `TrainingInput`.
    """
    found = yield from resolve_flow(ctx, ref)
    specs = training_input_specs(found.openapi_schema)
    if specs is None:
        logger.debug("%s declares no TrainingInput: the input is sent unchecked", found.label)
        return
    check_input(specs, input, model=f"train() of {found.label}")


def create_training_flow(
    ctx: Context,
    ref: Ref,
    destination: str,
    input: Mapping[str, Any],
    options: TrainOptions,
) -> Flow[Training]:
    """Upload the input's files, then start the training."""
    from generated.api.trainings import trainings_create
    from generated.models.training_request import TrainingRequest
    from generated.models.training_request_input import TrainingRequestInput

    if input is None:
        raise TypeError("input is required: the inputs of the model's train(), as a mapping")
    encoded, uploads = encode_input(input, options.file_encoding)
    if options.strict:
        # Before any upload: a misspelled input must not cost a paid training.
        yield from check_training_input_flow(ctx, ref, input)
    for upload in uploads:
        file = yield from upload_flow(ctx, upload)
        upload.container[upload.key] = file.urls.get
    hooks: dict[str, Any] = {}
    if options.webhook is not None:
        hooks["webhook"] = options.webhook
    if options.webhook_events_filter is not None:
        hooks["webhook_events_filter"] = list(options.webhook_events_filter)
    body = TrainingRequest(
        destination=destination, input=TrainingRequestInput.from_dict(encoded), **hooks
    )
    owner, name, version = cast(str, ref.owner), cast(str, ref.name), cast(str, ref.version)
    request = trainings_create._get_kwargs(owner, name, version, body=body)
    try:
        created = yield from creation_flow(
            ctx, trainings_create, request, training_lookalikes(ref, encoded)
        )
    except NotFoundError as error:
        if "destination" in (error.detail or "").lower():
            raise _missing_destination(error, destination) from None
        raise
    return cast("Training", created)


def _missing_destination(error: NotFoundError, destination: str) -> NotFoundError:
    return NotFoundError(
        f"the training destination {destination} does not exist (or is not yours): create "
        "that model first (on replicate.com, or with POST /models), then train into it "
        f"({error.status}: {error.detail})",
        status=error.status,
        title=error.title,
        detail=error.detail,
        response=error.response,
    )


def train_flow(
    ctx: Context, ref: Ref, destination: str, input: Mapping[str, Any], options: TrainOptions
) -> Flow[Training]:
    """Start a training and wait for it: the succeeded training, or the error it ended with."""
    deadline = Deadline(options.timeout)
    training = yield from create_training_flow(ctx, ref, destination, input, options)
    training = yield from wait_flow(
        ctx,
        training,
        deadline=deadline,
        progress=options.progress,
        # train() owns the training, as run() owns its prediction: whatever stops
        # it from returning cancels the training, which nobody would watch.
        cancel_on=lambda error: not isinstance(error, GeneratorExit),
    )
    if options.timeout is not None and _ended_by_deadline(training, deadline):
        raise PredictionTimeout(training.id, options.timeout, training)
    error = outcome_error(training)
    if error is not None:
        raise error
    return training


def trained_ref(training: Training | Prediction | Mapping[str, Any]) -> str:
    """The version a succeeded training made, as a reference `run()` takes.

    `training` is a `Training` (as `train()` returns it), the same job fetched
    as a `Prediction`, or its JSON (a webhook's body, say). The result is
    `owner/name:version`; an output naming only the version id is completed
    with the training's `destination` when the answer has one, and stays a
    bare version id (which `run()` takes too) when it has none. Raises
    ValueError when the training has not succeeded or its output names no
    version.
    """
    if isinstance(training, Mapping):
        status, output = training.get("status"), training.get("output")
        destination, job_id = training.get("destination"), training.get("id")
    else:
        status, output = training.status, training.output
        destination, job_id = getattr(training, "destination", None), training.id
    if output is not None and hasattr(output, "to_dict"):
        output = output.to_dict()  # a generated TrainingOutput
    version = output.get("version") if isinstance(output, Mapping) else None
    if not isinstance(version, str):
        if status != "succeeded":
            raise ValueError(
                f"training {job_id} has status {status!r}: only a succeeded training "
                "names a new version"
            )
        raise ValueError(
            f"training {job_id} succeeded, but its output names no version: {output!r}"
        )
    try:
        ref = parse_ref(version)
    except ValueError:
        ref = None
    if ref is None or ref.kind != "version":
        raise ValueError(f"training {job_id} names a version this client cannot read: {version!r}")
    if ref.owner is None and isinstance(destination, str):
        try:
            return f"{destination_name(destination)}:{version}"
        except ValueError:
            pass  # an odd destination: the bare id still runs
    return version
