"""A TLS front for the local server, and a CONNECT proxy, both on loopback.

`TLSFront` accepts TLS connections on 127.0.0.1 and ::1 (one port for both) and
pipes the decrypted bytes to the local server, so that clients can reach it as
``https://localhost:PORT``, ``https://[::1]:PORT`` or, through the proxy, any
host name at all. `ConnectProxy` is a forward proxy that only tunnels: it
answers ``CONNECT host:port`` by connecting to 127.0.0.1 on that port, whatever
the host, records the target, and pipes bytes both ways.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from types import TracebackType


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _join(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
) -> None:
    up_reader, up_writer = upstream
    await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


class _Loop:
    """An event loop in a thread of its own, for the servers below."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="test-tunnel")
        self._servers: list[asyncio.Server] = []

    def call(self, coroutine: object) -> object:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)  # type: ignore[arg-type]
        return future.result(timeout=10)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        async def close() -> None:
            for server in self._servers:
                server.close()
            current = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not current]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self.call(close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


class TLSFront(_Loop):
    """TLS on loopback (IPv4 and IPv6, one port) in front of `upstream` (host, port)."""

    def __init__(self, upstream: tuple[str, int], context: ssl.SSLContext) -> None:
        super().__init__()
        self.upstream = upstream
        self.context = context
        self.port = 0
        self.connections = 0

    def __enter__(self) -> TLSFront:
        self.start()
        self.call(self._listen())
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _listen(self) -> None:
        # IPv6 first, so that IPv4 can take the same port.
        v6 = await asyncio.start_server(self._serve, "::1", 0, ssl=self.context)
        self.port = v6.sockets[0].getsockname()[1]
        v4 = await asyncio.start_server(self._serve, "127.0.0.1", self.port, ssl=self.context)
        self._servers += [v6, v4]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await _join(reader, writer, await asyncio.open_connection(*self.upstream))


class ConnectProxy(_Loop):
    """A tunnelling proxy: ``CONNECT host:port`` goes to 127.0.0.1:port; targets are recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.port = 0
        self.targets: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ConnectProxy:
        self.start()
        self.call(self._listen())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def _listen(self) -> None:
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0, family=socket.AF_INET)
        self.port = server.sockets[0].getsockname()[1]
        self._servers.append(server)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
        if method != "CONNECT":
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            writer.close()
            return
        self.targets.append(target)
        port = int(target.rsplit(":", 1)[1])
        upstream = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await _join(reader, writer, upstream)
