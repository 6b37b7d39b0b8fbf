"""Every one of the API's 37 operations, as `client.<operationId>(...)`, over HTTP, sync and async.

Each case prepares what its operation needs on the local server (with plain
HTTP requests, not the call under test), calls the operation on a `Client`
or an `AsyncClient`, and checks the parsed answer: its type, and that it is
the answer to this request.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from generated.models.account import Account
from generated.models.collection import Collection
from generated.models.deployment import Deployment
from generated.models.file import File
from generated.models.hardware import Hardware
from generated.models.model import Model
from generated.models.model_version import ModelVersion
from generated.models.prediction import Prediction
from generated.models.search_response import SearchResponse
from generated.models.training import Training
from generated.models.webhook_secret import WebhookSecret
from replicate_ext import AsyncClient, Client, FileOutput
from replicate_ext.testing import HELLO_WORLD_VERSION, LocalServer, version_id

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "replicate.yaml"
TRAINABLE = f"replicate/trainable:{version_id('replicate/trainable', 1)}"


@functools.cache
def spec_operations() -> frozenset[str]:
    spec = yaml.load(SPEC.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    found = {
        operation["operationId"]
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    hidden = {op["operationId"] for op in spec["info"]["x-operations-not-expressible"]}
    return frozenset(found | hidden)


class Setup:
    """What a case needs on the server, made with plain HTTP (not with the calls under test)."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {server.token}"}
        )

    def post(self, path: str, body: Any = None, **options: Any) -> dict[str, Any]:
        response = self.http.post(path, json=body, **options)
        assert response.status_code < 300, response.text
        return response.json() if response.content else {}

    def prediction(self) -> str:
        body = {"input": {"text": "setup"}}
        return self.post("/models/replicate/hello-world/predictions", body)["id"]

    def slow_prediction(self) -> str:
        body = {"input": {"seconds": 60}}
        return self.post("/models/replicate/sleep/predictions", body)["id"]

    def model(self, name: str = "mine") -> str:
        body = {"owner": "test-user", "name": name, "visibility": "private", "hardware": "cpu"}
        self.post("/models", body)
        return f"test-user/{name}"

    def model_with_version(self) -> tuple[str, str]:
        async def run(ctx: Any) -> str:
            return "ok"

        version = self.server.state.add_model("test-user/versioned", run, visibility="private")
        return "test-user/versioned", version

    def deployment(self) -> str:
        body = {
            "name": "dep",
            "model": "replicate/hello-world",
            "version": HELLO_WORLD_VERSION,
            "hardware": "cpu",
            "min_instances": 0,
            "max_instances": 1,
        }
        self.post("/deployments", body)
        return "test-user/dep"

    def file(self) -> dict[str, Any]:
        return self.post("/files", files={"content": ("notes.txt", b"some notes", "text/plain")})

    def training(self) -> str:
        destination = self.model("tuned")
        owner_name, _, version = TRAINABLE.partition(":")
        path = f"/models/{owner_name}/versions/{version}/trainings"
        body = {"destination": destination, "input": {"steps": 100, "step_interval": 60}}
        return self.post(path, body)["id"]  # a minute at the fixture's speed: still running


@dataclass
class Case:
    """An operation, how to call it (from what `Setup` made), and what its answer must be."""

    operation_id: str
    call: Callable[[Setup], tuple[tuple[Any, ...], dict[str, Any]]]
    returns: type | None  # the answer's type; for a list, each item's
    check: Callable[[Any, Setup], None] = lambda answer, setup: None
    listing: bool = False


def no_args(setup: Setup) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (), {}


