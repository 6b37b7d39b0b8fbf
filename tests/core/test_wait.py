from __future__ import annotations

import pytest

from generated.api.models import models_predictions_create
from generated.models.model_prediction_request import ModelPredictionRequest
from generated.models.model_prediction_request_input import ModelPredictionRequestInput
from generated.models.prediction import Prediction
from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import NotFoundError, PredictionTimeout
from replicate_ext.testing import HELLO_WORLD_VERSION

SLOW = 1000


def start(client: Client | AsyncClient, model: str, **input: object) -> Prediction:
    """Create a prediction with a typed generated call through `client.api`, not waiting."""
    owner, name = model.split("/")
    created = models_predictions_create.sync(
        owner,
        name,
        client=client.api,
        body=ModelPredictionRequest(input=ModelPredictionRequestInput.from_dict(input)),
    )
    assert isinstance(created, Prediction), created
    return created


def test_wait_returns_the_terminal_prediction(client: Client, server) -> None:
    created = start(client, "replicate/sleep", seconds=20)
    assert created.status == "starting"
    seen: list[str] = []
    done = client.wait(created, progress=lambda p: seen.append(p.status))
    assert done.id == created.id
    assert done.status == "succeeded"
    assert done.output == "slept for 20 seconds"
    assert seen[0] == "starting"
    assert seen[-1] == "succeeded"


def test_wait_by_id_and_for_failures(client: Client) -> None:
    failed = client.wait(start(client, "replicate/fail", message="nope").id)
    assert failed.status == "failed"
    assert failed.error == "nope"


def test_wait_follows_the_stream(client: Client, server) -> None:
    created = start(client, "replicate/stream-tokens", prompt="a b c", interval=10)
    done = client.wait(created)
    assert done.output == ["a ", "b ", "c"]
    assert server.state.requests_to(f"/v1/predictions/{created.id}/stream")


def test_wait_timeout_cancels(client: Client, server) -> None:
    created = start(client, "replicate/sleep", seconds=SLOW)
    with pytest.raises(PredictionTimeout) as info:
        client.wait(created, timeout=0.2)
    assert info.value.prediction_id == created.id
    assert server.state.prediction(created.id)["status"] == "canceled"


def test_wait_interrupt_cancels(client: Client, server) -> None:
    created = start(client, "replicate/sleep", seconds=SLOW)

    def interrupt(prediction: Prediction) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.wait(created, progress=interrupt)
    assert server.state.prediction(created.id)["status"] == "canceled"


def test_wait_leaves_the_prediction_alone_on_other_errors(client: Client, server) -> None:
    created = start(client, "replicate/sleep", seconds=SLOW)

    def broken(prediction: Prediction) -> None:
        raise ValueError("bug in my callback")

    with pytest.raises(ValueError, match="bug"):
        client.wait(created, progress=broken)
    assert server.state.prediction(created.id)["status"] != "canceled"
    client.api.get_httpx_client().post(f"/predictions/{created.id}/cancel")


def test_wait_for_unknown_id(client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.wait("doesnotexist")


async def test_async_wait(async_client: AsyncClient, server) -> None:
    created = start(async_client, "replicate/sleep", seconds=10)
    done = await async_client.wait(created.id)
    assert done.status == "succeeded"
    assert (await async_client.predictions.get(created.id)).status == "succeeded"


async def test_async_wait_timeout_cancels(async_client: AsyncClient, server) -> None:
    created = start(async_client, "replicate/sleep", seconds=SLOW)
    with pytest.raises(PredictionTimeout):
        await async_client.wait(created, timeout=0.2)
    assert server.state.prediction(created.id)["status"] == "canceled"


def test_create_then_wait_then_cancel(client: Client, server, tmp_path) -> None:
    created = client.predictions.create(
        model="replicate/echo",
        input={"file": b"bytes"},
        webhook="https://example.com/h",
        cancel_after=90,
    )
    assert created.status == "starting"
    (request,) = server.state.requests_to("/v1/models/replicate/echo/predictions", "POST")
    assert "prefer" not in request.headers
    assert request.headers["cancel-after"] == "1m30s"
    assert client.wait(created.id).output["files"]["file"]["size"] == 5
    slow = client.predictions.create(model="replicate/sleep", input={"seconds": SLOW})
    canceled = client.predictions.cancel(slow.id)
    assert canceled.id == slow.id
    assert server.state.wait_until(lambda: server.state.prediction(slow.id)["status"] == "canceled")


async def test_create_and_cancel_async(async_client: AsyncClient, server) -> None:
    created = await async_client.predictions.create(
        version=f"replicate/hello-world:{HELLO_WORLD_VERSION}", input={"text": "v"}
    )
    assert created.version == HELLO_WORLD_VERSION
    assert (await async_client.wait(created)).output == "hello v"
    slow = await async_client.predictions.create(model="replicate/sleep", input={"seconds": SLOW})
    await async_client.predictions.cancel(slow.id)
    assert (await async_client.wait(slow)).status == "canceled"


# -- a prediction that ends between the last look at it and the deadline ----------------------


def test_a_prediction_that_ended_before_the_deadline_is_not_a_timeout(server) -> None:
    # Polled once a minute, a run of 0.01 s under a deadline of 0.5 s is last seen
    # running; it ended before the deadline all the same, as the cancel's answer
    # shows: its output, not PredictionTimeout (nor "was canceled").
    with Client(server.token, base_url=server.base_url, poll_interval=60) as client:
        output = client.run("replicate/sleep", {"seconds": 1}, wait=False, timeout=0.5)
        assert output == "slept for 1 seconds"
        prediction = client.predictions.create(model="replicate/sleep", input={"seconds": 1})
        assert client.wait(prediction, timeout=0.5).status == "succeeded"


async def test_a_prediction_that_ended_before_the_deadline_is_not_a_timeout_async(
    server,
) -> None:
    async with AsyncClient(server.token, base_url=server.base_url, poll_interval=60) as client:
        output = await client.run("replicate/sleep", {"seconds": 1}, wait=False, timeout=0.5)
        assert output == "slept for 1 seconds"


def test_a_prediction_still_running_at_the_deadline_is_a_timeout(server) -> None:
    with Client(server.token, base_url=server.base_url, poll_interval=60) as client:
        prediction = client.predictions.create(model="replicate/sleep", input={"seconds": SLOW})
        with pytest.raises(PredictionTimeout):
            client.wait(prediction, timeout=0.5)
    assert server.state.prediction(prediction.id)["status"] == "canceled"
