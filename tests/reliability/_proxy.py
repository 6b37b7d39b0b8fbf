"""A TCP proxy in front of the local server that can go down, come back and cut answers.

It plays the API's front end: `down()` aborts every connection through it and stops
listening (clients get connection refused), `up()` listens again on the same port,
while the server behind it, and the predictions running there, carry on. That is a
restart of the API as clients see it, without losing the server's state.
`cut_response_when(...)` aborts a connection in the middle of an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Callable
from types import TracebackType

# Given each chunk from the server (in order), returns where to cut it (forward the
# bytes before, then abort the client's connection), STALL to hold it and everything
# after it back (the connection stays open), or None to forward it whole.
Cutter = Callable[[bytes], int | None]
STALL = -1
_REQUEST_LINE = re.compile(rb"[A-Z]+ /\S* HTTP/1\.[01]\r\n")


class Proxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.cuts = 0
        self.restarts = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="test-proxy")
        self._listener: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._cutter: Cutter | None = None
        self._cut_request: re.Pattern[bytes] | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _call(self, coroutine: object) -> object:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)  # type: ignore[arg-type]

    def start(self) -> Proxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def down(self) -> None:
        """Abort every connection and stop listening: the API is gone."""
        self._call(self._down())
        self.restarts += 1

    def up(self) -> None:
        """Listen again, on the same port."""
        self._call(self._listen())

    def cut_response_when(self, cutter: Cutter, request: str | None = None) -> None:
        """Arm a one-shot cut of an answer; see `Cutter`.

        `request` (a regular expression, searched in the request line, like
        ``"POST /v1/models/.*/predictions"``) limits it to the answers to such requests.
        """
        self._cutter = cutter
        self._cut_request = None if request is None else re.compile(request.encode())

    def close(self) -> None:
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> Proxy:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def _listen(self) -> None:
        self._listener = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._listener.sockets[0].getsockname()[1]

    async def _down(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _shutdown(self) -> None:
        await self._down()
        # With every connection aborted, the handlers end by themselves; cancelling
        # them instead makes asyncio's server log their CancelledError.
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=5)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def _wanted(self, answering: list[bytes]) -> bool:
        return self._cut_request is None or self._cut_request.search(answering[0]) is not None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        asked: list[bytes] = [b""]  # the line of the request being answered on this connection
        try:
            await asyncio.gather(
                self._pipe(reader, up_writer, asked=asked),
                self._pipe(up_reader, writer, answering=asked),
            )
        finally:
            for each in (writer, up_writer):
                self._writers.discard(each)
                each.transport.abort()

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        asked: list[bytes] | None = None,
        answering: list[bytes] | None = None,
    ) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while chunk := await reader.read(65536):
                if asked is not None and _REQUEST_LINE.match(chunk):
                    asked[0] = chunk.split(b"\r\n", 1)[0]
                if answering is not None and self._cutter is not None and self._wanted(answering):
                    at = self._cutter(chunk)
                    if at is not None:
                        self._cutter = None
                        self.cuts += 1
                        if at == STALL:
                            return
                        writer.write(chunk[:at])
                        await writer.drain()
                        writer.transport.abort()
                        return
                writer.write(chunk)
                await writer.drain()
        writer.transport.abort()


def cut_inside_first_event(kind: bytes = b"event: output") -> Cutter:
    """Cut an event stream in the middle of its first event of `kind`."""
    seen_stream = False

    def cutter(chunk: bytes) -> int | None:
        nonlocal seen_stream
        seen_stream = seen_stream or b"text/event-stream" in chunk
        if not seen_stream:
            return None
        at = chunk.find(kind)
        return None if at < 0 else at + len(kind) // 2

    return cutter


def cut_whole_answer() -> Cutter:
    """Drop the next answer entirely: the server acted, the client never hears of it."""
    return lambda chunk: 0


def stall_answer() -> Cutter:
    """Hold the next answer back until the client gives up on it."""
    return lambda chunk: STALL
