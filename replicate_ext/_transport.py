"""HTTP/1.1 transports for httpx: h11 over plain sockets, idle connections reused newest first.

Why not httpx's own transport: under many concurrent predictions most of our
client's CPU went to httpcore's pool, which walks every connection for every
queued request on each request's start and end, and streaming paid for several
layers per network read (bench/ANALYSIS.md has the profiles). These transports
do the same job with less: one list of idle connections per origin, no scan, and
response bodies read straight from the socket through h11.

What they do: HTTP/1.1 with keep-alive, TLS for `https` origins, connect, read,
write and pool timeouts from the request's `timeout` extension, streamed
request and response bodies, a cap on open connections, idle connections
dropped after `keepalive_expiry` or when the server has closed them, and a
request that is safe to repeat sent again once on a new connection when a reused
one turns out to be dead before answering. Errors are httpx's (`ConnectError`,
`ReadTimeout`, `RemoteProtocolError`, ...), so retries and error handling above
are unchanged. Proxies from the environment are served by httpx's own proxy
transports, which httpx mounts beside ours. HTTP/2 is not offered: the API's
traffic is short JSON requests and event streams, where it buys nothing.

The pool's bookkeeping (`Pool`) and the HTTP exchange (`Exchange`) hold no
I/O; `Transport` here (blocking sockets, thread-safe) and `AsyncTransport` in
`_async_transport` (asyncio streams, kept apart so that sync programs never
import asyncio) only move bytes.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import h11
import httpx

from ._body import BodyError, BodyReader

logger = logging.getLogger("replicate_ext.transport")

DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_KEEPALIVE_EXPIRY = 5.0

READ_SIZE = 65536
WRITE_BUFFER = 65536
_REPEATABLE = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "QUERY"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def origin_of(url: httpx.URL) -> Origin:
    scheme = url.scheme
    if scheme not in _DEFAULT_PORTS:
        raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol '{scheme}://'.")
    return scheme, url.host, url.port or _DEFAULT_PORTS[scheme]


def timeouts_of(request: httpx.Request) -> dict[str, float | None]:
    timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
    return timeouts


class Exchange:
    """One connection's HTTP/1.1 state (h11), free of I/O."""

    __slots__ = (
        "body",
        "busy",
        "closed",
        "first",
        "h11",
        "heard",
        "idle_since",
        "keep_alive",
        "origin",
        "requests",
    )

    def __init__(self, origin: Origin) -> None:
        self.h11 = h11.Connection(h11.CLIENT)
        self.origin = origin
        self.idle_since = 0.0
        self.busy = True
        self.closed = False
        self.requests = 0
        self.heard = False  # any byte of an answer on this connection since its request went out
        self.body = BodyReader(length=0)
        self.first = b""  # body bytes that came with the head
        self.keep_alive = False

    def dead_on_reuse(self, reused: bool, request: httpx.Request, error: Exception) -> bool:
        """Whether the exchange that failed with `error` may go again on a new connection.

        A kept-alive connection the server closed just as we reused it fails
        before any answer arrives; requests safe to repeat, with a body we can
        send again, get one more try.
        """
        again = (
            reused
            and not self.heard
            and request.method in _REPEATABLE
            and isinstance(request.stream, httpx.ByteStream)
        )
        if again:
            logger.debug(
                "reused connection to %s was dead (%s); trying a new one", self.origin[1], error
            )
        return again

    def is_idle(self) -> bool:
        """Open and waiting in the pool for a request."""
        return not self.busy and not self.closed

    def is_closed(self) -> bool:
        """The socket is closed."""
        return self.closed

    def head(self, request: httpx.Request) -> bytes:
        """The request line and headers, and the start of a new cycle on a reused connection."""
        if self.requests:
            self.h11 = h11.Connection(h11.CLIENT)
        self.requests += 1
        self.heard = False
        event = h11.Request(
            method=request.method, target=request.url.raw_path, headers=request.headers.raw
        )
        return self.h11.send(event) or b""

    def data(self, chunk: bytes) -> bytes:
        """A piece of the request body, framed."""
        return self.h11.send(h11.Data(data=chunk)) or b""

    def end(self) -> bytes:
        """The end of the request body."""
        return self.h11.send(h11.EndOfMessage()) or b""

    def start_body(self, event: h11.Response, method: str) -> None:
        """Prepare to read the body `event` announces (its first bytes may have come with it)."""
        length: int | None = None
        chunked = False
        close = event.http_version != b"1.1"
        for name, value in event.headers:
            if name == b"transfer-encoding":
                chunked = True  # h11 accepts no other transfer coding
            elif name == b"content-length":
                length = int(value)
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if method == "HEAD" or event.status_code in (204, 304):
            length, chunked = 0, False
        self.body = BodyReader(length=length, chunked=chunked)
        self.keep_alive = not close and not self.body.until_close
        data = self.h11.trailing_data[0]
        self.first = self.body.feed(data) if data else b""

    def head_event(self) -> h11.Response | None:
        """The answer's head once it has arrived whole; None while more bytes are needed."""
        while True:
            event = self.h11.next_event()
            if event is h11.NEED_DATA:
                return None
            if type(event) is h11.Response:
                return event
            # otherwise an informational (1xx) answer: the real one follows

    def feed_head(self, data: bytes) -> None:
        """Bytes of the answer's head off the connection (none: the server closed it)."""
        if not data:
            raise httpx.RemoteProtocolError("the server closed the connection unanswered")
        self.h11.receive_data(data)

    def feed_body(self, data: bytes) -> bytes:
        """The body bytes that `data` completes (none: the server closed the connection)."""
        return self.body.feed(data) if data else self.body.end()

    def reusable(self) -> bool:
        """The whole exchange is over and the server keeps the connection open."""
        body = self.body
        return self.keep_alive and body.done and not body.extra and self.h11.our_state is h11.DONE

    def response(self, event: h11.Response, stream: Any) -> httpx.Response:
        """The httpx response for `event`, its body read from `stream`."""
        return httpx.Response(
            event.status_code,
            headers=event.headers.raw_items(),
            stream=stream,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": event.reason},
        )


