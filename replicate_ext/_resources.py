"""The resource methods written by hand: what the spec cannot say an operation does.

`generated.resources` has a method for every operation of the spec
(`client.models.get(...)`), but for five of them the spec cannot say what a
good method does, and `openapi/resources.yaml` leaves them out; the classes
here add them to the generated ones, each delegating to the flow that
already does the work:

* `predictions.create` picks the endpoint from `model=`, `version=` or
  `deployment=`, uploads file inputs and can wait (`create_flow`, as `run()`);
* `trainings.create` takes `owner/name:version` and uploads file inputs (as
  `train()`);
* `files.create` streams the upload from disk (as file inputs);
* `files.download` is a `FileOutput`, streamed to memory or disk on demand;
* `models.search` is `QUERY /models`, which OpenAPI cannot express.

The flows behind them are built here, once, for these methods and for the
client's verbs alike (`Client.train`, file inputs).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from generated.resources.files import AsyncFilesResource as _AsyncFiles
from generated.resources.files import FilesResource as _Files
from generated.resources.models import AsyncModelsResource as _AsyncModels
from generated.resources.models import ModelsResource as _Models
from generated.resources.predictions import AsyncPredictionsResource as _AsyncPredictions
from generated.resources.predictions import PredictionsResource as _Predictions
from generated.resources.trainings import AsyncTrainingsResource as _AsyncTrainings
from generated.resources.trainings import TrainingsResource as _Trainings

from ._checks import cancel_after_seconds
from ._context import Context, Deadline
from ._files import FileEncoding, FileOutput, PendingUpload
from ._flow import Flow
from ._pagination import AsyncPager, AsyncPages, Pager, Pages, search_request
from ._refs import Ref, parse_ref
from ._requester import AsyncRequester, Requester

if TYPE_CHECKING:
    from generated.models.file import File
    from generated.models.model import Model
    from generated.models.prediction import Prediction
    from generated.models.training import Training
    from generated.models.webhook_event import WebhookEvent

    from ._predictions import TrainingProgress

__all__ = [
    "AsyncFilesResource",
    "AsyncModelsResource",
    "AsyncPredictionsResource",
    "AsyncTrainingsResource",
    "FilesResource",
    "ModelsResource",
    "PredictionsResource",
    "TrainingsResource",
    "prediction_flow",
    "training_flow",
    "upload_flow",
]


# -- the flows -----------------------------------------------------------------------------------


def prediction_ref(model: str | None, version: str | None, deployment: str | None) -> Ref:
    """Which endpoint `predictions.create` uses: exactly one of the three must be given."""
    given = [
        name
        for name, value in (("model", model), ("version", version), ("deployment", deployment))
        if value is not None
    ]
    if len(given) != 1:
        told = " and ".join(f"{name}=" for name in given) or "none of them"
        raise TypeError(f"give one of model=, version= or deployment=, not {told}")
    if model is not None:
        ref = parse_ref(model)
        if ref.kind == "deployment":
            raise ValueError(f"model={model!r} names a deployment: give deployment='owner/name'")
        return ref
    if version is not None:
        ref = parse_ref(version)
        if ref.kind == "deployment":
            raise ValueError(
                f"version={version!r} names a deployment: give deployment='owner/name'"
            )
        return ref
    if not isinstance(deployment, str):
        raise TypeError(f"deployment must be 'owner/name', not {type(deployment).__name__}")
    name = deployment.removeprefix("deployments/")
    found: Ref | None
    try:
        found = parse_ref(f"deployments/{name}")
    except ValueError:
        found = None
    if found is None or found.kind != "deployment":
        raise ValueError(f"deployment must be 'owner/name', not {deployment!r}")
    return found


def prediction_flow(
    ctx: Context,
    ref: Ref,
    input: Mapping[str, Any] | None,
    *,
    webhook: str | None = None,
    webhook_events_filter: Sequence[str] | None = None,
    file_encoding: FileEncoding = "auto",
    cancel_after: float | None = None,
    wait: bool | int = False,
) -> Flow[Prediction]:
    """Upload the input's files and create the prediction, waiting at most `wait` for its end."""
    from ._predictions import RunOptions, create_flow

    options = RunOptions(wait, None, webhook, webhook_events_filter, True, file_encoding)
    # Checked here, before anything is sent: the API takes 5 s at the least.
    seconds = None if cancel_after is None else cancel_after_seconds(cancel_after)
    return create_flow(ctx, ref, input, options, Deadline(seconds, "cancel_after"))


