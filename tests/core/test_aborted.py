"""`aborted` and statuses this client does not know, over real HTTP and flow by flow.

The HTTP test lets a Cancel-After deadline (5 s at least, as the API wants)
pass while predictions wait in the local server's queue; everything else that
needs an aborted prediction shares it, so the suite pays those 5 s once.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

import replicate_ext
from generated.api.predictions import predictions_list
from generated.client import Client as GeneratedClient
from replicate_ext._context import Context
from replicate_ext._files import Downloader
from replicate_ext._flow import Send, Sleep
from replicate_ext._predictions import RunOptions, run_flow, wait_for_flow
from replicate_ext._refs import parse_ref
from replicate_ext.cli._main import cli
from replicate_ext.testing import LocalServer


def test_a_deadline_passing_in_the_queue_aborts_and_every_path_reads_it(
    client: replicate_ext.Client, server: LocalServer
) -> None:
    server.state.queue_delay = 60.0  # nothing starts: every deadline passes in the queue
    left_alone = client.predictions.create(
        model="replicate/sleep", input={"seconds": 1}, cancel_after=5
    )
    assert left_alone.deadline is not None
    batch: list[replicate_ext.BatchResult] = []
    batch_thread = threading.Thread(
        target=lambda: batch.extend(
            client.run_batch("replicate/sleep", [{"seconds": 1}, {"seconds": 2}], timeout=5)
        )
    )
    batch_thread.start()

    with pytest.raises(replicate_ext.PredictionTimeout) as timed_out:
        client.run("replicate/sleep", {"seconds": 1}, timeout=5)
    ran = server.state.prediction(timed_out.value.prediction_id)
    assert ran["started_at"] is None
    # Our cancel and the server's deadline meet at the same moment: either ends it.
    assert ran["status"] in ("aborted", "canceled")

    # Nobody canceled this one: the server aborted it at its deadline.
    aborted = client.wait(left_alone)
    assert aborted.status == "aborted"
    assert aborted.started_at is None
    assert aborted.additional_properties == {"stream": False}  # not in the spec, kept

    batch_thread.join(timeout=20)
    assert [type(result.error) for result in batch] == [replicate_ext.PredictionTimeout] * 2

    statuses = [p.status for p in client.paginate(predictions_list).items()]
    assert statuses.count("aborted") >= 1
    assert len(statuses) == 4

    async def async_wait() -> str:
        async with replicate_ext.AsyncClient(server.token, base_url=server.base_url) as twin:
            return str((await twin.wait(left_alone.id)).status)

    assert asyncio.run(async_wait()) == "aborted"

    env = {"REPLICATE_API_TOKEN": server.token, "REPLICATE_BASE_URL": server.base_url}
    shown = CliRunner(env=env).invoke(cli, ["predictions", "get", left_alone.id, "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["status"] == "aborted"


# -- the same decisions, flow by flow, with prepared answers ----------------------------------

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def prediction(status: str, **fields: Any) -> dict[str, Any]:
    base = "https://api.replicate.com/v1/predictions/p1"
    return {
        "id": "p1",
        "model": "replicate/sleep",
        "version": "v" * 64,
        "input": {},
        "status": status,
        "created_at": NOW.isoformat(),
        "urls": {"get": base, "cancel": base + "/cancel"},
        **fields,
    }


def step(
    flow: Any, answer_for: Callable[[dict[str, Any]], dict[str, Any]]
) -> tuple[Any, list[str]]:
    """Run `flow`, answering each request with the JSON `answer_for` gives; returns (value, log)."""
    log: list[str] = []
    answer: Any = None
    while True:
        try:
            op = flow.send(answer)
        except StopIteration as stop:
            return stop.value, log
        if isinstance(op, Send):
            request = {**op.request, "method": op.request["method"].upper()}
            log.append(f"{request['method']} {request['url']}")
            status = 201 if request["method"] == "POST" and "cancel" not in request["url"] else 200
            answer = httpx.Response(
                status,
                json=answer_for(request),
                request=httpx.Request(
                    request["method"], "https://api.replicate.com/v1" + request["url"]
                ),
            )
        elif isinstance(op, Sleep):
            log.append("sleep")
            answer = None
        else:
            raise AssertionError(f"unexpected {op!r}")


def context() -> Context:
    api = GeneratedClient(base_url="https://api.replicate.com/v1")
    unused = Downloader(lambda: httpx.Client(), lambda: httpx.AsyncClient())
    return Context(api=api, timeout=httpx.Timeout(5), poll_interval=0.01, downloader=unused)


def answers(*after_creation: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    queue = list(after_creation)

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        if request["method"] == "POST":
            return prediction("starting", deadline=(NOW + timedelta(seconds=30)).isoformat())
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return answer


def test_aborted_at_our_own_deadline_is_a_timeout_even_before_our_clock_says_so() -> None:
    deadline = (NOW + timedelta(seconds=30)).isoformat()
    ended = prediction("aborted", deadline=deadline, completed_at=deadline)
    flow = run_flow(context(), parse_ref("replicate/sleep"), {}, RunOptions(wait=False, timeout=30))
    with pytest.raises(replicate_ext.PredictionTimeout):
        step(flow, answers(ended))


def test_aborted_without_our_deadline_is_prediction_aborted() -> None:
    ended = prediction("aborted", completed_at=NOW.isoformat())
    flow = run_flow(context(), parse_ref("replicate/sleep"), {}, RunOptions(wait=False))
    with pytest.raises(replicate_ext.PredictionAborted) as caught:
        step(flow, answers(ended))
    assert isinstance(caught.value, replicate_ext.PredictionCanceled)  # a kind of cancellation


def test_an_unknown_status_keeps_waiting_until_completed_at_says_it_ended() -> None:
    queued = prediction("queued")
    expired = prediction("expired", completed_at=NOW.isoformat())
    waited, log = step(
        wait_for_flow(context(), "p1", timeout=None, progress=None),
        answers(queued, queued, expired),
    )
    assert waited.status == "expired"
    assert log.count("sleep") == 2  # polled through "queued", stopped at "expired"
    flow = run_flow(context(), parse_ref("replicate/sleep"), {}, RunOptions(wait=False))
    with pytest.raises(replicate_ext.PredictionError, match="status 'expired'") as caught:
        step(flow, answers(expired))
    assert caught.value.prediction is not None
    assert type(caught.value) is replicate_ext.PredictionError
