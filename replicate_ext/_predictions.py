"""Running and waiting for predictions, as I/O-free flows (see `_flow`).

`run_flow`: encode the input (uploading files), create the prediction with
`Prefer: wait`, then `wait_flow`, then turn the output into what `run()`
returns. `wait_flow`: while the prediction is not terminal, follow its event
stream to `done` when it has one (no polling delay), else poll it every
`poll_interval`; on a deadline, an interruption or (for `run`) any error,
cancel it before re-raising, so no paid prediction is left running unwatched.

Waiting is the same for trainings (`_trainings`), which the API runs as
predictions of a model's `train()`: `JobKind` holds what differs (the word
in messages, the endpoints), and polls and cancels go to the URLs the
answer gives (`job_request`), as a new training's point under /predictions/.
"""

from __future__ import annotations

import datetime
import inspect
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar, cast

import httpx

from ._checks import (
    MIN_CANCEL_AFTER,
    callback,
    job_reference,
    positive_seconds,
    webhook_events,
    webhook_url,
)
from ._context import Context, Deadline, parse, with_read_timeout
from ._creation import creation_flow, prediction_lookalikes
from ._errors import PredictionTimeout, ReplicateError
from ._files import (
    FileEncoding,
    FileOutput,
    PendingUpload,
    encode_input,
    is_file_url,
    wrap_file_outputs,
)
from ._flow import Await, Flow, Send, Sleep
from ._jobs import (
    PREDICTION,
    JobKind,
    JobT,
    by_id_flow,
    cancel_on_the_way_out_flow,
    is_terminal,
    job_request,
    kind_of,
    name_job,
    outcome_error,
    refresh_flow,
)
from ._refs import Ref
from ._retry import cut_by_deadline

if TYPE_CHECKING:
    from generated.models.file import File
    from generated.models.prediction import Prediction
    from generated.models.training import Training

    from ._events import PredictionEvent

__all__ = [
    "Progress",
    "RunOptions",
    "TrainingProgress",
    "cancel_after",
    "create_flow",
    "is_concatenated_output",
    "output_flow",
    "owned_by_the_call",
    "prefer_wait",
    "result_flow",
    "run_flow",
    "upload_flow",
    "wait_flow",
    "wait_for_flow",
]

T = TypeVar("T")

# Called with each update; with AsyncClient it may also be an async function.
Progress = Callable[["Prediction"], object]
TrainingProgress = Callable[["Training"], object]
logger = logging.getLogger("replicate_ext")

MAX_PREFER_WAIT = 60
PROGRESS_WAIT = 1
"""Seconds a creation's answer is held when a `progress` callback wants to see the run."""
_WAIT_MARGIN = 10.0  # seconds of read timeout beyond the wait asked for with Prefer


def _interrupted(error: BaseException) -> bool:
    # KeyboardInterrupt, asyncio.CancelledError, trio.Cancelled, SystemExit: all
    # BaseException only. GeneratorExit means the flow is being discarded and may
    # not yield again.
    return not isinstance(error, (Exception, GeneratorExit)) or isinstance(error, PredictionTimeout)


def owned_by_the_call(error: BaseException) -> bool:
    """`wait_flow`'s `cancel_on` for a prediction the call made: all that stops it cancels it.

    Only GeneratorExit does not: the flow is being discarded and may not yield.
    """
    return not isinstance(error, GeneratorExit)


