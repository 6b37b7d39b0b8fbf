from typing import Literal

from ..types import kind_of

ModelsListSortDirection = Literal["asc", "desc"]

MODELS_LIST_SORT_DIRECTION_VALUES: set[ModelsListSortDirection] = {
    "asc",
    "desc",
}


def check_models_list_sort_direction(value: object) -> ModelsListSortDirection:
    if isinstance(value, str) and value in MODELS_LIST_SORT_DIRECTION_VALUES:
        return value
    shown = repr(value) if isinstance(value, str) else kind_of(value)
    raise TypeError(f"expected one of {sorted(MODELS_LIST_SORT_DIRECTION_VALUES)}, got {shown}")
