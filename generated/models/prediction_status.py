from typing import Literal

from ..types import kind_of

PredictionStatus = Literal["aborted", "canceled", "failed", "processing", "starting", "succeeded"]

PREDICTION_STATUS_VALUES: set[PredictionStatus] = {
    "aborted",
    "canceled",
    "failed",
    "processing",
    "starting",
    "succeeded",
}


def check_prediction_status(value: object) -> PredictionStatus:
    if isinstance(value, str) and value in PREDICTION_STATUS_VALUES:
        return value
    shown = repr(value) if isinstance(value, str) else kind_of(value)
    raise TypeError(f"expected one of {sorted(PREDICTION_STATUS_VALUES)}, got {shown}")
