"""Fixtures for stream() tests: clients of the local server, and a scripted SSE server.

The local server covers real predictions; the scripted server answers each
connection with bytes chosen by the test (awkward chunks, drops, retry hints,
error statuses) over real loopback HTTP, and notices when the client hangs up.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from replicate_ext import _stream
from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import ReplicateError
from replicate_ext._events import PredictionEvent
from replicate_ext.testing import LocalServer

TERMINAL = {"succeeded", "failed", "canceled", "aborted"}


def make_client(server: LocalServer, **options: Any) -> Client:
    options.setdefault("max_retries", 0)
    return Client(server.token, base_url=server.base_url, poll_interval=0.01, **options)


def make_async_client(server: LocalServer, **options: Any) -> AsyncClient:
    options.setdefault("max_retries", 0)
    return AsyncClient(server.token, base_url=server.base_url, poll_interval=0.01, **options)


@pytest.fixture
def client(server: LocalServer) -> Iterator[Client]:
    with make_client(server) as client:
        yield client


@pytest.fixture
async def async_client(server: LocalServer) -> AsyncIterator[AsyncClient]:
    async with make_async_client(server) as client:
        yield client


@dataclass
class Outcome:
    """What one stream gave before it ended: its events and the error that ended it."""

    events: list[PredictionEvent]
    error: ReplicateError | None
    prediction_id: str | None

    @property
    def text(self) -> str:
        return "".join(map(str, self.events))

    def kinds(self, kind: str) -> list[str]:
        return [event.data for event in self.events if event.event == kind]


class Streamer:
    """Runs `stream`/`stream_prediction` to the end with a sync or an async client."""

    def __init__(self, mode: str, server: LocalServer) -> None:
        self.mode = mode
        self.server = server

    def __call__(self, name: str, *args: Any, **kwargs: Any) -> Outcome:
        if self.mode == "sync":
            with make_client(self.server) as client:
                events = getattr(client, name)(*args, **kwargs)
                return self._collect(events)
        return asyncio.run(self._acall(name, *args, **kwargs))

    @staticmethod
    def _collect(events: _stream.EventStream) -> Outcome:
        got: list[PredictionEvent] = []
        with events:
            try:
                for event in events:
                    got.append(event)
            except ReplicateError as error:
                return Outcome(got, error, _id(events))
        return Outcome(got, None, _id(events))

    async def _acall(self, name: str, *args: Any, **kwargs: Any) -> Outcome:
        async with make_async_client(self.server) as client:
            events = getattr(client, name)(*args, **kwargs)
            got: list[PredictionEvent] = []
            async with events:
                try:
                    async for event in events:
                        got.append(event)
                except ReplicateError as error:
                    return Outcome(got, error, _id(events))
            return Outcome(got, None, _id(events))


def _id(events: _stream.EventStream | _stream.AsyncEventStream) -> str | None:
    return None if events.prediction is None else events.prediction.id


@pytest.fixture(params=["sync", "async"])
def streamer(request: pytest.FixtureRequest, server: LocalServer) -> Streamer:
    """Collects a whole stream, once with `Client` and once with `AsyncClient`."""
    return Streamer(request.param, server)


def add_streaming_model(server: LocalServer, name: str, runner: Callable[[Any], Any]) -> str:
    """Add a streaming model running `runner` to the local server; returns its version id."""
    return server.state.add_model(
        f"tests/{name}", runner, inputs={"prompt": {"type": "string"}}, streaming=True
    )


def wait_status(server: LocalServer, prediction_id: str, statuses: set[str]) -> str:
    """The prediction's status once it is one of `statuses` (deadline: 5 s)."""

    def status() -> str | None:
        current = str(server.state.prediction(prediction_id)["status"])
        return current if current in statuses else None

    return server.state.wait_until(status, timeout=5)


# -- the scripted server ---------------------------------------------------------------------


@dataclass
class Reply:
    """How the scripted server answers one connection.

    Each of `pieces` goes out as its own HTTP chunk, flushed at once. `end`:
    ``finish`` ends the body properly, ``drop`` closes the connection in the
    middle of the body, ``hold`` keeps it open until the client hangs up.
    """

    pieces: list[bytes] = field(default_factory=list)
    status: int = 200
    content_type: str = "text/event-stream"
    end: Literal["finish", "drop", "hold"] = "finish"


@dataclass
class Seen:
    """A request the scripted server received."""

    path: str
    headers: dict[str, str]
    at: float


class ScriptedServer:
    """A tiny HTTP/1.1 server answering connection n with `replies[n]` (the last one after)."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = replies
        self.requests: list[Seen] = []
        self.hung_up = threading.Event()  # a client closed a `hold` connection
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.05)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    @property
    def url(self) -> str:
        host, port = self._sock.getsockname()[:2]
        return f"http://{host}:{port}/stream"

    def close(self) -> None:
        self._stop.set()
        self._accepter.join(5)
        for thread in self._threads:
            thread.join(5)
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        # A client hanging up early is part of what is tested, not an error here.
        with contextlib.suppress(OSError), conn:
            self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.settimeout(10)
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(4096)
            if not data:
                return
            head += data
        lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        with self._lock:
            index = len(self.requests)
            self.requests.append(Seen(path, headers, time.monotonic()))
        reply = self.replies[min(index, len(self.replies) - 1)]
        conn.sendall(
            f"HTTP/1.1 {reply.status} X\r\ncontent-type: {reply.content_type}\r\n"
            "transfer-encoding: chunked\r\nconnection: close\r\n\r\n".encode()
        )
        for piece in reply.pieces:
            conn.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        if reply.end == "finish":
            conn.sendall(b"0\r\n\r\n")
        elif reply.end == "hold":
            try:
                while conn.recv(4096):
                    pass
            except TimeoutError:
                return  # the client never hung up
            except OSError:
                pass  # reset: hung up as well
            self.hung_up.set()
        else:
            conn.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def scripted() -> Iterator[Callable[[list[Reply]], ScriptedServer]]:
    """Start scripted servers (closed after the test)."""
    servers: list[ScriptedServer] = []

    def start(replies: list[Reply]) -> ScriptedServer:
        servers.append(ScriptedServer(replies))
        return servers[-1]

    yield start
    for started in servers:
        started.close()


def prediction_at(url: str, prediction_id: str = "scriptedpredictionid000000") -> Any:
    """A processing prediction whose event stream is at `url`."""
    from generated.models.prediction import Prediction

    return Prediction.from_dict(
        {
            "id": prediction_id,
            "model": "tests/scripted",
            "version": "0" * 64,
            "input": {},
            "status": "processing",
            "created_at": "2024-03-01T12:00:00Z",
            "urls": {
                "get": f"https://api.invalid/v1/predictions/{prediction_id}",
                "cancel": f"https://api.invalid/v1/predictions/{prediction_id}/cancel",
                "stream": url,
            },
        }
    )


def sse(*events: tuple[str, str, str]) -> bytes:
    """(id, event, data) triples in wire format, LF line ends."""
    out = []
    for event_id, kind, data in events:
        lines = [f"id: {event_id}", f"event: {kind}"] + [f"data: {d}" for d in data.split("\n")]
        out.append("\n".join(lines) + "\n\n")
    return "".join(out).encode()
