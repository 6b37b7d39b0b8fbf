"""I/O-free flows and the drivers that run them, sync and async.

A flow is a generator that yields what it needs done (`Send` a request,
`ReadChunk` from a streamed answer, `Sleep`, `Await` a callback) and receives
the outcome: the answer, or the exception raised while doing it, thrown in at
the `yield`. The logic of running and waiting for predictions, uploading and
paging is written once as flows; the drivers here are the only places that
do I/O. `drive` and `adrive` run a flow to its return value; `drive_events`
and `adrive_events` run one that also `Emit`s values (an event stream) and
hand each to their caller as it comes, letting the flow clean up (close its
connection, cancel its prediction) when the caller stops listening.

Flows see httpx's own exceptions (and may handle them: reconnect, tell what a
failed creation may have made); one that ends a flow leaves the driver as the
`APIConnectionError` or `APITimeoutError` it stands for (`network_error`).
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Awaitable, Generator
from typing import Any, TypeAlias, TypeVar

import httpx

from ._errors import APIConnectionError, APITimeoutError
from ._retry import PROXY_ATTRIBUTE

T = TypeVar("T")

BEST_EFFORT_TIMEOUT = 5.0
"""Seconds a best-effort request (cancelling after an interruption) may take."""


class Delivery:
    """How far a request got on its way out, as the transport traced it.

    httpcore reports each step of a request to its ``trace`` extension:
    connecting, then writing the request, then reading the answer. A request
    traced only while connecting provably never left; one not traced at all
    (a transport without traces, or one stopped before its first step)
    proves nothing.
    """

    __slots__ = ("sending", "traced")

    def __init__(self) -> None:
        self.traced = False
        self.sending = False

    def record(self, name: str, info: object = None) -> None:
        """Record a step httpcore traced (its ``trace`` extension, sync)."""
        self.traced = True
        # Opening a connection (TCP, TLS, HTTP/2's preface) sends none of the request.
        if not name.startswith(("connection.", "http2.send_connection_init")):
            self.sending = True

    async def arecord(self, name: str, info: object = None) -> None:
        """Record a step httpcore traced (its ``trace`` extension, async)."""
        self.record(name, info)

    @property
    def never_sent(self) -> bool:
        """Whether the transport showed that no byte of the request was written."""
        return self.traced and not self.sending


class Send:
    """Send a request given as `httpx.Client.request` keyword arguments; answers the response.

    `stream=True` answers a `Stream` whose body is read with `ReadChunk`.
    `best_effort=True` marks cleanup: the request is shielded from cancellation,
    limited to `BEST_EFFORT_TIMEOUT`, and answers None instead of raising.
    A `delivery` records how far the request got (see `Delivery`).
    """

    __slots__ = ("best_effort", "delivery", "request", "stream")

    def __init__(
        self,
        request: dict[str, Any],
        stream: bool = False,
        best_effort: bool = False,
        delivery: Delivery | None = None,
    ) -> None:
        self.request = request
        self.stream = stream
        self.best_effort = best_effort
        self.delivery = delivery


class Sleep:
    """Wait `seconds`."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class Stream:
    """A response whose body is still on the wire."""

    __slots__ = ("chunks", "response")

    def __init__(self, response: httpx.Response, chunks: Any) -> None:
        self.response = response
        self.chunks = chunks  # the response's (async) iterator of body chunks


class ReadChunk:
    """Read the next chunk of a `Stream`'s body; answers b"" at its end."""

    __slots__ = ("stream",)

    def __init__(self, stream: Stream) -> None:
        self.stream = stream


class Await:
    """Await a user's awaitable (an async callback's result); only the async driver can."""

    __slots__ = ("awaitable",)

    def __init__(self, awaitable: Awaitable[Any]) -> None:
        self.awaitable = awaitable


class Close:
    """Close a `Stream` early (the drivers close any left open when the flow ends)."""

    __slots__ = ("stream",)

    def __init__(self, stream: Stream) -> None:
        self.stream = stream


class Emit:
    """Hand `event` to the caller iterating over the flow (see `drive_events`); answers None."""

    __slots__ = ("event",)

    def __init__(self, event: Any) -> None:
        self.event = event


Op: TypeAlias = Send | Sleep | ReadChunk | Close | Await
Flow: TypeAlias = Generator[Op, Any, T]
EventFlow: TypeAlias = Generator[Op | Emit, Any, None]
"""A flow that also emits values: run it with `drive_events` or `adrive_events`."""


def drive(flow: Flow[T], http: httpx.Client) -> T:
    """Run `flow` with blocking I/O on `http`."""
    streams: list[Stream] = []
    answer: Any = None
    error: BaseException | None = None
    try:
        while True:
            try:
                op = flow.send(answer) if error is None else flow.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            except httpx.RequestError as failure:
                raise network_error(failure) from failure
            try:
                answer, error = _perform(op, http, streams), None
            except BaseException as exc:  # noqa: BLE001 (the flow decides, e.g. cancels)
                answer, error = None, exc
    finally:
        for stream in streams:
            stream.response.close()


