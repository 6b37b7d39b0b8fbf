"""Field names: every key of the reference's JSON examples appears in our objects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from replicate_ext.testing import HELLO_WORLD_VERSION, LocalServer

from .conftest import wait_status

SEEDS = Path(__file__).resolve().parents[1] / "spec" / "seed_examples.json"

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="seed examples missing")


def missing_keys(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Keys present in ``expected`` (recursively) but absent from ``actual``."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        missing = [f"{where}.{key}" for key in expected if key not in actual]
        for key, value in expected.items():
            if key in actual and key not in ("input", "output", "metadata", "openapi_schema"):
                missing += missing_keys(value, actual[key], f"{where}.{key}")
        return missing
    if isinstance(expected, list) and isinstance(actual, list) and expected and actual:
        return missing_keys(expected[0], actual[0], f"{where}[0]")
    return []


async def test_our_objects_have_every_field_of_the_reference(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    seeds = {key: value["example"] for key, value in json.loads(SEEDS.read_text()).items()}

    await api.post(
        "/models",
        json={"owner": "test-user", "name": "dest", "visibility": "private", "hardware": "cpu"},
    )
    deployment = {
        "name": "dep",
        "model": "replicate/hello-world",
        "version": HELLO_WORLD_VERSION,
        "hardware": "cpu",
        "min_instances": 0,
        "max_instances": 1,
    }
    prediction = (
        await api.post(
            "/models/replicate/hello-world/predictions",
            json={"input": {"text": "a"}},
            headers={"Prefer": "wait"},
        )
    ).json()
    trainable = (await api.get("/models/replicate/trainable")).json()["latest_version"]["id"]
    training = (
        await api.post(
            f"/models/replicate/trainable/versions/{trainable}/trainings",
            json={"destination": "test-user/dest", "input": {"steps": 1}},
        )
    ).json()
    await wait_status(api, training["id"], kind="trainings")
    uploaded = (await api.post("/files", files={"content": ("a.png", b"x", "image/png")})).json()
    server.state.set_rate_limit("others", 60, burst=1)
    throttled_first = await api.get("/hardware")
    throttled = await api.get("/hardware")
    server.state.clear_rate_limits()

    ours = {
        "account.get": (await api.get("/account")).json(),
        "collections.list": (await api.get("/collections")).json(),
        "collections.get": (await api.get("/collections/text-generation")).json(),
        "deployments.create": (await api.post("/deployments", json=deployment)).json(),
        "deployments.update": (
            await api.patch("/deployments/test-user/dep", json={"max_instances": 2})
        ).json(),
        "deployments.list": (await api.get("/deployments")).json(),
        "hardware.list[0]": (await api.get("/hardware")).json()[0],
        "models.list": (await api.get("/models")).json(),
        "models.create": (await api.get("/models/test-user/dest")).json(),
        "models.get": (await api.get("/models/replicate/hello-world")).json(),
        "models.versions.list": (await api.get("/models/replicate/hello-world/versions")).json(),
        "models.versions.get": (
            await api.get(f"/models/replicate/hello-world/versions/{HELLO_WORLD_VERSION}")
        ).json(),
        "trainings.create": training,
        "trainings.list": (await api.get("/trainings")).json(),
        "trainings.get": (await api.get(f"/trainings/{training['id']}")).json(),
        "predictions.list": (await api.get("/predictions")).json(),
        "predictions.get": (await api.get(f"/predictions/{prediction['id']}")).json(),
        "webhooks.default.secret.get": (await api.get("/webhooks/default/secret")).json(),
        "files.get": (await api.get(f"/files/{uploaded['id']}")).json(),
        "search": (await api.get("/search", params={"query": "image"})).json(),
        "problem.429": throttled.json(),
        "problem.422": (
            await api.post("/models/replicate/hello-world/predictions", json={"input": {}})
        ).json(),
    }
    assert throttled_first.status_code == 200
    assert set(ours) == set(seeds)
    problems = {key: missing_keys(seeds[key], ours[key]) for key in seeds}
    assert {key: value for key, value in problems.items() if value} == {}
