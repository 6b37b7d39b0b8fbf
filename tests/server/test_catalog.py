from __future__ import annotations

from typing import Any

import httpx
import pytest

from replicate_ext.testing import HELLO_WORLD_VERSION, LocalServer

from .conftest import wait_status

BUNDLED = {
    "hello-world",
    "stream-tokens",
    "make-image",
    "fail",
    "sleep",
    "echo",
    "trainable",
    "split-words",
    "repeat-file",
}


async def collect(
    api: httpx.AsyncClient, url: str, **params: str
) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    first = True
    while next_url:
        page = (await api.get(next_url, params=params if first else None)).json()
        assert set(page) == {"next", "previous", "results"}
        items += page["results"]
        next_url = page["next"]
        first = False
        pages += 1
    return items, pages


async def _create_model(
    api: httpx.AsyncClient, name: str, visibility: str = "private"
) -> httpx.Response:
    return await api.post(
        "/models",
        json={
            "owner": "test-user",
            "name": name,
            "visibility": visibility,
            "hardware": "cpu",
            "description": f"the {name} model",
        },
    )


async def test_models_list_paginates_and_sorts(api: httpx.AsyncClient) -> None:
    models, pages = await collect(api, "/models")
    assert {m["name"] for m in models} == BUNDLED
    assert pages == 2
    model = next(m for m in models if m["name"] == "hello-world")
    assert set(model) == {
        "url",
        "owner",
        "name",
        "description",
        "visibility",
        "github_url",
        "paper_url",
        "license_url",
        "run_count",
        "cover_image_url",
        "default_example",
        "latest_version",
        "is_official",
    }
    assert model["is_official"] is True
    assert next(m for m in models if m["name"] == "fail")["is_official"] is False
    assert model["latest_version"]["id"] == HELLO_WORLD_VERSION
    assert model["default_example"]["output"] == "hello Alice"
    ascending, _ = await collect(api, "/models", sort_by="model_created_at", sort_direction="asc")
    descending, _ = await collect(api, "/models", sort_by="model_created_at", sort_direction="desc")
    assert [m["name"] for m in ascending] == [m["name"] for m in reversed(descending)]
    bad = await api.get("/models", params={"sort_by": "stars"})
    assert bad.status_code == 400


async def test_model_crud(server: LocalServer, api: httpx.AsyncClient) -> None:
    created = await _create_model(api, "my-model")
    assert created.status_code == 201
    body = created.json()
    assert body["owner"] == "test-user"
    assert body["latest_version"] is None
    assert body["run_count"] == 0
    assert (await _create_model(api, "my-model")).status_code == 409

    fetched = (await api.get("/models/test-user/my-model")).json()
    assert fetched == body
    patched = await api.patch(
        "/models/test-user/my-model",
        json={"description": "new", "github_url": "https://github.com/x/y", "readme": "# Hi"},
    )
    assert patched.status_code == 200
    assert patched.json()["description"] == "new"
    assert patched.json()["github_url"] == "https://github.com/x/y"
    readme = await api.get("/models/test-user/my-model/readme")
    assert readme.headers["content-type"].startswith("text/plain")
    assert readme.text == "# Hi"
    assert (await api.patch("/models/test-user/my-model", json={"name": "x"})).status_code == 422

    deleted = await api.delete("/models/test-user/my-model")
    assert deleted.status_code == 204
    assert (await api.get("/models/test-user/my-model")).status_code == 404


async def test_model_create_validation(api: httpx.AsyncClient) -> None:
    missing = await api.post("/models", json={"owner": "test-user"})
    assert missing.status_code == 422
    assert {f["field"] for f in missing.json()["invalid_fields"]} == {
        "name",
        "visibility",
        "hardware",
    }
    other_owner = await api.post(
        "/models",
        json={"owner": "someone", "name": "x", "visibility": "public", "hardware": "cpu"},
    )
    assert other_owner.status_code == 403
    bad_hardware = await api.post(
        "/models",
        json={"owner": "test-user", "name": "x", "visibility": "public", "hardware": "tpu"},
    )
    assert bad_hardware.status_code == 422


async def test_model_delete_restrictions(api: httpx.AsyncClient) -> None:
    assert (await api.delete("/models/replicate/hello-world")).status_code == 403
    await _create_model(api, "public-one", visibility="public")
    assert (await api.delete("/models/test-user/public-one")).status_code == 409
    assert (
        await api.patch("/models/replicate/hello-world", json={"description": "x"})
    ).status_code == 403


