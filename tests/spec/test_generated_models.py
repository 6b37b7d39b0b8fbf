"""The generated models parse what the API really returns, and lose nothing."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

import generated.models as models

EXAMPLES = json.loads((Path(__file__).parent / "seed_examples.json").read_text())
STATUSES = ["starting", "processing", "succeeded", "failed", "canceled"]


def normalized(value: Any) -> Any:
    """Compare timestamps by instant: the models re-emit them in isoformat()."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return datetime.datetime.fromisoformat(value).astimezone(datetime.UTC)
        except ValueError:
            return value
    return value


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_seed_example_round_trips(name: str) -> None:
    schema, example = EXAMPLES[name]["schema"], EXAMPLES[name]["example"]
    model = getattr(models, schema)
    parsed = model.from_dict(example)
    assert isinstance(parsed, model)
    assert normalized(parsed.to_dict()) == normalized(example)


def prediction(**changes: Any) -> dict[str, Any]:
    base = dict(EXAMPLES["predictions.get"]["example"])
    base.update(changes)
    return base


def test_unknown_prediction_fields_are_kept() -> None:
    raw = prediction(brand_new_field={"nested": [1, 2]}, another="x")
    parsed = models.Prediction.from_dict(raw)
    assert parsed.additional_properties == {"brand_new_field": {"nested": [1, 2]}, "another": "x"}
    assert parsed.to_dict()["brand_new_field"] == {"nested": [1, 2]}


def test_unknown_fields_are_kept_in_nested_objects() -> None:
    raw = prediction(
        metrics={"predict_time": 1.5, "image_count": 4},
        urls=dict(prediction()["urls"], web="https://replicate.com/p/x", extra="y"),
    )
    parsed = models.Prediction.from_dict(raw)
    assert parsed.to_dict()["metrics"] == {"predict_time": 1.5, "image_count": 4}
    assert parsed.to_dict()["urls"]["extra"] == "y"


def test_hidden_version_parses() -> None:
    assert models.Prediction.from_dict(prediction(version="hidden")).version == "hidden"


def test_removed_data_parses() -> None:
    parsed = models.Prediction.from_dict(
        prediction(output=None, input={}, logs=None, data_removed=True)
    )
    assert parsed.output is None
    assert parsed.data_removed is True
    assert parsed.to_dict()["output"] is None


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_parses(status: str) -> None:
    assert models.Prediction.from_dict(prediction(status=status)).status == status


def test_nanosecond_timestamps_parse() -> None:
    parsed = models.Training.from_dict(EXAMPLES["trainings.create"]["example"])
    assert parsed.created_at == datetime.datetime(
        2023, 9, 8, 16, 32, 56, 990893, tzinfo=datetime.UTC
    )


def test_any_json_output_survives() -> None:
    output = [{"url": "https://replicate.delivery/a.png"}, 1, 2.5, None, True, "text"]
    assert models.Prediction.from_dict(prediction(output=output)).to_dict()["output"] == output


def test_models_load_lazily() -> None:
    assert "Hardware" in dir(models)
    with pytest.raises(AttributeError, match="NoSuchModel"):
        _ = models.NoSuchModel
