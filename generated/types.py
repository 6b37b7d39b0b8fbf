"""Contains some shared types for properties"""

from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

from attrs import define, fields


class Unset:
    """The value of a field the answer left out (or an argument not given)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


def model_repr(model: Any) -> str:
    """`Name(field=value, ...)` with only the fields that are set.

    An answer leaves out most optional fields; listing each as `UNSET` would
    bury the few that say something. Fields the spec does not know yet
    (`additional_properties`) are shown when there are any.
    """
    declared = fields(type(model))
    if [field.name for field in declared] == ["additional_properties"]:
        return f"{type(model).__name__}({model.additional_properties!r})"  # a free-form object
    shown = []
    for field in declared:
        value = getattr(model, field.name)
        if isinstance(value, Unset) or (field.name == "additional_properties" and not value):
            continue
        shown.append(f"{field.name}={value!r}")
    return f"{type(model).__name__}({', '.join(shown)})"


# What reading an answer checks, so that a typed attribute never holds a value
# of another type. A TypeError here becomes a ParseError naming the field.


def kind_of(value: object) -> str:
    """How a JSON value is named in an error message (never the value itself)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def check_str(value: object) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {kind_of(value)}")


def check_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {kind_of(value)}")


def check_float(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"expected a number, got {kind_of(value)}")


def check_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected a boolean, got {kind_of(value)}")


def check_list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    raise TypeError(f"expected an array, got {kind_of(value)}")


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "check_bool",
    "check_float",
    "check_int",
    "check_list",
    "check_str",
    "kind_of",
    "model_repr",
]
