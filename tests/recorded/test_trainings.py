"""Recorded answers of the real API to trainings, replayed through replicate_ext's trainings."""

from __future__ import annotations

import pytest

import replicate_ext
from generated.models.training import Training
from replicate_ext._jobs import job_request, outcome_error

from .conftest import BASE_URL, Recorded, Replay, in_cassette, recordings


def client_for(replay: Replay) -> replicate_ext.Client:
    return replicate_ext.Client(
        "r8_recorded", base_url=BASE_URL, transport=replay.transport(), poll_interval=0.001
    )


def creation(cassette: str) -> Recorded:
    (created,) = [r for r in in_cassette(cassette) if r.path.endswith("/trainings")]
    return created


def ref_of(recorded: Recorded) -> str:
    owner, name, _, version, _ = recorded.path.strip("/").split("/")[1:]
    return f"{owner}/{name}:{version}"


def version_of(ref: str) -> Recorded:
    """The recorded answer to GET the version `ref`, which train() reads its schema from."""
    owner_name, version = ref.split(":")
    path = f"/models/{owner_name}/versions/{version}"
    return next(r for r in recordings() if r.method == "GET" and r.path == path)


def test_a_created_training_is_polled_where_its_answer_says() -> None:
    created = creation("trainings-create.yaml")
    # Its version's recorded schema declares no TrainingInput: the input goes unchecked.
    with client_for(Replay([version_of(ref_of(created)), created])) as client:
        training = client.trainings.create(
            ref_of(created), destination="me/my-sdxl", input={"input_images": "https://x/y.zip"}
        )
        assert isinstance(training, Training)
        assert training.status == "starting"
        # The API answers a new training with URLs under /predictions/; they are followed.
        assert training.urls.get == f"{BASE_URL}/predictions/{training.id}"
        assert job_request(client._ctx, training, "get")["url"] == training.urls.get
        assert job_request(client._ctx, training, "cancel")["url"] == training.urls.cancel


def test_a_missing_destination_reads_as_one() -> None:
    missing = creation("trainings-create__invalid-destination.yaml")
    assert missing.status == 404
    with (
        client_for(Replay([version_of(ref_of(missing)), missing])) as client,
        pytest.raises(replicate_ext.NotFoundError) as info,
    ):
        client.trainings.create(ref_of(missing), destination="me/nothing", input={})
    assert str(info.value) == (
        "the training destination me/nothing does not exist (or is not yours): create that "
        "model first (on replicate.com, or with POST /models), then train into it "
        "(404: The specified training destination does not exist)"
    )


def test_the_input_is_checked_against_a_recorded_training_schema() -> None:
    # A version of stability-ai/sdxl whose recorded schema has a TrainingInput.
    ref = "stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc"
    replay = Replay([version_of(ref)])
    with client_for(replay) as client, pytest.raises(replicate_ext.InputError) as info:
        client.trainings.create(ref, destination="me/my-sdxl", input={"input_imgs": "x.zip"})
    assert str(info.value).startswith(
        "train() of stability-ai/sdxl has no input 'input_imgs' (did you mean 'input_images'?)"
    )
    assert [request.method for request in replay.seen] == ["GET"]


def test_get_and_cancel_read_the_recorded_trainings() -> None:
    (fetched,) = in_cassette("trainings-get.yaml")
    canceled = in_cassette("trainings-cancel.yaml")[-1]
    with client_for(Replay([fetched, canceled])) as client:
        training = client.trainings.get(fetched.json["id"])
        assert training.status == "processing"
        assert training.urls.get == f"{BASE_URL}/trainings/{training.id}"
        stopped = client.trainings.cancel(canceled.json["id"])
    assert stopped.status == "canceled"
    assert str(outcome_error(stopped)) == f"training {stopped.id} was canceled"
