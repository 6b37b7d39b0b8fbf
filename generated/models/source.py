from typing import Literal

Source = Literal["api", "web"]

SOURCE_VALUES: set[Source] = {
    "api",
    "web",
}


def check_source(value: str) -> Source:
    if value in SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SOURCE_VALUES!r}")
