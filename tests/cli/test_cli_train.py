"""`replicate-ext train` against the local server: the new version, progress, exit codes, Ctrl-C."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import zipfile
from pathlib import Path

import httpx
import pytest

from replicate_ext.testing import LocalServer, version_id

from .conftest import CONSOLE_SCRIPT, Invoke

TRAINABLE = f"replicate/trainable:{version_id('replicate/trainable', 1)}"
LONG = ("-i", "steps=100", "-i", "step_interval=60")  # 60 s at the fixture's speed


@pytest.fixture
def destination(api: httpx.Client) -> str:
    created = api.post(
        "/models",
        json={"owner": "test-user", "name": "tuned", "visibility": "private", "hardware": "cpu"},
    )
    assert created.status_code == 201, created.text
    return "test-user/tuned"


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.jpg", b"a")
        archive.writestr("b.jpg", b"b")
    return path


def test_train_prints_the_new_version_which_then_runs(
    invoke: Invoke, server: LocalServer, destination: str, photos: Path
) -> None:
    result = invoke(
        "train", TRAINABLE, "-d", destination, "-i", f"train_data=@{photos}", "-i", "steps=4"
    )
    assert result.exit_code == 0, result.stderr
    (new_version,) = server.state.models[destination].versions
    assert result.stdout == f"{destination}:{new_version.id}\n"
    # Not a terminal: plain lines, the logs and the progress they report.
    lines = [line.split("] ", 1)[1] for line in result.stderr.splitlines()]
    (training_id,) = server.state.trainings
    assert lines[0] == f"training {training_id}"
    assert "log: Training data: 2 files in a zip of" in "\n".join(lines)
    assert "progress: Training 4/4 (100%), 0:00 left, 5.00 it/s" in lines
    assert lines[-1] == "succeeded"

    ran = invoke("run", result.stdout.strip(), "-i", "prompt=yo", "-q")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == f"{destination} (trained for 4 steps) says: yo\n"


def test_json_prints_the_final_training(invoke: Invoke, destination: str) -> None:
    result = invoke("train", TRAINABLE, "--destination", destination, "-i", "steps=1", "--json")
    assert result.exit_code == 0, result.stderr
    training = json.loads(result.stdout)
    assert training["status"] == "succeeded"
    assert training["output"]["version"].startswith(f"{destination}:")
    assert training["input"] == {"steps": 1}  # typed by the training schema


def test_inputs_are_checked_against_the_training_schema(
    invoke: Invoke, server: LocalServer, destination: str
) -> None:
    unknown = invoke("train", TRAINABLE, "-d", destination, "-i", "prompt=hi")
    assert unknown.exit_code == 2
    assert "has no input 'prompt'; its inputs: train_data, steps, learning_rate" in unknown.stderr
    mistyped = invoke("train", TRAINABLE, "-d", destination, "-i", "steps=many")
    assert mistyped.exit_code == 2
    assert "'steps'" in mistyped.stderr
    assert server.state.trainings == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("replicate/trainable", "-d", "test-user/tuned"), "needs the exact version"),
        ((TRAINABLE, "-d", "tuned"), "destination must be 'owner/name'"),
        ((TRAINABLE,), "Missing option '-d' / '--destination'"),
    ],
)
def test_usage_errors_exit_2_before_any_request(
    invoke: Invoke, server: LocalServer, args: tuple[str, ...], message: str
) -> None:
    result = invoke("train", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert server.state.requests == []


def test_a_missing_destination_exits_3(invoke: Invoke, server: LocalServer) -> None:
    result = invoke("train", TRAINABLE, "-d", "test-user/nowhere", "-i", "steps=1")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1].startswith(
        "Error: the training destination test-user/nowhere does not exist"
    )
    assert server.state.trainings == {}


def test_a_failed_training_exits_1(invoke: Invoke, destination: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a zip")
    result = invoke("train", TRAINABLE, "-d", destination, "-i", f"train_data=@{notes}")
    assert result.exit_code == 1
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Error: training ")
    assert last.endswith(" failed: train_data is not a zip file (9 bytes)")


def test_a_timeout_whose_cancel_fails_says_the_training_may_still_run(
    invoke: Invoke, server: LocalServer, destination: str
) -> None:
    cancels = re.compile(r"/v1/(predictions|trainings)/[^/]+/cancel")
    server.state.inject_fault("status", cancels, times=None)
    arguments = ("train", TRAINABLE, "-d", destination, *LONG, "--timeout", "0.3")
    result = invoke("--max-retries", "0", *arguments)
    assert result.exit_code == 1
    ((training_id, job),) = server.state.trainings.items()
    assert result.stderr.splitlines()[-1] == (
        f"Error: training {training_id} did not finish within 0.3 s; canceling it failed, "
        f"so it may still be running (training {training_id})"
    )
    assert job.status == "processing"


def test_a_timeout_cancels_and_exits_1(
    invoke: Invoke, server: LocalServer, destination: str
) -> None:
    result = invoke("train", TRAINABLE, "-d", destination, *LONG, "--timeout", "0.3")
    assert result.exit_code == 1
    ((training_id, job),) = server.state.trainings.items()
    assert result.stderr.splitlines()[-1] == (
        f"Error: training {training_id} did not finish within 0.3 s and was canceled"
    )
    assert job.status == "canceled"


def test_ctrl_c_cancels_the_training(
    subprocess_env: dict[str, str], server: LocalServer, destination: str
) -> None:
    process = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "train", TRAINABLE, "-d", destination, *LONG],
        env=subprocess_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        training_id = process.stderr.readline().split()[-1]
        # Its first step logged: the training runs.
        line = "-"
        while line and "progress: Training 1/100" not in line:
            line = process.stderr.readline()
        assert line, "the command ended before the training's first step"
        assert server.state.trainings[training_id].status == "processing"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130
    assert stderr.splitlines()[-1] == f"Error: interrupted: training {training_id} was canceled"
    assert "Traceback" not in stderr
    assert stdout == ""
    assert server.state.trainings[training_id].status == "canceled"
