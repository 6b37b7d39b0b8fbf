"""The recorded answers of the real API (see README.md), and ways to replay them."""

from __future__ import annotations

import datetime
import gzip
import importlib
import json
import re
import typing
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).parent
SPEC_PATH = HERE.parents[1] / "openapi" / "replicate.yaml"
SPEC_URI = "urn:replicate-spec"
BASE_URL = "https://api.replicate.com/v1"


@dataclass(frozen=True)
class Recorded:
    """One request of the real API and its answer."""

    cassette: str
    n: int
    method: str
    path: str
    query: str | None
    prefer: Any
    status: int
    content_type: str
    body: str | None

    @property
    def name(self) -> str:
        return f"{self.cassette.removesuffix('.yaml')}#{self.n}"

    @property
    def json(self) -> Any:
        return json.loads(self.body or "null")

    def response(self, request: httpx.Request | None = None) -> httpx.Response:
        """The answer as httpx would have received it."""
        if request is None:
            url = f"{BASE_URL}{self.path}" + (f"?{self.query}" if self.query else "")
            request = httpx.Request(self.method, url)
        return httpx.Response(
            self.status,
            headers={"content-type": self.content_type} if self.content_type else {},
            content=(self.body or "").encode(),
            request=request,
        )


@cache
def recordings() -> tuple[Recorded, ...]:
    raw = json.loads(gzip.decompress((HERE / "replicate-api.json.gz").read_bytes()))
    return tuple(Recorded(**entry) for entry in raw)


def json_answers() -> list[Recorded]:
    return [r for r in recordings() if r.body and "json" in r.content_type]


def in_cassette(name: str) -> list[Recorded]:
    return [r for r in recordings() if r.cassette == name]


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


@dataclass(frozen=True)
class Operation:
    """What the spec says about one operation."""

    operation_id: str
    method: str
    path: str
    tag: str
    responses: dict[str, Any]

    @property
    def module(self) -> ModuleType:
        """The generated module of the operation."""
        name = self.operation_id.replace(".", "_")
        return importlib.import_module(f"generated.api.{self.tag}.{name}")

    def response_schema(self, status: int) -> dict[str, Any] | None:
        answer = self.responses.get(str(status)) or self.responses.get(f"{str(status)[0]}XX")
        if answer is None:
            return None
        answer = _resolve(answer)
        content = answer.get("content") or {}
        for media in content.values():
            schema: dict[str, Any] = media["schema"]
            return schema
        return None


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        found: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            found = found[part]
        node = found
    return node


@cache
def _operations() -> tuple[tuple[str, re.Pattern[str], Operation], ...]:
    found = []
    for path, item in spec()["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
            operation = Operation(
                op["operationId"], method.upper(), path, op["tags"][0], op["responses"]
            )
            found.append((method.upper(), pattern, operation))
    return tuple(found)


def operation_named(operation_id: str) -> Operation:
    """The operation of the spec with this `operationId`."""
    for _, _, operation in _operations():
        if operation.operation_id == operation_id:
            return operation
    raise LookupError(f"no operation {operation_id}")


def operation_of(recorded: Recorded) -> Operation:
    """The operation a recorded request was; QUERY /models answers like models.list."""
    method = "GET" if recorded.method == "QUERY" else recorded.method
    for candidate, pattern, operation in _operations():
        if candidate == method and pattern.match(recorded.path):
            return operation
    raise LookupError(f"no operation for {recorded.method} {recorded.path}")


@cache
def validator(schema_json: str) -> Draft202012Validator:
    registry: Registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec(), default_specification=DRAFT202012)
    )
    schema = json.loads(schema_json.replace('"#/components/', f'"{SPEC_URI}#/components/'))
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def spec_errors(operation: Operation, status: int, body: Any) -> list[str]:
    """What in an answer's body the spec's schema for that status does not allow."""
    schema = operation.response_schema(status)
    if schema is None:
        return [f"{operation.operation_id} lists no {status} answer"]
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(json.dumps(schema)).iter_errors(body)
    ]


def normalized(value: Any) -> Any:
    """Compare timestamps by instant: the models re-emit them in isoformat()."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return datetime.datetime.fromisoformat(value).astimezone(datetime.UTC)
        except ValueError:
            return value
    return value


@cache
def _hints(model: type) -> dict[str, Any]:
    import generated.models

    names = {name: getattr(generated.models, name) for name in generated.models.__all__}
    return typing.get_type_hints(model, localns=names)


def assert_no_raw_dict_in_typed_fields(model: Any, where: str = "") -> None:
    """Every attribute typed as a model holds that model (or None/Unset), recursively."""
    import attrs

    hints = _hints(type(model))
    for field in attrs.fields(type(model)):
        if field.name == "additional_properties":
            continue
        value = getattr(model, field.name)
        allowed = typing.get_args(hints[field.name]) or (hints[field.name],)
        models = [kind for kind in allowed if attrs.has(kind)]
        items = value if isinstance(value, list) else [value]
        for item in items:
            if attrs.has(type(item)):
                assert_no_raw_dict_in_typed_fields(item, f"{where}{field.name}.")
            elif models and isinstance(item, dict):
                raise AssertionError(f"{where}{field.name} holds a raw dict, typed {allowed}")


class Replay:
    """An `httpx.MockTransport` handler that answers with recorded answers.

    Answers are queued per method and path, in recording order; the last one of
    a queue is repeated once the others are used (a prediction polled after it
    ended). Every request is kept in `seen`.
    """

    def __init__(self, answers: list[Recorded]) -> None:
        self._queues: dict[tuple[str, str], deque[Recorded]] = defaultdict(deque)
        for answer in answers:
            self._queues[(answer.method, answer.path)].append(answer)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path.removeprefix("/v1")
        queue = self._queues.get((request.method, path))
        if not queue:
            return httpx.Response(404, json={"detail": "not recorded", "status": 404})
        answer = queue.popleft() if len(queue) > 1 else queue[0]
        return answer.response(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def async_transport(self) -> httpx.MockTransport:
        async def handle(request: httpx.Request) -> httpx.Response:
            await request.aread()
            return self(request)

        return httpx.MockTransport(handle)