async def adrive(flow: Flow[T], http: httpx.AsyncClient) -> T:
    """Run `flow` with async I/O on `http`."""
    streams: list[Stream] = []
    answer: Any = None
    error: BaseException | None = None
    try:
        while True:
            try:
                op = flow.send(answer) if error is None else flow.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            except httpx.RequestError as failure:
                raise network_error(failure) from failure
            try:
                answer, error = await _aperform(op, http, streams), None
            except BaseException as exc:  # noqa: BLE001 (the flow decides, e.g. cancels)
                answer, error = None, exc
    finally:
        for stream in streams:
            await stream.response.aclose()


class _CallerLeft(BaseException):
    """Thrown into an event flow when its caller stops iterating (break, close, GC).

    A BaseException, so that no ``except Exception`` in a flow takes it for a
    failure to handle; unlike GeneratorExit, it lets the flow still yield
    operations (close the connection, cancel the prediction) before it ends.
    """


class _Steps:
    """The bookkeeping the two drivers share: what goes into the flow next."""

    __slots__ = ("answer", "error", "flow", "left")

    def __init__(self, flow: EventFlow) -> None:
        self.flow = flow
        self.answer: Any = None
        self.error: BaseException | None = None
        self.left = False

    def next(self) -> Op | Emit | None:
        """The flow's next operation, or None once it has ended."""
        while True:
            try:
                if self.error is None:
                    op = self.flow.send(self.answer)
                else:
                    op = self.flow.throw(self.error)
            except StopIteration:
                return None
            except _CallerLeft:
                if self.left:
                    return None
                raise
            except httpx.RequestError as failure:  # the caller gets a ReplicateError
                raise network_error(failure) from failure
            self.answer, self.error = None, None
            if not (self.left and isinstance(op, Emit)):
                return op
            self.error = _CallerLeft()  # nobody is listening any more

    def thrown(self, error: BaseException) -> None:
        """The caller threw `error` (GeneratorExit when it closed us) at an emitted event."""
        if isinstance(error, GeneratorExit):
            self.left = True
            error = _CallerLeft()
        self.error = error


def drive_events(flow: EventFlow, http: httpx.Client) -> Generator[Any, None, None]:
    """Run `flow` with blocking I/O on `http`, yielding what it emits.

    Closing the generator (or dropping it) lets the flow clean up: its
    connection is closed and, if it asks to, its prediction canceled.
    """
    steps = _Steps(flow)
    streams: list[Stream] = []
    try:
        while (op := steps.next()) is not None:
            if isinstance(op, Emit):
                try:
                    yield op.event
                except BaseException as error:  # noqa: BLE001 (thrown into the flow, which decides)
                    steps.thrown(error)
                continue
            try:
                steps.answer = _perform(op, http, streams)
            except BaseException as error:  # noqa: BLE001 (thrown into the flow, which decides)
                steps.error = error
    finally:
        flow.close()
        for stream in streams:
            stream.response.close()


async def adrive_events(flow: EventFlow, http: httpx.AsyncClient) -> AsyncGenerator[Any, None]:
    """Run `flow` with async I/O on `http`, yielding what it emits; see `drive_events`."""
    steps = _Steps(flow)
    streams: list[Stream] = []
    try:
        while (op := steps.next()) is not None:
            if isinstance(op, Emit):
                try:
                    yield op.event
                except BaseException as error:  # noqa: BLE001 (thrown into the flow, which decides)
                    steps.thrown(error)
                continue
            try:
                if isinstance(op, Close):
                    await _aclose(op.stream.response)
                else:
                    steps.answer = await _aperform(op, http, streams)
            except BaseException as error:  # noqa: BLE001 (thrown into the flow, which decides)
                steps.error = error
    finally:
        flow.close()
        for stream in streams:
            await _aclose(stream.response)


async def _aclose(response: httpx.Response) -> None:
    import anyio

    # Closing must finish even in a task being cancelled, or the connection leaks.
    with anyio.CancelScope(shield=True):
        await response.aclose()


def network_error(error: httpx.RequestError) -> APIConnectionError:
    """The `ReplicateError` for an httpx failure that ended a call; raise it ``from error``.

    It keeps the prediction the flow named on the way out (`prediction_id`,
    and the note saying so), and names the proxy the request went through:
    with a dead proxy, that is where the failure is.
    """
    kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    try:
        request: httpx.Request | None = error.request
    except RuntimeError:  # raised when httpx attached no request
        request = None
    what = "timed out" if kind is APITimeoutError else "failed"
    if request is not None:
        # Without the query: a signed file URL carries its credentials there.
        via = getattr(error, PROXY_ATTRIBUTE, None)
        through = f" through the proxy {via}" if via else ""
        what = f"{request.method} {request.url.copy_with(query=None)}{through} {what}"
    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    converted = kind(
        f"{what}: {reason}", request=request, prediction_id=getattr(error, "prediction_id", None)
    )
    for note in getattr(error, "__notes__", ()):
        converted.add_note(note)
    converted.__cause__ = error  # also when it is not raised `from` it
    return converted


