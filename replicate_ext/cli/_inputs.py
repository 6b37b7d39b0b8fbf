"""Turning `-i key=value` arguments into a model input, typed by the version's schema.

Pure functions, free of click and of I/O other than checking that `@path`
files exist, so that they can be tested on their own. The schema is read by
`replicate_ext._schema`, as `use()` reads it, and the input built is checked
the same way. Problems raise `InputError`, which the command line reports as a
usage error.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .._errors import InputError
from .._schema import InputSpec, check_value, did_you_mean, input_specs, streams_text

__all__ = ["InputError", "InputSpec", "build_input", "input_specs", "streams_text"]

_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0"})
_INTEGER = re.compile(r"[+-]?\d+")


def _file(text: str, key: str) -> Path:
    path = Path(text).expanduser()
    if not path.exists():
        raise InputError(f"input {key!r}: no such file: {text}")
    if not path.is_file():
        raise InputError(f"input {key!r}: not a file: {text}")
    return path


def _scalar(text: str, kind: str | tuple[str, ...] | None, key: str) -> Any:
    """`text` as a value of JSON schema type `kind` (a string when unknown).

    Of several types (``anyOf: [integer, string]``), the first that reads it,
    text last.
    """
    if isinstance(kind, tuple):
        for each in kind:
            if each != "string":
                try:
                    return _scalar(text, each, key)
                except InputError:
                    continue
        if "string" in kind:
            return text
        return _scalar(text, kind[0], key)  # raises its error
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


def _value(text: str, kind: str | tuple[str, ...] | None, key: str) -> Any:
    """One `-i` value: `@path` is a file, `@@x` the text `@x`, the rest is coerced."""
    if text.startswith("@@"):
        return _scalar(text[1:], kind, key)
    if text.startswith("@"):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if all(each in ("integer", "number", "boolean", "object") for each in kinds):
            raise InputError(
                f"input {key!r} is a {' or '.join(map(str, kinds))}, it cannot be a file"
            )
        return _file(text[1:], key)
    return _scalar(text, kind, key)


def _kind(spec: InputSpec | None) -> str | tuple[str, ...] | None:
    if spec is None:
        return None
    return spec.types if len(spec.types) > 1 else spec.type


def _check_file_text(value: Any, spec: InputSpec | None, key: str) -> None:
    # What use() says with Path(...), said the command line's way.
    url = isinstance(value, str) and value[:8].lower().startswith(("http://", "https://", "data:"))
    if spec is not None and spec.is_file and isinstance(value, str) and not url:
        raise InputError(
            f"input {key!r} takes a file, and {value!r} is no URL: write "
            f"{key}=@{value} to send the local file, or give an http(s) or data URL",
            key,
        )


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
    raw_keys: set[str] = set()
    for pair in pairs:
        key, sep, text = pair.partition("=")
        raw_json = key.endswith(":")
        key = key[:-1] if raw_json else key
        if not sep or not key:
            raise InputError(f"expected key=value, not {pair!r}")
        spec = specs.get(key) if specs is not None else None
        if specs is not None and spec is None:
            known = ", ".join(specs) or "none"
            raise InputError(
                f"{model} has no input {key!r}{did_you_mean(key, specs)}; its inputs: {known}", key
            )
        if raw_json:
            try:
                value: Any = json.loads(text)
            except ValueError as error:
                raise InputError(f"input {key!r}: invalid JSON after ':=': {error}") from None
            if key in result:
                raise InputError(f"input {key!r} is given more than once")
            result[key] = value
            raw_keys.add(key)
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
            _check_file_text(item, spec, key)
            _check_enum(item, spec)
            result.setdefault(key, []).append(item)
            continue
        if key in result:
            raise InputError(f"input {key!r} is given more than once")
        value = _value(text, _kind(spec), key)
        _check_file_text(value, spec, key)
        if spec is not None:
            _check_enum(value, spec)
        result[key] = value
    if specs is not None:
        missing = [name for name, spec in specs.items() if spec.required and name not in result]
        if missing:
            names = ", ".join(missing)
            raise InputError(f"{model} needs input {names}: add -i {missing[0]}=...", missing[0])
        for key, value in result.items():
            if key not in raw_keys:  # KEY:=JSON is sent as written
                check_value(specs[key], value)  # bounds and the rest, as use() checks
    return result
