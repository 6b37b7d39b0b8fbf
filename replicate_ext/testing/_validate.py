"""A small validator for the JSON Schema subset Cog puts in ``components.schemas.Input``.

Cog emits: ``type`` (string, integer, number, boolean, array, object), ``enum``
(usually behind ``allOf: [{"$ref": "#/components/schemas/..."}]``), ``minimum``,
``maximum``, ``items``, ``format: uri`` and ``required``. Unknown input fields
are ignored (kept in the prediction's input, never validated), as Cog does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_URI_SCHEMES = ("http://", "https://", "data:")


def _resolve(schema: Mapping[str, Any], components: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten ``$ref`` and ``allOf`` into one dict of constraints."""
    merged: dict[str, Any] = {}
    ref = schema.get("$ref")
    if isinstance(ref, str):
        merged.update(_resolve(components.get(ref.rsplit("/", 1)[-1], {}), components))
    for part in schema.get("allOf", ()):
        merged.update(_resolve(part, components))
    merged.update({k: v for k, v in schema.items() if k not in ("$ref", "allOf")})
    return merged


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_ok(expected: str, value: Any) -> bool:
    actual = _type_name(value)
    if expected == "number":
        return actual in ("integer", "number")
    if expected == "integer" and actual == "number":
        return float(value).is_integer()
    return actual == expected


def _check(
    field: str, value: Any, schema: Mapping[str, Any], components: Mapping[str, Any]
) -> list[dict[str, str]]:
    rules = _resolve(schema, components)
    expected = rules.get("type")
    if isinstance(expected, str) and not _type_ok(expected, value):
        description = f"Invalid type. Expected: {expected}, given: {_type_name(value)}"
        return [{"type": "invalid_type", "field": field, "description": description}]
    errors: list[dict[str, str]] = []
    if "enum" in rules and value not in rules["enum"]:
        choices = ", ".join(repr(choice) for choice in rules["enum"])
        description = f"{field} must be one of the following: {choices}"
        errors.append({"type": "enum", "field": field, "description": description})
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in rules and value < rules["minimum"]:
            description = f"Must be greater than or equal to {rules['minimum']}"
            errors.append({"type": "number_gte", "field": field, "description": description})
        if "maximum" in rules and value > rules["maximum"]:
            description = f"Must be less than or equal to {rules['maximum']}"
            errors.append({"type": "number_lte", "field": field, "description": description})
    uri = rules.get("format") == "uri"
    if uri and isinstance(value, str) and not value.startswith(_URI_SCHEMES):
        description = "Does not match format 'uri' (http, https or data URL)"
        errors.append({"type": "format", "field": field, "description": description})
    if isinstance(value, list) and isinstance(rules.get("items"), Mapping):
        for index, item in enumerate(value):
            errors += _check(f"{field}.{index}", item, rules["items"], components)
    return errors


def validate_input(
    value: Any, openapi_schema: Mapping[str, Any], schema_name: str = "Input"
) -> list[dict[str, str]]:
    """Return the ``invalid_fields`` entries for ``value`` (empty when it is valid)."""
    components: Mapping[str, Any] = openapi_schema.get("components", {}).get("schemas", {})
    schema = components.get(schema_name)
    if not isinstance(value, dict):
        description = f"Invalid type. Expected: object, given: {_type_name(value)}"
        return [{"type": "invalid_type", "field": "input", "description": description}]
    if not isinstance(schema, Mapping):
        return []
    errors: list[dict[str, str]] = []
    for name in schema.get("required", ()):
        if name not in value:
            errors.append(
                {"type": "required", "field": "input", "description": f"{name} is required"}
            )
    for name, property_schema in schema.get("properties", {}).items():
        if name in value:
            errors += _check(f"input.{name}", value[name], property_schema, components)
    return errors