_C = TypeVar("_C", bound=Exchange)


class Pool(Generic[_C]):
    """Which connections are open, which of them idle, and whether another may open."""

    def __init__(self, max_connections: int, keepalive_expiry: float) -> None:
        if max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {max_connections}")
        self.max_connections = max_connections
        self.keepalive_expiry = keepalive_expiry
        self.idle: dict[Origin, list[_C]] = {}
        self.open: list[_C] = []
        self.closed = False

    def take(self, origin: Origin, usable: Callable[[_C], bool]) -> tuple[_C | None, list[_C]]:
        """The newest usable idle connection to `origin`, and the stale ones to close."""
        stale: list[_C] = []
        idle = self.idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if now - connection.idle_since < self.keepalive_expiry and usable(connection):
                connection.busy = True
                return connection, stale
            self._forget(connection)
            stale.append(connection)
        return None, stale

    def reserve(self, connection: _C) -> tuple[bool, list[_C]]:
        """Count `connection` as open if the cap allows, evicting an idle one elsewhere for room."""
        evicted: list[_C] = []
        if len(self.open) >= self.max_connections:
            oldest = min(
                (idle[0] for idle in self.idle.values() if idle),
                key=lambda c: c.idle_since,
                default=None,
            )
            if oldest is None:
                return False, evicted
            self.idle[oldest.origin].remove(oldest)
            self._forget(oldest)
            evicted.append(oldest)
        self.open.append(connection)
        return True, evicted

    def put(self, connection: _C, reusable: bool) -> bool:
        """Return `connection` after a request; False when it must be closed instead."""
        connection.busy = False
        if reusable and not self.closed and not connection.closed:
            connection.idle_since = time.monotonic()
            self.idle.setdefault(connection.origin, []).append(connection)
            return True
        self._forget(connection)
        return False

    def drop(self, connection: _C) -> None:
        """Stop counting `connection` (it failed or is being closed)."""
        connection.busy = False
        self._forget(connection)

    def close(self) -> list[_C]:
        """Refuse further connections; the idle ones, to close now."""
        self.closed = True
        idle = [c for connections in self.idle.values() for c in connections]
        for connection in idle:
            self._forget(connection)
        self.idle.clear()
        return idle

    def _forget(self, connection: _C) -> None:
        if connection in self.open:
            self.open.remove(connection)