async def test_versions_list_get_delete(server: LocalServer, api: httpx.AsyncClient) -> None:
    server.state.page_size = 1
    versions, pages = await collect(api, "/models/replicate/hello-world/versions")
    assert pages == 2
    assert versions[0]["id"] == HELLO_WORLD_VERSION
    assert versions[0]["created_at"] > versions[1]["created_at"]
    assert set(versions[0]) == {"id", "created_at", "cog_version", "openapi_schema"}
    schema = versions[0]["openapi_schema"]["components"]["schemas"]
    assert schema["Input"]["required"] == ["text"]
    assert schema["Output"] == {"title": "Output", "type": "string"}
    one = await api.get(f"/models/replicate/hello-world/versions/{HELLO_WORLD_VERSION}")
    assert one.json() == versions[0]
    assert (await api.get("/models/replicate/hello-world/versions/" + "f" * 64)).status_code == 404
    forbidden = await api.delete(f"/models/replicate/hello-world/versions/{HELLO_WORLD_VERSION}")
    assert forbidden.status_code == 403


async def test_streaming_model_schema_marks_an_iterator(api: httpx.AsyncClient) -> None:
    model = (await api.get("/models/replicate/stream-tokens")).json()
    output = model["latest_version"]["openapi_schema"]["components"]["schemas"]["Output"]
    assert output["type"] == "array"
    assert output["items"] == {"type": "string"}
    assert output["x-cog-array-type"] == "iterator"
    assert output["x-cog-array-display"] == "concatenate"


