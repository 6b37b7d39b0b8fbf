"""The spec is valid, complete, and the generated client matches it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi" / "replicate.yaml"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
API_NOTES_OPERATIONS = 37


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text())


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


def test_spec_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec)


def test_every_operation_is_described(spec: dict[str, Any]) -> None:
    described = {op["operationId"] for _, _, op in operations(spec)}
    outside = {op["operationId"] for op in spec["info"]["x-operations-not-expressible"]}
    assert outside == {"models.search"}
    assert len(described) + len(outside) == API_NOTES_OPERATIONS
    assert not described & outside


def test_operation_ids_are_dotted_and_tagged(spec: dict[str, Any]) -> None:
    tags = {t["name"] for t in spec["tags"]}
    for _, _, op in operations(spec):
        assert re.fullmatch(r"[a-z]+(\.[a-z]+)*", op["operationId"])
        assert len(op["tags"]) == 1
        assert op["tags"][0] in tags


def test_every_operation_has_a_generated_module(spec: dict[str, Any]) -> None:
    for _, _, op in operations(spec):
        tag = op["tags"][0]
        name = op["operationId"].replace(".", "_")
        module = importlib.import_module(f"generated.api.{tag}.{name}")
        for function in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            assert callable(getattr(module, function)), (name, function)


@pytest.mark.parametrize(
    "operation",
    ["predictions.create", "models.predictions.create", "deployments.predictions.create"],
)
def test_prediction_creation_takes_prefer_and_cancel_after(
    spec: dict[str, Any], operation: str
) -> None:
    (op,) = [op for _, _, op in operations(spec) if op["operationId"] == operation]
    params = spec["components"]["parameters"]
    names = {params[p["$ref"].rsplit("/", 1)[1]]["name"] for p in op["parameters"] if "$ref" in p}
    assert {"Prefer", "Cancel-After"} <= names
    assert {"201", "202"} <= set(op["responses"])


def test_prefer_pattern_accepts_exactly_the_documented_forms(spec: dict[str, Any]) -> None:
    pattern = re.compile(spec["components"]["parameters"]["Prefer"]["schema"]["pattern"])
    accepted = ["wait"] + [f"wait={n}" for n in range(1, 61)]
    # Replicate's own pattern also lets wait=61..99 through; clients clamp to 60 themselves.
    rejected = [
        "wait=0",
        "wait=100",
        "wait=05",
        "wait=",
        "Wait",
        "wait=1.5",
        " wait",
        "respond-async",
    ]
    assert all(pattern.search(value) for value in accepted)
    assert not any(pattern.search(value) for value in rejected)


def test_every_error_response_is_a_problem(spec: dict[str, Any]) -> None:
    for _, path, op in operations(spec):
        for status in ("4XX", "5XX"):
            assert op["responses"][status] == {"$ref": "#/components/responses/Problem"}, path


def test_a_success_without_a_body_is_typed_none(spec: dict[str, Any]) -> None:
    """The deletes answer 204 (a version 202) with no body: their calls say None, not Any."""
    import typing

    from generated.models import Problem
    from generated.types import Response

    def body_of(answer: dict[str, Any]) -> Any:
        if "$ref" in answer:
            answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
        return answer.get("content")

    empty = [
        op
        for _, _, op in operations(spec)
        if not any(body_of(answer) for code, answer in op["responses"].items() if code < "4")
    ]
    names = sorted(op["operationId"] for op in empty)
    assert names == [
        "deployments.delete",
        "files.delete",
        "models.delete",
        "models.versions.delete",
    ]
    for op in empty:
        module = importlib.import_module(
            f"generated.api.{op['tags'][0]}.{op['operationId'].replace('.', '_')}"
        )
        hints = typing.get_type_hints(module.sync_detailed)
        assert hints["return"] == Response[Problem | None], op["operationId"]
        assert typing.get_type_hints(module.sync)["return"] == Problem | None


def test_what_we_require_beyond_the_published_schema_we_require(spec: dict[str, Any]) -> None:
    """`x-required-beyond-published` names required fields (tests/published checks the rest)."""
    listed = {
        name: schema["x-required-beyond-published"]
        for name, schema in spec["components"]["schemas"].items()
        if "x-required-beyond-published" in schema
    }
    assert set(listed) >= {"Model", "ModelVersion", "Training", "Hardware", "PaginatedFiles"}
    for name, fields in listed.items():
        assert set(fields) <= set(spec["components"]["schemas"][name]["required"]), name


def test_embedded_objects_the_published_schema_leaves_open_are_partial(
    spec: dict[str, Any],
) -> None:
    schemas = spec["components"]["schemas"]
    model = schemas["Model"]["properties"]
    for field, partial, full in [
        ("default_example", "PartialPrediction", "Prediction"),
        ("latest_version", "PartialModelVersion", "ModelVersion"),
    ]:
        assert {"$ref": f"#/components/schemas/{partial}"} in model[field]["oneOf"]
        assert schemas[partial]["x-partial"] is True
        assert "required" not in schemas[partial]
        assert schemas[partial]["properties"] == schemas[full]["properties"]


def test_cancel_after_pattern_takes_a_bare_number_as_seconds(spec: dict[str, Any]) -> None:
    pattern = re.compile(spec["components"]["parameters"]["CancelAfter"]["schema"]["pattern"])
    accepted = ["30", "2.5", "30s", "5m", "1h30m", "1h30m45s", "250ms", "0.5s"]
    rejected = ["", "s", "30x", "5 m", "1h 30m", "-5s", "30s "]
    assert all(pattern.search(value) for value in accepted)
    assert not any(pattern.search(value) for value in rejected)
