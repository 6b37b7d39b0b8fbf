"""Trainings: start, follow, time out, cancel, and run what they made, over real HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import replicate_ext
from generated.api.models import models_create
from generated.models.model_create_request import ModelCreateRequest
from generated.models.prediction import Prediction
from generated.models.training import Training
from replicate_ext import (
    AsyncClient,
    Client,
    InputError,
    ModelError,
    NotFoundError,
    PredictionTimeout,
    ReplicateError,
    _default,
    parse_progress,
    trained_ref,
)
from replicate_ext._files import MAX_UPLOAD_SIZE
from replicate_ext.testing import LocalServer, version_id

TRAINABLE = f"replicate/trainable:{version_id('replicate/trainable', 1)}"
DESTINATION = "test-user/tuned"
LONG = {"steps": 100, "step_interval": 60}  # 60 s at the fixture's speed


def create_destination(client: Client, name: str = "tuned") -> str:
    """A model of the account's, as a user makes one before training into it."""
    body = ModelCreateRequest.from_dict(
        {"owner": "test-user", "name": name, "visibility": "private", "hardware": "cpu"}
    )
    response = models_create.sync_detailed(client=client.api, body=body)
    assert response.status_code == 201, response.content
    return f"test-user/{name}"


@pytest.fixture
def destination(client: Client) -> str:
    return create_destination(client)


def make_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def described(path: Path) -> str:
    """What the bundled trainable model logs about a zip it received."""
    with zipfile.ZipFile(path) as archive:
        count = len(archive.namelist())
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(2**20):
            digest.update(chunk)
    size = path.stat().st_size
    return f"Training data: {count} files in a zip of {size} bytes (sha256 {digest.hexdigest()})"


# -- train, then run what it made -------------------------------------------------------------


def test_train_then_run_the_new_version(
    client: Client, server: LocalServer, destination: str, tmp_path: Path
) -> None:
    photos = make_zip(
        tmp_path / "photos.zip",
        {"a.jpg": os.urandom(200_000), "b.jpg": os.urandom(200_000), "c.txt": b"caption"},
    )
    updates: list[Training] = []
    training = client.train(
        TRAINABLE,
        destination=destination,
        input={"train_data": photos, "steps": 20},
        progress=updates.append,
    )
    assert isinstance(training, Training)
    assert training.status == "succeeded"
    assert described(photos) in str(training.logs)
    # Over 256 KB: uploaded with the Files API, then passed by URL, as run() does.
    (stored,) = server.state.files.values()
    assert len(stored.content) == photos.stat().st_size
    sent = server.state.trainings[training.id].input["train_data"]
    assert sent == stored.to_json(server.state.origin)["urls"]["get"]
    # The progress callback sees trainings, whose logs report their steps.
    assert updates
    assert all(isinstance(update, Training) for update in updates)
    assert updates[-1].status == "succeeded"
    final = parse_progress(updates[-1])
    assert final is not None
    assert (final.current, final.total, final.description) == (20, 20, "Training")
    # The new version, named for run().
    (new_version,) = server.state.models[destination].versions
    ref = trained_ref(training)
    assert ref == f"{destination}:{new_version.id}"
    assert client.run(ref, {"prompt": "yo"}) == f"{destination} (trained for 20 steps) says: yo"
    assert client.use(ref)(prompt="hey") == f"{destination} (trained for 20 steps) says: hey"
    # Polled where the answer said the training lives (under /predictions/), not rebuilt.
    assert server.state.requests_to(f"/v1/predictions/{training.id}", "GET")
    assert not server.state.requests_to(f"/v1/trainings/{training.id}")


def test_a_failed_training_raises_model_error(client: Client, destination: str) -> None:
    with pytest.raises(ModelError) as info:
        client.train(TRAINABLE, destination=destination, input={"train_data": b"not a zip"})
    error = info.value
    assert str(error) == (
        f"training {error.prediction_id} failed: train_data is not a zip file (9 bytes)"
    )
    assert isinstance(error.prediction, Training)


# -- files: streamed, bounded in memory, and the Files API's limit -------------------------------

