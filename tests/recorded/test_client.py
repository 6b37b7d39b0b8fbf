"""Recorded answers of the real API, replayed through replicate_ext's own paths.

An `httpx.MockTransport` stands in for the API here: the point is the bytes
Replicate really sent, which the local server cannot reproduce.
"""

from __future__ import annotations

import pytest

import replicate_ext
from generated.api.collections import collections_list
from generated.api.files import files_list
from generated.api.models import models_list
from generated.types import Unset

from .conftest import Recorded, Replay, in_cassette, json_answers


def client_for(replay: Replay) -> replicate_ext.Client:
    return replicate_ext.Client(
        "r8_recorded",
        base_url="https://api.replicate.com/v1",
        transport=replay.transport(),
        poll_interval=0.001,
    )


def final(cassette: str) -> Recorded:
    return [r for r in in_cassette(cassette) if r.method == "GET"][-1]


def test_run_replays_a_recorded_run_to_its_output() -> None:
    replay = Replay(in_cassette("run.yaml"))
    created = in_cassette("run.yaml")[0].json
    with client_for(replay) as client:
        output = client.run(
            f"{created['model']}:{created['version']}", input=created["input"], wait=False
        )
    assert [str(item) for item in output] == final("run.yaml").json["output"]
    assert all(isinstance(item, replicate_ext.FileOutput) for item in output)
    polls = [r for r in replay.seen if r.method == "GET"]
    assert len(polls) == len([r for r in in_cassette("run.yaml") if r.method == "GET"])


def test_wait_reads_a_recorded_prediction_by_id_and_by_object() -> None:
    recorded = final("predictions-get.yaml")
    with client_for(Replay(in_cassette("predictions-get.yaml"))) as client:
        by_id = client.wait(recorded.json["id"])
        by_object = client.wait(by_id)
    assert by_id.status == by_object.status == "succeeded"
    assert by_id.output == recorded.json["output"]


def test_an_older_prediction_without_a_model_is_read_and_its_output_returned() -> None:
    (old,) = [
        r for r in json_answers() if r.path.startswith("/predictions/") and "model" not in r.json
    ]
    with client_for(Replay([old])) as client:
        prediction = client.predictions.get(old.json["id"])
        assert isinstance(prediction.model, Unset)
        assert client.wait(prediction).status == old.json["status"]


def test_cancel_reads_the_recorded_answer() -> None:
    answers = in_cassette("predictions-cancel.yaml")
    canceled = answers[-1].json
    with client_for(Replay(answers)) as client:
        prediction = client.predictions.cancel(canceled["id"])
    assert prediction.status == "canceled"


@pytest.mark.parametrize(
    ("cassette", "operation"),
    [
        ("models-list.yaml", models_list),
        ("collections-list.yaml", collections_list),
        ("file-operations.yaml", files_list),
    ],
)
def test_paginate_reads_recorded_pages(cassette: str, operation: object) -> None:
    (page, *_) = [r for r in in_cassette(cassette) if r.method == "GET" and "/" not in r.path[1:]]
    with client_for(Replay([page])) as client:
        pages = client.paginate(operation)  # type: ignore[arg-type]
        first = next(iter(pages))
    assert len(first.results) == len(page.json["results"])
    for item, raw in zip(first.results, page.json["results"], strict=True):
        assert set(raw) <= set(item.to_dict())  # every field kept


def test_search_models_reads_the_recorded_answer() -> None:
    (search,) = in_cassette("models-search.yaml")
    with client_for(Replay([search])) as client:
        found = list(client.models.search("llama"))
    assert [f"{m.owner}/{m.name}" for m in found] == [
        f"{raw['owner']}/{raw['name']}" for raw in search.json["results"]
    ]


def test_upload_file_and_file_lookups_read_the_recorded_answers(tmp_path) -> None:
    answers = in_cassette("file-operations.yaml")
    created = answers[0].json
    path = tmp_path / created["name"]
    path.write_bytes(b"")
    with client_for(Replay(answers)) as client:
        uploaded = client.files.create(path)
    assert uploaded.id == created["id"]
    assert uploaded.urls.get == created["urls"]["get"]
    assert uploaded.checksums.to_dict() == created["checksums"]


async def test_the_async_client_reads_a_recorded_run() -> None:
    replay = Replay(in_cassette("run.yaml"))
    created = in_cassette("run.yaml")[0].json
    async with replicate_ext.AsyncClient(
        "r8_recorded",
        base_url="https://api.replicate.com/v1",
        transport=replay.async_transport(),
        poll_interval=0.001,
    ) as client:
        output = await client.run(
            f"{created['model']}:{created['version']}", input=created["input"], wait=False
        )
    assert [str(item) for item in output] == final("run.yaml").json["output"]
