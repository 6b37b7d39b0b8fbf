"""Async clients across event loops: each `asyncio.run()` leaves nothing open behind it.

Scripts, Celery tasks and sync web views call `asyncio.run(replicate_ext.async_run(...))`
again and again, each time on a new loop: the module-level client of an ended
loop is closed with it, and an `AsyncClient` of one's own works from one loop
to the next.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import replicate_ext
from replicate_ext import AsyncClient
from replicate_ext.testing import LocalServer

HELLO = "replicate/hello-world"
RUNS = 12

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc fds")


def open_descriptors() -> int:
    gc.collect()
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def server(fresh_replicate_server: LocalServer) -> LocalServer:
    return fresh_replicate_server


@pytest.fixture
def default_clients(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from replicate_ext import _default

    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    monkeypatch.setattr(_default, "_async_clients", {})
    monkeypatch.setattr(_default, "_closers", {}, raising=False)
    yield
    assert _default._async_clients == {}  # every loop's client went with its loop
    assert getattr(_default, "_closers", {}) == {}


def test_module_level_async_calls_leave_no_socket_or_loop_per_asyncio_run(
    default_clients: None,
) -> None:
    assert asyncio.run(replicate_ext.async_run(HELLO, {"text": "warm"})) == "hello warm"
    before = open_descriptors()
    for i in range(RUNS):
        assert asyncio.run(replicate_ext.async_run(HELLO, {"text": str(i)})) == f"hello {i}"
    assert open_descriptors() <= before


def test_async_use_functions_leave_nothing_behind_either(default_clients: None) -> None:
    hello = replicate_ext.use(HELLO, use_async=True)
    assert asyncio.run(hello(text="warm")) == "hello warm"
    before = open_descriptors()
    for i in range(RUNS):
        assert asyncio.run(hello(text=str(i))) == f"hello {i}"
    assert open_descriptors() <= before


def test_a_loop_closed_by_hand_has_its_client_dropped_at_the_next_call(
    default_clients: None,
) -> None:
    from replicate_ext import _default

    loop = asyncio.new_event_loop()
    assert loop.run_until_complete(replicate_ext.async_run(HELLO, {"text": "a"})) == "hello a"
    loop.close()  # without finalizing its async generators, unlike asyncio.run()
    assert list(_default._async_clients) == [loop]
    assert asyncio.run(replicate_ext.async_run(HELLO, {"text": "b"})) == "hello b"


@pytest.mark.parametrize("transport", [None, httpx.AsyncHTTPTransport], ids=["own", "given"])
def test_an_async_client_works_from_one_asyncio_run_to_the_next(
    server: LocalServer, transport: Any
) -> None:
    options = {} if transport is None else {"transport": transport()}
    client = AsyncClient(server.token, base_url=server.base_url, **options)
    # Each run leaves a kept-alive connection of its loop behind, for the next to skip.
    for i in range(3):
        assert asyncio.run(client.run(HELLO, {"text": str(i)})) == f"hello {i}"

    async def last() -> Any:
        async with client:
            return await client.run(HELLO, {"text": "last"})

    assert asyncio.run(last()) == "hello last"


def test_an_async_client_in_use_by_a_loop_of_another_thread_is_refused_clearly(
    server: LocalServer,
) -> None:
    client = AsyncClient(server.token, base_url=server.base_url)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        first = asyncio.run_coroutine_threadsafe(client.run(HELLO, {"text": "a"}), loop)
        assert first.result(timeout=30) == "hello a"
        with pytest.raises(RuntimeError, match="event loop running in another thread"):
            asyncio.run(client.run(HELLO, {"text": "b"}))
        closing = asyncio.run_coroutine_threadsafe(client.aclose(), loop)
        closing.result(timeout=30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
