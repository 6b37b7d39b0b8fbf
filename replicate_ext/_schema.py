"""A model's schema, read in one place: its inputs, its output, and checking an input.

A version's ``openapi_schema`` is a Cog schema: ``components.schemas.Input``
(one property per input, choices behind ``allOf: [{"$ref": ...}]``, files as
``format: uri``, ``x-order`` for the display order) and ``Output``. The command
line's ``-i key=value`` coercion, ``use()``'s signature, docstring and input
checks, and ``replicate-ext types`` all read it through `input_specs` and
`output_schema`, so they cannot disagree about what a model takes.

Values are checked against each input's schema by jsonschema (Draft 7: the
dialect pydantic, and so Cog, writes), after Python's file values are stood in
for by a URL; the names, the required inputs and the error messages are ours,
so that every error names the input and suggests the closest known name.
"""

from __future__ import annotations

import difflib
import keyword
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, Any, Literal, Optional, Union

from ._errors import InputError
from ._files import FileOutput, is_file_url, wrap_file_outputs

__all__ = [
    "FileInput",
    "InputSpec",
    "annotation",
    "check_input",
    "check_value",
    "describe_output",
    "did_you_mean",
    "files_in",
    "input_doc",
    "input_specs",
    "model_doc",
    "output_annotation",
    "output_schema",
    "python_name",
    "streams_text",
]

_MAX_DEPTH = 16  # $ref chains and nesting deeper than this are left as they are
_FILE_STAND_IN = "data:,"  # a file value, as the validator sees it: a URI


