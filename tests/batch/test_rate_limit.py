"""The client-side creation limiter, alone and against the local server, and 429s."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replicate_ext._batch import RateLimiter
from replicate_ext._client import Client

from .conftest import jobs

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer

CREATE = "/v1/models/replicate/hello-world/predictions"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def granted_times(limiter: RateLimiter, clock: FakeClock, calls: list[float]) -> list[float]:
    """When each call (at the given clock times) may create: the call time plus its wait."""
    granted = []
    for at in calls:
        clock.now = at
        granted.append(at + limiter.reserve())
    return granted


def test_the_limiter_lets_a_burst_through_then_spaces_creations() -> None:
    clock = FakeClock()
    limiter = RateLimiter(120, burst=3, clock=clock)  # one every 0.5 s
    waits = [limiter.reserve() for _ in range(6)]
    assert waits == pytest.approx([0, 0, 0, 0.5, 1.0, 1.5])


def test_the_bucket_refills_while_idle_but_never_above_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, burst=2, clock=clock)  # one a second
    assert granted_times(limiter, clock, [0, 0]) == [0, 0]
    clock.now = 100.0  # long idle: only `burst` tokens are saved up
    assert [limiter.reserve() for _ in range(3)] == pytest.approx([0, 0, 1.0])


def test_hold_blocks_every_creation_until_it_ends() -> None:
    clock = FakeClock()
    limiter = RateLimiter(600, burst=10, clock=clock)
    limiter.hold(2.0)
    assert limiter.reserve() == pytest.approx(2.0)
    clock.now += 2.0
    assert limiter.reserve() == pytest.approx(0.0)


def test_the_default_burst_is_one_second_of_creations() -> None:
    assert RateLimiter().burst == 10
    assert RateLimiter(600).per_minute == 600
    assert RateLimiter(30).burst == 1
    assert "per_minute=600" in repr(RateLimiter())


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_the_rate_must_be_a_positive_number(bad: float) -> None:
    with pytest.raises(ValueError, match="per_minute"):
        RateLimiter(bad)


def test_the_burst_must_be_positive() -> None:
    with pytest.raises(ValueError, match="burst"):
        RateLimiter(60, burst=0)


@given(
    per_minute=st.floats(min_value=1, max_value=100_000),
    burst=st.integers(min_value=1, max_value=50),
    gaps=st.lists(st.floats(min_value=0, max_value=5), min_size=1, max_size=80),
)
def test_no_window_ever_holds_more_than_burst_plus_rate_times_its_length(
    per_minute: float, burst: int, gaps: list[float]
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute, burst=burst, clock=clock)
    calls, at = [], clock.now
    for gap in gaps:
        at += gap
        calls.append(at)
    granted = granted_times(limiter, clock, calls)
    assert all(g >= c for g, c in zip(granted, calls, strict=True))
    order = sorted(granted)
    rate = per_minute / 60
    for i in range(len(order)):
        for j in range(i, len(order)):
            assert j - i + 1 <= burst + rate * (order[j] - order[i]) + 1e-6


def creation_times(server: LocalServer, path: str = CREATE) -> list[float]:
    return sorted(request.at for request in server.state.requests_to(path, "POST"))


def test_the_batch_spaces_its_creations_at_the_configured_rate(
    server: LocalServer, client: Client
) -> None:
    rate, burst, count = 1200.0, 2, 14  # 20 a second
    inputs = [{"text": str(i)} for i in range(count)]
    results = client.run_batch(
        "replicate/hello-world",
        inputs,
        concurrency=count,  # the rate, not the concurrency, is what holds the batch back
        rate_limit=RateLimiter(rate, burst=burst),
    )
    assert all(r.ok for r in results)
    times = creation_times(server)
    assert len(times) == count
    per_second = rate / 60
    # Seconds a request may arrive late relative to the next one: the limiter
    # times the sending, and a busy machine (or a new connection) delays some
    # requests more than others.
    slack = 0.1
    for i in range(count):
        for j in range(i + 1, count):
            assert j - i + 1 <= burst + per_second * (times[j] - times[i] + slack), (i, j)
    # Held back for real: unlimited, these would all arrive within a few milliseconds.
    assert times[-1] - times[0] >= (count - burst) / per_second - slack


def test_a_server_that_throttles_is_honoured(server: LocalServer, client: Client) -> None:
    server.state.set_rate_limit("creations", 600, burst=3)
    inputs = [{"text": str(i)} for i in range(6)]
    results = client.run_batch("replicate/hello-world", inputs, concurrency=6, rate_limit=None)
    assert [r.output for r in results] == [f"hello {i}" for i in range(6)]
    assert len(jobs(server)) == 6
    attempts = server.state.requests_to(CREATE, "POST")
    assert len(attempts) > 6, "the server never throttled: the test tests nothing"


def test_a_429_past_the_transport_holds_the_limiter_and_resends(server: LocalServer) -> None:
    # No transport retries: each 429 reaches the batch, which holds the whole bucket.
    with Client(server.token, base_url=server.base_url, max_retries=0) as client:
        server.state.inject_fault("429", CREATE, method="POST", times=2, retry_after=0.2)
        limiter = RateLimiter(60_000, burst=50)
        inputs = [{"text": str(i)} for i in range(4)]
        results = client.run_batch(
            "replicate/hello-world", inputs, concurrency=4, rate_limit=limiter
        )
    assert all(r.ok for r in results)
    assert len(jobs(server)) == 4  # each input created once
    fired = server.state.fired_faults
    assert len(fired) == 2
    attempts = creation_times(server)  # the four first tries, then the two sent again
    assert len(attempts) == 6
    throttled_at = min(fault.at for fault in fired)
    assert attempts[3] < throttled_at + 0.1
    assert attempts[4] >= throttled_at + 0.2 - 0.01, "sent again before Retry-After passed"


def test_an_input_throttled_too_often_fails_alone(server: LocalServer) -> None:
    with Client(server.token, base_url=server.base_url, max_retries=0) as client:
        server.state.inject_fault("429", CREATE, method="POST", times=None, retry_after=0.001)
        results = client.run_batch("replicate/hello-world", [{"text": "a"}], rate_limit=None)
    error = results[0].error
    assert isinstance(error, Exception)
    assert getattr(error, "status", None) == 429
    assert len(server.state.fired_faults) == 9  # the first try and THROTTLED_RESENDS more
