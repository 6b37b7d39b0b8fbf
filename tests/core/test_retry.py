from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable

import httpx
import pytest

from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import (
    APIConnectionError,
    CreationFateUnknown,
    RateLimitError,
    ReplicateError,
)
from replicate_ext._retry import (
    AsyncRetryTransport,
    RetryPolicy,
    RetryTransport,
    is_idempotent,
    parse_retry_after,
)

API = "https://api.example/v1"
Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*outcomes: int | Exception, headers: dict[str, str] | None = None):
    """A MockTransport handler answering each request with the next outcome; records requests."""
    seen: list[httpx.Request] = []
    remaining = list(outcomes)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        outcome = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        if isinstance(outcome, Exception):
            raise outcome
        return httpx.Response(outcome, json={"status": outcome}, headers=headers or {})

    return handle, seen


def sync_client(handler: Handler, delays: list[float], retries: int = 3) -> httpx.Client:
    transport = RetryTransport(
        httpx.MockTransport(handler), RetryPolicy(retries), sleep=delays.append
    )
    return httpx.Client(transport=transport, base_url=API)


def async_client(handler: Handler, delays: list[float], retries: int = 3) -> httpx.AsyncClient:
    async def sleep(delay: float) -> None:
        delays.append(delay)

    transport = AsyncRetryTransport(httpx.MockTransport(handler), RetryPolicy(retries), sleep=sleep)
    return httpx.AsyncClient(transport=transport, base_url=API)


# -- the policy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/v1/predictions/x", True),
        ("DELETE", "/v1/files/x", True),
        ("QUERY", "/v1/models", True),
        ("POST", "/v1/predictions/x/cancel", True),
        ("POST", "/v1/trainings/x/cancel/", True),
        ("POST", "/v1/predictions", False),
        ("POST", "/v1/models/a/b/predictions", False),
        ("POST", "/v1/files", False),
        ("PATCH", "/v1/models/a/b", False),
    ],
)
def test_idempotent(method: str, path: str, expected: bool) -> None:
    assert is_idempotent(httpx.Request(method, f"https://api.example{path}")) is expected


def test_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 0.5 ") == 0.5
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (parse_retry_after(future) or 0) <= 30
    past = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert parse_retry_after(past) == 0.0


def test_backoff_is_jittered_and_capped() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_max=4.0)
    for attempt in range(8):
        delays = {policy.backoff(attempt) for _ in range(50)}
        assert all(0 <= d <= min(4.0, 2**attempt) for d in delays)
        assert len(delays) > 1  # jitter


# -- the transports, with fault shapes the local server cannot make ---------------------------


def test_429_is_retried_for_a_creation_honouring_retry_after() -> None:
    handler, seen = scripted(429, 429, 201, headers={"Retry-After": "2"})
    delays: list[float] = []
    with sync_client(handler, delays) as http:
        response = http.post("/predictions", json={"version": "v"})
    assert response.status_code == 201
    assert len(seen) == 3
    assert delays == [2.0, 2.0]


async def test_429_is_retried_async() -> None:
    handler, _seen = scripted(429, 200, headers={"Retry-After": "1"})
    delays: list[float] = []
    async with async_client(handler, delays) as http:
        response = await http.post("/predictions", json={})
    assert response.status_code == 200
    assert delays == [1.0]


def test_too_long_retry_after_is_not_waited_for() -> None:
    handler, seen = scripted(429, headers={"Retry-After": "3600"})
    delays: list[float] = []
    with sync_client(handler, delays) as http:
        assert http.get("/x").status_code == 429
    assert len(seen) == 1
    assert delays == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_retried_for_get_with_bounded_backoff(status: int) -> None:
    handler, seen = scripted(status)
    delays: list[float] = []
    with sync_client(handler, delays, retries=3) as http:
        assert http.get("/predictions/x").status_code == status
    assert len(seen) == 4
    assert len(delays) == 3
    assert all(0 <= d <= 8 for d in delays)


@pytest.mark.parametrize(
    "path", ["/predictions", "/models/a/b/predictions", "/deployments/a/b/predictions", "/files"]
)
def test_5xx_never_resends_a_creation(path: str) -> None:
    handler, seen = scripted(503, 201)
    delays: list[float] = []
    with sync_client(handler, delays) as http:
        assert http.post(path, json={}).status_code == 503
    assert len(seen) == 1


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset"),
    ],
)
async def test_maybe_sent_errors_never_resend_a_creation(error: Exception) -> None:
    handler, seen = scripted(error, 201)
    async with async_client(handler, []) as http:
        with pytest.raises(type(error)):
            await http.post("/predictions", json={})
    assert len(seen) == 1


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("full")],
)
def test_unsent_requests_are_retried_for_any_method(error: Exception) -> None:
    handler, seen = scripted(error, 201)
    with sync_client(handler, []) as http:
        assert http.post("/predictions", json={}).status_code == 201
    assert len(seen) == 2