def wait_flow(
    ctx: Context,
    prediction: JobT,
    *,
    deadline: Deadline,
    progress: Callable[[JobT], object] | None = None,
    use_stream: bool = True,
    cancel_on: Callable[[BaseException], bool] = _interrupted,
) -> Flow[JobT]:
    """Wait until `prediction` (or a training) is terminal and return it in that state."""
    kind = kind_of(prediction)
    try:
        yield from _report(progress, prediction)
        while not is_terminal(prediction):
            left = deadline.check(prediction.id, kind.noun)
            # Trainings have no event stream: they are polled.
            stream_url = getattr(prediction.urls, "stream", None)
            if use_stream and isinstance(stream_url, str) and kind is PREDICTION:
                # One stream, resumed across dropped connections; if it cannot be
                # followed, polling takes over.
                use_stream = False
                yield from _follow_stream(ctx, prediction, deadline, progress)  # type: ignore[arg-type]
            else:
                yield Sleep(ctx.poll_interval if left is None else min(ctx.poll_interval, left))
            deadline.check(prediction.id, kind.noun)
            try:
                prediction = yield from refresh_flow(ctx, prediction, deadline)
            except (ReplicateError, httpx.TransportError) as error:
                if not cut_by_deadline(error):
                    raise
                # A 429, 5xx or failure whose retry would come too late: the deadline
                # is what ends the wait.
                raise PredictionTimeout(
                    prediction.id, cast(float, deadline.timeout), kind=kind.noun
                ) from error
            yield from _report(progress, prediction)
    except BaseException as error:
        if not is_terminal(prediction):
            name_job(error, prediction.id, f"while waiting for {kind.noun}")
            if cancel_on(error):
                logger.debug("canceling %s %s after %r", kind.noun, prediction.id, error)
                cancel = Send(job_request(ctx, prediction, "cancel"), best_effort=True)
                answer = yield from cancel_on_the_way_out_flow(
                    cancel, prediction.id, error, kind.noun
                )
                if isinstance(error, PredictionTimeout) and answer is not None:
                    ended = _ended_by_itself(ctx, kind, answer)
                    if ended is not None:
                        # It ended within the deadline, after the last look at it:
                        # its outcome, not a timeout (and its output is not lost).
                        return cast("JobT", ended)
        raise
    return prediction


def _ended_by_itself(
    ctx: Context, kind: JobKind, answer: httpx.Response
) -> Prediction | Training | None:
    """The job as a cancel's `answer` shows it, if it had already succeeded or failed."""
    try:
        job = parse(ctx, kind.operation("cancel"), answer)
    except ReplicateError:
        return None
    return job if getattr(job, "status", None) in ("succeeded", "failed") else None


def _report(progress: Callable[[JobT], object] | None, prediction: JobT) -> Flow[None]:
    """Call `progress(prediction)`; an async callback is awaited (with `AsyncClient`)."""
    if progress is not None:
        result = progress(prediction)
        if inspect.isawaitable(result):
            yield Await(result)


def _follow_stream(
    ctx: Context,
    prediction: Prediction,
    deadline: Deadline,
    progress: Progress | None,
) -> Flow[bool]:
    """Read the prediction's events until `done`; False if the stream could not be followed.

    Dropped connections are resumed (`_events.follow_events_flow`, imported
    here: a run answered within its `Prefer: wait` never needs the stream). The stream
    starts from the beginning of the run; its output and log events rebuild
    `prediction.output` and `.logs` for `progress` (`_Rebuilt`), which is
    called once for the events that arrive together, before the next wait for
    the network. The caller fetches the final state afterwards.
    """
    from ._events import follow_events_flow

    left = deadline.remaining()
    read = ctx.timeout.read or 60.0
    timeout = with_read_timeout(ctx.timeout, read if left is None else min(read, left + 0.5))

    def tick() -> None:
        deadline.check(prediction.id)

    if progress is None:
        flow = follow_events_flow(ctx, prediction, tick=tick, timeout=timeout, deadline=deadline)
        return (yield from flow)
    rebuilt = _Rebuilt(prediction)
    flow = follow_events_flow(
        ctx, prediction, rebuilt.add, tick=tick, timeout=timeout, deadline=deadline
    )
    return (
        yield from _reporting(
            flow, lambda: rebuilt.report(progress), lambda: rebuilt.final(progress)
        )
    )


REPORT_INTERVAL = 0.1
"""Seconds between two `progress` calls for log lines that add little to long logs."""


