"""A prediction's event stream as one I/O-free flow, resumed across dropped connections.

`events_flow` opens the prediction's ``urls.stream``, hands each event to the
caller with an `Emit` as soon as it is decoded, reconnects with
``Last-Event-ID`` when the connection drops, and ends at ``done``; run it with
`_flow.drive_events` or `adrive_events`. `follow_events_flow` is the same
stream read as a plain flow, for waiting on a prediction (`_predictions`).

Nothing documents that Replicate honours ``Last-Event-ID``, nor that every
stream ends with ``done``: a reconnection may start over (events already
received are skipped, whatever their ids look like; see `_Reader`), and a
stream that closes without ``done`` is followed while it brings new events,
then the prediction is asked how it ended.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs
import httpx

from ._context import Context, Deadline, with_read_timeout
from ._errors import (
    ModelError,
    PredictionAborted,
    PredictionCanceled,
    PredictionError,
    PredictionTimeout,
    ReplicateError,
    StreamInterrupted,
)
from ._files import FileOutput, is_file_url
from ._flow import Await, Close, Emit, EventFlow, Op, ReadChunk, Send, Sleep, Stream
from ._jobs import (
    cancel_on_the_way_out_flow,
    cancel_request,
    get_flow,
    is_terminal,
    name_job,
    outcome_error,
)
from ._retry import cut_by_deadline
from ._sse import ServerSentEvent, SSEDecoder

if TYPE_CHECKING:
    from generated.models.prediction import Prediction

__all__ = [
    "DEFAULT_MAX_RECONNECTS",
    "PredictionEvent",
    "StreamHandle",
    "StreamOptions",
    "events_flow",
    "follow_events_flow",
]

logger = logging.getLogger("replicate_ext")

DEFAULT_MAX_RECONNECTS = 5
"""Failed reconnections tried in a row, without an event in between, before giving up."""
RECONNECT_DELAY = 0.25
"""Seconds before the first reconnection when the server sent no ``retry`` hint."""
MAX_RECONNECT_DELAY = 10.0
"""The backoff between reconnections stops growing here (a longer server hint wins)."""
MAX_RETRY_HINT = 60.0
"""Seconds: a server's ``retry`` hint longer than this is taken as this."""

_STREAM_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
# Statuses worth reconnecting after: the stream may well be back a moment later.
_TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_ERROR_BODY_LIMIT = 64 * 1024


@attrs.frozen
class PredictionEvent(ServerSentEvent):
    """An event of a prediction's stream: ``output``, ``logs`` or one this client does not know.

    ``str(event)`` is the data of an ``output`` event (a piece of text, or a
    file's URL) and ``""`` for the others, so ``"".join(map(str, events))`` is
    the whole text. ``data`` is always the text as sent. When an ``output``
    event's data is a file URL (and ``use_file_output`` is on), ``file`` is that
    file as a `FileOutput`, ready to ``read()`` or ``save()``; it is None
    otherwise.
    """

    file: FileOutput | None = attrs.field(default=None, eq=False)


