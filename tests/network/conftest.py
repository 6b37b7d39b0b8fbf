"""Loopback servers for the network tests.

A scripted HTTP/1.1 server, for the fault shapes a real server rarely makes,
and the local server behind TLS (`front`), its certificate from a test CA.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import trustme

from replicate_ext.testing import LocalServer

from ._tunnel import TLSFront

API_HOST = "api.replicate.test"  # resolves nowhere: only a proxy can reach it

Script = Callable[["Peer"], None]


@dataclass
class Peer:
    """One accepted connection, as its script sees it."""

    sock: socket.socket
    index: int  # 0 for the server's first connection, 1 for the second, ...
    server: ScriptedServer
    _buffer: bytes = b""

    def request(self) -> bytes | None:
        """The next whole request (head and body, a chunked one decoded), or None at the close."""
        head = self._until(b"\r\n\r\n")
        if head is None:
            return None
        length, chunked = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = True
        if chunked:
            body = b""
            while (size_line := self._until(b"\r\n")) and (size := int(size_line, 16)):
                body += self._exactly(size + 2)[:size]
            self._until(b"\r\n")
        else:
            body = self._exactly(length)
        request = head + b"\r\n\r\n" + body
        self.server.requests.append((self.index, request))
        return request

    def _until(self, mark: bytes) -> bytes | None:
        while mark not in self._buffer:
            data = self.sock.recv(65536)
            if not data:
                return None
            self._buffer += data
        found, _, self._buffer = self._buffer.partition(mark)
        return found

    def _exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("the client closed mid-body")
            self._buffer += data
        found, self._buffer = self._buffer[:size], self._buffer[size:]
        return found

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def answer(self, body: bytes = b"ok", status: str = "200 OK", *headers: str) -> None:
        """A complete keep-alive response."""
        lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    def serve(self, times: int = 1_000_000) -> None:
        """Answer requests on this connection until the client closes it (or `times` of them)."""
        for _ in range(times):
            if self.request() is None:
                return
            self.answer()


@dataclass
class ScriptedServer:
    """Accepts connections and runs `scripts[i]` on the i-th (the last one for any beyond)."""

    scripts: list[Script]
    tls: ssl.SSLContext | None = None
    requests: list[tuple[int, bytes]] = field(default_factory=list)
    connections: int = 0
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._peers: list[socket.socket] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def url(self, path: str = "/") -> str:
        scheme = "https" if self.tls else "http"
        host = "localhost" if self.tls else "127.0.0.1"
        return f"{scheme}://{host}:{self.port}{path}"

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            index = self.connections
            self.connections += 1
            script = self.scripts[min(index, len(self.scripts) - 1)]
            thread = threading.Thread(target=self._run, args=(sock, index, script), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, sock: socket.socket, index: int, script: Script) -> None:
        try:
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
            self._peers.append(sock)
            script(Peer(sock, index, self))
        except OSError:
            pass  # the client went away: that is what several tests do
        finally:
            sock.close()

    def close(self) -> None:
        self._listener.close()
        for sock in self._peers:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)

    def methods(self) -> list[tuple[int, str]]:
        """(connection index, method) of every request received, in order."""
        return [(index, request.split(b" ", 1)[0].decode()) for index, request in self.requests]


@pytest.fixture
def scripted() -> Iterator[Callable[..., ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(*scripts: Script, tls: ssl.SSLContext | None = None) -> ScriptedServer:
        server = ScriptedServer(list(scripts), tls=tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def front(replicate_server: LocalServer, ca: trustme.CA) -> Iterator[TLSFront]:
    """The local server behind TLS, as localhost, 127.0.0.1, ::1 and API_HOST."""
    import urllib.parse

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1", "::1", API_HOST).configure_cert(context)
    upstream = urllib.parse.urlsplit(replicate_server.origin)
    with TLSFront((upstream.hostname or "", upstream.port or 0), context) as tls:
        yield tls