async def test_training_creates_a_version_on_the_destination(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    await _create_model(api, "tuned")
    trainable = (await api.get("/models/replicate/trainable")).json()
    version = trainable["latest_version"]["id"]
    response = await api.post(
        f"/models/replicate/trainable/versions/{version}/trainings",
        json={"destination": "test-user/tuned", "input": {"steps": 2}},
    )
    assert response.status_code == 201
    training = response.json()
    assert training["status"] == "starting"
    assert training["destination"] == "test-user/tuned"
    # As the API answers (recorded): the new training's URLs are under /predictions/,
    # and they serve it; GET /trainings/{id} gives URLs under /trainings/.
    under_predictions = f"{server.base_url}/predictions/{training['id']}"
    assert training["urls"]["get"] == under_predictions
    assert training["urls"]["cancel"] == f"{under_predictions}/cancel"
    assert response.headers["location"] == under_predictions
    done = await wait_status(api, training["id"], kind="trainings")
    assert done["status"] == "succeeded"
    assert done["urls"]["get"] == f"{server.base_url}/trainings/{training['id']}"
    assert "step 2/2" in done["logs"]
    as_prediction = (await api.get(training["urls"]["get"])).json()
    assert as_prediction["urls"]["get"] == under_predictions
    assert {**as_prediction, "urls": None} == {**done, "urls": None}
    new_version = done["output"]["version"]
    assert new_version.startswith("test-user/tuned:")
    weights = await api.get(done["output"]["weights"])
    assert weights.status_code == 200

    tuned = (await api.get("/models/test-user/tuned")).json()
    assert tuned["latest_version"]["id"] == new_version.split(":")[1]
    run = await api.post(
        "/predictions",
        json={"version": new_version, "input": {"prompt": "yo"}},
        headers={"Prefer": "wait"},
    )
    assert run.json()["output"] == "test-user/tuned (trained for 2 steps) says: yo"

    # A model with versions cannot be deleted; its versions can (202).
    assert (await api.delete("/models/test-user/tuned")).status_code == 409
    version_url = f"/models/test-user/tuned/versions/{new_version.split(':')[1]}"
    assert (await api.delete(version_url)).status_code == 202
    assert (await api.delete("/models/test-user/tuned")).status_code == 204

    listed, _ = await collect(api, "/trainings")
    assert [t["id"] for t in listed] == [training["id"]]


async def test_training_validation_and_cancel(api: httpx.AsyncClient) -> None:
    await _create_model(api, "tuned")
    trainable = (await api.get("/models/replicate/trainable")).json()
    url = f"/models/replicate/trainable/versions/{trainable['latest_version']['id']}/trainings"
    # Word for word the API's (recorded) answer.
    for missing in ("nobody/nothing", "replicate/hello-world"):
        no_dest = await api.post(url, json={"destination": missing, "input": {}})
        assert no_dest.status_code == 404
        assert no_dest.json() == {
            "detail": "The specified training destination does not exist",
            "status": 404,
        }
    not_a_zip = await api.post(
        url,
        json={"destination": "test-user/tuned", "input": {"train_data": "data:,plain"}},
    )
    failed = await wait_status(api, not_a_zip.json()["id"], kind="trainings")
    assert failed["status"] == "failed"
    assert failed["error"] == "train_data is not a zip file (5 bytes)"
    bad_input = await api.post(url, json={"destination": "test-user/tuned", "input": {"steps": 0}})
    assert bad_input.json()["invalid_fields"][0]["field"] == "input.steps"
    not_trainable = await api.post(
        f"/models/replicate/hello-world/versions/{HELLO_WORLD_VERSION}/trainings",
        json={"destination": "test-user/tuned", "input": {}},
    )
    assert not_trainable.status_code == 422

    long = (
        await api.post(url, json={"destination": "test-user/tuned", "input": {"steps": 100}})
    ).json()
    canceled = await api.post(f"/trainings/{long['id']}/cancel")
    assert canceled.json()["status"] == "canceled"
    assert (await api.get(f"/trainings/{long['id']}")).json()["status"] == "canceled"
    other = (
        await api.post(url, json={"destination": "test-user/tuned", "input": {"steps": 100}})
    ).json()
    by_its_url = await api.post(other["urls"]["cancel"])
    assert by_its_url.json()["status"] == "canceled"
    assert by_its_url.json()["urls"]["cancel"] == other["urls"]["cancel"]
    assert (await api.get(f"/trainings/{other['id']}")).json()["status"] == "canceled"
    assert (await api.get("/trainings/nope")).status_code == 404


async def test_deployments_crud_and_predictions(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    spec = {
        "name": "greeter",
        "model": "replicate/hello-world",
        "version": HELLO_WORLD_VERSION,
        "hardware": "gpu-t4",
        "min_instances": 0,
        "max_instances": 3,
    }
    created = await api.post("/deployments", json=spec)
    assert created.status_code == 201
    body = created.json()
    assert body["owner"] == "test-user"
    release = body["current_release"]
    assert release["number"] == 1
    assert release["configuration"] == {
        "hardware": "gpu-t4",
        "min_instances": 0,
        "max_instances": 3,
    }
    assert release["created_by"]["username"] == "test-user"
    assert (await api.post("/deployments", json=spec)).status_code == 409

    updated = await api.patch("/deployments/test-user/greeter", json={"max_instances": 5})
    assert updated.json()["current_release"]["number"] == 2
    assert updated.json()["current_release"]["configuration"]["max_instances"] == 5
    bad = await api.patch("/deployments/test-user/greeter", json={"min_instances": 6})
    assert bad.status_code == 422
    assert (await api.get("/deployments/test-user/greeter")).json() == updated.json()

    run = await api.post(
        "/deployments/test-user/greeter/predictions",
        json={"input": {"text": "D"}},
        headers={"Prefer": "wait"},
    )
    assert run.status_code == 201
    assert run.json()["output"] == "hello D"
    assert run.json()["deployment"] == "test-user/greeter"
    route = "POST /v1/deployments/{deployment_owner}/{deployment_name}/predictions"
    assert server.state.creations[route] == 1

    for name in ("b", "c", "d", "e", "f"):
        await api.post("/deployments", json={**spec, "name": name})
    listed, pages = await collect(api, "/deployments")
    assert [d["name"] for d in listed] == ["f", "e", "d", "c", "b", "greeter"]
    assert pages == 2

    assert (await api.delete("/deployments/test-user/greeter")).status_code == 204
    assert (await api.get("/deployments/test-user/greeter")).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_instances": -1}, "min_instances"),
        ({"max_instances": 1000}, "max_instances"),
        ({"min_instances": 4, "max_instances": 2}, "min_instances"),
        ({"min_instances": 6, "max_instances": 10}, "min_instances"),
        ({"hardware": "abacus"}, "hardware"),
        ({"version": "0" * 64}, "version"),
        ({"model": "nobody/nothing"}, "model"),
    ],
)
async def test_deployment_validation(
    api: httpx.AsyncClient, change: dict[str, object], field: str
) -> None:
    spec = {
        "name": "d",
        "model": "replicate/hello-world",
        "version": HELLO_WORLD_VERSION,
        "hardware": "cpu",
        "min_instances": 0,
        "max_instances": 1,
        **change,
    }
    response = await api.post("/deployments", json=spec)
    assert response.status_code == 422
    assert field in {f["field"] for f in response.json()["invalid_fields"]}


async def test_collections(api: httpx.AsyncClient) -> None:
    collections, _ = await collect(api, "/collections")
    assert all(set(c) == {"name", "slug", "description"} for c in collections)
    slugs = [c["slug"] for c in collections]
    assert "text-generation" in slugs
    detail = (await api.get("/collections/text-generation")).json()
    assert [m["name"] for m in detail["models"]] == ["hello-world", "stream-tokens"]
    assert (await api.get("/collections/nope")).status_code == 404


