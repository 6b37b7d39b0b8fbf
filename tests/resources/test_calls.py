"""Typed calls: "owner/name" for two arguments, errors raised, predictions.create's endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest

from generated.models.prediction import Prediction
from replicate_ext import (
    AsyncClient,
    AuthenticationError,
    Client,
    NotFoundError,
    ReplicateError,
)
from replicate_ext.testing import HELLO_WORLD_VERSION, LocalServer


def test_owner_name_is_one_argument_or_two(client: Client) -> None:
    short = client.models.get("replicate/hello-world")
    long = client.models.get(model_owner="replicate", model_name="hello-world")
    assert (short.owner, short.name) == (long.owner, long.name) == ("replicate", "hello-world")
    version = client.models.versions.get("replicate/hello-world", version_id=HELLO_WORLD_VERSION)
    assert version.id == HELLO_WORLD_VERSION


@pytest.mark.parametrize(
    "ref", ["hello-world", "replicate/", "/hello-world", "a/b/c", "./x", "replicate/hello-world:1"]
)
def test_a_malformed_owner_name_is_a_value_error_before_any_request(
    server: LocalServer, client: Client, ref: str
) -> None:
    with pytest.raises(ValueError, match="model must be 'owner/name'"):
        client.models.get(ref)
    assert server.state.requests == []


def test_owner_name_given_twice_or_not_at_all_is_a_type_error(
    server: LocalServer, client: Client
) -> None:
    with pytest.raises(TypeError, match="not both"):
        client.models.get("replicate/hello-world", model_owner="replicate")
    with pytest.raises(TypeError, match="give the model as 'owner/name'"):
        client.models.get()
    with pytest.raises(TypeError, match="give the deployment as 'owner/name'"):
        client.deployments.get(deployment_owner="test-user")
    with pytest.raises(TypeError, match="model_name must be a string"):
        client.models.get(model_owner="replicate", model_name=7)  # type: ignore[arg-type]
    assert server.state.requests == []


async def test_an_empty_or_dotted_id_is_a_value_error_before_any_request(
    server: LocalServer, client: Client, async_client: AsyncClient
) -> None:
    # Sent, these would ask other URLs: /predictions/ (the list) answers a redirect.
    with pytest.raises(ValueError, match="prediction_id must be an id or a name, not ''"):
        client.predictions.get("")
    with pytest.raises(ValueError, match=r"training_id must be an id or a name, not '\.\.'"):
        await async_client.trainings.cancel("..")
    with pytest.raises(ValueError, match="model_name must be an id or a name, not ''"):
        client.models.versions.list(model_owner="replicate", model_name="")
    assert server.state.requests == []


def test_errors_are_raised_as_their_replicate_error(server: LocalServer, client: Client) -> None:
    with pytest.raises(NotFoundError) as missing:
        client.models.get("replicate/no-such-model")
    assert missing.value.status == 404
    with pytest.raises(ReplicateError) as invalid:
        client.models.predictions.create("replicate/hello-world", input={})  # text is required
    assert invalid.value.status == 422
    body = {"owner": "test-user", "name": "twice", "visibility": "private", "hardware": "cpu"}
    client.models.create(**body)
    with pytest.raises(ReplicateError) as taken:
        client.models.create(**body)
    assert taken.value.status == 409
    with (
        Client("wrong-token", base_url=server.base_url) as stranger,
        pytest.raises(AuthenticationError),
    ):
        stranger.account.get()


async def test_async_errors_are_raised(async_client: AsyncClient) -> None:
    with pytest.raises(NotFoundError):
        await async_client.predictions.get("no-such-prediction")
    with pytest.raises(NotFoundError):
        await async_client.files.delete("no-such-file")


def test_predictions_create_picks_the_endpoint(server: LocalServer, client: Client) -> None:
    by_model = client.predictions.create(model="replicate/hello-world", input={"text": "m"})
    by_version = client.predictions.create(version=HELLO_WORLD_VERSION, input={"text": "v"})
    client.deployments.create(
        name="dep",
        model="replicate/hello-world",
        version=HELLO_WORLD_VERSION,
        hardware="cpu",
        min_instances=0,
        max_instances=1,
    )
    by_deployment = client.predictions.create(deployment="test-user/dep", input={"text": "d"})
    assert all(isinstance(p, Prediction) for p in (by_model, by_version, by_deployment))
    posts = [
        r.path for r in server.state.requests if r.method == "POST" and "predictions" in r.path
    ]
    assert posts == [
        "/v1/models/replicate/hello-world/predictions",
        "/v1/predictions",
        "/v1/deployments/test-user/dep/predictions",
    ]
    assert by_deployment.deployment == "test-user/dep"


def test_predictions_create_waits_when_asked_and_sends_its_deadline(
    server: LocalServer, client: Client
) -> None:
    done = client.predictions.create(
        model="replicate/hello-world", input={"text": "w"}, wait=True, cancel_after=30
    )
    assert (done.status, done.output) == ("succeeded", "hello w")
    background = client.predictions.create(model="replicate/sleep", input={"seconds": 60})
    assert background.status in ("starting", "processing")
    first, second = server.state.requests_to("/v1/models/replicate/*", "POST")
    assert first.headers["prefer"].startswith("wait")  # within the deadline
    assert first.headers["cancel-after"] == "30s"
    assert "prefer" not in second.headers
    client.predictions.cancel(background.id)


def test_predictions_create_uploads_file_inputs(tmp_path: Path, client: Client) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("some notes")
    done = client.predictions.create(model="replicate/echo", input={"file": notes}, wait=True)
    assert done.output["files"]["file"]["size"] == 10


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, TypeError, "give one of model=, version= or deployment=, not none of them"),
        (
            {"model": "replicate/hello-world", "version": HELLO_WORLD_VERSION},
            TypeError,
            "not model= and version=",
        ),
        ({"model": "deployments/a/b"}, ValueError, "give deployment='owner/name'"),
        ({"deployment": "a"}, ValueError, "deployment must be 'owner/name', not 'a'"),
        ({"model": "replicate/hello-world", "cancel_after": 1}, ValueError, "cancel_after"),
        ({"model": "replicate/hello-world", "wait": "yes"}, TypeError, "wait must be"),
    ],
)
def test_predictions_create_refuses_bad_calls_before_any_request(
    server: LocalServer, client: Client, kwargs, error, message
) -> None:
    with pytest.raises(error, match=message):
        client.predictions.create(input={"text": "x"}, **kwargs)
    assert server.state.requests == []


async def test_async_predictions_create(server: LocalServer, async_client: AsyncClient) -> None:
    done = await async_client.predictions.create(
        model="replicate/hello-world", input={"text": "a"}, wait=True
    )
    assert done.output == "hello a"
    fetched = await async_client.predictions.get(done.id)
    assert fetched.id == done.id
