"""Turning `-i key=value` arguments into a model input, typed by the version's schema.

Pure functions, free of click and of I/O other than checking that `@path`
files exist, so that they can be tested on their own. Problems raise
`InputError`, which the command line reports as a usage error.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["InputError", "InputSpec", "build_input", "input_specs", "streams_text"]

_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0"})
_INTEGER = re.compile(r"[+-]?\d+")


class InputError(ValueError):
    """An `-i` argument that cannot become a valid input; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class InputSpec:
    """What a version's schema says about one input."""

    name: str
    type: str | None = None
    item_type: str | None = None
    enum: tuple[Any, ...] = ()
    required: bool = False
    is_file: bool = False
    description: str = ""
    default: Any = None
    has_default: bool = False
    order: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def type_label(self) -> str:
        """The type as shown to people: `integer`, `array of string`, `file`, `red|blue`."""
        if self.enum:
            return "|".join(str(choice) for choice in self.enum)
        if self.is_file:
            return "file" if self.type != "array" else "array of file"
        if self.type == "array" and self.item_type:
            return f"array of {self.item_type}"
        return self.type or "any"


def _resolve(document: Mapping[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    """`schema` with `$ref`, single-entry `allOf` and nullable `anyOf` folded in."""
    if not isinstance(schema, Mapping) or depth > 8:
        return {}
    merged = {key: value for key, value in schema.items() if key not in ("$ref", "allOf", "anyOf")}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = document
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, Mapping) else None
        merged = {**_resolve(document, target, depth + 1), **merged}
    for key in ("allOf", "anyOf"):
        parts = schema.get(key)
        if isinstance(parts, list):
            # Optional[X] comes out of pydantic as anyOf [X, {"type": "null"}]; the
            # first non-null branch is the type to coerce to.
            for part in parts:
                resolved = _resolve(document, part, depth + 1)
                if resolved.get("type") != "null":
                    merged = {**resolved, **merged}
                    break
    return merged


def _is_file_schema(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "string" and schema.get("format") == "uri"


def input_specs(openapi_schema: Any) -> dict[str, InputSpec] | None:
    """The inputs a version's `openapi_schema` declares, in their display order.

    None when the schema has no `Input` (then values are sent as given).
    """
    if not isinstance(openapi_schema, Mapping):
        return None
    schemas = openapi_schema.get("components", {}).get("schemas", {})
    model_input = _resolve(openapi_schema, schemas.get("Input")) if schemas else {}
    properties = model_input.get("properties")
    if not isinstance(properties, Mapping):
        return None
    required = set(model_input.get("required") or ())
    specs: list[InputSpec] = []
    for position, (name, raw) in enumerate(properties.items()):
        prop = _resolve(openapi_schema, raw)
        items = _resolve(openapi_schema, prop.get("items"))
        kind = prop.get("type") if isinstance(prop.get("type"), str) else None
        enum = prop.get("enum")
        order = prop.get("x-order")
        specs.append(
            InputSpec(
                name=name,
                type=kind,
                item_type=items.get("type") if isinstance(items.get("type"), str) else None,
                enum=tuple(enum) if isinstance(enum, list) else (),
                required=name in required,
                is_file=_is_file_schema(prop) or (kind == "array" and _is_file_schema(items)),
                description=str(prop.get("description") or ""),
                default=prop.get("default"),
                has_default="default" in prop,
                order=order if isinstance(order, int) else position,
                extra=prop,
            )
        )
    specs.sort(key=lambda spec: spec.order)
    return {spec.name: spec for spec in specs}


def _file(text: str, key: str) -> Path:
    path = Path(text).expanduser()
    if not path.exists():
        raise InputError(f"input {key!r}: no such file: {text}")
    if not path.is_file():
        raise InputError(f"input {key!r}: not a file: {text}")
    return path


def _scalar(text: str, kind: str | None, key: str) -> Any:
    """`text` as a value of JSON schema type `kind` (a string when unknown)."""
    if kind == "integer":
        if not _INTEGER.fullmatch(text.strip()):
            raise InputError(f"input {key!r} must be an integer, not {text!r}")
        return int(text)
    if kind == "number":
        if _INTEGER.fullmatch(text.strip()):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            raise InputError(f"input {key!r} must be a number, not {text!r}") from None
        if not math.isfinite(number):
            raise InputError(f"input {key!r} must be a finite number, not {text!r}")
        return number
    if kind == "boolean":
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise InputError(f"input {key!r} must be true or false, not {text!r}")
    if kind in ("array", "object"):
        try:
            value = json.loads(text)
        except ValueError as error:
            raise InputError(f"input {key!r} must be JSON ({kind}): {error}") from None
        expected = list if kind == "array" else dict
        if not isinstance(value, expected):
            raise InputError(f"input {key!r} must be a JSON {kind}, not {text!r}")
        return value
    return text


def _value(text: str, kind: str | None, key: str) -> Any:
    """One `-i` value: `@path` is a file, `@@x` the text `@x`, the rest is coerced."""
    if text.startswith("@@"):
        return _scalar(text[1:], kind, key)
    if text.startswith("@"):
        if kind in ("integer", "number", "boolean", "object"):
            raise InputError(f"input {key!r} is a {kind}, it cannot be a file")
        return _file(text[1:], key)
    return _scalar(text, kind, key)


def _check_enum(value: Any, spec: InputSpec) -> None:
    if spec.enum and not isinstance(value, Path) and value not in spec.enum:
        choices = ", ".join(str(choice) for choice in spec.enum)
        raise InputError(f"input {spec.name!r} must be one of: {choices} (not {value!r})")


def build_input(
    pairs: Sequence[str], specs: Mapping[str, InputSpec] | None, *, model: str = "the model"
) -> dict[str, Any]:
    """The input for `pairs` like `["prompt=hi", "steps=3", "image=@cat.png"]`.

    With `specs` (from `input_specs`), keys are checked against the model's
    inputs, values coerced to their types (an array takes a JSON array, or one
    item per repeated `key=item`), enums and required inputs checked. Without
    it, values stay strings. `key:=JSON` sends raw JSON either way; `@path`
    sends a file (as a `Path`) and `@@text` the text `@text`.
    """
    result: dict[str, Any] = {}
    whole_arrays: set[str] = set()
    for pair in pairs:
        key, sep, text = pair.partition("=")
        raw_json = key.endswith(":")
        key = key[:-1] if raw_json else key
        if not sep or not key:
            raise InputError(f"expected key=value, not {pair!r}")
        spec = specs.get(key) if specs is not None else None
        if specs is not None and spec is None:
            known = ", ".join(specs) or "none"
            raise InputError(f"{model} has no input {key!r}; its inputs: {known}")
        if raw_json:
            try:
                value: Any = json.loads(text)
            except ValueError as error:
                raise InputError(f"input {key!r}: invalid JSON after ':=': {error}") from None
            if key in result:
                raise InputError(f"input {key!r} is given more than once")
            result[key] = value
            continue
        if spec is not None and spec.type == "array":
            whole = text.lstrip().startswith("[")
            if key in whole_arrays or (whole and key in result):
                raise InputError(f"input {key!r}: give one JSON array, or repeat {key}=item")
            if whole:
                result[key] = _scalar(text, "array", key)
                whole_arrays.add(key)
                continue
            item = _value(text, spec.item_type, key)
            _check_enum(item, spec)
            result.setdefault(key, []).append(item)
            continue
        if key in result:
            raise InputError(f"input {key!r} is given more than once")
        value = _value(text, spec.type if spec is not None else None, key)
        if spec is not None:
            _check_enum(value, spec)
        result[key] = value
    if specs is not None:
        missing = [name for name, spec in specs.items() if spec.required and name not in result]
        if missing:
            names = ", ".join(missing)
            raise InputError(f"{model} needs input {names}: add -i {missing[0]}=...")
    return result


def streams_text(openapi_schema: Any) -> bool:
    """Whether a version's output is text that arrives in pieces (an LLM's tokens)."""
    if not isinstance(openapi_schema, Mapping):
        return False
    schemas = openapi_schema.get("components", {}).get("schemas", {})
    output = _resolve(openapi_schema, schemas.get("Output")) if schemas else {}
    return (
        output.get("type") == "array"
        and output.get("x-cog-array-type") == "iterator"
        and output.get("x-cog-array-display") == "concatenate"
    )