class _Rebuilt:
    """A prediction's output and logs, rebuilt from its events for `progress` callbacks.

    The callback gets the whole logs as one string, and joining them costs
    their length: joined for every event, 40,000 lines of a training took
    minutes. So each event costs O(1) (its piece or line is kept), and the
    logs are joined only when `report` hands them over: for the events that
    arrived together, and when the new lines add at least an eighth to the
    logs shown (every line of a short log), or `REPORT_INTERVAL` after the last
    time (Replicate's own webhooks send logs at most every 500 ms). That
    bounds the joining to a few times the logs' length, plus ten joins a
    second. A new output piece is handed over at once, as pieces cost nothing
    to hand over. Replayed events behind what the callback was shown are not
    reported again, so output, logs and the progress parsed from them never
    go backwards.
    """

    __slots__ = (
        "clock",
        "joined_at",
        "lines",
        "logs",
        "new_output",
        "pending",
        "pieces",
        "prediction",
        "shown",
        "size",
    )

    def __init__(self, prediction: Prediction, clock: Callable[[], float] = time.monotonic) -> None:
        self.prediction = prediction
        self.clock = clock
        self.pieces: list[str] = []
        self.new_output = False
        self.logs = ""  # the lines joined so far
        self.pending: list[str] = []  # lines not joined yet
        self.lines = 0
        self.size = 0  # len() of all the lines joined with newlines
        self.joined_at = -math.inf
        output, logs = prediction.output, prediction.logs
        # What the callback was shown: pieces, and the length of the logs.
        self.shown = (len(output) if isinstance(output, list) else 0, len(logs or ""))

    def add(self, event: PredictionEvent) -> None:
        """Keep an event of the stream (`follow_events_flow`'s callback)."""
        if event.event == "output":
            self.pieces.append(event.data)
            self.new_output = self.new_output or len(self.pieces) > self.shown[0]
        elif event.event == "logs":
            self.pending.append(event.data)
            self.size += len(event.data) + (1 if self.lines else 0)
            self.lines += 1

    def _logs_due(self) -> bool:
        if not self.pending or self.size < self.shown[1]:
            return False
        added = self.size - len(self.logs)
        return added * 8 >= len(self.logs) or self.clock() - self.joined_at >= REPORT_INTERVAL

    def report(self, progress: Progress) -> Flow[None]:
        """Hand the prediction as rebuilt so far to `progress`, if something new is due."""
        logs_due = self._logs_due()
        if not (logs_due or self.new_output):
            return
        prediction = self.prediction
        if self.new_output:
            prediction.output = self.pieces
            self.new_output = False
        if logs_due:
            self.logs = "\n".join([self.logs, *self.pending] if self.logs else self.pending)
            self.pending.clear()
            self.joined_at = self.clock()
            prediction.logs = self.logs
        if prediction.status == "starting":
            # Events carry no status, but logs and output mean the model runs.
            prediction.status = "processing"
        yield from _report(progress, prediction)

    def final(self, progress: Progress) -> Flow[None]:
        """Hand over whatever is left unreported, once the stream has ended."""
        self.joined_at = -math.inf
        yield from self.report(progress)


def _reporting(
    flow: Flow[T], report: Callable[[], Flow[None]], last: Callable[[], Flow[None]]
) -> Flow[T]:
    """`flow`, with `report()` run before each operation it yields, and `last()` at its end.

    The operations of an event stream's flow are its waits for the network:
    whatever arrived with the last read is reported before the next one. What
    `report` raises (a callback's error, an interruption while awaiting it)
    is thrown into `flow` first, so that it closes its stream, then raised.
    """
    answer: Any = None
    error: BaseException | None = None
    own: BaseException | None = None
    while True:
        try:
            op = flow.send(answer) if error is None else flow.throw(error)
        except StopIteration as stop:
            result = cast(T, stop.value)
            break
        answer, error = None, None
        if own is None:
            try:
                yield from report()
            except GeneratorExit:
                flow.close()
                raise
            except BaseException as failed:  # noqa: BLE001 (thrown in, so the stream closes)
                error = own = failed
                continue
        try:
            answer = yield op
        except GeneratorExit:
            flow.close()
            raise
        except BaseException as failed:  # noqa: BLE001 (thrown into the flow, which decides)
            error = failed
    if own is not None:
        raise own  # the flow closed its stream, and may have taken it for a stream failure
    yield from last()
    return result