PROTOCOL_ERRORS = (h11.LocalProtocolError, h11.RemoteProtocolError, BodyError)


def protocol_error(error: Exception) -> httpx.ProtocolError:
    """The httpx exception for an HTTP framing error of either side."""
    if isinstance(error, h11.LocalProtocolError):
        return httpx.LocalProtocolError(str(error))
    return httpx.RemoteProtocolError(str(error))


def pool_closed() -> RuntimeError:
    return RuntimeError("the transport is closed")


# -- blocking sockets ----------------------------------------------------------------------


class _SyncConnection(Exchange):
    __slots__ = ("sock",)

    def __init__(self, origin: Origin) -> None:
        super().__init__(origin)
        self.sock: socket.socket | None = None

    def close(self) -> None:
        self.closed = True
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()

    def usable(self) -> bool:
        return not self.peer_closed()

    def peer_closed(self) -> bool:
        """Whether the server closed the idle connection (or sent something unasked)."""
        sock = self.sock
        if sock is None or sock.fileno() < 0:
            return True
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        try:
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        except (AttributeError, ValueError):  # no poll() on this platform
            return bool(select.select([sock], [], [], 0)[0])

    def receive(self, seconds: float | None) -> bytes:
        sock = self.sock
        assert sock is not None
        try:
            sock.settimeout(seconds)
            data = sock.recv(READ_SIZE)
        except TimeoutError as error:
            raise httpx.ReadTimeout(str(error) or "timed out reading the response") from error
        except OSError as error:
            raise httpx.ReadError(str(error) or type(error).__name__) from error
        if data:
            self.heard = True
        return data

    def send(self, data: bytes, seconds: float | None) -> None:
        sock = self.sock
        assert sock is not None
        try:
            sock.settimeout(seconds)
            sock.sendall(data)
        except TimeoutError as error:
            raise httpx.WriteTimeout(str(error) or "timed out sending the request") from error
        except OSError as error:
            raise httpx.WriteError(str(error) or type(error).__name__) from error


class _SyncBody(httpx.SyncByteStream):
    """A response body read from its connection as it is iterated, the connection released after."""

    def __init__(self, transport: Transport, connection: _SyncConnection, seconds: float | None):
        self._transport = transport
        self._connection: _SyncConnection | None = connection
        self._seconds = seconds

    def __iter__(self) -> Iterator[bytes]:
        connection = self._connection
        if connection is None:
            return
        body = connection.body
        try:
            if connection.first:
                yield connection.first
            while not body.done:
                piece = connection.feed_body(connection.receive(self._seconds))
                if piece:
                    yield piece
        except BodyError as error:
            self.close()
            raise protocol_error(error) from error
        except BaseException:
            self.close()
            raise
        self.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._transport._release(connection)


