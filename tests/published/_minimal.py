"""An answer cut down to what Replicate's published schema requires, and read.

Prism's random answers carry every field the published schema lists, so they
never show what happens when an optional one is left out. `read_minimal`
leaves out every field the published schema does not require, at every depth,
and reads what is left with the generated client. When a field we require is
missing, it must be one our spec says it requires beyond the published schema
(`x-required-beyond-published`, with the reason beside it): that field is put
back and the answer read again.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from recorded.conftest import normalized, operation_named, spec

from generated.client import Client as GeneratedClient
from generated.errors import ParseError

from .conftest import PUBLISHED

_DOCUMENT: dict[str, Any] = json.loads(PUBLISHED.read_text())
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _published(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _object_branch(schema: dict[str, Any], resolve: Any) -> dict[str, Any]:
    """The branch of a oneOf/anyOf that describes an object, resolved."""
    schema = resolve(schema)
    for branch in schema.get("oneOf", []) + schema.get("anyOf", []):
        branch = resolve(branch)
        if "properties" in branch or branch.get("type") == "object":
            return branch
    return schema


def required_only(value: Any, schema: dict[str, Any]) -> Any:
    """`value` with every field the published `schema` does not require left out."""
    schema = _object_branch(schema, _published)
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        return {
            key: required_only(value[key], properties.get(key, {}))
            for key in schema.get("required", [])
            if key in value
        }
    if isinstance(value, list):
        return [required_only(item, schema.get("items", {})) for item in value]
    return value  # a free-form object is what it is


def published_answer_schema(operation_id: str, status: int) -> dict[str, Any]:
    for item in _DOCUMENT["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                content = operation["responses"][str(status)]["content"]
                schema: dict[str, Any] = next(iter(content.values()))["schema"]
                return schema
    raise LookupError(operation_id)


def _ours(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _owner(schema: dict[str, Any], steps: list[str | int]) -> str:
    """The name of the schema of ours that holds the field at the end of `steps`."""
    name = "?"
    for step in steps:
        schema = _object_branch(schema, lambda s: s)
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            schema = _object_branch(_ours(schema), _ours)
        schema = schema["items"] if isinstance(step, int) else schema["properties"][step]
    schema = _object_branch(schema, lambda s: s)
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
    return name


def _steps(path: str) -> list[str | int]:
    return [int(index) if index else key for key, index in _STEP.findall(path)]


def read_minimal(operation_id: str, status: int, body: Any) -> Any:
    """Read `body` with only what the published schema requires; return what was read."""
    operation = operation_named(operation_id)
    data = required_only(body, published_answer_schema(operation_id, status))
    client = GeneratedClient(base_url="https://api.replicate.com/v1")
    ours = operation.response_schema(status) or {}
    for _ in range(100):
        answer = httpx.Response(
            status, json=data, request=httpx.Request(operation.method, client._base_url)
        )
        try:
            parsed = operation.module._parse_response(client=client, response=answer)
        except ParseError as error:
            if error.reason != "missing":
                raise
            steps = _steps(error.field)
            owner = _owner(ours, steps[:-1])
            field = steps[-1]
            beyond = _ours({"$ref": f"#/components/schemas/{owner}"}).get(
                "x-required-beyond-published", []
            )
            assert field in beyond, (
                f"{operation_id}: {owner}.{field} is required by openapi/replicate.yaml but not "
                f"by Replicate's schema, and not listed in its x-required-beyond-published"
            )
            sent, kept = body, data
            for step in steps[:-1]:
                sent, kept = sent[step], kept[step]
            assert field in sent, (
                f"{operation_id}: {owner}.{field} is required by openapi/replicate.yaml, "
                f"and Replicate's schema does not even list it"
            )
            kept[field] = sent[field]
        else:
            items = parsed if isinstance(parsed, list) else [parsed]
            kept_all = [item.to_dict() for item in items]
            assert normalized(kept_all) == normalized(data if isinstance(data, list) else [data])
            return parsed
    raise AssertionError(f"{operation_id}: more than 100 fields put back")