def training_flow(
    ctx: Context,
    ref: str,
    destination: str,
    input: Mapping[str, Any],
    *,
    webhook: str | None = None,
    webhook_events_filter: Sequence[str] | None = None,
    file_encoding: FileEncoding = "auto",
    timeout: float | None = None,
    progress: TrainingProgress | None = None,
    wait: bool = True,
    strict: bool = True,
) -> Flow[Training]:
    """Start training `ref` (`owner/name:version`) into `destination`; with `wait`, to its end.

    With `strict`, the input is first checked against the version's training
    schema (`TrainingInput`): a misspelled or mistyped input is an `InputError`
    before anything is uploaded or paid for.
    """
    from ._trainings import (
        TrainOptions,
        create_training_flow,
        destination_name,
        train_flow,
        training_ref,
    )

    # Checked here, before the flow runs: a bad call fails before any request.
    target, destination = training_ref(ref), destination_name(destination)
    options = TrainOptions(webhook, webhook_events_filter, file_encoding, timeout, progress, strict)
    start = train_flow if wait else create_training_flow
    return start(ctx, target, destination, input, options)


def upload_source(
    file: str | os.PathLike[str] | bytes | IO[bytes], filename: str | None, content_type: str | None
) -> PendingUpload:
    """The pending upload of a path, bytes or binary file, checked like a file input."""
    from pathlib import Path

    from ._files import encode_input, guess_content_type

    source: Any = Path(file) if isinstance(file, (str, os.PathLike)) else file
    _, uploads = encode_input({"file": source}, "upload")
    if not uploads:
        raise TypeError(
            f"a file to upload is a path, bytes or a binary file, not {type(file).__name__}"
        )
    upload = uploads[0]
    if filename is not None:
        upload.filename = filename
        upload.content_type = guess_content_type(filename)
    if content_type is not None:
        upload.content_type = content_type
    return upload