MEMORY_CHILD = """
import json, sys, tracemalloc
from pathlib import Path

import replicate_ext
from generated.api.trainings import trainings_create  # imported before measuring
from generated.models.training_request import TrainingRequest

client = replicate_ext.Client()
client.files.create(b"warm up: connections, imports")
tracemalloc.start()
training = client.trainings.create(
    sys.argv[1], destination=sys.argv[2], input={"train_data": Path(sys.argv[3]), "steps": 1}
)
print(json.dumps({"id": training.id, "peak": tracemalloc.get_traced_memory()[1]}))
"""
LARGE_ZIP = 48 * 2**20
MEMORY_BOUND = 8 * 2**20


def large_zip(path: Path, size: int) -> Path:
    block = os.urandom(2**20)
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open("photos.bin", "w") as entry:
            for _ in range(size // len(block)):
                entry.write(block)
        archive.writestr("caption.txt", b"a large set")
    return path


def test_a_large_zip_is_uploaded_streamed_with_bounded_memory(
    client: Client, server: LocalServer, destination: str, tmp_path: Path
) -> None:
    photos = large_zip(tmp_path / "photos.zip", LARGE_ZIP)
    # The client in a process of its own, so that only its memory is measured
    # (the server, in this one, keeps the upload in memory).
    env = {
        **os.environ,
        "REPLICATE_API_TOKEN": server.token,
        "REPLICATE_BASE_URL": server.base_url,
    }
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, TRAINABLE, destination, str(photos)],
        env=env,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout)
    assert measured["peak"] < MEMORY_BOUND, measured
    finished = client.wait(measured["id"], training=True)
    assert finished.status == "succeeded", finished.error
    assert described(photos) in str(finished.logs)


def test_a_zip_over_the_files_api_limit_asks_for_a_url(
    client: Client, server: LocalServer, tmp_path: Path
) -> None:
    huge = tmp_path / "photos.zip"
    with huge.open("wb") as file:
        file.truncate(300 * 10**6)  # 300 MB, taking no room on disk
    with pytest.raises(ValueError, match=r"input\['train_data'\] is 286.1 MiB") as info:
        client.trainings.create(TRAINABLE, destination=DESTINATION, input={"train_data": huge})
    message = str(info.value)
    assert f"at most {MAX_UPLOAD_SIZE // 2**20} MiB" in message
    assert "pass its https URL instead" in message
    assert server.state.requests == []


# -- the destination and the reference ---------------------------------------------------------


def test_a_missing_destination_is_a_clear_error(client: Client, server: LocalServer) -> None:
    with pytest.raises(NotFoundError) as info:
        client.trainings.create(TRAINABLE, destination="test-user/missing", input={"steps": 1})
    error = info.value
    assert str(error).startswith(
        "the training destination test-user/missing does not exist (or is not yours): "
        "create that model first"
    )
    assert error.status == 404
    assert error.detail == "The specified training destination does not exist"
    with pytest.raises(NotFoundError, match="destination test-user/missing does not exist"):
        client.train(TRAINABLE, destination="test-user/missing", input={"steps": 1})
    assert server.state.trainings == {}


def test_a_missing_model_is_not_called_a_missing_destination(
    client: Client, destination: str
) -> None:
    with pytest.raises(NotFoundError) as info:
        client.trainings.create(f"replicate/nope:{'0' * 64}", destination=destination, input={})
    assert "destination" not in str(info.value)


