"""Our typed calls against Replicate's published schema, served by Prism.

Every operation Prism can serve is called through `client.api` with the typed
functions of `generated`, once per request shape on the static examples and
for ROUNDS seeded rounds of random answers. Each request must be one the
published schema accepts (Prism reports no violation), and each answer must
be read whole: `unwrap()` gives the declared type (None for a delete), nothing
is lost (`to_dict()` gives the body back), no typed attribute holds a raw
dict, and our own spec's schema allows the body too.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import attrs
import pytest
from recorded.conftest import (
    assert_no_raw_dict_in_typed_fields,
    normalized,
    operation_named,
    spec_errors,
)

from generated.api.account import account_get
from generated.api.collections import collections_get, collections_list
from generated.api.deployments import (
    deployments_create,
    deployments_delete,
    deployments_get,
    deployments_list,
    deployments_predictions_create,
    deployments_update,
)
from generated.api.files import files_create, files_delete, files_download, files_get, files_list
from generated.api.hardware import hardware_list
from generated.api.models import (
    models_create,
    models_delete,
    models_examples_list,
    models_get,
    models_list,
    models_predictions_create,
    models_readme_get,
    models_update,
    models_versions_delete,
    models_versions_get,
    models_versions_list,
)
from generated.api.predictions import (
    predictions_cancel,
    predictions_create,
    predictions_get,
    predictions_list,
)
from generated.api.search import search
from generated.api.trainings import (
    trainings_cancel,
    trainings_create,
    trainings_get,
    trainings_list,
)
from generated.api.webhooks import webhooks_default_secret_get
from generated.client import Client as GeneratedClient
from generated.errors import ParseError
from generated.models import (
    DeploymentCreateRequest,
    DeploymentUpdateRequest,
    FileCreateRequest,
    ModelCreateRequest,
    ModelPredictionRequest,
    ModelUpdateRequest,
    PredictionRequest,
    TrainingRequest,
)
from generated.types import UNSET, Response
from generated.types import File as Upload
from replicate_ext import Client, unwrap

from ._minimal import read_minimal
from .conftest import PUBLISHED, ROUNDS, SEED, Mock, PrismControls, Prisms

VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
WEBHOOK = "https://example.com/replicate-webhook"
CREATIONS = {"predictions.create", "models.predictions.create", "deployments.predictions.create"}


@dataclass(frozen=True)
class Shape:
    """Which request an operation is called with: only what it requires, or everything."""

    full: bool
    prefer: bool = False  # Prefer and Cancel-After on a creation (Prism then ignores __seed)

    def prediction_options(self) -> dict[str, Any]:
        if not self.full:
            return {}
        return {
            "webhook": WEBHOOK,
            "webhook_events_filter": ["start", "completed"],
            "stream": True,
        }

    def creation_headers(self) -> dict[str, Any]:
        return {"prefer": "wait=5", "cancel_after": "5m"} if self.prefer else {}


Call = Callable[[GeneratedClient, Shape], Response[Any]]


def _predictions_create(api: GeneratedClient, shape: Shape) -> Response[Any]:
    # from_dict, with the wire's names: the Python name of `input` is the generator's choice.
    body = PredictionRequest.from_dict(
        {"version": VERSION, "input": {"text": "Alice"}, **shape.prediction_options()}
    )
    return predictions_create.sync_detailed(client=api, body=body, **shape.creation_headers())


def _models_predictions_create(api: GeneratedClient, shape: Shape) -> Response[Any]:
    body = ModelPredictionRequest.from_dict(
        {"input": {"prompt": "a joke"}, **shape.prediction_options()}
    )
    return models_predictions_create.sync_detailed(
        "meta", "meta-llama-3-8b-instruct", client=api, body=body, **shape.creation_headers()
    )


def _deployments_predictions_create(api: GeneratedClient, shape: Shape) -> Response[Any]:
    body = ModelPredictionRequest.from_dict(
        {"input": {"prompt": "a joke"}, **shape.prediction_options()}
    )
    return deployments_predictions_create.sync_detailed(
        "acme", "greeter", client=api, body=body, **shape.creation_headers()
    )


def _deployments_create(api: GeneratedClient, shape: Shape) -> Response[Any]:
    body = DeploymentCreateRequest(
        name="greeter",
        model="replicate/hello-world",
        version=VERSION,
        hardware="cpu",
        min_instances=0,
        max_instances=1 if shape.full else 0,
    )
    return deployments_create.sync_detailed(client=api, body=body)


def _deployments_update(api: GeneratedClient, shape: Shape) -> Response[Any]:
    body = (
        DeploymentUpdateRequest(
            hardware="gpu-t4", min_instances=1, max_instances=5, version=VERSION
        )
        if shape.full
        else DeploymentUpdateRequest()
    )
    return deployments_update.sync_detailed("acme", "greeter", client=api, body=body)


def _files_create(api: GeneratedClient, shape: Shape) -> Response[Any]:
    content = Upload(payload=io.BytesIO(b"hello"), file_name="hello.txt", mime_type="text/plain")
    # No `metadata`: we send it as an application/json part, as Replicate takes
    # it, but Prism reads every multipart field as text, so an object there is a
    # violation to it whatever a client sends.
    body = (
        FileCreateRequest(content=content, filename="hello.txt", type="text/plain")
        if shape.full
        else FileCreateRequest(content=content)
    )
    return files_create.sync_detailed(client=api, body=body)


def _models_create(api: GeneratedClient, shape: Shape) -> Response[Any]:
    extra = (
        {
            "description": "Detect hot dogs in images",
            "github_url": "https://github.com/alice/hot-dog-detector",
            "paper_url": "https://arxiv.org/abs/2504.17639",
            "license_url": "https://example.com/license",
            "cover_image_url": "https://example.com/cover.png",
        }
        if shape.full
        else {}
    )
    body = ModelCreateRequest(
        owner="alice", name="hot-dog-detector", visibility="private", hardware="cpu", **extra
    )
    return models_create.sync_detailed(client=api, body=body)


def _models_update(api: GeneratedClient, shape: Shape) -> Response[Any]:
    body = (
        ModelUpdateRequest(
            description="Detect hot dogs",
            github_url="https://github.com/alice/hot-dog-detector",
            license_url="https://example.com/license",
            paper_url="https://arxiv.org/abs/2504.17639",
            readme="# Hot dogs\n",
            weights_url="https://example.com/weights",
        )
        if shape.full
        else ModelUpdateRequest()
    )
    return models_update.sync_detailed("alice", "hot-dog-detector", client=api, body=body)


def _trainings_create(api: GeneratedClient, shape: Shape) -> Response[Any]:
    options = {"webhook": WEBHOOK, "webhook_events_filter": ["completed"]} if shape.full else {}
    body = TrainingRequest.from_dict(
        {
            "destination": "alice/my-sdxl",
            "input": {"input_images": "https://example.com/a.zip"},
            **options,
        }
    )
    return trainings_create.sync_detailed("stability-ai", "sdxl", VERSION, client=api, body=body)


def _predictions_list(api: GeneratedClient, shape: Shape) -> Response[Any]:
    if not shape.full:
        return predictions_list.sync_detailed(client=api)
    return predictions_list.sync_detailed(
        client=api,
        created_after=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        created_before=datetime.datetime(2025, 2, 1, 12, 30, tzinfo=datetime.UTC),
        source="web",
    )


def _models_list(api: GeneratedClient, shape: Shape) -> Response[Any]:
    if not shape.full:
        return models_list.sync_detailed(client=api)
    return models_list.sync_detailed(client=api, sort_by="model_created_at", sort_direction="asc")


CALLS: dict[str, Call] = {
    "account.get": lambda api, s: account_get.sync_detailed(client=api),
    "collections.get": lambda api, s: collections_get.sync_detailed("text-to-image", client=api),
    "collections.list": lambda api, s: collections_list.sync_detailed(client=api),
    "deployments.create": _deployments_create,
    "deployments.delete": lambda api, s: deployments_delete.sync_detailed(
        "acme", "greeter", client=api
    ),
    "deployments.get": lambda api, s: deployments_get.sync_detailed("acme", "greeter", client=api),
    "deployments.list": lambda api, s: deployments_list.sync_detailed(client=api),
    "deployments.predictions.create": _deployments_predictions_create,
    "deployments.update": _deployments_update,
    "files.create": _files_create,
    "files.delete": lambda api, s: files_delete.sync_detailed(
        "cneqzikepnug6xezperrr4z55o", client=api
    ),
    "files.download": lambda api, s: files_download.sync_detailed(
        "cneqzikepnug6xezperrr4z55o",
        client=api,
        owner="alice",
        expiry=1_900_000_000,
        signature="c2lnbmF0dXJl",
    ),
    "files.get": lambda api, s: files_get.sync_detailed("cneqzikepnug6xezperrr4z55o", client=api),
    "files.list": lambda api, s: files_list.sync_detailed(client=api),
    "hardware.list": lambda api, s: hardware_list.sync_detailed(client=api),
    "models.create": _models_create,
    "models.delete": lambda api, s: models_delete.sync_detailed(
        "alice", "hot-dog-detector", client=api
    ),
    "models.examples.list": lambda api, s: models_examples_list.sync_detailed(
        "stability-ai", "sdxl", client=api
    ),
    "models.get": lambda api, s: models_get.sync_detailed("stability-ai", "sdxl", client=api),
    "models.list": _models_list,
    "models.predictions.create": _models_predictions_create,
    "models.readme.get": lambda api, s: models_readme_get.sync_detailed(
        "stability-ai", "sdxl", client=api
    ),
    "models.update": _models_update,
    "models.versions.delete": lambda api, s: models_versions_delete.sync_detailed(
        "alice", "hot-dog-detector", VERSION, client=api
    ),
    "models.versions.get": lambda api, s: models_versions_get.sync_detailed(
        "stability-ai", "sdxl", VERSION, client=api
    ),
    "models.versions.list": lambda api, s: models_versions_list.sync_detailed(
        "stability-ai", "sdxl", client=api
    ),
    "predictions.cancel": lambda api, s: predictions_cancel.sync_detailed(
        "ufawqhfynnddngldkgtslldrkq", client=api
    ),
    "predictions.create": _predictions_create,
    "predictions.get": lambda api, s: predictions_get.sync_detailed(
        "ufawqhfynnddngldkgtslldrkq", client=api
    ),
    "predictions.list": _predictions_list,
    "search": lambda api, s: search.sync_detailed(
        client=api, query="nano banana", limit=10 if s.full else UNSET
    ),
    "trainings.cancel": lambda api, s: trainings_cancel.sync_detailed(
        "zz4ibbonubfz7carwiefibzgga", client=api
    ),
    "trainings.create": _trainings_create,
    "trainings.get": lambda api, s: trainings_get.sync_detailed(
        "zz4ibbonubfz7carwiefibzgga", client=api
    ),
    "trainings.list": lambda api, s: trainings_list.sync_detailed(client=api),
    "webhooks.default.secret.get": lambda api, s: webhooks_default_secret_get.sync_detailed(
        client=api
    ),
}


def published_operations() -> dict[str, dict[str, Any]]:
    """The published schema's operations Prism serves: every one under `paths` but QUERY."""
    document = json.loads(PUBLISHED.read_text())
    return {
        op["operationId"]: op
        for item in document["paths"].values()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }


