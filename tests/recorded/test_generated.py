"""Every recorded answer of the real API against the spec and the generated client."""

from __future__ import annotations

import dataclasses
import json
import typing

import attrs
import pytest

from generated.client import Client as GeneratedClient
from generated.errors import ParseError
from generated.types import Unset

from .conftest import (
    BASE_URL,
    Recorded,
    assert_no_raw_dict_in_typed_fields,
    json_answers,
    normalized,
    operation_of,
    recordings,
    spec_errors,
)

ANSWERS = json_answers()


def test_the_recordings_are_all_here() -> None:
    assert len(recordings()) == 144
    assert {r.method for r in recordings()} == {"GET", "POST", "DELETE", "QUERY"}


def test_every_recorded_request_is_an_operation_of_the_spec() -> None:
    operations = {operation_of(r).operation_id for r in recordings()}
    assert len(operations) == 18  # as the recordings' README counts them


@pytest.mark.parametrize("recorded", ANSWERS, ids=lambda r: r.name)
def test_every_answer_validates_against_the_spec(recorded: Recorded) -> None:
    assert spec_errors(operation_of(recorded), recorded.status, recorded.json) == []


def _declared(module: typing.Any, status: int) -> type | None:
    """The class the generated operation says this status parses into."""
    hints = typing.get_type_hints(module._parse_body)
    for kind in typing.get_args(hints["return"]):
        if attrs.has(kind) and (kind.__name__ == "Problem") == (status >= 400):
            return typing.cast(type, kind)
    return None


@pytest.mark.parametrize("recorded", ANSWERS, ids=lambda r: r.name)
def test_every_answer_parses_into_its_declared_type_and_loses_no_field(
    recorded: Recorded,
) -> None:
    module = operation_of(recorded).module
    client = GeneratedClient(base_url=BASE_URL)
    parsed = module._parse_response(client=client, response=recorded.response())
    body = recorded.json
    if isinstance(body, list):  # hardware.list
        assert all(attrs.has(type(item)) for item in parsed)
        assert normalized([item.to_dict() for item in parsed]) == normalized(body)
        return
    declared = _declared(module, recorded.status)
    assert declared is not None
    assert isinstance(parsed, declared)
    assert normalized(parsed.to_dict()) == normalized(body)
    assert_no_raw_dict_in_typed_fields(parsed)


def test_the_older_prediction_without_a_model_is_readable() -> None:
    predictions = [r for r in ANSWERS if r.method == "GET" and r.path.startswith("/predictions/")]
    (old,) = [r for r in predictions if "model" not in r.json]
    parsed = operation_of(old).module._parse_response(
        client=GeneratedClient(base_url=BASE_URL), response=old.response()
    )
    assert isinstance(parsed.model, Unset)
    assert parsed.status == "succeeded"


def test_a_creation_answers_201_whatever_its_status() -> None:
    creations = [r for r in ANSWERS if r.method == "POST" and r.path.endswith("/predictions")]
    statuses = {(r.status, r.json["status"]) for r in creations if r.status < 400}
    assert statuses == {(201, "starting"), (201, "processing")}


def test_an_answer_of_the_wrong_shape_names_the_field_and_keeps_the_response() -> None:
    (recorded,) = [r for r in ANSWERS if r.cassette == "trainings-get.yaml"]
    body = recorded.json
    body["urls"]["get"] = 42
    broken = dataclasses.replace(recorded, body=json.dumps(body))
    response = broken.response()
    with pytest.raises(ParseError) as caught:
        operation_of(broken).module._parse_response(
            client=GeneratedClient(base_url=BASE_URL), response=response
        )
    error = caught.value
    assert (error.model, error.field) == ("Training", "urls.get")
    assert error.reason == "expected a string, got a number"
    assert error.response is response
    assert str(error) == "unreadable Training at urls.get: expected a string, got a number"
