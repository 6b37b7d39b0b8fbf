"""Fixtures for the reliability suite: clients with leak checks, fault counting, figures.

Every client made through `make_client` / `make_async_client` is checked when the
test ends: no connection of its pool still busy (a response left open), none left at
all once it is closed, no connection left open on the server side, and no thread
started during the test still running.

The figures plugin (`_figures.FiguresPlugin`, registered in tests/conftest.py) counts
faults injected and survived, bad inputs tried and properties checked, and writes them
to `reliability-figures.json` (see `scripts/reliability_figures.py`).
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from replicate_ext._client import AsyncClient, Client
from replicate_ext._retry import RetryPolicy

from ._figures import FAULTS_KEY

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer

SOAK = os.environ.get("REPLICATE_EXT_SOAK", "") not in ("", "0")
"""`make soak`: more examples, longer fuzzing, bigger storms."""
SCALE = 10 if SOAK else 1


def examples(n: int) -> int:
    """`n` examples normally, ten times as many under `make soak`."""
    return n * SCALE


# Retries without the production backoff (0.5 s doubling), so storms stay fast; the
# waits a Retry-After asks for are still honoured.
FAST_RETRIES = RetryPolicy(backoff_base=0.002, backoff_max=0.02)


def fast_retries(max_retries: int) -> RetryPolicy:
    """`FAST_RETRIES` with another number of retries."""
    return RetryPolicy(max_retries, FAST_RETRIES.backoff_base, FAST_RETRIES.backoff_max)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "bad_input: one bad input answered before any request")
    config.addinivalue_line("markers", "fault: a fault scenario (counted in the figures)")


def attempt(call: Callable[[], Any]) -> tuple[Any, Exception | None]:
    """What `call()` returns, or the exception it raises."""
    try:
        return call(), None
    except Exception as error:
        return None, error


# -- fault accounting ----------------------------------------------------------------------


class FaultLog:
    """Faults a test injected by other means than the server's injector (proxy, transport)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.servers: list[LocalServer] = []

    def add(self, kind: str, count: int = 1) -> None:
        self.counts[kind] += count

    def watch(self, server: LocalServer) -> LocalServer:
        """Count the faults this server fires (read when the test ends)."""
        self.servers.append(server)
        return server

    def collect(self) -> None:
        for server in self.servers:
            for fired in server.state.fired_faults:
                self.counts[_fault_name(fired.kind, fired.path)] += 1
            server.state.clear_faults()
        self.servers.clear()


def _fault_name(kind: str, path: str) -> str:
    if kind == "status":
        return "5xx"
    return kind


@pytest.fixture
def fault_log(request: pytest.FixtureRequest) -> Iterator[FaultLog]:
    log = FaultLog()
    yield log
    log.collect()
    request.node.stash[FAULTS_KEY] = log.counts


@pytest.fixture
def server(fresh_replicate_server: LocalServer, fault_log: FaultLog) -> LocalServer:
    """The session's local server, reset, its fired faults counted for the figures."""
    return fault_log.watch(fresh_replicate_server)


# -- leak checks ---------------------------------------------------------------------------


def _connections(client: Client | AsyncClient) -> list[Any]:
    connections: list[Any] = []
    for http in (client._sync, client._async):
        if http is None:
            continue
        for transport in (http._transport, *http._mounts.values()):
            inner = getattr(transport, "transport", transport)  # under the RetryTransport
            pool = getattr(inner, "_pool", None)  # httpx's transports keep an httpcore pool
            connections.extend(getattr(pool, "connections", ()))
    return connections


def busy_connections(client: Client | AsyncClient) -> list[Any]:
    """Connections of the client's transports neither idle nor closed (a request in flight)."""
    return [c for c in _connections(client) if not c.is_idle() and not c.is_closed()]


def open_connections(client: Client | AsyncClient) -> list[Any]:
    """Connections of the client's transports that are not closed."""
    return [c for c in _connections(client) if not c.is_closed()]


def server_connections(server: LocalServer) -> int:
    """Connections the local server holds open right now."""
    uvicorn_server = server._server
    return 0 if uvicorn_server is None else len(uvicorn_server.server_state.connections)


def _client_kwargs(server: LocalServer, kwargs: dict[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {"base_url": server.base_url, "poll_interval": 0.01}
    options.update(kwargs)
    return options


# Worker threads of event loops' executors (name lookups run there: the server's, when
# it delivers a webhook; an async test's): they belong to a loop, end with it, and are
# no client's doing.
_LOOP_POOLS = ("asyncio_", "AnyIO worker thread")


class Leaks:
    """The threads and connections a test must give back."""

    def __init__(self) -> None:
        self.threads = set(threading.enumerate())
        self.clients: list[Client | AsyncClient] = []
        self.servers: list[tuple[LocalServer, int]] = []

    def track_server(self, server: LocalServer) -> None:
        self.servers.append((server, server_connections(server)))

    def new_threads(self) -> list[threading.Thread]:
        return [
            t
            for t in threading.enumerate()
            if t not in self.threads and t.is_alive() and not t.name.startswith(_LOOP_POOLS)
        ]

    def check(self) -> None:
        for client in self.clients:
            assert busy_connections(client) == [], f"{client!r} left a response open"
        for client in self.clients:
            if isinstance(client, Client):
                client.close()
            assert open_connections(client) == [], f"{client!r} kept connections after close"
        for server, before in self.servers:
            if server._server is not None:
                server.state.wait_until(lambda s=server, b=before: server_connections(s) <= b)
        # Threads a test started may take a moment to notice they are done.
        for thread in self.new_threads():
            thread.join(timeout=5)
        leftover = self.new_threads()
        assert leftover == [], f"threads left running: {leftover}"


@pytest.fixture
def leaks(server: LocalServer) -> Iterator[Leaks]:
    tracker = Leaks()
    tracker.track_server(server)
    yield tracker
    tracker.check()


@pytest.fixture
def make_client(server: LocalServer, leaks: Leaks) -> Callable[..., Client]:
    """Clients of the local server (fast polling and retries), checked for leaks at the end."""

    def make(token: str | None = None, **kwargs: Any) -> Client:
        policy = kwargs.pop("retry_policy", None)
        client = Client(token or server.token, **_client_kwargs(server, kwargs))
        client._retry_policy = policy or fast_retries(client.max_retries)
        leaks.clients.append(client)
        return client

    return make


@pytest.fixture
async def make_async_client(
    server: LocalServer, leaks: Leaks
) -> AsyncIterator[Callable[..., AsyncClient]]:
    made: list[AsyncClient] = []

    def make(token: str | None = None, **kwargs: Any) -> AsyncClient:
        policy = kwargs.pop("retry_policy", None)
        client = AsyncClient(token or server.token, **_client_kwargs(server, kwargs))
        client._retry_policy = policy or fast_retries(client.max_retries)
        made.append(client)
        leaks.clients.append(client)
        return client

    yield make
    for client in made:
        assert busy_connections(client) == [], f"{client!r} left a response open"
        await client.aclose()