OPERATIONS = published_operations()


def successes(operation_id: str) -> list[int]:
    return sorted(int(code) for code in OPERATIONS[operation_id]["responses"] if code < "300")


def test_every_operation_prism_serves_is_called() -> None:
    assert len(OPERATIONS) == 36  # the 37 of the API but QUERY /models, which Prism cannot route
    assert set(CALLS) == set(OPERATIONS)


@dataclass
class Caller:
    """Typed calls through a client of ours, wired to one Prism."""

    mock: Mock
    controls: PrismControls
    client: Client

    def call(self, operation_id: str, shape: Shape, **controls: str) -> Response[Any]:
        self.controls.params = controls
        try:
            return CALLS[operation_id](self.client.api, shape)
        finally:
            self.controls.params = {}


@pytest.fixture(scope="module")
def static(prisms: Prisms) -> Iterator[Caller]:
    yield from _caller(prisms.static)


@pytest.fixture(scope="module")
def dynamic(prisms: Prisms) -> Iterator[Caller]:
    yield from _caller(prisms.dynamic)


def _caller(mock: Mock) -> Iterator[Caller]:
    controls = PrismControls()
    with Client("r8_prism", base_url=f"{mock.url}/v1", transport=controls, max_retries=0) as client:
        yield Caller(mock, controls, client)