def upload_flow(
    ctx: Context,
    file: str | os.PathLike[str] | bytes | IO[bytes],
    filename: str | None = None,
    content_type: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Flow[File]:
    """Upload a file with POST /files, streamed from its source."""
    from ._predictions import upload_flow as upload_pending_flow

    upload = upload_source(file, filename, content_type)
    return upload_pending_flow(ctx, upload, None if metadata is None else dict(metadata))


def training_ref_of(
    model: str | None, version_id: str | None, owner: str | None, name: str | None
) -> str:
    """`owner/name:version` from the forms `trainings.create` takes."""
    if model is None:
        if owner is None or name is None or version_id is None:
            raise TypeError(
                "give the version to train as 'owner/name:version', or 'owner/name' with "
                "version_id=, or model_owner=, model_name= and version_id="
            )
        return f"{owner}/{name}:{version_id}"
    if owner is not None or name is not None:
        raise TypeError(
            "give the model as 'owner/name' or as model_owner= and model_name=, not both"
        )
    if not isinstance(model, str):
        raise TypeError(f"model must be 'owner/name:version', not {type(model).__name__}")
    if version_id is None:
        return model
    if ":" in model:
        raise TypeError(f"{model!r} names its version already: leave out version_id=")
    return f"{model}:{version_id}"


def download_output(
    ctx: Context, file_id: str, owner: str, expiry: int, signature: str
) -> FileOutput:
    """A `FileOutput` of the signed download URL of an uploaded file."""
    import httpx

    from generated.api.files import files_download
    from generated.resources import _base

    request = files_download._get_kwargs(
        _base.string("file_id", file_id),
        owner=_base.string("owner", owner),
        expiry=_base.integer("expiry", expiry),
        signature=_base.string("signature", signature),
    )
    url = httpx.URL(ctx.base_url + request["url"], params=request["params"])
    return FileOutput(str(url), ctx.downloader)


# -- the resources ---------------------------------------------------------------------------------


class PredictionsResource(_Predictions):
    """`client.predictions`: run a model version once on an input; list, get and cancel runs."""

    _requester: Requester

    def create(
        self,
        *,
        model: str | None = None,
        version: str | None = None,
        deployment: str | None = None,
        input: Mapping[str, Any] | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        wait: bool | int = False,
        cancel_after: float | None = None,
        file_encoding: FileEncoding = "auto",
    ) -> Prediction:
        """Start a prediction and return it (finished or not: `replicate_ext.wait()` for it).

        Give one of `model` (`owner/name`, an official model run by name, or
        `owner/name:version`), `version` (a 64-character version id, or
        `owner/name:version`) or `deployment` (`owner/name`): each goes to its
        own endpoint (`predictions.create`, `models.predictions.create`,
        `deployments.predictions.create`). File inputs (paths, bytes, binary
        files) anywhere in `input` go as data URLs up to 256 KB and are
        uploaded above that (`file_encoding` forces one way). `wait=True`
        holds the answer until the prediction ends, for at most 60 s (`wait=n`:
        n seconds); the default returns at once. `cancel_after` (seconds, 5 at
        least) makes the server cancel it if it has not ended by then, even
        if this process is gone. `webhook` receives it on the
        `webhook_events_filter` events (all of them by default).
        """
        ref = prediction_ref(model, version, deployment)
        flow = prediction_flow(
            self._requester.session.ctx,
            ref,
            input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            file_encoding=file_encoding,
            cancel_after=cancel_after,
            wait=wait,
        )
        return self._requester.session.run(flow)


class AsyncPredictionsResource(_AsyncPredictions):
    """`client.predictions` on an `AsyncClient`."""

    _requester: AsyncRequester

    async def create(
        self,
        *,
        model: str | None = None,
        version: str | None = None,
        deployment: str | None = None,
        input: Mapping[str, Any] | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        wait: bool | int = False,
        cancel_after: float | None = None,
        file_encoding: FileEncoding = "auto",
    ) -> Prediction:
        """Start a prediction and return it; see `Client.predictions.create`."""
        ref = prediction_ref(model, version, deployment)
        flow = prediction_flow(
            self._requester.session.ctx,
            ref,
            input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            file_encoding=file_encoding,
            cancel_after=cancel_after,
            wait=wait,
        )
        return await self._requester.session.run(flow)


class TrainingsResource(_Trainings):
    """`client.trainings`: fine-tune a model version into a new version of another model."""

    _requester: Requester

    def create(
        self,
        model: str | None = None,
        /,
        *,
        destination: str,
        input: Mapping[str, Any],
        version_id: str | None = None,
        model_owner: str | None = None,
        model_name: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        file_encoding: FileEncoding = "auto",
        strict: bool = True,
    ) -> Training:
        """Start fine-tuning a version into `destination` and return the training at once.

        The version is `owner/name:version`, or `owner/name` with `version_id`
        (or `model_owner`, `model_name` and `version_id`). `destination`
        (`owner/name`) is a model of yours that receives the new version;
        `input` holds the inputs of the model's `train()`, file inputs (a zip
        of images, say) uploaded as `predictions.create` uploads them.
        The input is first checked against the version's training schema
        (`TrainingInput`, one request): a misspelled or mistyped input is an
        `InputError` before anything is uploaded or paid for; `strict=False`
        sends it unchecked, as does a version whose schema declares none.
        Raises `NotFoundError` if the destination does not exist.
        `replicate_ext.wait(training)` follows it; `replicate_ext.train()`
        starts one and waits for it.
        """
        flow = training_flow(
            self._requester.session.ctx,
            training_ref_of(model, version_id, model_owner, model_name),
            destination,
            input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            file_encoding=file_encoding,
            wait=False,
            strict=strict,
        )
        return self._requester.session.run(flow)


class AsyncTrainingsResource(_AsyncTrainings):
    """`client.trainings` on an `AsyncClient`."""

    _requester: AsyncRequester

    async def create(
        self,
        model: str | None = None,
        /,
        *,
        destination: str,
        input: Mapping[str, Any],
        version_id: str | None = None,
        model_owner: str | None = None,
        model_name: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        file_encoding: FileEncoding = "auto",
        strict: bool = True,
    ) -> Training:
        """Start fine-tuning a version; see `Client.trainings.create`."""
        flow = training_flow(
            self._requester.session.ctx,
            training_ref_of(model, version_id, model_owner, model_name),
            destination,
            input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            file_encoding=file_encoding,
            wait=False,
            strict=strict,
        )
        return await self._requester.session.run(flow)


class FilesResource(_Files):
    """`client.files`: files uploaded for use as prediction inputs (kept 24 hours)."""

    _requester: Requester

    def create(
        self,
        content: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        type: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> File:
        """Upload a file (a path, bytes or a binary file), streamed, and return it.

        At most 100 MiB. `filename` and `type` (the MIME type) default to the
        file's name and what it suggests; `metadata` is a JSON object kept with
        it. Pass its `urls.get` as a model input.
        """
        flow = upload_flow(self._requester.session.ctx, content, filename, type, metadata)
        return self._requester.session.run(flow)

    def download(self, file_id: str, *, owner: str, expiry: int, signature: str) -> FileOutput:
        """A file's bytes, by a signed URL: a `FileOutput` to `read()`, `save()` or iterate.

        Nothing is sent until the bytes are asked for. `owner` is the account
        that owns the file, `expiry` the Unix time the signature runs out and
        `signature` the base64 HMAC-SHA256 of `"{owner} {file_id} {expiry}"`.
        """
        return download_output(self._requester.session.ctx, file_id, owner, expiry, signature)


class AsyncFilesResource(_AsyncFiles):
    """`client.files` on an `AsyncClient`."""

    _requester: AsyncRequester

    async def create(
        self,
        content: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        type: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> File:
        """Upload a file, streamed, and return it; see `Client.files.create`."""
        flow = upload_flow(self._requester.session.ctx, content, filename, type, metadata)
        return await self._requester.session.run(flow)

    def download(self, file_id: str, *, owner: str, expiry: int, signature: str) -> FileOutput:
        """A file's bytes by a signed URL (`await output.aread()`); see `Client.files.download`."""
        return download_output(self._requester.session.ctx, file_id, owner, expiry, signature)


class ModelsResource(_Models):
    """`client.models`: models, their versions, examples and README."""

    _requester: Requester

    def search(self, query: str, *, limit: int | None = None) -> Pager[Model]:
        """The public models matching `query` (QUERY /models), fetched a page at a time.

        `.pages()` gives the pages; `limit` stops after that many models.
        """
        from generated.api.models import models_list
        from generated.resources import _base

        session = self._requester.session
        request = search_request(_base.string("query", query))
        pages: Pages[Any] = Pages(session.ctx, models_list, request, session.run)
        return Pager(pages, _base.check_limit(limit))


class AsyncModelsResource(_AsyncModels):
    """`client.models` on an `AsyncClient`."""

    _requester: AsyncRequester

    def search(self, query: str, *, limit: int | None = None) -> AsyncPager[Model]:
        """The public models matching `query`, for ``async for``; see `Client.models.search`."""
        from generated.api.models import models_list
        from generated.resources import _base

        session = self._requester.session
        request = search_request(_base.string("query", query))
        pages: AsyncPages[Any] = AsyncPages(session.ctx, models_list, request, session.run)
        return AsyncPager(pages, _base.check_limit(limit))
