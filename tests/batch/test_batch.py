"""The batch API against the local server: order, errors, concurrency, progress, options."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio
import pytest

from replicate_ext._batch import (
    BatchProgress,
    BatchResult,
    RateLimiter,
)
from replicate_ext._errors import CreationFateUnknown, ModelError, PredictionTimeout, ReplicateError
from replicate_ext.testing._models import HELLO_WORLD_VERSION

from .conftest import jobs, max_in_flight

if TYPE_CHECKING:
    from replicate_ext._client import AsyncClient, Client
    from replicate_ext.testing import LocalServer

UNLIMITED = None  # no client-side rate limit: these tests are about something else
SLEEP_ROUTE = "/v1/models/replicate/sleep/predictions"


def test_results_come_in_input_order_whatever_the_finishing_order(
    server: LocalServer, client: Client
) -> None:
    # The first inputs sleep longest, so they finish last.
    seconds = [40, 30, 20, 10, 0, 35, 5]
    inputs = [{"seconds": s} for s in seconds]
    results = client.run_batch("replicate/sleep", inputs, concurrency=7, rate_limit=UNLIMITED)
    assert [r.index for r in results] == list(range(len(seconds)))
    assert [r.input for r in results] == inputs
    assert [r.output for r in results] == [f"slept for {s} seconds" for s in seconds]
    assert all(r.ok and r.error is None for r in results)
    assert {r.prediction_id for r in results} == {job.id for job in jobs(server)}
    finished = sorted(jobs(server), key=lambda job: job.completed_at or job.created_at)
    assert finished[0].input == {"seconds": 0}, "the batch did not run the inputs concurrently"


async def test_failing_inputs_get_their_error_and_the_others_their_output(
    server: LocalServer, async_client: AsyncClient
) -> None:
    inputs = [
        {"prompt": "one two"},
        {"prompt": "boom", "fail_after": 0},  # the model fails
        {"prompt": "three"},
        {"prompt": "refused", "repeat": 1000},  # the API refuses the input (422)
        {"prompt": "four five", "interval": 0.01},
    ]
    results = await async_client.run_batch(
        "replicate/stream-tokens", inputs, concurrency=3, rate_limit=UNLIMITED
    )
    assert [r.ok for r in results] == [True, False, True, False, True]
    assert [r.output for r in results] == ["one two", None, "three", None, "four five"]
    failed, refused = results[1], results[3]
    assert isinstance(failed.error, ModelError)
    assert failed.prediction_id == failed.error.prediction_id
    assert server.state.prediction(failed.prediction_id)["status"] == "failed"
    assert isinstance(refused.error, ReplicateError)
    assert refused.error.status == 422
    assert refused.prediction_id is None
    assert len(jobs(server)) == 4


@pytest.mark.parametrize("concurrency", [1, 4])
def test_no_more_predictions_run_at_once_than_the_concurrency(
    server: LocalServer, client: Client, concurrency: int
) -> None:
    inputs = [{"seconds": 10} for _ in range(10)]
    results = client.run_batch(
        "replicate/sleep", inputs, concurrency=concurrency, rate_limit=UNLIMITED
    )
    assert all(r.ok for r in results)
    assert len(jobs(server)) == 10
    # Reached, not only bounded: the batch keeps every slot busy.
    assert max_in_flight(server) == concurrency


async def test_async_concurrency_is_bounded_too(
    server: LocalServer, async_client: AsyncClient
) -> None:
    inputs = [{"seconds": 10} for _ in range(9)]
    results = await async_client.run_batch(
        "replicate/sleep", inputs, concurrency=3, rate_limit=UNLIMITED
    )
    assert [r.output for r in results] == ["slept for 10 seconds"] * 9
    assert max_in_flight(server) == 3


def test_progress_reports_each_finished_input_with_the_counts(
    server: LocalServer, client: Client
) -> None:
    seen: list[BatchProgress] = []
    inputs = [{"message": "x"} if i % 3 == 0 else {"message": "y"} for i in range(6)]
    # replicate/fail fails every input; mix in refused ones to count both kinds.
    inputs[1] = {"message": 5}  # not a string: refused with 422
    results = client.run_batch(
        "replicate/fail", inputs, concurrency=2, rate_limit=UNLIMITED, progress=seen.append
    )
    assert [p.done for p in seen] == [1, 2, 3, 4, 5, 6]
    assert [p.total for p in seen] == [6] * 6
    assert [p.failed for p in seen] == [1, 2, 3, 4, 5, 6]
    assert all(p.succeeded == 0 for p in seen)
    assert sorted(p.result.index for p in seen) == list(range(6))
    assert {p.result.index: p.result for p in seen} == dict(enumerate(results))


async def test_async_progress_counts_successes_and_failures(
    server: LocalServer, async_client: AsyncClient
) -> None:
    seen: list[tuple[int, int, int]] = []
    inputs = [{"prompt": "a b", "fail_after": 1 if i % 2 else None} for i in range(8)]
    inputs = [{k: v for k, v in item.items() if v is not None} for item in inputs]
    await async_client.run_batch(
        "replicate/stream-tokens",
        inputs,
        concurrency=4,
        rate_limit=UNLIMITED,
        progress=lambda p: seen.append((p.done, p.failed, p.succeeded)),
    )
    assert [done for done, _, _ in seen] == list(range(1, 9))
    assert seen[-1] == (8, 4, 4)
    assert all(failed + ok == done for done, failed, ok in seen)


def test_timeout_is_per_input_and_cancels_its_prediction(
    server: LocalServer, client: Client
) -> None:
    inputs = [{"seconds": 0}, {"seconds": 3000}, {"seconds": 0}]
    results = client.run_batch(
        "replicate/sleep", inputs, concurrency=3, rate_limit=UNLIMITED, timeout=0.5
    )
    assert [r.ok for r in results] == [True, False, True]
    slow = results[1]
    assert isinstance(slow.error, PredictionTimeout)
    assert slow.prediction_id is not None
    assert server.state.prediction(slow.prediction_id)["status"] == "canceled"


def test_wait_false_polls_and_returns_the_same_results(server: LocalServer, client: Client) -> None:
    inputs = [{"text": name} for name in ("ann", "bo", "cy")]
    results = client.run_batch("replicate/hello-world", inputs, wait=False, rate_limit=UNLIMITED)
    assert [r.output for r in results] == ["hello ann", "hello bo", "hello cy"]
    creations = server.state.requests_to("/v1/models/replicate/hello-world/predictions", "POST")
    assert creations
    assert all("prefer" not in request.headers for request in creations)


def test_file_outputs_come_back_as_in_run(server: LocalServer, client: Client) -> None:
    results = client.run_batch(
        "replicate/make-image", [{"color": "blue"}, {"color": "red"}], rate_limit=None
    )
    assert all(r.ok for r in results)
    first = results[0].output[0]
    assert first.read()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_version_reference_creates_through_the_versioned_route(
    server: LocalServer, client: Client
) -> None:
    ref = f"replicate/hello-world:{HELLO_WORLD_VERSION}"
    results = client.run_batch(ref, [{"text": "v"}] * 3, rate_limit=None)
    assert [r.output for r in results] == ["hello v"] * 3
    assert len(server.state.requests_to("/v1/predictions", "POST")) == 3
    assert {job.version for job in jobs(server)} == {HELLO_WORLD_VERSION}


def test_empty_batch_and_bad_arguments(client: Client) -> None:
    assert client.run_batch("replicate/hello-world", []) == []
    with pytest.raises(ValueError, match="concurrency"):
        client.run_batch("replicate/hello-world", [{"text": "a"}], concurrency=0)
    with pytest.raises(TypeError, match="input 1"):
        client.run_batch("replicate/hello-world", [{"text": "a"}, "b"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="invalid model reference"):
        client.run_batch("not a ref", [{"text": "a"}])
    with pytest.raises(TypeError, match="rate_limit"):
        client.run_batch("replicate/hello-world", [{"text": "a"}], rate_limit="fast")  # type: ignore[arg-type]


def test_batch_result_ok_reflects_the_error() -> None:
    assert BatchResult(0, {}, output=1).ok
    assert not BatchResult(0, {}, error=ValueError("x")).ok


def test_a_numeric_rate_limit_is_shared_by_the_batches_of_one_client(client: Client) -> None:
    shared = client._limiters.get(600)
    assert client._limiters.get(600.0) is shared
    assert client._limiters.get(300) is not shared
    own = RateLimiter(60)
    assert client._limiters.get(own) is own
    assert client._limiters.get(None) is None


async def test_a_502_on_one_of_identical_inputs_costs_that_input_alone(
    server: LocalServer, async_client: AsyncClient
) -> None:
    # N samples of one prompt: one creation meets a gateway's 502. Its lookalikes
    # are the batch's other inputs; it must not cancel any of them.
    inputs = [{"seconds": 150}] * 3
    spaced = RateLimiter(120, burst=1)  # one creation every 0.5 s

    async def fault_after_the_first_creation() -> None:
        await anyio.to_thread.run_sync(lambda: server.state.wait_until(lambda: jobs(server)))
        server.state.inject_fault("status", SLEEP_ROUTE, method="POST", status=502)

    async with anyio.create_task_group() as group:
        group.start_soon(fault_after_the_first_creation)
        results = await async_client.run_batch(
            "replicate/sleep", inputs, concurrency=3, rate_limit=spaced
        )
    assert [r.ok for r in results] == [True, False, True]
    first, lost, last = results
    assert isinstance(lost.error, CreationFateUnknown)
    assert lost.error.candidates == (first.prediction_id,)
    assert first.output == last.output == "slept for 150 seconds"
    assert not server.state.requests_to("/v1/predictions/*/cancel", "POST")
