"""Every operation of openapi/replicate.yaml against the local server, validated by schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from replicate_ext.testing import HELLO_WORLD_VERSION, LocalServer

from .conftest import anonymous, wait_status

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "replicate.yaml"
SPEC_URI = "urn:replicate-spec"
METHODS = ("get", "post", "put", "patch", "delete")

pytestmark = pytest.mark.skipif(not SPEC_PATH.exists(), reason="openapi/replicate.yaml missing")


def _load() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return spec


class Conformance:
    def __init__(self) -> None:
        self.spec = _load()
        self.registry: Registry = Registry().with_resource(
            SPEC_URI, Resource.from_contents(self.spec, default_specification=DRAFT202012)
        )
        self.operations: dict[str, dict[str, Any]] = {}
        for item in self.spec["paths"].values():
            for method in METHODS:
                if method in item:
                    self.operations[item[method]["operationId"]] = item[method]
        self.covered: set[str] = set()

    def all_operation_ids(self) -> set[str]:
        extra = {
            op["operationId"] for op in self.spec["info"].get("x-operations-not-expressible", [])
        }
        return set(self.operations) | extra

    def _resolve_response(self, response: dict[str, Any]) -> dict[str, Any]:
        ref = response.get("$ref")
        if ref is None:
            return response
        node: Any = self.spec
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return self._resolve_response(node)

    def _validate(self, schema: dict[str, Any], body: Any, where: str) -> None:
        # Rebase the spec's local refs so inline response schemas resolve too.
        rebased = json.loads(json.dumps(schema).replace('"#/', f'"{SPEC_URI}#/'))
        validator = Draft202012Validator(
            rebased,
            registry=self.registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, f"{where}: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors[:5]
        )

    def check(self, operation_id: str, response: httpx.Response) -> Any:
        """Assert the response is documented and its body matches; return the JSON body."""
        self.covered.add(operation_id)
        where = f"{operation_id} -> {response.status_code}"
        if operation_id == "models.search":
            entry = next(
                op
                for op in self.spec["info"]["x-operations-not-expressible"]
                if op["operationId"] == operation_id
            )
            assert response.status_code == 200, where
            self._validate({"$ref": entry["response"]}, response.json(), where)
            return response.json()
        responses = self.operations[operation_id]["responses"]
        code = str(response.status_code)
        documented = responses.get(code) or responses.get(f"{code[0]}XX")
        assert documented is not None, f"{where}: status not documented"
        documented = self._resolve_response(documented)
        content = documented.get("content")
        if not content:
            assert response.content == b"", f"{where}: expected an empty body"
            return None
        media = response.headers["content-type"].split(";")[0].strip()
        assert media in content or "application/octet-stream" in content, (
            f"{where}: content type {media} not documented"
        )
        if media.endswith("json"):
            self._validate(content[media]["schema"], response.json(), where)
            return response.json()
        return response.content


@pytest.fixture(scope="module")
def conformance() -> Conformance:
    return Conformance()


def test_the_spec_lists_37_operations(conformance: Conformance) -> None:
    assert len(conformance.all_operation_ids()) == 37


async def test_every_operation_conforms(
    conformance: Conformance, server: LocalServer, api: httpx.AsyncClient
) -> None:
    c = conformance.check

    c("account.get", await api.get("/account"))
    c("hardware.list", await api.get("/hardware"))
    c("webhooks.default.secret.get", await api.get("/webhooks/default/secret"))
    c("collections.list", await api.get("/collections"))
    c("collections.get", await api.get("/collections/text-generation"))
    c("search", await api.get("/search", params={"query": "image"}))
    c("models.list", await api.get("/models", params={"sort_by": "model_created_at"}))
    c("models.search", await api.request("QUERY", "/models", content=b"hello"))
    c("models.get", await api.get("/models/replicate/hello-world"))
    c("models.readme.get", await api.get("/models/replicate/hello-world/readme"))
    for name in ("make-image", "hello-world", "stream-tokens", "fail"):
        c("models.examples.list", await api.get(f"/models/replicate/{name}/examples"))
    c("models.versions.list", await api.get("/models/replicate/hello-world/versions"))
    c(
        "models.versions.get",
        await api.get(f"/models/replicate/hello-world/versions/{HELLO_WORLD_VERSION}"),
    )

    created = c(
        "models.create",
        await api.post(
            "/models",
            json={
                "owner": "test-user",
                "name": "conformance",
                "visibility": "private",
                "hardware": "cpu",
            },
        ),
    )
    assert created["latest_version"] is None
    c(
        "models.update",
        await api.patch("/models/test-user/conformance", json={"readme": "# C", "paper_url": None}),
    )

    # Predictions of every shape: plain, waited, streaming, failed, canceled, files.
    running = c(
        "predictions.create",
        await api.post(
            "/predictions",
            json={
                "version": HELLO_WORLD_VERSION,
                "input": {"text": "c"},
                "webhook": "http://127.0.0.1:9/x",
            },
            headers={"Cancel-After": "5m"},
        ),
    )
    c("predictions.get", await api.get(f"/predictions/{running['id']}"))
    await wait_status(api, running["id"])
    c("predictions.get", await api.get(f"/predictions/{running['id']}"))
    c(
        "models.predictions.create",
        await api.post(
            "/models/replicate/stream-tokens/predictions",
            json={"input": {"prompt": "a b"}},
            headers={"Prefer": "wait"},
        ),
    )
    c(
        "models.predictions.create",
        await api.post(
            "/models/replicate/make-image/predictions",
            json={"input": {}},
            headers={"Prefer": "wait=10"},
        ),
    )
    c(
        "models.predictions.create",
        await api.post(
            "/models/replicate/fail/predictions", json={"input": {}}, headers={"Prefer": "wait"}
        ),
    )
    slow = c(
        "models.predictions.create",
        await api.post("/models/replicate/sleep/predictions", json={"input": {"seconds": 500}}),
    )
    c("predictions.cancel", await api.post(f"/predictions/{slow['id']}/cancel"))
    c("predictions.list", await api.get("/predictions"))
    c(
        "predictions.list",
        await api.get("/predictions", params={"created_after": "2020-01-01T00:00:00Z"}),
    )

    deployment = {
        "name": "conf",
        "model": "replicate/hello-world",
        "version": HELLO_WORLD_VERSION,
        "hardware": "cpu",
        "min_instances": 0,
        "max_instances": 1,
    }
    c("deployments.create", await api.post("/deployments", json=deployment))
    c("deployments.get", await api.get("/deployments/test-user/conf"))
    c(
        "deployments.update",
        await api.patch("/deployments/test-user/conf", json={"max_instances": 2}),
    )
    c("deployments.list", await api.get("/deployments"))
    c(
        "deployments.predictions.create",
        await api.post(
            "/deployments/test-user/conf/predictions",
            json={"input": {"text": "d"}},
            headers={"Prefer": "wait"},
        ),
    )
    c("deployments.delete", await api.delete("/deployments/test-user/conf"))

    await api.post(
        "/models",
        json={"owner": "test-user", "name": "tuned", "visibility": "private", "hardware": "cpu"},
    )
    trainable = (await api.get("/models/replicate/trainable")).json()["latest_version"]["id"]
    training = c(
        "trainings.create",
        await api.post(
            f"/models/replicate/trainable/versions/{trainable}/trainings",
            json={"destination": "test-user/tuned", "input": {"steps": 1}},
        ),
    )
    await wait_status(api, training["id"], kind="trainings")
    finished = c("trainings.get", await api.get(f"/trainings/{training['id']}"))
    long = (
        await api.post(
            f"/models/replicate/trainable/versions/{trainable}/trainings",
            json={"destination": "test-user/tuned", "input": {"steps": 100}},
        )
    ).json()
    c("trainings.cancel", await api.post(f"/trainings/{long['id']}/cancel"))
    c("trainings.list", await api.get("/trainings"))
    new_version = finished["output"]["version"].split(":")[1]
    c("models.versions.delete", await api.delete(f"/models/test-user/tuned/versions/{new_version}"))
    c("models.delete", await api.delete("/models/test-user/conformance"))

    uploaded = c(
        "files.create",
        await api.post(
            "/files",
            files={"content": ("c.txt", b"conformance", "text/plain")},
            data={"metadata": '{"a": 1}'},
        ),
    )
    c("files.get", await api.get(f"/files/{uploaded['id']}"))
    c("files.list", await api.get("/files"))
    async with anonymous() as client:
        c("files.download", await client.get(server.state.signed_download_url(uploaded["id"])))
    c("files.delete", await api.delete(f"/files/{uploaded['id']}"))

    assert conformance.covered == conformance.all_operation_ids()


async def test_problems_conform(
    conformance: Conformance, server: LocalServer, api: httpx.AsyncClient
) -> None:
    async with anonymous(base_url=server.base_url) as client:
        conformance.check("account.get", await client.get("/account"))
    conformance.check("models.get", await api.get("/models/nobody/nothing"))
    invalid = conformance.check(
        "predictions.create",
        await api.post("/predictions", json={"version": "replicate/hello-world", "input": {}}),
    )
    assert invalid["invalid_fields"]
    server.state.set_rate_limit("others", 60, burst=1)
    await api.get("/hardware")
    throttled = await api.get("/hardware")
    conformance.check("hardware.list", throttled)
    assert re.fullmatch(r"\d+", throttled.headers["retry-after"])


async def test_stream_url_and_delivery_urls_are_uris(api: httpx.AsyncClient) -> None:
    body = (await api.post("/models/replicate/make-image/predictions", json={"input": {}})).json()
    assert body["urls"]["stream"].startswith("http://")