def _traced(request: dict[str, Any], trace: Any) -> dict[str, Any]:
    return {**request, "extensions": {**request.get("extensions", {}), "trace": trace}}


_ABSOLUTE_URLS: dict[tuple[httpx.URL, str], httpx.URL] = {}
_ABSOLUTE_URLS_KEPT = 256  # paths with ids in them come and go; a model's path comes back


def _absolute(request: dict[str, Any], base: httpx.URL) -> dict[str, Any]:
    """`request` with its path (the API's operations give one) as a URL under `base`.

    Given a path, httpx parses it, then parses again the URL it joins to the
    base URL: most of what it spends on a URL, at every request. The same
    few paths are asked again and again (a model's predictions, the
    account's), so each is joined once, as httpx joins it, and given as an
    `httpx.URL`, which httpx uses as it is.
    """
    url = request.get("url")
    if not isinstance(url, str) or not url.startswith("/"):
        return request
    key = (base, url)
    joined = _ABSOLUTE_URLS.get(key)
    if joined is None:
        path = httpx.URL(url).raw_path.lstrip(b"/")
        joined = base.copy_with(raw_path=base.raw_path + path)
        if len(_ABSOLUTE_URLS) >= _ABSOLUTE_URLS_KEPT:
            _ABSOLUTE_URLS.clear()
        _ABSOLUTE_URLS[key] = joined
    return {**request, "url": joined}


def _perform(op: Op, http: httpx.Client, streams: list[Stream]) -> Any:
    if isinstance(op, Send):
        request = _absolute(op.request, http.base_url)
        if op.best_effort:
            try:
                return http.request(**request, timeout=BEST_EFFORT_TIMEOUT)
            except Exception:  # noqa: BLE001 (best effort: the flow is already failing)
                return None
        if op.stream:
            response = http.send(http.build_request(**request), stream=True)
            streams.append(Stream(response, response.iter_bytes()))
            return streams[-1]
        if op.delivery is not None:
            return http.request(**_traced(request, op.delivery.record))
        return http.request(**request)
    if isinstance(op, ReadChunk):
        return next(op.stream.chunks, b"")
    if isinstance(op, Sleep):
        time.sleep(op.seconds)
        return None
    if isinstance(op, Await):
        close = getattr(op.awaitable, "close", None)
        if close is not None:
            close()  # a coroutine never awaited would warn
        raise TypeError("an async callback needs AsyncClient; Client calls plain functions")
    op.stream.response.close()
    return None


async def _aperform(op: Op, http: httpx.AsyncClient, streams: list[Stream]) -> Any:
    if isinstance(op, Send):
        request = _absolute(op.request, http.base_url)
        if op.best_effort:
            return await _shielded(http.request(**request, timeout=BEST_EFFORT_TIMEOUT))
        if op.stream:
            response = await http.send(http.build_request(**request), stream=True)
            streams.append(Stream(response, response.aiter_bytes()))
            return streams[-1]
        if op.delivery is not None:
            return await http.request(**_traced(request, op.delivery.arecord))
        return await http.request(**request)
    if isinstance(op, ReadChunk):
        return await anext(op.stream.chunks, b"")
    if isinstance(op, Sleep):
        import anyio

        await anyio.sleep(op.seconds)
        return None
    if isinstance(op, Await):
        return await op.awaitable
    await op.stream.response.aclose()
    return None


_background: set[Any] = set()  # strong references: the loop keeps only weak ones


def _forget(task: Any) -> None:
    _background.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as unhandled


async def _shielded(request: Awaitable[httpx.Response]) -> httpx.Response | None:
    """Await `request` even while being cancelled; None if it fails."""
    import anyio

    # The anyio scope shields from anyio and trio cancel scopes; under asyncio
    # the request also runs as its own task, so that Task.cancel() on the
    # caller, even repeated, cannot abort it half-sent.
    response: httpx.Response | None = None
    with anyio.CancelScope(shield=True):
        try:
            response = await _in_own_task(request)
        except Exception:  # noqa: BLE001 (best effort: the flow is already failing)
            response = None
    return response


def _in_own_task(request: Awaitable[httpx.Response]) -> Awaitable[httpx.Response]:
    import asyncio

    try:
        asyncio.current_task()
    except RuntimeError:  # not asyncio (trio)
        return request
    task = asyncio.ensure_future(request)
    _background.add(task)
    task.add_done_callback(_forget)
    return asyncio.shield(task)