def after(prepare: Callable[[], object]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """No arguments, once `prepare` has made something to list."""
    prepare()
    return (), {}


def _signed(setup: Setup) -> tuple[tuple[Any, ...], dict[str, Any]]:
    file_id = setup.file()["id"]
    expiry = int(time.time()) + 600
    signature = setup.server.state.file_signature(file_id, expiry)
    return (file_id,), {"owner": "test-user", "expiry": expiry, "signature": signature}


def _deleted_deployment(answer: Any, setup: Setup) -> None:
    assert "test-user/dep" not in setup.server.state.deployments


CASES = [
    Case("account.get", no_args, Account, lambda a, s: _eq(a.username, "test-user")),
    Case("collections.list", no_args, Collection, listing=True),
    Case(
        "collections.get",
        lambda s: (("text-generation",), {}),
        Collection,
        lambda a, s: _eq(a.slug, "text-generation"),
    ),
    Case(
        "deployments.list",
        lambda s: after(s.deployment),
        Deployment,
        listing=True,
    ),
    Case(
        "deployments.create",
        lambda s: (
            (),
            {
                "name": "fresh",
                "model": "replicate/hello-world",
                "version": HELLO_WORLD_VERSION,
                "hardware": "cpu",
                "min_instances": 0,
                "max_instances": 2,
            },
        ),
        Deployment,
        lambda a, s: _eq(a.current_release.configuration.max_instances, 2),
    ),
    Case("deployments.get", lambda s: ((s.deployment(),), {}), Deployment),
    Case(
        "deployments.update",
        lambda s: ((s.deployment(),), {"max_instances": 3}),
        Deployment,
        lambda a, s: _eq(a.current_release.number, 2),
    ),
    Case("deployments.delete", lambda s: ((s.deployment(),), {}), None, _deleted_deployment),
    Case(
        "deployments.predictions.create",
        lambda s: ((s.deployment(),), {"input": {"text": "dep"}, "prefer": "wait"}),
        Prediction,
        lambda a, s: _eq(a.output, "hello dep"),
    ),
    Case("files.list", lambda s: after(s.file), File, listing=True),
    Case(
        "files.create",
        lambda s: ((b"twelve bytes",), {"filename": "a.txt"}),
        File,
        lambda a, s: _eq((a.size, a.name), (12, "a.txt")),
    ),
    Case("files.get", lambda s: ((s.file()["id"],), {}), File),
    Case(
        "files.delete",
        lambda s: ((s.file()["id"],), {}),
        None,
        lambda a, s: _eq(len(s.server.state.files), 0),
    ),
    Case("files.download", _signed, FileOutput),
    Case("hardware.list", no_args, list, lambda a, s: _all(a, Hardware)),
    Case("models.list", no_args, Model, listing=True),
    Case(
        "models.create",
        lambda s: (
            (),
            {"owner": "test-user", "name": "new", "visibility": "private", "hardware": "cpu"},
        ),
        Model,
        lambda a, s: _eq((a.owner, a.name), ("test-user", "new")),
    ),
    Case("models.get", lambda s: (("replicate/hello-world",), {}), Model),
    Case(
        "models.update",
        lambda s: ((s.model(),), {"description": "changed"}),
        Model,
        lambda a, s: _eq(a.description, "changed"),
    ),
    Case(
        "models.delete",
        lambda s: ((s.model(),), {}),
        None,
        lambda a, s: _eq("test-user/mine" in s.server.state.models, False),
    ),
    Case(
        "models.examples.list", lambda s: (("replicate/hello-world",), {}), Prediction, listing=True
    ),
    Case(
        "models.predictions.create",
        lambda s: (("replicate/hello-world",), {"input": {"text": "m"}, "prefer": "wait"}),
        Prediction,
        lambda a, s: _eq(a.output, "hello m"),
    ),
    Case("models.readme.get", lambda s: (("replicate/hello-world",), {}), str),
    Case("models.search", lambda s: (("hello",), {}), Model, listing=True),
    Case(
        "models.versions.list",
        lambda s: (("replicate/hello-world",), {}),
        ModelVersion,
        listing=True,
    ),
    Case(
        "models.versions.get",
        lambda s: (("replicate/hello-world",), {"version_id": HELLO_WORLD_VERSION}),
        ModelVersion,
        lambda a, s: _eq(a.id, HELLO_WORLD_VERSION),
    ),
    Case(
        "models.versions.delete",
        lambda s: (lambda m: ((m[0],), {"version_id": m[1]}))(s.model_with_version()),
        None,
    ),
    Case(
        "trainings.create",
        lambda s: ((TRAINABLE,), {"destination": s.model("tuned"), "input": {"steps": 1}}),
        Training,
    ),
    Case("trainings.list", lambda s: after(s.training), Training, listing=True),
    Case("trainings.get", lambda s: ((s.training(),), {}), Training),
    Case(
        "trainings.cancel",
        lambda s: ((s.training(),), {}),
        Training,
        lambda a, s: _eq(a.status, "canceled"),
    ),
    Case("predictions.list", lambda s: after(s.prediction), Prediction, listing=True),
    Case(
        "predictions.create",
        lambda s: ((), {"model": "replicate/hello-world", "input": {"text": "p"}, "wait": True}),
        Prediction,
        lambda a, s: _eq(a.output, "hello p"),
    ),
    Case("predictions.get", lambda s: ((s.prediction(),), {}), Prediction),
    Case(
        "predictions.cancel",
        lambda s: ((s.slow_prediction(),), {}),
        Prediction,
        lambda a, s: _eq(a.status, "canceled"),
    ),
    Case("search", lambda s: (("hello",), {}), SearchResponse),
    Case(
        "webhooks.default.secret.get",
        no_args,
        WebhookSecret,
        lambda a, s: _eq(a.key, s.server.state.webhook_secret),
    ),
]


def _eq(actual: Any, expected: Any) -> None:
    assert actual == expected


def _all(items: list[Any], kind: type) -> None:
    assert items
    assert all(isinstance(item, kind) for item in items)


def method(client: Any, operation_id: str) -> Any:
    """`client.a.b.verb` for the operation `a.b.verb`."""
    target = client
    for name in operation_id.split("."):
        target = getattr(target, name)
    return target


def test_the_cases_are_every_operation_of_the_spec() -> None:
    assert len(spec_operations()) == 37
    assert sorted(case.operation_id for case in CASES) == sorted(spec_operations())


@pytest.mark.parametrize("client_class", [Client, AsyncClient])
def test_every_operation_is_a_documented_method_of_both_clients(client_class: type) -> None:
    client = client_class("token", base_url="http://127.0.0.1:9/v1")
    for operation_id in spec_operations():
        found = method(client, operation_id)
        assert callable(found), operation_id
        assert inspect.getdoc(found), operation_id


def check(case: Case, answer: Any, setup: Setup) -> None:
    if case.listing:
        assert answer, f"{case.operation_id} listed nothing"
        assert all(isinstance(item, case.returns) for item in answer)
    elif case.returns is None:
        assert answer is None
    else:
        assert isinstance(answer, case.returns)
    case.check(answer, setup)


@pytest.fixture
def setup(server: LocalServer) -> Iterator[Setup]:
    made = Setup(server)
    yield made
    made.http.close()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.operation_id)
def test_sync(case: Case, setup: Setup, client: Client) -> None:
    args, kwargs = case.call(setup)
    answer = method(client, case.operation_id)(*args, **kwargs)
    if case.listing:
        answer = list(answer)
    if isinstance(answer, FileOutput):
        assert answer.read() == b"some notes"
    check(case, answer, setup)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.operation_id)
async def test_async(case: Case, setup: Setup, async_client: AsyncClient) -> None:
    args, kwargs = case.call(setup)
    answer = method(async_client, case.operation_id)(*args, **kwargs)
    if case.listing:
        answer = [item async for item in answer]
    elif inspect.isawaitable(answer):
        answer = await answer
    if isinstance(answer, FileOutput):
        assert await answer.aread() == b"some notes"
    check(case, answer, setup)
