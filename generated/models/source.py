from typing import Literal

from ..types import kind_of

Source = Literal["api", "web"]

SOURCE_VALUES: set[Source] = {
    "api",
    "web",
}


def check_source(value: object) -> Source:
    if isinstance(value, str) and value in SOURCE_VALUES:
        return value
    shown = repr(value) if isinstance(value, str) else kind_of(value)
    raise TypeError(f"expected one of {sorted(SOURCE_VALUES)}, got {shown}")