def prefer_wait(wait: bool | int, left: float | None) -> tuple[str | None, float]:
    """The `Prefer` header for `wait` given a deadline `left` seconds away, and the wait it asks."""
    if wait is False or (left is not None and left < 1):
        return None, 0.0  # polling (or the stream) can stop within a deadline under 1 s
    seconds = MAX_PREFER_WAIT if wait is True else min(max(int(wait), 1), MAX_PREFER_WAIT)
    if left is not None:
        # Rounded down: the answer must come back before the deadline.
        seconds = min(seconds, max(1, math.floor(left)))
    if wait is True and seconds == MAX_PREFER_WAIT:
        return "wait", float(seconds)
    return f"wait={seconds}", float(seconds)


# The longest duration the API's Go parser holds: 2^63 - 1 ns, in whole seconds.
MAX_CANCEL_AFTER = (2**63 - 1) // 10**9


def cancel_after(seconds: float) -> str:
    """`seconds` as a `Cancel-After` duration, like `1h2m3s`; from 5 s up to some 292 years.

    A shorter deadline is kept by the client alone (`wait_flow` cancels when it
    passes); the server's then only backs it up.
    """
    # Past what a Go duration holds (some 292 years) the API refuses the header: a
    # deadline that far is no deadline, so the longest the API takes is sent.
    total = min(max(int(MIN_CANCEL_AFTER), math.ceil(seconds)), MAX_CANCEL_AFTER)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return "".join(parts)


class RunOptions:
    """The options of `run()` that shape the flow; checked on the way in."""

    __slots__ = (
        "file_encoding",
        "progress",
        "timeout",
        "use_file_output",
        "wait",
        "webhook",
        "webhook_events_filter",
    )

    def __init__(
        self,
        wait: bool | int = True,
        timeout: float | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        use_file_output: bool = True,
        file_encoding: FileEncoding = "auto",
        progress: Progress | None = None,
    ) -> None:
        if not isinstance(wait, (bool, int)):
            raise TypeError(
                f"wait must be a bool or a number of seconds, not {type(wait).__name__}"
            )
        if not isinstance(wait, bool) and wait < 1:
            # Above 60 is meaningful (wait as long as the API allows) and is capped
            # at 60; below 1 can only be a mistake.
            raise ValueError(
                f"wait must be True, False or a number of seconds from 1 "
                f"(more than {MAX_PREFER_WAIT} waits {MAX_PREFER_WAIT}), not {wait}"
            )
        self.wait = wait
        self.timeout = None if timeout is None else positive_seconds("timeout", timeout)
        self.webhook = None if webhook is None else webhook_url(webhook)
        self.webhook_events_filter = (
            None if webhook_events_filter is None else webhook_events(webhook_events_filter)
        )
        self.use_file_output = use_file_output
        self.file_encoding = file_encoding
        self.progress = callback("progress", progress)


def upload_flow(
    ctx: Context, upload: PendingUpload, metadata: dict[str, Any] | None = None
) -> Flow[File]:
    """Upload a file input with POST /files, streaming it from its source."""
    from generated.api.files import files_create
    from generated.models.file_create_request import FileCreateRequest
    from generated.types import UNSET
    from generated.types import File as Payload

    meta: Any = UNSET
    if metadata is not None:
        from generated.models.file_create_request_metadata import FileCreateRequestMetadata

        meta = FileCreateRequestMetadata.from_dict(metadata)
    with upload.open() as file:
        body = FileCreateRequest(
            content=Payload(
                payload=cast("BinaryIO", file),
                file_name=upload.filename,
                mime_type=upload.content_type,
            ),
            filename=upload.filename,
            type=upload.content_type,
            metadata=meta,
        )
        request = files_create._get_kwargs(body=body)
        # The generator pins the multipart boundary to "+++", which file bytes
        # may contain; without the header httpx picks a random one.
        request["headers"].pop("Content-Type", None)
        response = yield Send(request)
    return cast("File", parse(ctx, files_create, response))


