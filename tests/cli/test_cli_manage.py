"""`models create` and `trainings list | get | cancel`, over HTTP against the local server."""

from __future__ import annotations

import json

import httpx

from replicate_ext.testing import LocalServer, version_id

from .conftest import Invoke

TRAINABLE = f"replicate/trainable:{version_id('replicate/trainable', 1)}"


def test_models_create_makes_a_destination_train_can_use(
    invoke: Invoke, server: LocalServer
) -> None:
    made = invoke(
        "models", "create", "test-user/tuned", "--hardware", "cpu", "--visibility", "private",
        "--description", "my fine-tune",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert made.stdout.startswith("created test-user/tuned (private, cpu): http")
    model = server.state.models["test-user/tuned"]
    assert (model.visibility, model.description) == ("private", "my fine-tune")
    trained = invoke("train", TRAINABLE, "-d", "test-user/tuned", "-i", "steps=2")
    assert trained.exit_code == 0, trained.stderr
    (training_id,) = [t.id for t in server.state.trainings.values()]
    shown = invoke("trainings", "get", training_id).stdout
    fields = dict(line.split(maxsplit=1) for line in shown.splitlines() if " " in line)
    assert fields["trained"] == trained.stdout.strip()  # what train printed: the new version
    again = invoke(
        "models", "create", "test-user/tuned", "--hardware", "cpu", "--visibility", "private"
    )
    assert again.exit_code == 3
    assert "409" in again.stderr


def test_models_create_refuses_bad_arguments_before_any_request(
    invoke: Invoke, server: LocalServer
) -> None:
    for args in (
        ["tuned", "--hardware", "cpu", "--visibility", "private"],
        ["test-user/tuned", "--hardware", "cpu", "--visibility", "secret"],
        ["test-user/tuned", "--visibility", "public"],
    ):
        result = invoke("models", "create", *args)
        assert result.exit_code == 2, args
    assert server.state.requests == []


def _start_training(api: httpx.Client) -> str:
    api.post(
        "/models",
        json={"owner": "test-user", "name": "tuned", "visibility": "private", "hardware": "cpu"},
    ).raise_for_status()
    owner_name, _, version = TRAINABLE.partition(":")
    response = api.post(
        f"/models/{owner_name}/versions/{version}/trainings",
        json={"destination": "test-user/tuned", "input": {"steps": 100, "step_interval": 60}},
    )
    response.raise_for_status()
    training_id: str = response.json()["id"]
    return training_id


def test_trainings_list_get_cancel(invoke: Invoke, api: httpx.Client) -> None:
    training_id = _start_training(api)
    listed = invoke("trainings", "list")
    assert listed.exit_code == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split() == ["ID", "MODEL", "DESTINATION", "STATUS", "CREATED"]
    assert row.split()[:3] == [training_id, "replicate/trainable", "test-user/tuned"]
    shown = invoke("trainings", "get", training_id, "--json")
    assert json.loads(shown.stdout)["destination"] == "test-user/tuned"
    canceled = invoke("trainings", "cancel", training_id)
    assert canceled.stdout.split() == [training_id, "canceled"]
    shown = invoke("trainings", "get", training_id).stdout
    assert "canceled" in dict(line.split(maxsplit=1) for line in shown.splitlines())["status"]
    missing = invoke("trainings", "get", "no-such-training")
    assert missing.exit_code == 3