def check(operation_id: str, response: Response[Any], status: int, context: str) -> None:
    """The request was accepted, and the answer is read whole."""
    where = f"{operation_id} ({context})"
    # Prism reports its own answers too when they break the schema (a random
    # `version` of "hidden" matches both branches of the published oneOf): only
    # what it says of the request counts here, and the answer must be read anyway.
    violations = json.loads(response.headers.get("sl-violations", "[]"))
    rejected = [v for v in violations if v["location"][:1] == ["request"]]
    assert rejected == [], f"{where}: Prism says the request breaks the schema: {rejected}"
    assert response.status_code == status, f"{where}: {response.status_code} {response.content!r}"
    try:
        parsed = unwrap(response)
    except Exception as error:
        raise AssertionError(f"{where}: {error!r}\nanswer: {response.content.decode()}") from None
    if operation_id.endswith(".delete"):
        assert parsed is None, where
        return
    if operation_id == "models.readme.get":
        assert parsed == response.content.decode(), where
        return
    if operation_id == "files.download":
        assert parsed.payload.read() == response.content, where
        return
    body = json.loads(response.content)
    items = parsed if isinstance(parsed, list) else [parsed]
    for item in items:
        assert attrs.has(type(item)), f"{where}: {item!r}"
        assert_no_raw_dict_in_typed_fields(item)
    kept = [item.to_dict() for item in items]
    sent = body if isinstance(body, list) else [body]
    assert normalized(kept) == normalized(sent), f"{where}: a field was lost or changed\n{body}"
    errors = spec_errors(operation_named(operation_id), status, body)
    assert errors == [], f"{where}: openapi/replicate.yaml does not allow it: {errors}\n{body}"
    try:  # and with only what the published schema requires
        read_minimal(operation_id, status, body)
    except (AssertionError, ParseError) as error:
        raise AssertionError(f"{where}, cut to what it requires: {error}\nanswer: {body}") from None


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_the_static_examples_are_read(static: Caller, operation_id: str) -> None:
    first = successes(operation_id)[0]
    for shape in (Shape(full=False), Shape(full=True, prefer=operation_id in CREATIONS)):
        response = static.call(operation_id, shape)
        check(operation_id, response, first, f"static example, {shape}")
    for status in successes(operation_id)[1:]:  # 202: created, but not finished
        response = static.call(operation_id, Shape(full=True), __code=str(status))
        check(operation_id, response, status, f"static example of {status}")


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_random_answers_are_read(dynamic: Caller, operation_id: str) -> None:
    statuses = successes(operation_id)

    def one(round_: int) -> None:
        status = statuses[round_ % len(statuses)]
        response = dynamic.call(
            operation_id,
            Shape(full=bool(round_ % 2)),
            __seed=f"{SEED}-{round_}",
            __code=str(status),
        )
        context = f"random answer, REPLICATE_EXT_PRISM_SEED={SEED} round {round_}"
        check(operation_id, response, status, context)

    # Prism makes an answer while the last one is read: a few rounds at once.
    with ThreadPoolExecutor(4) as rounds:
        for done in rounds.map(one, range(ROUNDS)):
            assert done is None