def test_cancel_is_retried_after_5xx_and_dropped_connection() -> None:
    handler, seen = scripted(503, httpx.ReadError("reset"), 200)
    with sync_client(handler, []) as http:
        assert http.post("/predictions/x/cancel").status_code == 200
    assert len(seen) == 3


def test_max_retries_zero_disables_retries() -> None:
    handler, seen = scripted(503)
    with sync_client(handler, [], retries=0) as http:
        assert http.get("/x").status_code == 503
    assert len(seen) == 1


def test_a_body_from_a_generator_is_not_resent() -> None:
    request = httpx.Request("PUT", f"{API}/x", content=iter([b"a", b"b"]))
    throttled = httpx.Response(429, headers={"Retry-After": "1"})
    assert RetryPolicy().after_response(request, throttled, 0) is None
    replayable = httpx.Request("PUT", f"{API}/x", content=b"ab")
    assert RetryPolicy().after_response(replayable, throttled, 0) == 1.0


def test_retries_are_logged_at_debug_without_the_token(caplog: pytest.LogCaptureFixture) -> None:
    handler, _ = scripted(503, 200)
    token = "r8_supersecrettoken"
    with Client(token, base_url=API, transport=httpx.MockTransport(handler)) as client:
        transport = client._sync_http()._transport
        assert isinstance(transport, RetryTransport)
        transport._sleep = lambda _: None
        with caplog.at_level(logging.DEBUG, logger="replicate_ext"):
            assert client._sync_http().get("/predictions/abc?x=1").status_code == 200
    messages = [r.getMessage() for r in caplog.records if r.name == "replicate_ext"]
    assert len(messages) == 1
    assert messages[0].startswith("retrying GET https://api.example/v1/predictions/abc in ")
    assert "HTTP 503" in messages[0]
    assert "retry 1 of 3" in messages[0]
    assert token not in caplog.text


# -- against the local server -----------------------------------------------------------------


def test_server_429_with_retry_after_on_creation(client, server) -> None:
    server.state.inject_fault(
        "429", "/v1/models/replicate/hello-world/predictions", retry_after=0.05, times=2
    )
    assert client.run("replicate/hello-world", {"text": "again"}) == "hello again"
    assert len(server.state.requests_to("/v1/models/replicate/hello-world/predictions")) == 3
    assert len(server.state.predictions) == 1


async def test_server_429_exhausted_raises_rate_limit_error(server) -> None:
    server.state.inject_fault(
        "429", "/v1/models/replicate/hello-world/predictions", retry_after=0.01, times=None
    )
    async with AsyncClient(server.token, base_url=server.base_url, max_retries=2) as client:
        with pytest.raises(RateLimitError, match="throttled"):
            await client.run("replicate/hello-world", {"text": "x"})
    assert len(server.state.requests_to("/v1/models/replicate/hello-world/predictions")) == 3


def test_server_503_on_creation_is_not_resent(client, server) -> None:
    server.state.inject_fault("status", "/v1/models/replicate/hello-world/predictions", status=503)
    with pytest.raises(ReplicateError) as info:
        client.run("replicate/hello-world", {"text": "x"})
    assert info.value.status == 503
    assert len(server.state.requests_to("/v1/models/replicate/hello-world/predictions")) == 1


def test_server_dropped_creation_is_not_resent(client, server) -> None:
    server.state.inject_fault("drop", "/v1/models/replicate/hello-world/predictions")
    with pytest.raises(CreationFateUnknown) as info:
        client.run("replicate/hello-world", {"text": "x"})
    # Cut after sending: whether the API acted is unknown, and said so.
    assert isinstance(info.value.__cause__, APIConnectionError)
    assert isinstance(info.value.__cause__.__cause__, httpx.TransportError)
    assert len(server.state.requests_to("/v1/models/replicate/hello-world/predictions")) == 1


@pytest.mark.parametrize("kind", ["status", "drop"])
def test_server_faults_on_polling_are_retried(client, server, kind: str) -> None:
    server.state.inject_fault(kind, "/v1/predictions/*", method="GET", times=2)
    assert client.run("replicate/sleep", {"seconds": 1}, wait=False) == "slept for 1 seconds"
    assert len(server.state.fired_faults) == 2


async def test_server_faults_on_polling_are_retried_async(async_client, server) -> None:
    server.state.inject_fault("drop", "/v1/predictions/*", method="GET", times=2)
    assert (
        await async_client.run("replicate/sleep", {"seconds": 1}, wait=False)
        == "slept for 1 seconds"
    )
    assert len(server.state.fired_faults) == 2
