"""The one reading of a model's schema: specs, checks and names; and the resolve flow, stepped."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest

from replicate_ext import Client, InputError
from replicate_ext._flow import Send
from replicate_ext._refs import Ref
from replicate_ext._resolve import resolve_flow
from replicate_ext._schema import check_input, input_specs, python_name
from replicate_ext._use import _signature
from replicate_ext.cli._inputs import build_input


def cog(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "components": {
            "schemas": {
                "Input": {"type": "object", "properties": properties, "required": required or []},
                "Output": {"type": "string"},
            }
        }
    }


@pytest.mark.parametrize(
    ("model", "name"),
    [
        ("replicate/hello-world", "hello_world"),
        ("acme/SDXL-Turbo.v2", "sdxl_turbo_v2"),
        ("acme/3d-thing", "model_3d_thing"),
        ("acme/class", "class_"),
        ("deployments/acme/x:abc", "x"),
    ],
)
def test_python_names(model: str, name: str) -> None:
    assert python_name(model) == name


def test_nullable_inputs_take_none() -> None:
    specs = input_specs(
        cog(
            {
                "seed": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": 3},
                "mask": {"type": "string", "nullable": True, "default": "x"},
                "steps": {"type": "integer", "default": 5},
            }
        )
    )
    assert specs is not None
    check_input(specs, {"seed": None, "mask": None})
    with pytest.raises(InputError, match="input 'steps' must be a whole number"):
        check_input(specs, {"steps": None})
    with pytest.raises(InputError, match="input 'seed' must be"):
        check_input(specs, {"seed": "3"})


def test_constraints_beyond_type_and_bounds_are_checked_too() -> None:
    specs = input_specs(
        cog(
            {
                "scale": {"type": "number", "exclusiveMinimum": 0},
                "code": {"type": "string", "pattern": "^[a-z]+$"},
                "sizes": {"type": "array", "items": {"type": "integer"}, "maxItems": 2},
            }
        )
    )
    assert specs is not None
    with pytest.raises(InputError, match="input 'scale' must be greater than 0"):
        check_input(specs, {"scale": 0})
    with pytest.raises(InputError, match="input 'code' must match"):
        check_input(specs, {"code": "ABC"})
    with pytest.raises(InputError, match="input 'sizes' must have at most 2 items"):
        check_input(specs, {"sizes": [1, 2, 3]})
    check_input(specs, {"scale": 0.5, "code": "abc", "sizes": (1, 2.0)})


def test_a_wrongly_cased_name_is_suggested() -> None:
    specs = input_specs(cog({"Prompt": {"type": "string"}}))
    assert specs is not None
    with pytest.raises(InputError, match="did you mean 'Prompt'"):
        check_input(specs, {"prompt": "x"})


def test_inputs_whose_names_are_not_identifiers_are_kept_in_the_signature() -> None:
    schema = cog({"class": {"type": "string"}, "guidance-scale": {"type": "number"}})
    signature = _signature(input_specs(schema), schema, False)
    assert [p.kind for p in signature.parameters.values()] == [inspect.Parameter.VAR_KEYWORD]
    assert str(_signature(None, None, False)) == "(**inputs: Any) -> Any"


def test_the_command_line_checks_bounds_the_way_use_does() -> None:
    from replicate_ext.testing._models import BUNDLED_MODELS

    schema = next(m.schema for m in BUNDLED_MODELS if m.name == "make-image")
    with pytest.raises(InputError, match="input 'width' must be at most 256"):
        build_input(["width=300"], input_specs(schema))
    assert build_input(["width:=300"], input_specs(schema)) == {"width": 300}  # raw: as written


@pytest.mark.parametrize("nullable", [False, True])
def test_an_input_of_several_types_takes_each(nullable: bool) -> None:
    kinds = [{"type": "integer"}, {"type": "string"}] + [{"type": "null"}] * nullable
    schema = cog({"seed": {"anyOf": kinds, "title": "Seed"}}, ["seed"])
    specs = input_specs(schema)
    assert specs is not None
    annotation = _signature(specs, schema, False).parameters["seed"].annotation
    assert annotation == (int | str | None if nullable else int | str)
    assert specs["seed"].type_label == "integer or string"
    check_input(specs, {"seed": 3})
    check_input(specs, {"seed": "abc"})
    with pytest.raises(InputError, match=r"'seed' must be a whole number .* or text"):
        check_input(specs, {"seed": 1.5})
    assert build_input(["seed=3"], specs) == {"seed": 3}  # the first type it reads as
    assert build_input(["seed=abc"], specs) == {"seed": "abc"}


def test_the_command_line_says_how_to_send_a_local_file() -> None:
    from replicate_ext.testing._models import BUNDLED_MODELS

    specs = input_specs(next(m.schema for m in BUNDLED_MODELS if m.name == "echo"))
    with pytest.raises(InputError, match=r"file=@notes\.txt"):
        build_input(["file=notes.txt"], specs)
    with pytest.raises(InputError, match=r"files=@b\.png"):
        build_input(["files=https://x.test/a", "files=b.png"], specs)
    assert build_input(["file=https://x.test/a"], specs) == {"file": "https://x.test/a"}


# -- resolve_flow, stepped with prepared answers --------------------------------------------------

VERSION = "a" * 64
SCHEMA = cog({"text": {"type": "string"}}, ["text"])


def _answer(request: Send, body: dict[str, Any]) -> httpx.Response:
    url = "https://api.test/v1" + request.request["url"]
    return httpx.Response(200, json=body, request=httpx.Request("GET", url))


def _model(official: bool | None, version: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "url": "https://replicate.com/acme/echo",
        "owner": "acme",
        "name": "echo",
        "description": "Echoes",
        "latest_version": (
            {"id": VERSION, "created_at": "2024-01-01T00:00:00Z", "openapi_schema": SCHEMA}
            if version
            else None
        ),
    }
    if official is not None:
        body["is_official"] = official
    return body


def _resolve(ref: Ref, *answers: dict[str, Any]) -> Any:
    flow = resolve_flow(Client("r8_test", base_url="https://api.test/v1")._ctx, ref)
    paths = []
    op = next(flow)
    for body in answers:
        assert isinstance(op, Send)
        paths.append(op.request["url"])
        try:
            op = flow.send(_answer(op, body))
        except StopIteration as stop:
            return paths, stop.value
    raise AssertionError("the flow wanted more answers")


def test_an_official_model_runs_by_name() -> None:
    paths, found = _resolve(Ref("model", "acme", "echo"), _model(official=True))
    assert paths == ["/models/acme/echo"]
    assert found.ref == Ref("model", "acme", "echo")
    assert found.version == VERSION
    assert found.description == "Echoes"
    assert found.openapi_schema == SCHEMA


def test_another_model_runs_its_latest_version_pinned() -> None:
    _, found = _resolve(Ref("model", "acme", "echo"), _model(official=False))
    assert found.ref == Ref("version", "acme", "echo", VERSION)


def test_a_model_without_versions_runs_by_name_without_a_schema() -> None:
    _, found = _resolve(Ref("model", "acme", "echo"), _model(official=False, version=False))
    assert found.ref == Ref("model", "acme", "echo")
    assert found.openapi_schema is None


def test_a_bare_version_id_needs_no_request() -> None:
    flow = resolve_flow(Client("r8_test")._ctx, Ref("version", version=VERSION))
    with pytest.raises(StopIteration) as stopped:
        next(flow)
    assert stopped.value.value.openapi_schema is None


@pytest.mark.parametrize(
    "document",
    [
        {"components": None},
        {"components": {"schemas": None}},
        {"components": {"schemas": []}},
        {"components": []},
    ],
)
def test_a_schema_without_usable_components_has_no_inputs(document: dict[str, Any]) -> None:
    # Not an AttributeError from inside: inputs are then sent unchecked.
    assert input_specs(document) is None


async def _broken(ctx: Any) -> str:
    return f"{ctx.input.get('word')} {ctx.input.get('size')}"


def test_inputs_whose_schema_no_validator_can_apply_are_sent_unchecked(
    client: Client, server: Any
) -> None:
    # An unknown type, a non-number bound, a null enum: jsonschema cannot apply
    # them (it raised UnknownType and TypeError); the API judges those values.
    inputs = {
        "word": {"type": "string", "minLength": "3"},
        "size": {"type": "quaternion"},
        "pick": {"enum": None},
    }
    server.state.add_model("tests/broken-schema", _broken, inputs=inputs)
    broken = client.use("tests/broken-schema")
    assert broken(word="hey", size=3, pick="a") == "hey 3"
    assert "word" in str(inspect.signature(broken))
    with pytest.raises(InputError, match="has no input 'wrod'"):
        broken(wrod="hey")  # what can still be checked is