def _create_request(
    ref: Ref, input: dict[str, Any], options: RunOptions, timeout: httpx.Timeout, left: float | None
) -> tuple[ModuleType, dict[str, Any]]:
    from generated.types import UNSET

    wait = options.wait
    if options.progress is not None and wait is not False:
        # Held until the model is done, the answer would show the callback only
        # the end: a short hold still answers a fast model in one request, and a
        # slower one is followed on its stream, from its start, as it runs.
        wait = PROGRESS_WAIT
    prefer, holds = prefer_wait(wait, left)
    extra: dict[str, Any] = {
        "prefer": UNSET if prefer is None else prefer,
        "cancel_after": UNSET if left is None else cancel_after(left),
    }
    hooks: dict[str, Any] = {}
    if options.webhook is not None:
        hooks["webhook"] = options.webhook
    if options.webhook_events_filter is not None:
        hooks["webhook_events_filter"] = list(options.webhook_events_filter)
    operation: ModuleType
    if ref.kind == "version":
        from generated.api.predictions import predictions_create
        from generated.models.prediction_request import PredictionRequest
        from generated.models.prediction_request_input import PredictionRequestInput

        operation = predictions_create
        body = PredictionRequest(
            version=cast(str, ref.version), input=PredictionRequestInput.from_dict(input), **hooks
        )
        request = predictions_create._get_kwargs(body=body, **extra)
    else:
        from generated.models.model_prediction_request import ModelPredictionRequest
        from generated.models.model_prediction_request_input import ModelPredictionRequestInput

        model_body = ModelPredictionRequest(
            input=ModelPredictionRequestInput.from_dict(input), **hooks
        )
        owner, name = cast(str, ref.owner), cast(str, ref.name)
        if ref.kind == "model":
            from generated.api.models import models_predictions_create

            operation = models_predictions_create
            request = models_predictions_create._get_kwargs(owner, name, body=model_body, **extra)
        else:
            from generated.api.deployments import deployments_predictions_create

            operation = deployments_predictions_create
            request = deployments_predictions_create._get_kwargs(
                owner, name, body=model_body, **extra
            )
    if holds:
        request["timeout"] = with_read_timeout(
            timeout, max(timeout.read or 0.0, holds + _WAIT_MARGIN)
        )
    return operation, request


def create_flow(
    ctx: Context,
    ref: Ref,
    input: Mapping[str, Any] | None,
    options: RunOptions,
    deadline: Deadline,
    *,
    search_on_interrupt: bool = True,
) -> Flow[Prediction]:
    """Upload the input's files, then create the prediction.

    A creation whose fate is unknown raises `CreationFateUnknown` and cancels
    nothing it cannot prove its own (`_creation`).
    """
    encoded, uploads = encode_input(input, options.file_encoding)
    for upload in uploads:
        file = yield from upload_flow(ctx, upload)
        upload.container[upload.key] = file.urls.get
    left = deadline.remaining()
    operation, request = _create_request(ref, encoded, options, ctx.timeout, left)
    return cast(
        "Prediction",
        (
            yield from creation_flow(
                ctx,
                operation,
                deadline.bound(request),
                prediction_lookalikes(ref, encoded),
                cancel_after=None if left is None else cancel_after(left),
                search_on_interrupt=search_on_interrupt,
            )
        ),
    )


def run_flow(
    ctx: Context, ref: Ref, input: Mapping[str, Any] | None, options: RunOptions
) -> Flow[Any]:
    """Create a prediction, wait for it, and return its output as `run()` does."""
    deadline = Deadline(options.timeout)
    prediction = yield from create_flow(ctx, ref, input, options, deadline)
    prediction = yield from wait_flow(
        ctx,
        prediction,
        deadline=deadline,
        progress=options.progress,
        use_stream=options.wait is not False,
        # run() owns the prediction: whatever stops it from returning the output
        # cancels the prediction.
        cancel_on=owned_by_the_call,
    )
    return (yield from result_flow(ctx, prediction, deadline, options))


def result_flow(
    ctx: Context, prediction: Prediction, deadline: Deadline, options: RunOptions
) -> Flow[Any]:
    """What `run()` returns for a prediction that has ended, or the error it raises.

    A prediction that our own deadline ended is a `PredictionTimeout`, however
    the server reports it (canceled while running, aborted while queued).
    """
    if options.timeout is not None and _ended_by_deadline(prediction, deadline):
        raise PredictionTimeout(prediction.id, options.timeout, prediction)
    return (yield from output_flow(ctx, prediction, options.use_file_output))