def _resolve(document: Mapping[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    """`schema` with `$ref`, single-entry `allOf` and nullable `anyOf` folded in."""
    if not isinstance(schema, Mapping) or depth > 8:
        return {}
    merged = {key: value for key, value in schema.items() if key not in ("$ref", "allOf", "anyOf")}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        merged = {**_resolve(document, _target(document, ref), depth + 1), **merged}
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


def _target(document: Mapping[str, Any], ref: str) -> Any:
    target: Any = document
    for part in ref[2:].split("/"):
        target = target.get(part) if isinstance(target, Mapping) else None
    return target


def _inline(document: Mapping[str, Any], schema: Any, depth: int = 0) -> Any:
    """`schema` with every local `$ref` replaced by what it points to, for the validator."""
    if depth > _MAX_DEPTH:
        return {}  # a cycle, or absurd nesting: accept anything there
    if isinstance(schema, list):
        return [_inline(document, item, depth + 1) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target = _inline(document, _target(document, ref), depth + 1)
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        if not siblings:
            return target
        return {"allOf": [target], **_inline(document, siblings, depth + 1)}
    return {key: _inline(document, value, depth + 1) for key, value in schema.items()}


def _is_file_schema(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "string" and schema.get("format") == "uri"


def _types(document: Mapping[str, Any], raw: Any, resolved: Mapping[str, Any]) -> tuple[str, ...]:
    """The JSON types an input takes, null aside: several for ``anyOf: [integer, string]``."""
    kinds = resolved.get("type")
    if isinstance(kinds, list):
        return tuple(kind for kind in kinds if isinstance(kind, str) and kind != "null")
    found: list[str] = []
    for key in ("anyOf", "oneOf"):
        parts = raw.get(key) if isinstance(raw, Mapping) else None
        for part in parts if isinstance(parts, list) else ():
            kind = _resolve(document, part).get("type")
            if isinstance(kind, str) and kind != "null" and kind not in found:
                found.append(kind)
    if len(found) > 1:
        return tuple(found)
    return (kinds,) if isinstance(kinds, str) else ()


def _nullable(raw: Any, resolved: Mapping[str, Any]) -> bool:
    if resolved.get("nullable") is True:
        return True  # OpenAPI 3.0's way
    kinds = resolved.get("type")
    if isinstance(kinds, list) and "null" in kinds:
        return True
    parts = raw.get("anyOf") if isinstance(raw, Mapping) else None
    return isinstance(parts, list) and any(
        isinstance(part, Mapping) and part.get("type") == "null" for part in parts
    )


@dataclass(frozen=True, slots=True)
class InputSpec:
    """What a version's schema says about one input.

    `extra` is the input's schema with references folded in (for reading);
    `schema` is the same schema, complete, for checking values against.
    `types` lists the JSON types it takes (several for a union such as
    ``anyOf: [integer, string]``, whose `type` is then the first).
    """

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
    schema: Mapping[str, Any] = field(default_factory=dict)
    nullable: bool = False
    types: tuple[str, ...] = ()

    @property
    def type_label(self) -> str:
        """The type as shown to people: `integer`, `array of string`, `file`, `red|blue`."""
        if self.enum:
            return "|".join(str(choice) for choice in self.enum)
        if self.is_file:
            return "file" if self.type != "array" else "array of file"
        if len(self.types) > 1:
            return " or ".join(self.types)
        if self.type == "array" and self.item_type:
            return f"array of {self.item_type}"
        return self.type or "any"

    @property
    def optional(self) -> bool:
        """Whether the input may be left out without the model taking a default for it."""
        return not self.required and not self.has_default


def _schemas(openapi_schema: Any) -> Mapping[str, Any] | None:
    """The schema's ``components.schemas``, or None where it is missing or not an object."""
    components = openapi_schema.get("components") if isinstance(openapi_schema, Mapping) else None
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    return schemas if isinstance(schemas, Mapping) else None


def input_specs(openapi_schema: Any) -> dict[str, InputSpec] | None:
    """The inputs a version's `openapi_schema` declares, in their display order.

    None when the schema has no `Input` (then values are sent as given).
    """
    schemas = _schemas(openapi_schema)
    if schemas is None:
        return None
    model_input = _resolve(openapi_schema, schemas.get("Input"))
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
        complete = _inline(openapi_schema, raw)
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
                schema=complete if isinstance(complete, Mapping) else {},
                nullable=_nullable(raw, prop),
                types=_types(openapi_schema, raw, prop),
            )
        )
    specs.sort(key=lambda spec: spec.order)
    return {spec.name: spec for spec in specs}


def output_schema(openapi_schema: Any) -> dict[str, Any]:
    """The version's `Output` schema with references folded in; {} when it has none."""
    schemas = _schemas(openapi_schema)
    if schemas is None:
        return {}
    output = _resolve(openapi_schema, schemas.get("Output"))
    if isinstance(output.get("items"), Mapping):
        output["items"] = _resolve(openapi_schema, output["items"])
    return output


_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "array": list,
    "object": dict,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}


def files_in(
    value: Any,
    schema: Mapping[str, Any],
    openapi_schema: Any,
    make: Callable[[str], FileOutput],
) -> Any:
    """`value` with the strings its `schema` marks as files (``format: uri``) made `FileOutput`s.

    Read from a version's output schema (`openapi_schema` resolves its
    ``$ref``s), so text that only looks like a URL stays text. Where the
    schema says nothing of a part (no type, an object without properties, a
    union of several types, a value of another type than it says), any URL
    there is taken for a file, as `run()` takes it without a schema.
    """
    return _files_in(value, schema, openapi_schema, make, 0)


def _files_in(
    value: Any,
    raw: Any,
    document: Any,
    make: Callable[[str], FileOutput],
    depth: int,
) -> Any:
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    choices = [
        part
        for key in ("anyOf", "oneOf")
        for part in (raw.get(key) or [] if isinstance(raw, Mapping) else [])
        if _resolve(document, part).get("type") != "null"
    ]
    schema = _resolve(document, raw)
    kind = schema.get("type")
    expected = _JSON_TYPES.get(kind) if isinstance(kind, str) else None
    unsaid = expected is None or not isinstance(value, expected) or len(choices) > 1
    if unsaid or depth > _MAX_DEPTH:
        return wrap_file_outputs(value, make)  # the schema does not say: run()'s rule
    if isinstance(value, str):
        return make(value) if _is_file_schema(schema) and is_file_url(value) else value
    if isinstance(value, list):
        items = schema.get("items")
        if not isinstance(items, Mapping):
            return wrap_file_outputs(value, make)
        return [_files_in(item, items, document, make, depth + 1) for item in value]
    properties = schema.get("properties")
    known = properties if isinstance(properties, Mapping) else {}
    rest = schema.get("additionalProperties")
    shaped: dict[str, Any] = {}
    for key, item in value.items():
        part = known.get(key, rest if isinstance(rest, Mapping) else None)
        if part is None:
            shaped[key] = wrap_file_outputs(item, make)
        else:
            shaped[key] = _files_in(item, part, document, make, depth + 1)
    return shaped


def streams_text(openapi_schema: Any) -> bool:
    """Whether a version's output is text that arrives in pieces (an LLM's tokens).

    Cog marks it as an iterator displayed concatenated; `run()` joins the pieces.
    """
    output = output_schema(openapi_schema)
    return (
        output.get("type") == "array"
        and output.get("x-cog-array-type") == "iterator"
        and output.get("x-cog-array-display") == "concatenate"
    )


# -- checking an input -------------------------------------------------------------------------


def _is_file_value(value: Any) -> bool:
    return isinstance(value, (PurePath, bytes, bytearray, memoryview, FileOutput)) or (
        not isinstance(value, str) and hasattr(value, "read")
    )


def _for_validator(value: Any, spec: InputSpec) -> Any:
    """`value` as JSON would carry it: a `FileOutput` as its URL, other files as a URI."""
    if isinstance(value, FileOutput):
        return value.url  # what is sent: another model's output, chained
    if spec.is_file and _is_file_value(value):
        return _FILE_STAND_IN
    if isinstance(value, (list, tuple)):
        return [_for_validator(item, spec) for item in value]
    return value


def did_you_mean(name: str, known: Mapping[str, Any]) -> str:
    """` (did you mean 'x'?)` for the known name closest to `name`, or nothing."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not close:
        lowered = {key.lower(): key for key in known}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    return f" (did you mean {close[0]!r}?)" if close else ""


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_KINDS = {
    "string": "text (str)",
    "integer": "a whole number (int)",
    "number": "a number (int or float)",
    "boolean": "True or False",
    "array": "a list",
    "object": "a dict",
    "null": "None",
}


def _message(where: str, error: Any, given: Any) -> str:
    """A jsonschema error as one sentence about the input at `where`, `given` by the user.

    The validator saw files as a stand-in URI: the sentence shows the user's value.
    """
    kind = error.validator
    expected = error.validator_value
    value = error.instance
    shown = _at(given, error.absolute_path, value)
    if kind in ("anyOf", "oneOf") and error.context:
        if all(part.validator == "type" for part in error.context):
            expected = []
            for part in error.context:
                value_kinds = part.validator_value
                expected += value_kinds if isinstance(value_kinds, list) else [value_kinds]
            kind = "type"  # X or None: one sentence naming both
        else:
            real = [part for part in error.context if part.validator_value != "null"]
            return _message(where, real[0] if real else error.context[0], given)
    if kind == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_KINDS.get(str(item), str(item)) for item in kinds)
        return f"{where} must be {wanted}, not {type(shown).__name__} {_short(shown)}"
    if kind == "enum":
        choices = ", ".join(repr(choice) for choice in expected)
        return f"{where} must be one of {choices} (not {_short(shown)})"
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "greater than",
        "exclusiveMaximum": "less than",
    }
    if kind in bounds:
        return f"{where} must be {bounds[kind]} {expected} (not {_short(shown)})"
    if kind in ("minLength", "maxLength", "minItems", "maxItems"):
        what = "characters" if kind.endswith("Length") else "items"
        side = "at least" if kind.startswith("min") else "at most"
        return f"{where} must have {side} {expected} {what} (it has {len(value)})"
    if kind == "pattern":
        return f"{where} must match {expected!r} (not {_short(shown)})"
    return f"{where}: {error.message}"


_URL_SCHEMES = ("http://", "https://", "data:")


def _check_file_text(spec: InputSpec, value: Any) -> None:
    """Refuse text for a file input unless it is a URL: the API fetches nothing else."""
    items = value if spec.type == "array" and isinstance(value, (list, tuple)) else [value]
    for index, item in enumerate(items):
        if isinstance(item, str) and not item[:8].lower().startswith(_URL_SCHEMES):
            where = f"input {spec.name!r}" + (f"[{index}]" if item is not value else "")
            raise InputError(
                f"{where} takes a file, and {_short(item)} is no URL: for a local file "
                f"pass Path({item!r}); bytes, an open binary file or an http(s) or data URL "
                "do too",
                spec.name,
            )


def _at(value: Any, path: Any, default: Any) -> Any:
    """What the user gave at `path` (an error's place in the value the validator saw)."""
    for part in path:
        try:
            value = value[part]
        except (LookupError, TypeError):
            return default
    return value


def _takes_url(spec: InputSpec, value: Any) -> bool:
    # Many models take another's file as text (`image_url: str`): it goes as its URL.
    return isinstance(value, FileOutput) and spec.type == "string"


def check_value(spec: InputSpec, value: Any) -> None:
    """Raise `InputError` unless `value` fits the input `spec` describes."""
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import best_match

    if value is None and (spec.nullable or spec.optional):
        return  # Cog takes null for an optional input that has no default
    if _is_file_value(value) and not spec.is_file and spec.schema and not _takes_url(spec, value):
        raise InputError(
            f"input {spec.name!r} takes {spec.type_label}, not a file ({type(value).__name__})",
            spec.name,
        )
    if spec.is_file:
        _check_file_text(spec, value)
    schema = dict(spec.schema)
    if schema.get("nullable") is True:
        schema = {"anyOf": [schema, {"type": "null"}]}
    try:
        error = best_match(Draft7Validator(schema).iter_errors(_for_validator(value, spec)))
    except Exception:
        if _schema_is_broken(schema):
            return  # a schema jsonschema cannot apply: the API judges the value instead
        raise
    if error is None:
        return
    where = f"input {spec.name!r}" + "".join(f"[{part!r}]" for part in error.absolute_path)
    raise InputError(_message(where, error, value), spec.name)


def _schema_is_broken(schema: Mapping[str, Any]) -> bool:
    """Whether an input's schema is not a valid JSON Schema (a type no one knows, a bad $ref)."""
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft7Validator.check_schema(schema)
    except SchemaError:
        return True
    return False


def check_input(
    specs: Mapping[str, InputSpec], values: Mapping[str, Any], *, model: str = "the model"
) -> None:
    """Raise `InputError` for the first thing wrong with `values` as the input of `model`.

    Unknown names (with the closest known name suggested), missing required
    inputs, wrong types, choices, bounds and the other constraints of each
    input's schema. File inputs take paths, bytes, binary files, `FileOutput`s
    and URLs.
    """
    for name in values:
        if name not in specs:
            known = ", ".join(specs) or "none"
            raise InputError(
                f"{model} has no input {name!r}{did_you_mean(name, specs)}; its inputs: {known}",
                name,
            )
    missing = [name for name, spec in specs.items() if spec.required and name not in values]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        plural = "inputs" if len(missing) > 1 else "input"
        raise InputError(f"{model} needs {plural} {names}", missing[0])
    for name, value in values.items():
        check_value(specs[name], value)


# -- Python names and types --------------------------------------------------------------------

FileInput = Path | bytes | IO[bytes] | FileOutput | str
FileInput.__doc__ = (
    "What a file input takes: a path, bytes, a binary file, another model's FileOutput, a URL."
)


def python_name(model: str) -> str:
    """The snake_case Python name for a model: `replicate/hello-world` gives `hello_world`."""
    name = model.rsplit("/", 1)[-1].split(":", 1)[0]
    name = re.sub(r"\W+", "_", name.replace("-", "_")).strip("_").lower() or "model"
    if name[0].isdigit():
        name = f"model_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def _json_type(kind: str | None, items: Mapping[str, Any] | None = None) -> Any:
    if kind == "string":
        return str
    if kind == "integer":
        return int
    if kind == "number":
        return float
    if kind == "boolean":
        return bool
    if kind == "object":
        return dict[str, Any]
    if kind == "array":
        item_kind = items.get("type") if items else None
        return list[_json_type(item_kind if isinstance(item_kind, str) else None)]  # type: ignore[misc]
    return Any


def annotation(spec: InputSpec) -> Any:
    """The Python type of an input: `str`, `int`, `Literal[...]` for choices, files, lists."""
    base: Any
    if spec.enum:
        base = Literal.__getitem__(spec.enum)
    elif spec.is_file:
        base = list[FileInput] if spec.type == "array" else FileInput
    elif len(spec.types) > 1:
        base = Union.__getitem__(tuple(_json_type(kind) for kind in spec.types))
    else:
        items = spec.extra.get("items")
        base = _json_type(spec.type, items if isinstance(items, Mapping) else None)
    return Optional[base] if spec.nullable else base  # noqa: UP045 (built at run time)


def output_annotation(openapi_schema: Any) -> Any:
    """The Python type of what `run()` returns for this output: text joined, files as such."""
    output = output_schema(openapi_schema)
    if not output:
        return Any
    if streams_text(openapi_schema):
        return str
    if _is_file_schema(output):
        return FileOutput
    items = output.get("items")
    if output.get("type") == "array" and isinstance(items, Mapping) and _is_file_schema(items):
        return list[FileOutput]
    return _json_type(output.get("type") if isinstance(output.get("type"), str) else None, items)


def describe_output(openapi_schema: Any) -> str:
    """A sentence on what the model returns, as `run()` shapes it."""
    output = output_schema(openapi_schema)
    if not output:
        return "Whatever the model returns (its version has no output schema)."
    if streams_text(openapi_schema):
        return "Text (str): the pieces the model streams, joined."
    found = output.get("items")
    items: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    iterator = output.get("x-cog-array-type") == "iterator"
    if _is_file_schema(output):
        return "A file (FileOutput)."
    if output.get("type") == "array":
        if _is_file_schema(items):
            what = "files (FileOutput)"
        else:
            what = f"{items.get('type', 'any')} values"
        return f"A list of {what}" + (", produced one by one." if iterator else ".")
    if output.get("type") == "object":
        return "A dict (files in it as FileOutput)."
    kind = output.get("type")
    return f"A {kind} value." if isinstance(kind, str) else "Any value."


def _type_words(spec: InputSpec) -> str:
    if spec.enum:
        return " | ".join(repr(choice) for choice in spec.enum)
    if spec.is_file:
        return "list of files" if spec.type == "array" else "file"
    names = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
    if len(spec.types) > 1:
        return " | ".join(names.get(kind, kind) for kind in spec.types)
    if spec.type == "array":
        return f"list[{names.get(spec.item_type or '', 'Any')}]"
    if spec.type == "object":
        return "dict"
    return names.get(spec.type or "", "Any")


def input_doc(spec: InputSpec) -> str:
    """One line on an input, for docstrings: `width (int): Width in pixels. Default: 8. ...`."""
    text = spec.description.strip().rstrip(".")
    parts = [
        f"{spec.name} ({_type_words(spec)}): {text}."
        if text
        else f"{spec.name} ({_type_words(spec)})."
    ]
    if spec.required:
        parts.append("Required.")
    elif spec.has_default:
        parts.append(f"Default: {spec.default!r}.")
    else:
        parts.append("Optional.")
    extra = spec.extra
    low, high = extra.get("minimum"), extra.get("maximum")
    if low is not None and high is not None:
        parts.append(f"From {low} to {high}.")
    elif low is not None:
        parts.append(f"At least {low}.")
    elif high is not None:
        parts.append(f"At most {high}.")
    if extra.get("maxLength") is not None:
        parts.append(f"At most {extra['maxLength']} characters.")
    if spec.is_file:
        parts.append("A path, bytes, a binary file, a FileOutput or a URL.")
    return " ".join(parts)


def model_doc(
    label: str, openapi_schema: Any, *, description: str | None, version: str | None
) -> str:
    """The docstring of a model's function: what it is, each input, and what it returns."""
    specs = input_specs(openapi_schema) or {}
    lines = [f"Run {label} and return its output."]
    if description:
        lines += ["", description.strip()]
    if version:
        lines += ["", f"Version {version}."]
    if specs:
        lines += ["", "Args:"]
        lines += [f"    {input_doc(spec)}" for spec in specs.values()]
    elif openapi_schema is None:
        lines += ["", "Its version has no schema: inputs are sent unchecked."]
    lines += ["", "Returns:", f"    {describe_output(openapi_schema)}"]
    return "\n".join(lines)
