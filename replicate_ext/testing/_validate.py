"""Checking a model's input against its schema, and wording the 422 as Replicate does.

The checking is jsonschema's (Draft 2020-12 over the version's whole
``openapi_schema``, so Cog's ``allOf: [{"$ref": "#/components/schemas/..."}]``
enums resolve). The wording is the real API's: its answers carry the messages
and error types of the Go validator behind it (``required``, ``invalid_type``,
``enum``, ``number_lte``, ...), one ``invalid_fields`` entry per problem, with
``field`` the dotted path below the request body (``input.width``,
``input.tags.1``; ``input`` itself for a missing input, ``""`` for the body).
Unknown input fields are accepted and kept, as Cog ignores them.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import SchemaError, ValidationError
from jsonschema.protocols import Validator

__all__ = ["invalid_field", "validate_input"]

_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    # As the Go validator checks it: it parses, and it has a scheme.
    if not isinstance(value, str):
        return True
    try:
        parsed = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return bool(parsed.scheme) and "\\" not in value


def _nullable_type(
    validator: Validator, types: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterable[ValidationError]:
    # OpenAPI 3.0, which Cog's schemas declare, says `nullable: true` where
    # JSON Schema would list "null" among the types.
    if instance is None and schema.get("nullable") is True:
        return
    yield from Draft202012Validator.VALIDATORS["type"](validator, types, instance, schema)


_Checker = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"type": _nullable_type}
)
_cache: dict[int, tuple[Mapping[str, Any], str, Validator]] = {}


def _validator(openapi_schema: Mapping[str, Any], schema_name: str) -> Validator | None:
    cached = _cache.get(id(openapi_schema))
    if cached is not None and cached[0] is openapi_schema and cached[1] == schema_name:
        return cached[2]
    found = openapi_schema.get("components")
    components = found.get("schemas") if isinstance(found, Mapping) else None
    if not isinstance(components, Mapping) or not isinstance(components.get(schema_name), Mapping):
        return None
    if any(_broken(schema) for schema in components.values()):
        return None  # a schema no validator can apply (an unknown type, a bad $ref): as Cog's
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": {"schemas": components}}
    validator: Validator = _Checker(root, format_checker=_FORMATS)
    if len(_cache) > 256:
        _cache.clear()
    _cache[id(openapi_schema)] = (openapi_schema, schema_name, validator)
    return validator


def _broken(schema: Any) -> bool:
    try:
        _Checker.check_schema(schema)
    except SchemaError:
        return True
    return False


def invalid_field(kind: str, field: str, description: str) -> dict[str, str]:
    """One entry of a 422's ``invalid_fields``."""
    return {"type": kind, "field": field, "description": description}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _describe(error: ValidationError, field: str) -> list[dict[str, str]]:
    """The Go validator's entries for one of jsonschema's errors."""
    keyword = error.validator
    value: Any = error.instance
    rule: Any = error.validator_value
    name = field.rsplit(".", 1)[-1]
    simple = {
        "minimum": ("number_gte", f"Must be greater than or equal to {_number(rule)}"),
        "maximum": ("number_lte", f"Must be less than or equal to {_number(rule)}"),
        "exclusiveMinimum": ("number_gt", f"Must be greater than {_number(rule)}"),
        "exclusiveMaximum": ("number_lt", f"Must be less than {_number(rule)}"),
        "multipleOf": ("multiple_of", f"Must be a multiple of {_number(rule)}"),
        "minLength": ("string_gte", f"String length must be greater than or equal to {rule}"),
        "maxLength": ("string_lte", f"String length must be less than or equal to {rule}"),
        "minItems": ("array_min_items", f"Array must have at least {rule} items"),
        "maxItems": ("array_max_items", f"Array must have at most {rule} items"),
        "uniqueItems": ("unique", "Array items must be unique"),
        "pattern": ("pattern", f"Does not match pattern '{rule}'"),
        "format": ("format", f"Does not match format '{rule}'"),
        "minProperties": ("array_min_properties", f"Must have at least {rule} properties"),
        "maxProperties": ("array_max_properties", f"Must have at most {rule} properties"),
        "not": ("number_not", "Must not validate the schema (not)"),
        "const": ("const", f"{name} does not match: {json.dumps(rule)}"),
    }
    if keyword in simple:
        kind, description = simple[keyword]
        return [invalid_field(kind, field, description)]
    if keyword == "type":
        expected = rule if isinstance(rule, str) else "/".join(rule)
        description = f"Invalid type. Expected: {expected}, given: {_type_name(value)}"
        return [invalid_field("invalid_type", field, description)]
    if keyword == "enum":
        choices = ", ".join(json.dumps(choice) for choice in rule)
        return [invalid_field("enum", field, f"{name} must be one of the following: {choices}")]
    if keyword == "required":
        missing = [key for key in rule if isinstance(value, dict) and key not in value]
        return [invalid_field("required", field, f"{key} is required") for key in missing]
    if keyword == "additionalProperties":
        schema: Any = error.schema
        extra = sorted(set(value) - set(schema.get("properties", {})))
        kind = "additional_property_not_allowed"
        return [
            invalid_field(kind, field, f"Additional property {key} is not allowed") for key in extra
        ]
    if keyword in ("anyOf", "oneOf"):
        kind, description = (
            ("number_any_of", "Must validate at least one schema (anyOf)")
            if keyword == "anyOf"
            else ("number_one_of", "Must validate one and only one schema (oneOf)")
        )
        # The Go validator adds the errors of the branch that came closest; the
        # branch of the value's own type is the one its author meant.
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context or ():
            branches.setdefault(int(sub.schema_path[0]), []).append(sub)
        typed = [
            errors for errors in branches.values() if all(e.validator != "type" for e in errors)
        ]
        closest = typed[0] if typed else next(iter(branches.values()), [])
        return [invalid_field(kind, field, description), *_entries(closest, field)]
    return [invalid_field(str(keyword), field, error.message)]