def _ended_by_deadline(prediction: Prediction | Training, deadline: Deadline) -> bool:
    """Whether our `Cancel-After` ended the prediction, before we canceled it ourselves.

    The server cancels (or, while queued, aborts) it at its `deadline`; both
    times come from the server's clock, so no skew between the clocks matters.
    """
    if prediction.status not in ("canceled", "aborted"):
        return False
    remaining = deadline.remaining()
    if remaining is not None and remaining <= 0:
        return True
    ended, due = prediction.completed_at, getattr(prediction, "deadline", None)
    return (
        isinstance(ended, datetime.datetime)
        and isinstance(due, datetime.datetime)
        and (ended >= due)
    )


def output_flow(ctx: Context, prediction: Prediction, use_file_output: bool) -> Flow[Any]:
    """What `run()` returns for a terminal prediction, or the error it raises."""
    error = outcome_error(prediction)
    if error is not None:
        raise error
    output = prediction.output
    if not isinstance(output, (list, dict, str, int, float, bool)):
        return None  # absent (Unset) or null
    if (
        isinstance(output, list)
        and isinstance(prediction.urls.stream, str)
        and all(isinstance(item, str) for item in output)
        and (yield from _concatenates(ctx, prediction))
    ):
        return "".join(output)
    if use_file_output:
        return wrap_file_outputs(output, lambda url: FileOutput(url, ctx.downloader))
    return output


def _concatenates(ctx: Context, prediction: Prediction) -> Flow[bool]:
    """Whether the prediction's version declares its output one text in pieces (cached).

    Asked only for streaming models whose output is a list of strings; the
    answer comes from the version's schema, fetched once per version.
    """
    model = prediction.model if isinstance(prediction.model, str) else ""
    hidden = prediction.version == "hidden" or len(prediction.version) != 64
    key = model if hidden else prediction.version
    known = ctx.concatenates.get(key)
    if known is not None:
        return known
    owner, _, name = model.partition("/")
    if not (owner and name):
        return _guess_concatenated(prediction)  # an older answer without its model
    operation: ModuleType
    if hidden:
        from generated.api.models import models_get

        operation = models_get
        request = models_get._get_kwargs(owner, name)
    else:
        from generated.api.models import models_versions_get

        operation = models_versions_get
        request = models_versions_get._get_kwargs(owner, name, prediction.version)
    try:
        response = yield Send(request)
        found = parse(ctx, operation, response)
    except (ReplicateError, httpx.TransportError) as error:
        # The prediction is done and paid for: a failed lookup must not lose
        # its result.
        logger.debug("version lookup for prediction %s failed: %r", prediction.id, error)
        return _guess_concatenated(prediction)
    version = found.latest_version if hidden else found
    known = is_concatenated_output(getattr(version, "openapi_schema", None))
    ctx.concatenates[key] = known
    return known


def _guess_concatenated(prediction: Prediction) -> bool:
    # Uncached: text pieces, unless some are files.
    output = prediction.output if isinstance(prediction.output, list) else []
    return not any(is_file_url(item) for item in output)


def is_concatenated_output(schema: Any) -> bool:
    """Whether an OpenAPI schema's `Output` is an iterator displayed concatenated."""
    if schema is None or not hasattr(schema, "to_dict"):
        return False
    # Imported here: only a streaming model's output needs a schema read (use() and
    # the CLI need the rest of the module).
    from ._schema import streams_text

    return streams_text(schema.to_dict())


def wait_for_flow(
    ctx: Context,
    prediction: Prediction | Training | str,
    *,
    timeout: float | None,
    progress: Callable[[Any], object] | None,
    kind: JobKind = PREDICTION,
) -> Flow[Any]:
    """`wait()`: the prediction or training (or the one with this id), once terminal.

    An id is looked up as `kind`; an object is followed as what it is.
    """
    job_reference("prediction", prediction)
    callback("progress", progress)
    deadline = Deadline(timeout)
    job: Prediction | Training
    if isinstance(prediction, str):
        job = yield from by_id_flow(ctx, kind, "get", prediction)
    else:
        job = prediction
    return (yield from wait_flow(ctx, job, deadline=deadline, progress=progress))
