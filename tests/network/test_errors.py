"""Network failures reach callers as `ReplicateError`s, httpx's exception as the cause."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

import replicate_ext
from generated.api.account import account_get
from replicate_ext import APIConnectionError, APITimeoutError, AsyncClient, Client, ReplicateError
from replicate_ext.testing import LocalServer


@pytest.fixture
def dead_url() -> Iterator[str]:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{probe.getsockname()[1]}/v1"


def test_the_tree() -> None:
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(APIConnectionError, ReplicateError)
    assert replicate_ext.APIConnectionError is APIConnectionError


def test_a_refused_connection(dead_url: str) -> None:
    with Client("r8_token", base_url=dead_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as info:
            client.predictions.get("abc")
        assert not isinstance(info.value, APITimeoutError)
        assert isinstance(info.value.__cause__, httpx.ConnectError)
        assert str(info.value).startswith(f"GET {dead_url}/predictions/abc failed: ConnectError: ")
        assert info.value.request.url == f"{dead_url}/predictions/abc"
        assert info.value.prediction_id is None
        # A typed call made directly is httpx's own: the exception is httpx's.
        with pytest.raises(httpx.ConnectError):
            account_get.sync(client=client.api)


def test_streams_raise_them_too(dead_url: str) -> None:
    with Client("r8_token", base_url=dead_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError), client.stream("replicate/hello-world") as events:
            next(events)
        with pytest.raises(APIConnectionError):
            next(client.stream_prediction("abc"))


async def test_async_calls_and_streams_raise_them_too(dead_url: str) -> None:
    async with AsyncClient("r8_token", base_url=dead_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client.run("replicate/hello-world", {"text": "x"})
        with pytest.raises(APIConnectionError):
            await anext(client.stream_prediction("abc"))


def test_a_read_timeout_with_the_prediction_it_left(fresh_replicate_server: LocalServer) -> None:
    server = fresh_replicate_server
    server.state.inject_fault("slow", "/v1/predictions/*", method="GET", delay=1.0, times=None)
    with (
        Client(
            server.token, base_url=server.base_url, timeout=0.2, max_retries=0, poll_interval=0.01
        ) as client,
        pytest.raises(APITimeoutError) as info,
    ):
        client.run("replicate/sleep", {"seconds": 1000}, wait=False)
    (prediction_id,) = server.state.predictions
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert info.value.prediction_id == prediction_id
    assert f"GET {server.base_url}/predictions/{prediction_id} timed out" in str(info.value)
    assert f"(while waiting for prediction {prediction_id})" in info.value.__notes__


def test_batch_results_carry_them(dead_url: str) -> None:
    with Client("r8_token", base_url=dead_url, max_retries=0) as client:
        (result,) = client.run_batch("replicate/hello-world", [{"text": "x"}])
    assert isinstance(result.error, APIConnectionError)