class Transport(httpx.BaseTransport):
    """A blocking HTTP/1.1 transport for `httpx.Client`, safe to share between threads.

    `ssl_context` verifies `https` origins (default: the system's CA bundle as
    httpx loads it). At most `max_connections` are open at once; a request
    beyond that waits for one, up to the `pool` timeout.
    """

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        keepalive_expiry: float = DEFAULT_KEEPALIVE_EXPIRY,
    ) -> None:
        self._ssl_context = ssl_context
        self._pool: Pool[_SyncConnection] = Pool(max_connections, keepalive_expiry)
        self._changed = threading.Condition()

    def __repr__(self) -> str:
        return f"<Transport open={len(self._pool.open)} max={self._pool.max_connections}>"

    @property
    def connections(self) -> list[Exchange]:
        """The open connections right now (each with `is_idle()` and `is_closed()`)."""
        with self._changed:
            return list(self._pool.open)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` on a pooled connection; the response body streams from it."""
        origin = origin_of(request.url)
        timeouts = timeouts_of(request)
        connection, reused = self._acquire(origin, timeouts)
        try:
            return self._exchange(connection, request, timeouts)
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as error:
            if not connection.dead_on_reuse(reused, request, error):
                raise
        connection, _ = self._acquire(origin, timeouts, fresh=True)
        return self._exchange(connection, request, timeouts)

    def _exchange(
        self, connection: _SyncConnection, request: httpx.Request, timeouts: dict[str, float | None]
    ) -> httpx.Response:
        read_timeout = timeouts.get("read")
        try:
            try:
                self._send_request(connection, request, timeouts.get("write"))
            except httpx.WriteError as error:
                # The server may have answered early (a 413, say) and closed: its answer beats ours.
                try:
                    event = self._receive_head(connection, read_timeout)
                except (httpx.TransportError, h11.RemoteProtocolError):
                    raise error from None
            else:
                event = self._receive_head(connection, read_timeout)
            connection.start_body(event, request.method)
        except PROTOCOL_ERRORS as error:
            self._discard(connection)
            raise protocol_error(error) from error
        except BaseException:
            self._discard(connection)
            raise
        return connection.response(event, _SyncBody(self, connection, read_timeout))

    def _send_request(
        self, connection: _SyncConnection, request: httpx.Request, seconds: float | None
    ) -> None:
        buffer = connection.head(request)
        stream = request.stream
        assert isinstance(stream, Iterable)
        for chunk in stream:
            if chunk:
                buffer += connection.data(chunk)
                if len(buffer) >= WRITE_BUFFER:
                    connection.send(buffer, seconds)
                    buffer = b""
        connection.send(buffer + connection.end(), seconds)

    def _receive_head(self, connection: _SyncConnection, seconds: float | None) -> h11.Response:
        while (event := connection.head_event()) is None:
            connection.feed_head(connection.receive(seconds))
        return event

    def _acquire(
        self, origin: Origin, timeouts: dict[str, float | None], fresh: bool = False
    ) -> tuple[_SyncConnection, bool]:
        pool_timeout = timeouts.get("pool")
        deadline = None if pool_timeout is None else time.monotonic() + pool_timeout
        connection = _SyncConnection(origin)
        with self._changed:
            while True:
                if self._pool.closed:
                    raise pool_closed()
                if not fresh:
                    idle, stale = self._pool.take(origin, _SyncConnection.usable)
                    close_all(stale)
                    if idle is not None:
                        return idle, True
                reserved, evicted = self._pool.reserve(connection)
                close_all(evicted)
                if reserved:
                    break
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise httpx.PoolTimeout("no connection became free in time")
                self._changed.wait(remaining)
        try:
            connection.sock = self._connect(origin, timeouts.get("connect"))
        except BaseException:
            self._discard(connection)
            raise
        return connection, False

    def _connect(self, origin: Origin, seconds: float | None) -> socket.socket:
        scheme, host, port = origin
        logger.debug("connecting to %s://%s:%d", scheme, host, port)
        try:
            sock = socket.create_connection((host, port), seconds)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == "https":
                context = self._ssl_context or shared_ssl_context()
                try:
                    sock = context.wrap_socket(sock, server_hostname=host)
                except BaseException:
                    sock.close()
                    raise
        except TimeoutError as error:
            raise httpx.ConnectTimeout(f"timed out connecting to {host}:{port}") from error
        except OSError as error:  # refused, unreachable, unknown host, TLS failures
            raise httpx.ConnectError(f"cannot connect to {host}:{port}: {error}") from error
        return sock

    def _release(self, connection: _SyncConnection) -> None:
        with self._changed:
            kept = self._pool.put(connection, connection.reusable())
            self._changed.notify()
        if not kept:
            connection.close()

    def _discard(self, connection: _SyncConnection) -> None:
        with self._changed:
            self._pool.drop(connection)
            self._changed.notify()
        connection.close()

    def close(self) -> None:
        """Close the idle connections; busy ones close when their responses do."""
        with self._changed:
            idle = self._pool.close()
            self._changed.notify_all()
        close_all(idle)


def close_all(connections: list[Any]) -> None:
    for connection in connections:
        connection.close()


_ssl_context: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """The process's one TLS context (loading the CA bundle is most of a new client's cost)."""
    global _ssl_context
    if _ssl_context is None:
        _ssl_context = httpx.create_ssl_context()
    return _ssl_context
