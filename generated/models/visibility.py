from typing import Literal

from ..types import kind_of

Visibility = Literal["private", "public"]

VISIBILITY_VALUES: set[Visibility] = {
    "private",
    "public",
}


def check_visibility(value: object) -> Visibility:
    if isinstance(value, str) and value in VISIBILITY_VALUES:
        return value
    shown = repr(value) if isinstance(value, str) else kind_of(value)
    raise TypeError(f"expected one of {sorted(VISIBILITY_VALUES)}, got {shown}")