async def test_examples(api: httpx.AsyncClient) -> None:
    page = (await api.get("/models/replicate/make-image/examples")).json()
    assert page["next"] is None
    example = page["results"][0]
    assert example["status"] == "succeeded"
    image = await api.get(example["output"][0])
    assert image.content.startswith(b"\x89PNG")


async def test_search(api: httpx.AsyncClient) -> None:
    response = await api.get("/search", params={"query": "image"})
    body = response.json()
    assert body["query"] == "image"
    first = body["models"][0]
    assert first["model"]["name"] == "make-image"
    assert first["model"]["is_official"] is True
    assert set(first["metadata"]) == {"generated_description", "score", "tags"}
    assert any(c["slug"] == "image-generation" for c in body["collections"])
    assert body["collections"][0]["models"] == ["replicate/make-image"]
    assert all(set(p) == {"name", "href"} for p in body["pages"])
    limited = (await api.get("/search", params={"query": "model", "limit": 1})).json()
    assert len(limited["models"]) == 1
    assert (await api.get("/search", params={"query": "x", "limit": 51})).status_code == 400
    assert (await api.get("/search")).status_code == 400


async def test_query_method_searches_models(server: LocalServer, api: httpx.AsyncClient) -> None:
    response = await api.request(
        "QUERY", "/models", content=b"hello", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 200
    assert [m["name"] for m in response.json()["results"]] == ["hello-world"]
    server.state.page_size = 2
    testing = await api.request("QUERY", "/models", content=b"testing")
    page = testing.json()
    assert len(page["results"]) == 2
    assert page["next"] is not None
    rest = await api.request("QUERY", page["next"], content=b"testing")
    assert len(rest.json()["results"]) == 1


async def test_readme_of_bundled_model(api: httpx.AsyncClient) -> None:
    response = await api.get("/models/replicate/hello-world/readme")
    assert response.text.startswith("# hello-world")
    assert (await api.get("/models/nobody/nothing/readme")).status_code == 404


async def _fill(api: httpx.AsyncClient) -> None:
    """Make every list longer than one page of one item."""
    for name in ("one", "two"):
        await _create_model(api, name)
        await api.post("/files", files={"content": (name, name.encode())})
        await api.post(
            "/deployments",
            json={
                "name": name,
                "model": "replicate/hello-world",
                "version": HELLO_WORLD_VERSION,
                "hardware": "cpu",
                "min_instances": 0,
                "max_instances": 1,
            },
        )
        await api.post("/models/replicate/hello-world/predictions", json={"input": {"text": name}})
        trainable = (await api.get("/models/replicate/trainable")).json()["latest_version"]["id"]
        await api.post(
            f"/models/replicate/trainable/versions/{trainable}/trainings",
            json={"destination": "test-user/one", "input": {"steps": 100}},
        )


@pytest.mark.parametrize(
    "url",
    [
        "/predictions",
        "/trainings",
        "/models",
        "/models/replicate/hello-world/versions",
        "/deployments",
        "/collections",
        "/files",
    ],
)
async def test_every_list_paginates_consistently(
    server: LocalServer, api: httpx.AsyncClient, url: str
) -> None:
    await _fill(api)
    server.state.page_size = 100
    everything = (await api.get(url)).json()
    assert everything["next"] is None
    assert everything["previous"] is None
    server.state.page_size = 1
    items, pages = await collect(api, url)

    def key(item: dict[str, Any]) -> str:
        # Running jobs change between requests; compare identities only.
        return str(item.get("id") or item.get("slug") or (item.get("owner"), item["name"]))

    assert [key(i) for i in items] == [key(i) for i in everything["results"]]
    assert pages == len(items) >= 2
    # previous links walk back to the start.
    first = (await api.get(url)).json()
    second = (await api.get(first["next"])).json()
    back = (await api.get(second["previous"])).json()
    assert [key(i) for i in back["results"]] == [key(i) for i in first["results"]]
    assert back["next"] == first["next"]


async def test_query_and_examples_lists_paginate(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    server.state.page_size = 1
    page = (await api.request("QUERY", "/models", content=b"model")).json()
    names = [page["results"][0]["name"]]
    while page["next"]:
        page = (await api.request("QUERY", page["next"], content=b"model")).json()
        names += [m["name"] for m in page["results"]]
    assert len(names) == len(set(names)) >= 2
    examples = (await api.get("/models/replicate/hello-world/examples")).json()
    assert examples["next"] is None
    assert len(examples["results"]) == 1