@pytest.mark.parametrize(
    "bad", ["tuned", "test-user/tuned:" + "a" * 64, "a/b/c", "", "deployments/a/b", "../x", "a/.."]
)
def test_the_destination_is_checked_before_any_request(
    client: Client, server: LocalServer, bad: str
) -> None:
    with pytest.raises(ValueError, match=r"^destination must be 'owner/name' of a model of yours"):
        client.trainings.create(TRAINABLE, destination=bad, input={})
    with pytest.raises(TypeError, match="not NoneType"):
        client.train(TRAINABLE, destination=None, input={})  # type: ignore[arg-type]
    assert server.state.requests == []


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("replicate/trainable", "needs the exact version"),
        (version_id("replicate/trainable", 1), "a bare version id does not name its model"),
        ("deployments/a/b", "deployments cannot be trained"),
        ("not a ref", "invalid model reference"),
    ],
)
def test_the_reference_is_checked_before_any_request(
    client: Client, server: LocalServer, ref: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        client.train(ref, destination=DESTINATION, input={})
    assert server.state.requests == []


def test_input_is_required_and_checked(client: Client, server: LocalServer) -> None:
    with pytest.raises(TypeError, match="input is required"):
        client.trainings.create(TRAINABLE, destination=DESTINATION, input=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"input\['steps'\] is a object"):
        client.trainings.create(TRAINABLE, destination=DESTINATION, input={"steps": object()})
    assert server.state.requests == []


# -- the input, checked against the training schema ---------------------------------------------


def _created(server: LocalServer) -> list[str]:
    """The creations the server saw: trainings and uploads, which cost."""
    return [route for route in server.state.creations if "trainings" in route or "files" in route]


def test_a_misspelled_input_is_refused_before_a_paid_training(
    client: Client, server: LocalServer, destination: str, tmp_path: Path
) -> None:
    photos = make_zip(tmp_path / "photos.zip", {"a.jpg": os.urandom(300_000)})
    with pytest.raises(InputError) as info:
        client.train(TRAINABLE, destination=destination, input={"train_data": photos, "stepz": 5})
    assert str(info.value) == (
        "train() of replicate/trainable has no input 'stepz' (did you mean 'steps'?); "
        "its inputs: train_data, steps, learning_rate, step_interval"
    )
    assert info.value.input_name == "stepz"
    # Nothing uploaded, nothing started: the schema came from the version alone.
    assert _created(server) == []
    assert server.state.trainings == {}
    version = TRAINABLE.replace(":", "/versions/")
    assert [r.path for r in server.state.requests if r.method == "GET"] == [f"/v1/models/{version}"]


@pytest.mark.parametrize(
    ("input", "message"),
    [
        ({"steps": 1000}, "input 'steps' must be at most 100 (not 1000)"),
        ({"steps": "many"}, "input 'steps' must be a whole number (int), not str 'many'"),
        ({"train_data": 3}, "input 'train_data' must be text (str), not int 3"),
    ],
)
def test_a_mistyped_input_is_refused_as_use_refuses_it(
    client: Client, server: LocalServer, destination: str, input: dict[str, Any], message: str
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        client.trainings.create(TRAINABLE, destination=destination, input=input)
    assert server.state.trainings == {}


async def test_the_async_twins_check_the_input_too(
    async_client: AsyncClient, server: LocalServer, destination: str
) -> None:
    with pytest.raises(InputError, match="has no input 'stepz'"):
        await async_client.train(TRAINABLE, destination=destination, input={"stepz": 1})
    with pytest.raises(InputError, match="has no input 'stepz'"):
        await async_client.trainings.create(TRAINABLE, destination=destination, input={"stepz": 1})
    assert server.state.trainings == {}


def test_strict_false_sends_the_input_unchecked(
    client: Client, server: LocalServer, destination: str
) -> None:
    training = client.trainings.create(
        TRAINABLE, destination=destination, input={"steps": 1, "extra": "x"}, strict=False
    )
    assert server.state.trainings[training.id].input == {"steps": 1, "extra": "x"}
    assert server.state.requests[0].method == "POST"  # no lookup of the schema first


def test_a_version_without_a_training_schema_gets_its_input_unchecked(
    client: Client, server: LocalServer, destination: str
) -> None:
    async def answer(ctx: Any) -> str:
        return "hi"

    version = server.state.add_model("test-user/plain", answer, inputs={"text": {"type": "string"}})
    # Nothing to check against: the input goes as given, and the API says what it thinks.
    with pytest.raises(ReplicateError, match="does not support training") as info:
        client.trainings.create(
            f"test-user/plain:{version}", destination=destination, input={"anything": 1}
        )
    assert not isinstance(info.value, InputError)
    (sent,) = server.state.requests_to("/v1/models/test-user/plain/versions/*", "POST")
    assert sent.path == f"/v1/models/test-user/plain/versions/{version}/trainings"


# -- deadlines, interruptions, cancel ------------------------------------------------------------


def test_a_timeout_cancels_the_training(
    client: Client, server: LocalServer, destination: str
) -> None:
    with pytest.raises(PredictionTimeout) as info:
        client.train(TRAINABLE, destination=destination, input=LONG, timeout=0.3)
    error = info.value
    assert str(error) == (
        f"training {error.prediction_id} did not finish within 0.3 s and was canceled"
    )
    assert server.state.trainings[error.prediction_id].status == "canceled"
    # Canceled at the URL the answer gave.
    assert server.state.requests_to(f"/v1/predictions/{error.prediction_id}/cancel", "POST")


def test_an_interruption_cancels_the_training(
    client: Client, server: LocalServer, destination: str
) -> None:
    def interrupt(training: Training) -> None:
        if training.status == "processing":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.train(TRAINABLE, destination=destination, input=LONG, progress=interrupt)
    (job,) = server.state.trainings.values()
    assert job.status == "canceled"


class LosesTrainingAnswers(httpx.BaseTransport):
    """Sends every request, but loses the answer to a training's creation, as a cut connection."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "POST" and request.url.path.endswith("/trainings"):
            response.read()
            response.close()
            raise httpx.ReadError("connection lost", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_a_training_whose_creation_answer_was_lost_is_named_not_canceled(
    server: LocalServer, destination: str
) -> None:
    # A fault no server makes on purpose: it acted, and its answer never arrived.
    # The training cannot be told from another caller's with the same input: named.
    lossy = Client(server.token, base_url=server.base_url, transport=LosesTrainingAnswers())
    with lossy, pytest.raises(replicate_ext.CreationFateUnknown, match="connection lost") as info:
        lossy.trainings.create(TRAINABLE, destination=destination, input=LONG)
    (job,) = server.state.trainings.values()
    assert job.status != "canceled"
    assert info.value.kind == "training"
    assert info.value.candidates == (job.id,)
    assert info.value.cancel_after is None  # trainings take none
    assert "trainings.cancel(id)" in str(info.value)


def test_a_502_on_a_training_leaves_another_callers_training_running(
    client: Client, server: LocalServer, destination: str
) -> None:
    theirs = client.trainings.create(TRAINABLE, destination=destination, input=LONG)
    server.state.inject_fault(
        "status", "/v1/models/replicate/trainable/versions/*", method="POST", status=502
    )
    with pytest.raises(replicate_ext.CreationFateUnknown) as info:
        client.train(TRAINABLE, destination=destination, input=LONG)
    assert info.value.status == 502
    assert info.value.candidates == (theirs.id,)
    assert server.state.trainings[theirs.id].status != "canceled"
    assert not server.state.requests_to(f"/v1/trainings/{theirs.id}/cancel")
    assert not server.state.requests_to(f"/v1/predictions/{theirs.id}/cancel")


def test_wait_on_a_training_by_object_and_by_id(
    client: Client, server: LocalServer, destination: str
) -> None:
    created = client.trainings.create(TRAINABLE, destination=destination, input={"steps": 20})
    assert isinstance(created, Training)
    assert created.status == "starting"
    seen: list[Any] = []
    done = client.wait(created, progress=seen.append)
    assert isinstance(done, Training)
    assert done.status == "succeeded"
    assert seen
    assert all(isinstance(update, Training) for update in seen)

    by_id = client.wait(created.id, training=True)
    assert isinstance(by_id, Training)
    assert by_id.output == done.output
    assert by_id.urls.get == f"{server.base_url}/trainings/{created.id}"
    assert client.trainings.get(created.id).status == "succeeded"
    # The API serves a training under /predictions/ too: waited for as a prediction,
    # it still names the version it made.
    as_prediction = client.wait(created.id)
    assert isinstance(as_prediction, Prediction)
    assert trained_ref(as_prediction) == trained_ref(done)


def test_wait_and_cancel_on_unfinished_trainings(
    client: Client, server: LocalServer, destination: str
) -> None:
    long = client.trainings.create(TRAINABLE, destination=destination, input=LONG)
    with pytest.raises(PredictionTimeout, match=f"^training {long.id} did not finish within 0.2 s"):
        client.wait(long.id, training=True, timeout=0.2)
    assert server.state.trainings[long.id].status == "canceled"

    other = client.trainings.create(TRAINABLE, destination=destination, input=LONG)
    canceled = client.trainings.cancel(other.id)
    assert isinstance(canceled, Training)
    assert canceled.status == "canceled"
    assert client.wait(other).status == "canceled"
    assert server.state.requests_to(f"/v1/trainings/{other.id}/cancel", "POST")


# -- async twins and module-level functions ----------------------------------------------------


async def test_async_twins(
    async_client: AsyncClient, server: LocalServer, destination: str, tmp_path: Path
) -> None:
    photos = make_zip(tmp_path / "photos.zip", {"a.jpg": b"a", "b.jpg": b"b"})
    statuses: list[str] = []

    async def show(training: Training) -> None:
        await asyncio.sleep(0)
        statuses.append(str(training.status))

    training = await async_client.train(
        TRAINABLE, destination=destination, input={"train_data": photos}, progress=show
    )
    assert training.status == "succeeded"
    assert statuses[-1] == "succeeded"
    assert described(photos) in str(training.logs)
    output = await async_client.run(trained_ref(training), {"prompt": "a"})
    assert output == f"{destination} (trained for 3 steps) says: a"

    created = await async_client.trainings.create(TRAINABLE, destination=destination, input={})
    assert (await async_client.wait(created.id, training=True)).status == "succeeded"
    assert (await async_client.trainings.get(created.id)).status == "succeeded"
    long = await async_client.trainings.create(TRAINABLE, destination=destination, input=LONG)
    assert (await async_client.trainings.cancel(long.id)).status == "canceled"

    with pytest.raises(PredictionTimeout, match=r"^training "):
        await async_client.train(TRAINABLE, destination=destination, input=LONG, timeout=0.2)
    with pytest.raises(NotFoundError, match="destination test-user/nope does not exist"):
        await async_client.trainings.create(TRAINABLE, destination="test-user/nope", input={})


async def test_cancelling_the_task_cancels_the_training(
    async_client: AsyncClient, server: LocalServer, destination: str
) -> None:
    started = asyncio.Event()

    def watch(training: Training) -> None:
        if training.status == "processing":
            started.set()

    task = asyncio.create_task(
        async_client.train(TRAINABLE, destination=destination, input=LONG, progress=watch)
    )
    await asyncio.wait_for(started.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (job,) = server.state.trainings.values()
    assert job.status == "canceled"


@pytest.fixture
def default_env(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    monkeypatch.setattr(_default, "_client", None)
    monkeypatch.setattr(_default, "_async_clients", type(_default._async_clients)())
    yield server
    if _default._client is not None:
        _default._client.close()


def test_module_level_training_functions(default_env: LocalServer, destination: str) -> None:
    training = replicate_ext.train(TRAINABLE, destination=destination, input={"steps": 1})
    assert replicate_ext.run(trained_ref(training), {"prompt": "m"}).endswith("says: m")
    created = replicate_ext.trainings.create(TRAINABLE, destination=destination, input=LONG)
    assert replicate_ext.trainings.get(created.id).id == created.id
    assert replicate_ext.trainings.cancel(created.id).status == "canceled"
    assert replicate_ext.wait(created).status == "canceled"


async def test_module_level_async_training_functions(
    default_env: LocalServer, destination: str
) -> None:
    training = await replicate_ext.async_train(TRAINABLE, destination=destination, input={})
    assert training.status == "succeeded"
    client = _default.default_async_client()
    created = await client.trainings.create(TRAINABLE, destination=destination, input=LONG)
    assert (await client.trainings.get(created.id)).id == created.id
    assert (await client.trainings.cancel(created.id)).status == "canceled"
    assert (await replicate_ext.async_wait(created.id, training=True)).status == "canceled"
    await _default.default_async_client().aclose()


# -- trained_ref ---------------------------------------------------------------------------------

V = "b" * 64
DONE = "succeeded"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"status": DONE, "output": {"version": f"me/t:{V}"}}, f"me/t:{V}"),
        ({"status": DONE, "output": {"version": V}, "destination": "me/t"}, f"me/t:{V}"),
        ({"status": DONE, "output": {"version": V}}, V),
        ({"status": DONE, "output": {"version": V}, "destination": "odd"}, V),
        # A status added since: the output decides.
        ({"status": "archived", "output": {"version": f"me/t:{V}"}}, f"me/t:{V}"),
    ],
)  # fmt: skip
def test_trained_ref_reads_the_output(answer: dict[str, Any], expected: str) -> None:
    assert trained_ref({"id": "t1", **answer}) == expected
    as_object = Training.from_dict(
        {
            "id": "t1",
            "version": "v",
            "created_at": "2024-01-01T00:00:00Z",
            "urls": {"get": "https://x/t1", "cancel": "https://x/t1/cancel"},
            **answer,
        }
    )
    assert trained_ref(as_object) == expected


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"status": "failed", "output": None}, "training t1 has status 'failed': only a succeeded"),
        ({"status": "processing"}, "training t1 has status 'processing'"),
        ({"status": "succeeded", "output": {"weights": "w"}}, "its output names no version"),
        ({"status": "succeeded", "output": {"version": "me/t"}}, "cannot read: 'me/t'"),
        ({"status": "succeeded", "output": "text"}, "its output names no version: 'text'"),
    ],
)
def test_trained_ref_refuses_what_names_no_version(answer: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        trained_ref({"id": "t1", **answer})


# -- the waiting flow, stepped by hand: where it polls and where it cancels ---------------------

API = "https://api.example/v1"


def training_answer(status: str, urls_under: str, get: str | None = None) -> dict[str, Any]:
    url = get or f"{API}/{urls_under}/t1"
    return {
        "id": "t1",
        "version": V,
        "status": status,
        "created_at": "2024-01-01T00:00:00Z",
        "urls": {"get": url, "cancel": f"{url}/cancel"},
    }


def test_waiting_polls_and_cancels_at_the_urls_the_answers_give() -> None:
    from replicate_ext._context import Deadline
    from replicate_ext._flow import Send, Sleep
    from replicate_ext._predictions import wait_flow

    ctx = Client("t", base_url=API)._ctx
    created = Training.from_dict(training_answer("starting", "predictions"))
    flow = wait_flow(ctx, created, deadline=Deadline(None))
    assert isinstance(next(flow), Sleep)
    poll = flow.send(None)
    assert isinstance(poll, Send)
    assert (poll.request["method"], poll.request["url"]) == ("get", f"{API}/predictions/t1")
    # The answer to the poll lives under /trainings/: the next requests go there.
    answer = httpx.Response(
        200,
        json=training_answer("processing", "trainings"),
        request=httpx.Request("GET", poll.request["url"]),
    )
    assert isinstance(flow.send(answer), Sleep)
    cancel = flow.throw(KeyboardInterrupt())
    assert isinstance(cancel, Send)
    assert cancel.best_effort
    assert (cancel.request["method"], cancel.request["url"]) == (
        "post",
        f"{API}/trainings/t1/cancel",
    )
    with pytest.raises(KeyboardInterrupt):
        flow.send(None)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.replicate.com/v1/predictions/t1",  # the API, behind a proxy of ours
        f"{API}/predictions/someone-else",  # another job
        "https://api.example/elsewhere/t1",  # outside the base path
        "http://api.example/v1/predictions/t1",  # another scheme
        "::not a url::/t1",
    ],
)
def test_urls_off_this_api_are_not_followed(url: str) -> None:
    from replicate_ext._jobs import job_request

    ctx = Client("t", base_url=API)._ctx
    job = Training.from_dict(training_answer("processing", "", get=url))
    assert job_request(ctx, job, "get")["url"] == "/trainings/t1"
    assert job_request(ctx, job, "cancel")["url"] == "/trainings/t1/cancel"
    prediction = Prediction.from_dict({**training_answer("processing", "", get=url), "input": {}})
    assert job_request(ctx, prediction, "get")["url"] == "/predictions/t1"
