"""Bad arguments fail before any request, with an error that names them."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from replicate_ext._checks import webhook_events, webhook_url
from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import APIConnectionError, AuthenticationError

HELLO = "replicate/hello-world"


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example/h",
        "ftp://hooks.example/h",
        "hooks.example/h",
        "",
        "https://",
        "javascript:x",
    ],
)
def test_webhooks_must_be_https(client: Client, server, url: str) -> None:
    with pytest.raises(ValueError, match="webhook must be an https URL"):
        client.run(HELLO, {"text": "x"}, webhook=url)
    assert server.state.requests == []


@pytest.mark.parametrize(
    "url",
    ["https://hooks.example/h", "http://127.0.0.1:9/h", "http://localhost/h", "http://[::1]/h"],
)
def test_https_and_loopback_webhooks_pass(url: str) -> None:
    assert webhook_url(url) == url


@pytest.mark.parametrize(
    ("events", "error"),
    [("completed", TypeError), (["completed", "done"], ValueError), (["START"], ValueError)],
)
async def test_webhook_events_are_checked(
    async_client: AsyncClient, server, events: Any, error: type
) -> None:
    with pytest.raises(error, match="webhook_events_filter"):
        await async_client.run(
            HELLO, {"text": "x"}, webhook="https://h.example/", webhook_events_filter=events
        )
    assert server.state.requests == []
    assert webhook_events(("start", "completed")) == ["start", "completed"]


@pytest.mark.parametrize("timeout", [0, -1, math.nan, math.inf, "10"])
def test_run_and_wait_timeouts_must_be_positive_seconds(
    client: Client, server, timeout: Any
) -> None:
    with pytest.raises((ValueError, TypeError), match="timeout"):
        client.run(HELLO, {"text": "x"}, timeout=timeout)
    with pytest.raises((ValueError, TypeError), match="timeout"):
        client.wait("someid", timeout=timeout)
    with pytest.raises((ValueError, TypeError), match="cancel_after"):
        client.predictions.create(model=HELLO, input={"text": "x"}, cancel_after=timeout)
    assert server.state.requests == []


@pytest.mark.parametrize("prediction", [None, {"id": "abc"}, "", "  ", 42])
async def test_wait_and_stream_prediction_take_a_prediction_or_its_id(
    client: Client, async_client: AsyncClient, server, prediction: Any
) -> None:
    # Not an AttributeError from deep inside: an error naming the argument.
    with pytest.raises((TypeError, ValueError), match=r"^prediction must be"):
        client.wait(prediction)
    with pytest.raises((TypeError, ValueError), match=r"^prediction must be"):
        await async_client.wait(prediction)
    with pytest.raises((TypeError, ValueError), match=r"^prediction must be"):
        client.stream_prediction(prediction)
    assert server.state.requests == []


def test_a_progress_that_is_not_a_function_fails_before_the_prediction(
    client: Client, server
) -> None:
    with pytest.raises(TypeError, match="progress must be a function"):
        client.run(HELLO, {"text": "x"}, progress="verbose")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="progress must be a function"):
        client.wait("someid", progress=1)  # type: ignore[arg-type]
    # Before, the prediction was created and the first update raised inside the wait.
    assert server.state.requests == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", -1),
        ("timeout", 0),
        ("timeout", httpx.Timeout(5.0, read=-1)),
        ("poll_interval", -1),
        ("poll_interval", 0),
        ("max_retries", -1),
        ("max_retries", 1.5),
    ],
)
def test_client_options_are_checked(option: str, value: Any) -> None:
    with pytest.raises((ValueError, TypeError), match=option):
        Client("t", **{option: value})


def test_no_timeout_at_all_is_allowed() -> None:
    Client("t", timeout=None).close()
    Client("t", timeout=httpx.Timeout(None)).close()


@pytest.mark.parametrize("suffix", ["\n", "\r\n", " ", "\t"])
def test_a_token_read_with_whitespace_is_stripped(server, suffix: str) -> None:
    with Client(f" {server.token}{suffix}", base_url=server.base_url) as client:
        assert client.run(HELLO, {"text": "ok"}) == "hello ok"


@pytest.mark.parametrize(
    ("token", "reason"),
    [(" ", "empty"), ("\n\t", "empty"), ("r8_a b", "characters"), ("r8_é", "characters")],
)
def test_blank_or_unsendable_tokens_fail_without_repeating_them(
    server, token: str, reason: str
) -> None:
    with (
        Client(token, base_url=server.base_url) as client,
        pytest.raises(AuthenticationError, match=reason) as info,
    ):
        client.run(HELLO, {"text": "x"})
    assert token.strip() not in str(info.value) or not token.strip()
    assert server.state.requests == []


def test_special_paths_fail_with_their_key_path(client: Client, server, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^input\['image'\] cannot be read .*null"):
        client.run("replicate/echo", {"image": tmp_path / "a\0b.png"})
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"^input\['files'\]\[0\] is not a regular file"):
        client.run("replicate/echo", {"files": [fifo]})  # would block in open() otherwise
    assert server.state.requests == []


def test_an_outage_while_waiting_names_the_prediction(server) -> None:
    with Client(
        server.token, base_url=server.base_url, max_retries=0, poll_interval=0.01
    ) as client:
        server.state.inject_fault("drop", "/v1/predictions/*", method="GET", times=None)
        with pytest.raises(APIConnectionError) as info:
            client.run("replicate/sleep", {"seconds": 1000}, wait=False)
    (prediction_id,) = server.state.predictions
    assert info.value.prediction_id == prediction_id
    assert f"(while waiting for prediction {prediction_id})" in info.value.__notes__
    assert isinstance(info.value.__cause__, httpx.TransportError)
    assert server.state.prediction(prediction_id)["status"] == "canceled"
