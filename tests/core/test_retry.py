from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable

import httpx
import pytest

from replicate_ext import PredictionTimeout
from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import (
    APIConnectionError,
    CreationFateUnknown,
    RateLimitError,
    ReplicateError,
)
from replicate_ext._retry import (
    DEADLINE,
    AsyncRetryTransport,
    RetryPolicy,
    RetryTransport,
    body_retry_after,
    cut_by_deadline,
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


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"detail": "Request was throttled.", "status": 429, "retry_after": 5}, 5.0),
        ({"retry_after": 0.5}, 0.5),
        ({"retry_after": "7"}, 7.0),
        ({"retry_after": -1}, 0.0),
        ({"retry_after": True}, None),
        ({"retry_after": "soon"}, None),
        ({"detail": "no hint"}, None),
        (["not", "a", "dict"], None),
    ],
)
def test_retry_after_in_the_body(body: object, expected: float | None) -> None:
    assert body_retry_after(httpx.Response(429, json=body)) == expected


def test_an_unread_or_unreadable_body_has_no_retry_after() -> None:
    assert body_retry_after(httpx.Response(429, content=b"<html>slow down</html>")) is None
    assert body_retry_after(httpx.Response(429, content=b'{"retry_after": Infinity}')) is None
    unread = httpx.Response(429, stream=httpx.ByteStream(b'{"retry_after": 5}'))
    assert body_retry_after(unread) is None


# -- the transports, with fault shapes the local server cannot make ---------------------------


def throttled(*statuses: int, body: dict[str, object], headers: dict[str, str] | None = None):
    """A handler answering 429 with `body` (and `headers`), then each of `statuses`."""
    seen: list[httpx.Request] = []
    remaining = list(statuses)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1 or not remaining:
            return httpx.Response(429, json=body, headers=headers or {})
        return httpx.Response(remaining.pop(0), json={})

    return handle, seen


def test_a_429s_body_says_how_long_to_wait_when_no_header_does() -> None:
    # What an account throttled for low credit (6 creations a minute, burst 1) gets.
    body = {"detail": "Request was throttled. ...", "status": 429, "retry_after": 5}
    handler, seen = throttled(201, body=body)
    delays: list[float] = []
    with sync_client(handler, delays) as http:
        assert http.post("/predictions", json={}).status_code == 201
    assert delays == [5.0]
    assert len(seen) == 2


def test_the_retry_after_header_comes_before_the_body() -> None:
    handler, _ = throttled(201, body={"retry_after": 5}, headers={"Retry-After": "2"})
    delays: list[float] = []
    with sync_client(handler, delays) as http:
        assert http.post("/predictions", json={}).status_code == 201
    assert delays == [2.0]


def test_a_throttled_request_gives_up_after_the_retries_having_waited_what_was_asked() -> None:
    handler, seen = throttled(body={"retry_after": 10})
    delays: list[float] = []
    with sync_client(handler, delays) as http:
        assert http.post("/predictions", json={}).status_code == 429
    assert delays == [10.0, 10.0, 10.0]  # 30 s: three slots of a 6-a-minute account
    assert len(seen) == 4


def in_time(left: float) -> dict[str, float]:
    return {DEADLINE: time.monotonic() + left}


def test_a_wait_that_does_not_fit_in_the_deadline_is_not_waited() -> None:
    handler, seen = scripted(429, 429, 201, headers={"Retry-After": "30"})
    delays: list[float] = []
    with sync_client(handler, delays) as http:
        response = http.post("/predictions", json={}, extensions=in_time(3))
        assert response.status_code == 429
        assert delays == []
        assert cut_by_deadline(RateLimitError(status=429, response=response))
        # One that fits is waited out.
        assert http.post("/predictions", json={}, extensions=in_time(60)).status_code == 201
    assert delays == [30.0]
    assert len(seen) == 3


@pytest.mark.parametrize("status", [503, 502])
async def test_a_5xx_backoff_past_the_deadline_is_not_waited_async(status: int) -> None:
    handler, seen = scripted(status, 200, headers={"Retry-After": "5"})
    delays: list[float] = []
    async with async_client(handler, delays) as http:
        response = await http.get("/predictions/x", extensions=in_time(1))
    assert response.status_code == status
    assert delays == []
    assert len(seen) == 1


def test_a_connection_failure_past_the_deadline_is_raised_marked() -> None:
    handler, seen = scripted(httpx.ConnectError("refused"), 200)
    delays: list[float] = []
    with sync_client(handler, delays) as http, pytest.raises(httpx.ConnectError) as info:
        http.get("/predictions/x", extensions=in_time(0.0))
    assert cut_by_deadline(info.value)
    assert delays == []
    assert len(seen) == 1
    assert not cut_by_deadline(httpx.ConnectError("another"))


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


def test_retries_are_logged_at_info_without_the_token(caplog: pytest.LogCaptureFixture) -> None:
    handler, _ = scripted(503, 200)
    token = "r8_supersecrettoken"
    with Client(token, base_url=API, transport=httpx.MockTransport(handler)) as client:
        transport = client._sync_http()._transport
        assert isinstance(transport, RetryTransport)
        transport._sleep = lambda _: None
        with caplog.at_level(logging.INFO, logger="replicate_ext"):
            assert client._sync_http().get("/predictions/abc?x=1").status_code == 200
    messages = [r.getMessage() for r in caplog.records if r.name == "replicate_ext"]
    assert len(messages) == 2
    assert messages[0].startswith("retrying GET https://api.example/v1/predictions/abc in ")
    assert "HTTP 503" in messages[0]
    assert "retry 1 of 3" in messages[0]
    # Then the request's outcome, its query (a file URL's credentials) left out.
    assert messages[1].startswith("GET https://api.example/v1/predictions/abc 200 OK (")
    assert messages[1].endswith(", 1 retry)")
    assert token not in caplog.text
    assert "x=1" not in caplog.text


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


def test_a_throttled_creation_within_a_short_timeout_is_a_rate_limit_error_at_once(
    client, server
) -> None:
    create = "/v1/models/replicate/hello-world/predictions"
    server.state.inject_fault("429", create, retry_after=30, times=1)
    with pytest.raises(RateLimitError):
        client.run("replicate/hello-world", {"text": "x"}, timeout=3)
    assert len(server.state.requests_to(create)) == 1  # not sent again 30 s later
    assert server.state.predictions == {}


async def test_a_throttled_creation_within_a_short_timeout_async(async_client, server) -> None:
    create = "/v1/models/replicate/hello-world/predictions"
    server.state.inject_fault("429", create, retry_after=30, times=1)
    with pytest.raises(RateLimitError):
        await async_client.run("replicate/hello-world", {"text": "x"}, timeout=3)
    assert len(server.state.requests_to(create)) == 1


def test_a_poll_whose_retry_comes_after_the_deadline_times_the_run_out(client, server) -> None:
    server.state.inject_fault(
        "status", "/v1/predictions/*", method="GET", status=503, retry_after=30, times=1
    )
    with pytest.raises(PredictionTimeout) as info:
        client.run("replicate/sleep", {"seconds": 1000}, wait=False, timeout=3)
    (prediction_id,) = server.state.predictions
    assert info.value.prediction_id == prediction_id
    assert isinstance(info.value.__cause__, ReplicateError)
    assert info.value.__cause__.status == 503
    polls = server.state.requests_to(f"/v1/predictions/{prediction_id}", "GET")
    assert len(polls) == 1  # the 503, not waited out
    cancels = server.state.requests_to(f"/v1/predictions/{prediction_id}/cancel", "POST")
    assert len(cancels) == 1
