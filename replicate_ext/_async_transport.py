"""The asyncio twin of `_transport.Transport`, for `httpx.AsyncClient`.

Everything but the I/O (the HTTP exchange, the pool's bookkeeping) is shared
with the blocking transport in `_transport`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator

import h11
import httpx
import sniffio

from ._body import BodyError
from ._transport import (
    DEFAULT_KEEPALIVE_EXPIRY,
    DEFAULT_MAX_CONNECTIONS,
    PROTOCOL_ERRORS,
    READ_SIZE,
    WRITE_BUFFER,
    Exchange,
    Origin,
    Pool,
    close_all,
    logger,
    origin_of,
    pool_closed,
    protocol_error,
    shared_ssl_context,
    timeouts_of,
)


class _AsyncConnection(Exchange):
    __slots__ = ("loop", "reader", "writer")

    def __init__(self, origin: Origin) -> None:
        super().__init__(origin)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def close(self) -> None:
        self.closed = True
        if self.writer is not None:
            with contextlib.suppress(RuntimeError):  # its loop is gone, and with it the socket
                self.writer.close()

    def usable(self) -> bool:
        reader, writer = self.reader, self.writer
        if reader is None or writer is None or self.loop is not asyncio.get_running_loop():
            return False
        return not (reader.at_eof() or writer.is_closing())

    async def receive(self, seconds: float | None) -> bytes:
        reader = self.reader
        assert reader is not None
        try:
            if seconds is None:
                data = await reader.read(READ_SIZE)
            else:
                async with asyncio.timeout(seconds):
                    data = await reader.read(READ_SIZE)
        except TimeoutError as error:
            raise httpx.ReadTimeout("timed out reading the response") from error
        except OSError as error:
            raise httpx.ReadError(str(error) or type(error).__name__) from error
        if data:
            self.heard = True
        return data

    async def send(self, data: bytes, seconds: float | None) -> None:
        writer = self.writer
        assert writer is not None
        try:
            writer.write(data)
            if seconds is None:
                await writer.drain()
            else:
                async with asyncio.timeout(seconds):
                    await writer.drain()
        except TimeoutError as error:
            raise httpx.WriteTimeout("timed out sending the request") from error
        except OSError as error:
            raise httpx.WriteError(str(error) or type(error).__name__) from error


class _AsyncBody(httpx.AsyncByteStream):
    """The async twin of `_SyncBody`."""

    def __init__(
        self, transport: AsyncTransport, connection: _AsyncConnection, seconds: float | None
    ):
        self._transport = transport
        self._connection: _AsyncConnection | None = connection
        self._seconds = seconds

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            return
        body = connection.body
        try:
            if connection.first:
                yield connection.first
            while not body.done:
                piece = connection.feed_body(await connection.receive(self._seconds))
                if piece:
                    yield piece
        except BodyError as error:
            self._close()
            raise protocol_error(error) from error
        except BaseException:
            self._close()
            raise
        self._close()

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._transport._release(connection)

    async def aclose(self) -> None:
        """Give the connection back (or close it, when the body was not read to its end)."""
        self._close()


class AsyncTransport(httpx.AsyncBaseTransport):
    """The asyncio twin of `Transport` for `httpx.AsyncClient`.

    Connections belong to the event loop that opened them; an idle one is not
    reused from another loop. Under an async library other than asyncio (trio),
    requests go through httpx's own transport.
    """

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        keepalive_expiry: float = DEFAULT_KEEPALIVE_EXPIRY,
    ) -> None:
        self._ssl_context = ssl_context
        self._pool: Pool[_AsyncConnection] = Pool(max_connections, keepalive_expiry)
        self._waiters: list[asyncio.Future[None]] = []
        self._other: httpx.AsyncHTTPTransport | None = None

    def __repr__(self) -> str:
        return f"<AsyncTransport open={len(self._pool.open)} max={self._pool.max_connections}>"

    @property
    def connections(self) -> list[Exchange]:
        """The open connections right now (each with `is_idle()` and `is_closed()`)."""
        return list(self._pool.open)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` on a pooled connection; the response body streams from it."""
        if not _on_asyncio():
            return await self._elsewhere().handle_async_request(request)
        origin = origin_of(request.url)
        timeouts = timeouts_of(request)
        connection, reused = await self._acquire(origin, timeouts)
        try:
            return await self._exchange(connection, request, timeouts)
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as error:
            if not connection.dead_on_reuse(reused, request, error):
                raise
        connection, _ = await self._acquire(origin, timeouts, fresh=True)
        return await self._exchange(connection, request, timeouts)

    async def _exchange(
        self,
        connection: _AsyncConnection,
        request: httpx.Request,
        timeouts: dict[str, float | None],
    ) -> httpx.Response:
        read_timeout = timeouts.get("read")
        try:
            try:
                await self._send_request(connection, request, timeouts.get("write"))
            except httpx.WriteError as error:
                try:
                    event = await self._receive_head(connection, read_timeout)
                except (httpx.TransportError, h11.RemoteProtocolError):
                    raise error from None
            else:
                event = await self._receive_head(connection, read_timeout)
            connection.start_body(event, request.method)
        except PROTOCOL_ERRORS as error:
            self._discard(connection)
            raise protocol_error(error) from error
        except BaseException:
            self._discard(connection)
            raise
        return connection.response(event, _AsyncBody(self, connection, read_timeout))

    async def _send_request(
        self, connection: _AsyncConnection, request: httpx.Request, seconds: float | None
    ) -> None:
        buffer = connection.head(request)
        stream = request.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        async for chunk in stream:
            if chunk:
                buffer += connection.data(chunk)
                if len(buffer) >= WRITE_BUFFER:
                    await connection.send(buffer, seconds)
                    buffer = b""
        await connection.send(buffer + connection.end(), seconds)

    async def _receive_head(
        self, connection: _AsyncConnection, seconds: float | None
    ) -> h11.Response:
        while (event := connection.head_event()) is None:
            connection.feed_head(await connection.receive(seconds))
        return event

    async def _acquire(
        self, origin: Origin, timeouts: dict[str, float | None], fresh: bool = False
    ) -> tuple[_AsyncConnection, bool]:
        pool_timeout = timeouts.get("pool")
        deadline = None if pool_timeout is None else time.monotonic() + pool_timeout
        connection = _AsyncConnection(origin)
        while True:
            if self._pool.closed:
                raise pool_closed()
            if not fresh:
                idle, stale = self._pool.take(origin, _AsyncConnection.usable)
                close_all(stale)
                if idle is not None:
                    return idle, True
            reserved, evicted = self._pool.reserve(connection)
            close_all(evicted)
            if reserved:
                break
            await self._wait_for_room(deadline)
        try:
            await self._connect(connection, timeouts.get("connect"))
        except BaseException:
            self._discard(connection)
            raise
        return connection, False

    async def _wait_for_room(self, deadline: float | None) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            if deadline is None:
                await waiter
            else:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    await waiter
        except TimeoutError as error:
            raise httpx.PoolTimeout("no connection became free in time") from error
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            elif waiter.done() and not waiter.cancelled() and self._pool.closed is False:
                # Woken, but leaving (timed out or cancelled): the room goes to the next in line.
                self._wake_one()

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return

    async def _connect(self, connection: _AsyncConnection, seconds: float | None) -> None:
        scheme, host, port = connection.origin
        logger.debug("connecting to %s://%s:%d", scheme, host, port)
        context = None
        if scheme == "https":
            context = self._ssl_context or shared_ssl_context()
        try:
            async with asyncio.timeout(seconds):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=context, server_hostname=host if context else None
                )
        except TimeoutError as error:
            raise httpx.ConnectTimeout(f"timed out connecting to {host}:{port}") from error
        except OSError as error:
            raise httpx.ConnectError(f"cannot connect to {host}:{port}: {error}") from error
        connection.reader, connection.writer = reader, writer
        connection.loop = asyncio.get_running_loop()

    def _release(self, connection: _AsyncConnection) -> None:
        if not self._pool.put(connection, connection.reusable()):
            connection.close()
        self._wake_one()

    def _discard(self, connection: _AsyncConnection) -> None:
        self._pool.drop(connection)
        connection.close()
        self._wake_one()

    def _elsewhere(self) -> httpx.AsyncHTTPTransport:
        if self._other is None:
            limits = httpx.Limits(max_connections=self._pool.max_connections)
            self._other = httpx.AsyncHTTPTransport(
                verify=self._ssl_context or shared_ssl_context(), limits=limits
            )
        return self._other

    async def aclose(self) -> None:
        """Close the idle connections; busy ones close when their responses do."""
        close_all(self._pool.close())
        for waiter in self._waiters:
            _set_if_pending(waiter)
        if self._other is not None:
            await self._other.aclose()


def _set_if_pending(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _on_asyncio() -> bool:
    try:
        return sniffio.current_async_library() == "asyncio"
    except sniffio.AsyncLibraryNotFoundError:
        return True