class StreamOptions:
    """How `events_flow` behaves; see `stream()` for each option."""

    __slots__ = (
        "cancel_on_close",
        "deadline",
        "last_event_id",
        "max_reconnects",
        "timeout",
        "use_file_output",
    )

    def __init__(
        self,
        *,
        use_file_output: bool = True,
        cancel_on_close: bool = False,
        max_reconnects: int = DEFAULT_MAX_RECONNECTS,
        last_event_id: str | None = None,
        timeout: httpx.Timeout | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        if isinstance(max_reconnects, bool) or not isinstance(max_reconnects, int):
            raise TypeError(f"max_reconnects must be a whole number, not {max_reconnects!r}")
        if max_reconnects < 0:
            raise ValueError(f"max_reconnects must be 0 or more, not {max_reconnects}")
        self.use_file_output = use_file_output
        self.cancel_on_close = cancel_on_close
        self.max_reconnects = max_reconnects
        self.last_event_id = last_event_id
        self.timeout = timeout  # for the stream's requests; the client's by default
        # When the prediction must have ended: reached, it is canceled (PredictionTimeout).
        self.deadline = deadline


class StreamHandle:
    """Where a flow leaves the prediction it streams, for `EventStream.prediction`."""

    __slots__ = ("prediction",)

    def __init__(self) -> None:
        self.prediction: Prediction | None = None


class _Reader:
    """What one stream remembers across reconnections, and what each event means.

    After a reconnection the server may start over instead of resuming after
    ``Last-Event-ID`` (nothing documents that Replicate honours it), so the
    events already received are skipped. Each is known by a key: its own id,
    or, for an event without one, the last own id before it in the stream
    (`base`) and how many id-less events came since. Both a server that
    resumes after the id sent and one that starts over give a repeated event
    the key it had, and a new one a new key, whatever the id format; a stream
    without ids, which cannot resume, is thereby skipped by count. Events
    before the first own id of a connection that was meant to resume are
    taken as resumed; a server that started over instead repeats those.

    The base is kept here, not taken from the decoder, which carries the
    last id it saw: after a connection that started over and broke off, that
    is an old one, not the id sent to resume from.
    """

    __slots__ = (
        "base",
        "ctx",
        "decoder",
        "finished",
        "last_id",
        "logs",
        "prediction",
        "replaying",
        "seen",
        "since_id",
        "start_id",
        "unclear",
        "use_file_output",
    )

    def __init__(self, ctx: Context, prediction: Prediction, options: StreamOptions) -> None:
        self.ctx = ctx
        self.prediction = prediction
        self.use_file_output = options.use_file_output
        self.decoder = SSEDecoder()
        self.last_id = options.last_event_id
        self.start_id = options.last_event_id  # the caller's: events up to it are not wanted
        self.logs: list[str] = []
        self.seen: set[tuple[str | None, int]] = set()  # keys of the events received
        self.base = (
            options.last_event_id
        )  # the last own id, in the stream as this connection sends it
        self.since_id = 0  # events without an own id since `base`
        self.finished = False  # the prediction is known to be terminal
        self.unclear = False  # ``done`` with a reason this client does not know
        self.replaying = options.last_event_id is not None  # the server may resend events

    def reconnecting(self) -> None:
        """Get ready for the events of a new connection."""
        self.decoder.close()  # drop a half-received event: it comes again
        self.replaying = True
        self.base = self.last_id  # where a server honouring Last-Event-ID resumes
        self.since_id = 0

    def accept(self, event: ServerSentEvent) -> PredictionEvent | None:
        """The event to hand out, or None; raises for a failed or canceled prediction."""
        key = self._key(event)
        if self.replaying:
            if key in self.seen or self._before_start(key):
                return None
            self.replaying = False
        self.seen.add(key)
        event_id = key[0]
        if event.own_id and event_id:
            self.last_id = event_id
        kind = event.event
        if kind == "done":
            reason = _json_field(event.data, "reason")
            if reason in (None, "", "succeeded"):
                self.finished = True
                return None
            error = _DONE_ERRORS.get(reason)
            if error is None:
                self.unclear = True  # the prediction itself will say how it ended
                return None
            self.finished = True
            raise error(self._final(_DONE_STATUS.get(reason, reason), None))
        if kind == "error":
            self.finished = True
            detail = _json_field(event.data, "detail")
            raise ModelError(self._final("failed", detail if detail is not None else event.data))
        if kind == "logs":
            self.logs.append(event.data)
        file = None
        if kind == "output" and self.use_file_output and is_file_url(event.data):
            file = FileOutput(event.data, self.ctx.downloader)
        return PredictionEvent(
            kind, event.data, event_id, event.retry, own_id=event.own_id, file=file
        )

    def _key(self, event: ServerSentEvent) -> tuple[str | None, int]:
        if event.own_id and event.id:
            self.base = event.id
            self.since_id = 0
            return event.id, 0
        self.since_id += 1
        return self.base, self.since_id

    def _before_start(self, key: tuple[str | None, int]) -> bool:
        """Whether the event comes before the caller's `last_event_id`, as far as ids tell."""
        event_id, since = key
        if event_id is None or self.start_id is None:
            return False
        if since == 0:
            return _not_after(event_id, self.start_id)
        # It follows the event with that id: before the start only if that is.
        return event_id != self.start_id and _not_after(event_id, self.start_id)

    def _final(self, status: str, error: str | None) -> Prediction:
        changes: dict[str, Any] = {"status": status}
        if error is not None:
            changes["error"] = error
        if self.logs:
            changes["logs"] = "".join(f"{line}\n" for line in self.logs)
        return attrs.evolve(self.prediction, **changes)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before reconnection `attempt` (1, 2, ...)."""
        hint = self.decoder.retry
        base = RECONNECT_DELAY if hint is None else min(hint / 1000, MAX_RETRY_HINT)
        return float(min(base * 2 ** (attempt - 1), max(MAX_RECONNECT_DELAY, base)))


_DONE_ERRORS: dict[str, Callable[[Prediction], ReplicateError]] = {
    "canceled": PredictionCanceled,
    "aborted": PredictionAborted,
    "error": ModelError,
    "failed": ModelError,
}
_DONE_STATUS = {"error": "failed"}


def _not_after(event_id: str, start_id: str | None) -> bool:
    """Whether `event_id` comes no later than `start_id`, when both have a known order.

    Ids made of numbers (``42``, Replicate's ``1690212292:0``, ``1690212292-0``)
    compare part by part; any other id is trusted to be new.
    """
    if start_id is None:
        return False
    key, start = _order_key(event_id), _order_key(start_id)
    return key is not None and start is not None and key <= start


def _order_key(event_id: str) -> tuple[int, ...] | None:
    parts = event_id.replace("-", ":").split(":")
    # ASCII only ("²".isdigit() is true) and short, so that int() cannot fail.
    if all(part.isascii() and part.isdigit() and len(part) < 40 for part in parts):
        return tuple(int(part) for part in parts)
    return None


def _json_field(data: str, name: str) -> str | None:
    try:
        value = json.loads(data)
    except ValueError:
        return None
    found = value.get(name) if isinstance(value, dict) else None
    return None if found is None else str(found)


def _no_stream_error(prediction: Prediction) -> ReplicateError:
    model = f" ({prediction.model})" if isinstance(prediction.model, str) else ""
    return ReplicateError(
        f"prediction {prediction.id} has no stream URL: its model{model} does not "
        "stream its output. Use run() or wait() for its output instead."
    )


def events_flow(
    ctx: Context,
    prediction: Prediction,
    options: StreamOptions,
    handle: StreamHandle | None = None,
) -> EventFlow:
    """Emit the events of `prediction`'s stream until ``done``, resuming after drops.

    Raises `ModelError` at an ``error`` event (or a ``done`` with reason
    ``error``), `PredictionCanceled` at a ``done`` with reason ``canceled``,
    `ReplicateError` when the prediction has no stream or the first connection
    gets an HTTP error, and `StreamInterrupted` once `options.max_reconnects`
    reconnections in a row brought no event (a stream closed cleanly while
    the API says the prediction runs is no failed attempt), and
    `PredictionTimeout` at `options.deadline`, which cancels the prediction.
    With `options.cancel_on_close`, anything that ends the flow before the
    prediction is known to be finished (the caller leaving, an interruption,
    an error) cancels it too, best effort.
    """
    if handle is not None:
        handle.prediction = prediction
    reader = _Reader(ctx, prediction, options)
    deadline = options.deadline if options.deadline is not None else Deadline(None)
    # Made now: a cleanup may run when imports no longer can (a stream closed at exit).
    timed = deadline.at is not None
    cancel = cancel_request(prediction.id) if options.cancel_on_close or timed else None
    stream: Stream | None = None
    try:
        url = prediction.urls.stream
        if not isinstance(url, str):
            raise _no_stream_error(prediction)
        opened = False
        failures = 0  # connection attempts in a row that brought no event
        quiet = 0  # clean closes in a row, without new events, of a running prediction
        while True:
            cause: BaseException | None = None
            status: int | None = None
            fresh = False
            deadline.check(prediction.id)
            try:
                timeout = _request_timeout(ctx, options.timeout, deadline)
                request = deadline.bound(_stream_request(url, reader.last_id, timeout))
                stream = yield Send(request, stream=True)
            except httpx.TransportError as error:
                cause = error
            if stream is not None:
                status = stream.response.status_code
                if status == 200:
                    _check_content_type(stream.response)
                    opened = True
                    fresh, cause = yield from _pump(stream, reader, deadline)
                    if fresh:
                        failures = quiet = 0
                else:
                    failure = ReplicateError.from_response((yield from _read_error(stream)))
                    if deadline.at is not None and cut_by_deadline(failure):
                        # A 429 or 5xx whose retry would come too late: the deadline
                        # is what ends the stream.
                        seconds = cast(float, deadline.timeout)
                        raise PredictionTimeout(prediction.id, seconds, prediction) from failure
                    if not opened:  # an HTTP error like any other
                        raise failure
                    if status not in _TRANSIENT_STATUSES:  # e.g. 404: the stream is gone
                        raise StreamInterrupted(
                            prediction.id, reader.last_id, failures, failure, status
                        ) from failure
                    cause = failure
                yield Close(stream)
                stream = None
                if reader.finished:
                    return
                # Closed cleanly with nothing new (events sent again do not count),
                # or with a done this client cannot read: a server that does so for
                # a finished prediction would do it on every reconnection. Ask how
                # it ended. After new events, reconnecting first drains the rest.
                clean = status == 200 and cause is None
                if clean and (reader.unclear or not fresh):
                    state = yield from _state(ctx, reader)
                    if state == "ended":
                        return
                    if state == "running":
                        # A quiet stream closed cleanly (idle-timeout proxies do so
                        # all through a cold boot): no failed attempt, however long
                        # the boot takes. Back off, capped.
                        reader.reconnecting()
                        quiet += 1
                        delay = reader.delay(quiet)
                        _log_reconnect(prediction.id, None, None, delay, None, options, reader)
                        yield _wait(delay, deadline, prediction.id)
                        continue
            reader.reconnecting()
            failures += 1
            deadline.check(prediction.id)  # a read cut short by it is no failed attempt
            if failures > options.max_reconnects:
                # Counted: reconnections after a drop, every try when it never opened.
                tries = failures - 1 if opened else failures
                raise StreamInterrupted(
                    prediction.id, reader.last_id, tries, cause, status, opened=opened
                ) from cause
            delay = reader.delay(failures)
            _log_reconnect(prediction.id, cause, status, delay, failures, options, reader)
            yield _wait(delay, deadline, prediction.id)
    except BaseException as error:
        # GeneratorExit: the flow is being discarded and may not yield any more.
        if isinstance(error, GeneratorExit):
            raise
        name_job(error, prediction.id, "while streaming prediction")
        if stream is not None:
            yield Close(stream)
        # A timeout raised by the caller's own check (follow_events_flow's `tick`)
        # is the caller's to cancel: `cancel` is None then.
        if (
            cancel is not None
            and not reader.finished
            and (options.cancel_on_close or isinstance(error, PredictionTimeout))
        ):
            yield from cancel_on_the_way_out_flow(cancel, prediction.id, error)
        if isinstance(error, (PredictionCanceled, PredictionAborted)) and _passed(deadline):
            # Canceled by the server's Cancel-After, at our deadline: a timeout all the same.
            seconds = cast(float, deadline.timeout)
            raise PredictionTimeout(prediction.id, seconds, error.prediction) from error
        raise


def _log_reconnect(
    prediction_id: str,
    cause: BaseException | None,
    status: int | None,
    delay: float,
    attempt: int | None,
    options: StreamOptions,
    reader: _Reader,
) -> None:
    """Say (at info level) why a stream reconnects, when, and from which event."""
    if not logger.isEnabledFor(logging.INFO):
        return
    if attempt is None:
        why, count = "closed while the prediction runs", ""
    else:
        count = f"{attempt} of {options.max_reconnects}"
        if cause is not None:
            name = type(cause).__name__
            why = f"broke off ({name}: {cause})" if str(cause) else f"broke off ({name})"
        elif status is not None and status != 200:
            why = f"answered {status}"
        else:
            why = "closed before done"
    after = f"after event {reader.last_id}" if reader.last_id else ""
    detail = ", ".join(part for part in (count, after) if part)
    logger.info(
        "stream of prediction %s %s; reconnecting in %.2fs%s",
        prediction_id,
        why,
        delay,
        f" ({detail})" if detail else "",
    )


def _state(
    ctx: Context, reader: _Reader
) -> Generator[Op, Any, Literal["ended", "running", "unknown"]]:
    """Whether the API says the prediction has ended (raising if it did not succeed)."""
    reader.unclear = False
    try:
        current = yield from get_flow(ctx, reader.prediction.id)
    except (ReplicateError, httpx.TransportError):
        return "unknown"  # a failed attempt: keep reconnecting, within the bound
    if not is_terminal(current):
        return "running"
    reader.finished = True
    error = outcome_error(current)
    if error is not None:
        raise error
    return "ended"


def _pump(
    stream: Stream, reader: _Reader, deadline: Deadline
) -> Generator[Op | Emit, Any, tuple[bool, BaseException | None]]:
    """Emit the new events of one connection.

    Returns whether any came (events sent again after a reconnection do not
    count), and why the connection ended if not at ``done``.
    """
    fresh = False
    while True:
        deadline.check(reader.prediction.id)
        try:
            chunk = yield ReadChunk(stream)
        except httpx.TransportError as error:  # dropped, or silent past the read timeout
            return fresh, error
        if not chunk:
            return fresh, None  # ended cleanly but without done: resume to be sure
        for raw in reader.decoder.feed(chunk):
            event = reader.accept(raw)
            if reader.finished:
                return True, None
            if reader.unclear:
                return fresh, None
            if event is not None:
                fresh = True
                yield Emit(event)


def _check_content_type(response: httpx.Response) -> None:
    content_type = response.headers.get("content-type", "text/event-stream")
    if not content_type.lower().startswith("text/event-stream"):
        raise ReplicateError(
            f"expected an event stream from {response.url}, got {content_type!r}",
            status=response.status_code,
        )


def _read_error(stream: Stream) -> Generator[Op, Any, httpx.Response]:
    """The (bounded) body of an error answer, as a read `httpx.Response` for `from_response`."""
    chunks: list[bytes] = []
    size = 0
    while size < _ERROR_BODY_LIMIT:
        try:
            chunk = yield ReadChunk(stream)
        except httpx.TransportError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    original = stream.response
    # The chunks are already decoded: drop the headers that describe the wire encoding.
    headers = [
        (name, value)
        for name, value in original.headers.multi_items()
        if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        original.status_code,
        headers=headers,
        content=b"".join(chunks),
        request=original.request,
        extensions=original.extensions,  # the retries' marks, e.g. cut by the deadline
    )


def _passed(deadline: Deadline) -> bool:
    left = deadline.remaining()
    return left is not None and left <= 0


def _wait(seconds: float, deadline: Deadline, prediction_id: str) -> Sleep:
    """Sleep `seconds` before reconnecting, or until just past the deadline."""
    left = deadline.check(prediction_id)
    return Sleep(seconds if left is None else min(seconds, left + 0.01))


def _request_timeout(
    ctx: Context, timeout: httpx.Timeout | None, deadline: Deadline
) -> httpx.Timeout | None:
    """The stream's timeouts: a read waits no longer than the deadline (and a moment)."""
    left = deadline.remaining()
    if left is None:
        return timeout
    base = ctx.timeout if timeout is None else timeout
    read = base.read or 60.0
    return with_read_timeout(base, min(read, max(left, 0.0) + 0.5))


def _stream_request(
    url: str, last_event_id: str | None, timeout: httpx.Timeout | None
) -> dict[str, Any]:
    headers: dict[str, str | bytes] = dict(_STREAM_HEADERS)
    value = _header_value(last_event_id) if last_event_id else None
    if value is not None:
        headers["Last-Event-ID"] = value
    request: dict[str, Any] = {"method": "GET", "url": url, "headers": headers}
    if timeout is not None:
        request["timeout"] = timeout
    return request


# What RFC 9110 lets a header field's value be: visible ASCII and obs-text
# bytes, with spaces and tabs only inside.
_FIELD_VALUE = re.compile(rb"[\x21-\x7e\x80-\xff](?:[\x20-\x7e\x80-\xff\t]*[\x21-\x7e\x80-\xff])?")


def _header_value(event_id: str) -> bytes | None:
    """`event_id` as ``Last-Event-ID`` carries it (UTF-8, as browsers send it), or None.

    None for an id no header can carry (control characters, a leading or
    trailing space): the stream is then resumed without it, and the events
    sent again are skipped.
    """
    try:
        value = event_id.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from a caller's last_event_id
        return None
    return value if _FIELD_VALUE.fullmatch(value) else None


def follow_events_flow(
    ctx: Context,
    prediction: Prediction,
    on_event: Callable[[PredictionEvent], object] | None = None,
    *,
    tick: Callable[[], object] | None = None,
    timeout: httpx.Timeout | None = None,
    max_reconnects: int = DEFAULT_MAX_RECONNECTS,
    deadline: Deadline | None = None,
) -> Generator[Op, Any, bool]:
    """Follow `prediction`'s stream to its end as a plain flow, for waiting on it.

    True once the stream says the prediction ended (``done``, also after an
    ``error`` or for a cancellation); False when the stream could not be
    followed (no stream, an HTTP error, broken beyond resumption). Either way
    the caller fetches the prediction for its final state. Each event goes to
    `on_event` (an awaitable it returns is awaited, under the async driver);
    `tick` is called before each read and each wait, e.g. to check
    a deadline (`timeout`, for the stream's requests, bounds how long a read
    can wait, and `deadline` how long their retries may wait). What these
    callbacks raise ends the flow, connection closed, and propagates. The
    prediction is never canceled here.
    """
    options = StreamOptions(use_file_output=False, max_reconnects=max_reconnects, timeout=timeout)
    flow = events_flow(ctx, prediction, options)
    answer: Any = None
    error: BaseException | None = None
    own: BaseException | None = None  # raised by a callback: thrown in, then out again
    while True:
        try:
            op = flow.send(answer) if error is None else flow.throw(error)
        except StopIteration:
            return True
        except PredictionError as ended:
            if ended is own:
                raise
            return True
        except ReplicateError as failed:
            if failed is own:
                raise
            return False
        answer, error = None, None
        try:
            if isinstance(op, Emit):
                result = None if on_event is None else on_event(op.event)
                if inspect.isawaitable(result):
                    yield Await(result)
                continue
            if tick is not None and isinstance(op, (ReadChunk, Sleep)):
                tick()
            if deadline is not None and isinstance(op, Send) and not op.best_effort:
                deadline.bound(op.request)
        except BaseException as exc:  # noqa: BLE001 (thrown into the flow, so it cleans up)
            error = own = exc
            continue
        try:
            answer = yield op
        except BaseException as exc:  # noqa: BLE001 (thrown into the flow, which decides)
            error = exc
