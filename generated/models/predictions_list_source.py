from typing import Literal

from ..types import kind_of

PredictionsListSource = Literal["web"]

PREDICTIONS_LIST_SOURCE_VALUES: set[PredictionsListSource] = {
    "web",
}


def check_predictions_list_source(value: object) -> PredictionsListSource:
    if isinstance(value, str) and value in PREDICTIONS_LIST_SOURCE_VALUES:
        return value
    shown = repr(value) if isinstance(value, str) else kind_of(value)
    raise TypeError(f"expected one of {sorted(PREDICTIONS_LIST_SOURCE_VALUES)}, got {shown}")