def _entries(errors: Iterable[ValidationError], base: str) -> list[dict[str, str]]:
    errors = list(errors)
    # The Go validator stops at a value of the wrong type: no enum or bound is
    # reported beside it.
    mistyped = {tuple(e.relative_path) for e in errors if e.validator == "type"}
    found: list[dict[str, str]] = []
    for error in errors:
        if tuple(error.relative_path) in mistyped and error.validator != "type":
            continue
        field = ".".join([base, *(str(part) for part in error.relative_path)])
        found += _describe(error, field)
    return found


def validate_input(
    value: Any, openapi_schema: Mapping[str, Any], schema_name: str = "Input"
) -> list[dict[str, str]]:
    """The ``invalid_fields`` of ``value`` against ``components.schemas[schema_name]``.

    Empty when it is valid, or when the schema has no such component (nothing to
    check against). Missing required inputs come first, then the inputs in the
    schema's order.
    """
    if not isinstance(value, dict):
        description = f"Invalid type. Expected: object, given: {_type_name(value)}"
        return [invalid_field("invalid_type", "input", description)]
    validator = _validator(openapi_schema, schema_name)
    if validator is None:
        return []
    order = {name: index for index, name in enumerate(_properties(openapi_schema, schema_name))}

    def position(error: ValidationError) -> tuple[int, int]:
        if not error.relative_path:
            return (-1, 0)
        return (order.get(str(error.relative_path[0]), len(order)), 0)

    return _entries(sorted(validator.iter_errors(value), key=position), "input")


def _properties(openapi_schema: Mapping[str, Any], schema_name: str) -> list[str]:
    schema = openapi_schema.get("components", {}).get("schemas", {}).get(schema_name, {})
    properties = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
    if not isinstance(properties, Mapping):
        return []
    return sorted(properties, key=lambda name: _x_order(properties[name]))


def _x_order(schema: Any) -> float:
    order = schema.get("x-order") if isinstance(schema, Mapping) else None
    return float(order) if isinstance(order, (int, float)) else float("inf")
