"""Answers the recordings do not have yet stay readable: new statuses, new fields, fewer fields."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generated.errors import ParseError
from generated.models import Model, Prediction, Training
from generated.types import Unset

from .conftest import json_answers, normalized, spec

PREDICTIONS = [
    r.json for r in json_answers() if r.path.startswith("/predictions") and r.status < 300
]
TRAININGS = [r.json for r in json_answers() if "/trainings" in r.path and r.status < 300]
KINDS: list[tuple[type[Any], list[dict[str, Any]]]] = [
    (Prediction, PREDICTIONS),
    (Training, TRAININGS),
]
REQUIRED = {"id", "version", "status", "created_at", "urls"}
KNOWN = {
    name: set(spec()["components"]["schemas"][name]["properties"])
    for name in ("Prediction", "Training")
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
kinds = st.sampled_from(KINDS)


def answers(kind: tuple[type[Any], list[dict[str, Any]]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from(kind[1]).map(copy.deepcopy)


def test_there_are_recorded_answers_of_both_kinds() -> None:
    assert len(PREDICTIONS) > 50
    assert len(TRAININGS) >= 3


@given(kind=kinds, data=st.data())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_any_extra_field_is_kept(kind: tuple[type[Any], Any], data: st.DataObject) -> None:
    answer = data.draw(answers(kind))
    known = KNOWN[kind[0].__name__]  # read once: hypothesis times each example
    extra = data.draw(
        st.dictionaries(st.text(min_size=1).filter(lambda k: k not in known), json_values)
    )
    parsed = kind[0].from_dict({**answer, **extra})
    unlisted = {k: v for k, v in answer.items() if k not in known}  # `stream`, in one of them
    assert parsed.additional_properties == {**unlisted, **extra}
    assert parsed.to_dict().items() >= extra.items()


@given(kind=kinds, data=st.data(), status=st.text())
@settings(max_examples=60)
def test_any_status_string_is_kept(
    kind: tuple[type[Any], Any], data: st.DataObject, status: str
) -> None:
    answer = data.draw(answers(kind))
    parsed = kind[0].from_dict({**answer, "status": status})
    assert parsed.status == status
    assert parsed.to_dict()["status"] == status


@given(kind=kinds, data=st.data())
@settings(max_examples=60)
def test_any_optional_field_may_be_left_out(
    kind: tuple[type[Any], Any], data: st.DataObject
) -> None:
    answer = data.draw(answers(kind))
    optional = sorted(set(answer) - REQUIRED)
    dropped = data.draw(st.sets(st.sampled_from(optional))) if optional else set()
    trimmed = {k: v for k, v in answer.items() if k not in dropped}
    parsed = kind[0].from_dict(trimmed)
    assert set(parsed.to_dict()) == set(trimmed)


@given(kind=kinds, data=st.data())
@settings(max_examples=100)
def test_any_value_of_the_wrong_shape_is_one_parse_error_naming_its_field(
    kind: tuple[type[Any], Any], data: st.DataObject
) -> None:
    answer = data.draw(answers(kind))
    field = data.draw(st.sampled_from(sorted(set(answer) - {"input", "output"})))
    value = data.draw(json_values)
    broken = {**answer, field: value}
    try:
        parsed = kind[0].from_dict(broken)
    except ParseError as error:  # never a bare KeyError or TypeError
        failure: ParseError | None = error
    else:
        failure = None
        # Accepted: then it is what the spec allows there, kept as sent.
        assert _same(parsed.to_dict()[field], value)
    if failure is not None:
        assert failure.field.split(".")[0].split("[")[0] == field
        assert failure.model == kind[0].__name__


def _same(kept: Any, sent: Any) -> bool:
    if isinstance(sent, float) or isinstance(kept, float):
        return float(kept) == float(sent)
    return bool(kept == sent) or isinstance(sent, str)  # timestamps come back re-formatted


@pytest.mark.parametrize("field", sorted(REQUIRED))
def test_a_required_field_left_out_is_named(field: str) -> None:
    answer = {k: v for k, v in PREDICTIONS[0].items() if k != field}
    with pytest.raises(ParseError) as caught:
        Prediction.from_dict(answer)
    assert (caught.value.field, caught.value.reason) == (field, "missing")


@pytest.mark.parametrize("garbage", [None, [], "text", 3, True])
def test_an_answer_that_is_not_an_object_is_a_parse_error(garbage: Any) -> None:
    with pytest.raises(ParseError, match="expected an object"):
        Prediction.from_dict(garbage)


# -- a model's embedded example and latest version ---------------------------------------------

MODELS = [
    r.json
    for r in json_answers()
    if r.method == "GET" and r.path.count("/") == 3 and r.path.startswith("/models/")
]
EMBEDDED = ["default_example", "latest_version"]


def test_there_are_recorded_models_with_both_embedded_objects() -> None:
    both = [m for m in MODELS if m["default_example"] and m["latest_version"]]
    assert len(both) >= 2
    assert any(m["default_example"] is None for m in MODELS)  # mattt/empty


@given(data=st.data(), embedded=st.sampled_from(EMBEDDED))
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
def test_any_embedded_object_leaves_the_model_readable_and_loses_nothing(
    data: st.DataObject, embedded: str
) -> None:
    """Replicate's schema leaves both free-form: whatever object comes, the model parses."""
    model = copy.deepcopy(data.draw(st.sampled_from(MODELS)))
    recorded = model[embedded] or {}
    known = sorted(spec()["components"]["schemas"][_PARTIAL[embedded]]["properties"])
    # Fields it knows, with any JSON value (often of the wrong type), and fields it does not.
    odd = data.draw(st.dictionaries(st.sampled_from(known), json_values, max_size=4))
    extra = data.draw(st.dictionaries(st.text(min_size=1), json_values, max_size=2))
    kept = data.draw(st.sets(st.sampled_from(sorted(recorded)))) if recorded else set()
    model[embedded] = {**{k: recorded[k] for k in kept}, **extra, **odd}
    parsed = Model.from_dict(model)
    inner = getattr(parsed, embedded)
    assert type(inner).__name__ == _PARTIAL[embedded]
    assert normalized(parsed.to_dict()) == normalized(model)
    for field in known:
        value = getattr(inner, field)
        if field not in model[embedded]:
            assert isinstance(value, Unset)
        elif isinstance(value, Unset):  # unreadable as its type: kept as sent
            assert inner.additional_properties[field] == model[embedded][field]


def test_an_empty_example_and_version_are_read_as_empty() -> None:
    model = {**MODELS[-1], "default_example": {}, "latest_version": {}}
    parsed = Model.from_dict(model)
    assert parsed.default_example.to_dict() == {}
    assert isinstance(parsed.default_example.id, Unset)
    assert isinstance(parsed.latest_version.id, Unset)
    assert parsed.to_dict()["latest_version"] == {}


def test_a_partial_example_is_typed_as_far_as_it_goes() -> None:
    example = {"id": 42, "status": "succeeded", "urls": {"get": "https://x/1"}, "logs": None}
    parsed = Model.from_dict({**MODELS[0], "default_example": example})
    inner = parsed.default_example
    assert inner.status == "succeeded"
    assert inner.logs is None
    assert isinstance(inner.id, Unset)
    assert inner.additional_properties["id"] == 42
    # PredictionUrls needs `cancel` too: unreadable, so kept as sent, not as a dict in `urls`.
    assert isinstance(inner.urls, Unset)
    assert inner.additional_properties["urls"] == {"get": "https://x/1"}
    assert parsed.to_dict()["default_example"] == example


_PARTIAL = {"default_example": "PartialPrediction", "latest_version": "PartialModelVersion"}
