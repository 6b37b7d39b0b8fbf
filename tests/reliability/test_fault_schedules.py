"""Random schedules of faults against whole `run()`s: the invariants hold for all of them.

Hypothesis draws a list of faults (429 with and without Retry-After, 500/502/503,
dropped connections, slow answers past the read timeout) aimed at the creation, the
polls and the cancel, then runs a prediction through them. Whatever the schedule:

* the user gets the right output, or one error (a `ReplicateError` or an httpx
  transport error), never anything else and never a hang;
* at most one prediction is created, and a creation is resent only after a 429;
* a prediction created for a `run()` that then failed had a cancel sent for it;
* no connection is left busy or open, no thread left running.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import ReplicateError
from replicate_ext.testing import LocalServer

from .conftest import FaultLog, busy_connections, examples, fast_retries, open_connections

pytestmark = [pytest.mark.fault, pytest.mark.timeout(60)]

CREATE = "/v1/models/replicate/sleep/predictions"
POLL = re.compile(r"/v1/predictions/[a-z0-9]+")
CANCEL = re.compile(r"/v1/predictions/[a-z0-9]+/cancel")
TARGETS: dict[str, tuple[str | re.Pattern[str], str]] = {
    "create": (CREATE, "POST"),
    "poll": (POLL, "GET"),
    "cancel": (CANCEL, "POST"),
}
KINDS = ("429", "429-retry-after", "500", "502", "503", "drop", "slow")
READ_TIMEOUT = 0.15
MAX_RETRIES = 3

_fault = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(sorted(TARGETS)),
    st.integers(min_value=1, max_value=MAX_RETRIES + 1),
).filter(lambda f: not (f[0] == "slow" and f[1] == "create"))
# A slow creation is covered by test_faults (the server never reads a body the
# client stopped sending), and a slow poll costs a read timeout per firing: keep few.
_schedules = st.lists(_fault, max_size=5).filter(
    lambda faults: sum(times for kind, _, times in faults if kind == "slow") <= 4
)


def arm(server: LocalServer, schedule: list[tuple[str, str, int]]) -> None:
    for kind, target, times in schedule:
        path, method = TARGETS[target]
        if kind.startswith("429"):
            retry_after = 0.01 if kind == "429-retry-after" else None
            server.state.inject_fault(
                "429", path, method=method, times=times, retry_after=retry_after
            )
        elif kind in ("500", "502", "503"):
            server.state.inject_fault("status", path, method=method, status=int(kind), times=times)
        elif kind == "slow":
            server.state.inject_fault("slow", path, method=method, delay=0.4, times=times)
        else:
            server.state.inject_fault("drop", path, method=method, times=times)


def check_invariants(server: LocalServer, outcome: Any, error: BaseException | None) -> None:
    state = server.state
    created = sum(n for route, n in state.creations.items() if route.endswith("/predictions"))
    fired = state.fired_faults
    creation_requests = len(state.requests_to(CREATE, "POST"))
    throttled_creations = sum(1 for f in fired if f.kind == "429" and f.path == CREATE)
    # A creation is resent only after a 429, and never more than the retries allow.
    assert creation_requests == min(throttled_creations + 1, MAX_RETRIES + 1)
    assert created <= 1
    if error is None:
        assert outcome == "slept for 3 seconds"
        assert created == 1
        return
    assert isinstance(error, (ReplicateError, httpx.TransportError)), repr(error)
    if created:
        (job,) = state.predictions.values()
        cancel_path = f"/v1/predictions/{job.id}/cancel"
        assert state.requests_to(cancel_path, "POST"), "gave up without canceling"


def collect(server: LocalServer, log: FaultLog) -> None:
    for fired in server.state.fired_faults:
        log.add("5xx" if fired.kind == "status" else fired.kind)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schedule=_schedules)
def test_any_fault_schedule_keeps_the_invariants(
    replicate_server: LocalServer, fault_log: FaultLog, schedule: list[tuple[str, str, int]]
) -> None:
    threads = set(threading.enumerate())
    replicate_server.reset()
    arm(replicate_server, schedule)
    client = Client(
        replicate_server.token,
        base_url=replicate_server.base_url,
        poll_interval=0.01,
        timeout=httpx.Timeout(READ_TIMEOUT, connect=2.0),
        max_retries=MAX_RETRIES,
    )
    client._retry_policy = fast_retries(MAX_RETRIES)
    outcome: Any = None
    error: BaseException | None = None
    try:
        outcome = client.run("replicate/sleep", {"seconds": 3}, wait=False)
    except Exception as raised:
        error = raised
    assert busy_connections(client) == []
    client.close()
    assert open_connections(client) == []
    # Settle: the cancel a failed run sent has been answered by now; faults are counted.
    check_invariants(replicate_server, outcome, error)
    collect(replicate_server, fault_log)
    replicate_server.reset()
    assert [t for t in threading.enumerate() if t not in threads] == []


@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schedule=_schedules.filter(lambda s: all(kind != "slow" for kind, _, _ in s)))
async def test_any_fault_schedule_keeps_the_invariants_async(
    replicate_server: LocalServer, fault_log: FaultLog, schedule: list[tuple[str, str, int]]
) -> None:
    replicate_server.reset()
    arm(replicate_server, schedule)
    client = AsyncClient(
        replicate_server.token,
        base_url=replicate_server.base_url,
        poll_interval=0.01,
        max_retries=MAX_RETRIES,
    )
    client._retry_policy = fast_retries(MAX_RETRIES)
    outcome: Any = None
    error: BaseException | None = None
    try:
        outcome = await client.run("replicate/sleep", {"seconds": 3}, wait=False)
    except Exception as raised:
        error = raised
    assert busy_connections(client) == []
    await client.aclose()
    assert open_connections(client) == []
    check_invariants(replicate_server, outcome, error)
    collect(replicate_server, fault_log)
    replicate_server.reset()
