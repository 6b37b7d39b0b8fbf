from typing import Literal

from ..types import kind_of

ModelsListSortBy = Literal["latest_version_created_at", "model_created_at"]

MODELS_LIST_SORT_BY_VALUES: set[ModelsListSortBy] = {
    "latest_version_created_at",
    "model_created_at",
}


def check_models_list_sort_by(value: object) -> ModelsListSortBy:
    if isinstance(value, str) and value in MODELS_LIST_SORT_BY_VALUES:
        return value
    shown = repr(value) if isinstance(value, str) else kind_of(value)
    raise TypeError(f"expected one of {sorted(MODELS_LIST_SORT_BY_VALUES)}, got {shown}")
