"""The leak checks the suite leans on can fail: they see what they are meant to see."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from replicate_ext._client import Client
from replicate_ext.testing import LocalServer

from .conftest import Leaks, busy_connections, open_connections, server_connections


def test_a_response_left_open_is_a_busy_connection(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    (image,) = client.run("replicate/make-image", {})
    assert busy_connections(client) == []
    chunks = image.iter_bytes()
    assert next(chunks).startswith(b"\x89PNG")  # the download is under way, not finished
    assert len(busy_connections(client)) == 1
    chunks.close()
    assert busy_connections(client) == []
    (job,) = server.state.predictions.values()
    assert client.predictions.get(job.id).status == "succeeded"
    assert open_connections(client)  # kept alive for the next request...
    client.close()
    assert open_connections(client) == []  # ...until closed


def test_the_server_side_count_sees_a_client_connection(server: LocalServer) -> None:
    before = server_connections(server)
    with Client(server.token, base_url=server.base_url) as client:
        assert client.run("replicate/hello-world", {"text": "x"}) == "hello x"
        assert server_connections(server) == before + 1
    server.state.wait_until(lambda: server_connections(server) == before)


def test_a_thread_left_running_is_reported(server: LocalServer) -> None:
    tracker = Leaks()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="left-running")
    thread.start()
    try:
        assert tracker.new_threads() == [thread]
    finally:
        stop.set()
        thread.join()
    assert tracker.new_threads() == []
    tracker.check()


def test_a_client_left_busy_fails_the_check(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    tracker = Leaks()
    client = make_client()
    tracker.clients.append(client)
    (image,) = client.run("replicate/make-image", {})
    chunks = image.iter_bytes()
    next(chunks)
    with pytest.raises(AssertionError, match="left a response open"):
        tracker.check()
    chunks.close()
