"""Faults after the route acted: a creation makes its prediction, and the answer is late or lost."""

from __future__ import annotations

import time

import anyio
import httpx
import pytest

from replicate_ext.testing import LocalServer
from replicate_ext.testing._faults import parse_fault

CREATE = "/v1/models/replicate/hello-world/predictions"


async def test_slow_after_holds_the_answer_of_a_creation_already_made(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    server.state.inject_fault("slow_after", CREATE, delay=3)
    async with anyio.create_task_group() as group:
        answered = anyio.Event()

        async def create() -> None:
            await api.post(
                "/models/replicate/hello-world/predictions", json={"input": {"text": "x"}}
            )
            answered.set()

        group.start_soon(create)
        # The prediction exists while its answer is still held back.
        await anyio.to_thread.run_sync(
            lambda: server.state.wait_until(lambda: len(server.state.predictions) == 1)
        )
        assert not answered.is_set()
        group.cancel_scope.cancel()


async def test_slow_after_answers_once_the_delay_is_over(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    server.state.inject_fault("slow_after", CREATE, delay=0.2)
    started = time.monotonic()
    response = await api.post(
        "/models/replicate/hello-world/predictions", json={"input": {"text": "late"}}
    )
    assert response.status_code == 201
    assert time.monotonic() - started >= 0.2
    (job,) = server.state.predictions.values()
    assert response.json()["id"] == job.id


async def test_drop_after_cuts_the_answer_of_a_creation_already_made(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    server.state.inject_fault("drop_after", CREATE)
    with pytest.raises(httpx.RemoteProtocolError):
        await api.post("/models/replicate/hello-world/predictions", json={"input": {"text": "x"}})
    assert len(server.state.predictions) == 1
    # Once: the next creation is answered.
    answer = await api.post("/models/replicate/hello-world/predictions", json={"input": {}})
    assert answer.status_code == 422


def test_the_command_line_takes_the_new_kinds() -> None:
    fault = parse_fault(f"slow_after {CREATE} delay=0.25 times=inf")
    assert (fault.kind, fault.delay, fault.times) == ("slow_after", 0.25, None)
    assert parse_fault("drop_after /v1/predictions method=POST").method == "POST"
