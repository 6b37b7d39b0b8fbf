"""A batch SIGKILLed at random moments, then run again until it ends: nothing lost or paid twice.

`replicate-ext batch` runs in a process of its own against the local server,
over real HTTP; the test kills it when its journal has grown by a random
number of lines, several times, then lets the same command run to the end.
The server's predictions are then counted: exactly one per input (identical
inputs included), and the results file holds exactly one right line per
input, in input order.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import jobs

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer

SLEEP = "replicate/sleep"
CREATE = "/v1/models/replicate/sleep/predictions"


def make_inputs() -> list[dict[str, float]]:
    """56 inputs of about a second each (at the fixture's speed), 8 of them repeated."""
    unique = [{"seconds": 100 + k / 100} for k in range(48)]
    return unique + [dict(unique[k]) for k in range(0, 48, 6)]


def journal_lines(path: Path) -> list[dict]:
    """The journal's complete lines (a torn last line left out)."""
    if not path.exists():
        return []
    text = path.read_text()
    complete = text[: text.rfind("\n") + 1]
    return [json.loads(line) for line in complete.splitlines()]


def unrecorded(server: LocalServer, journal: Path) -> int:
    """Predictions the server made whose ids the journal does not hold: their answers are due."""
    named = {line.get("id") for line in journal_lines(journal)}
    return sum(job.id not in named for job in jobs(server))


def wait_for(due: Callable[[], bool], process: subprocess.Popen[bytes]) -> bool:
    """Poll `due` until it holds (True) or the process ends (False)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if due():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.002)
    raise AssertionError("the batch neither progressed nor ended in time")


def random_moment(rng: random.Random, journal: Path, process: subprocess.Popen[bytes]) -> bool:
    """Wait until a random moment (0 to 1 s) after the run started writing; False if it ended."""
    size = len(journal_lines(journal))
    if not wait_for(lambda: len(journal_lines(journal)) > size, process):
        return False
    moment = time.monotonic() + rng.uniform(0.0, 1.0)
    return wait_for(lambda: time.monotonic() >= moment, process)


@pytest.mark.timeout(120)
def test_a_batch_killed_again_and_again_ends_with_one_prediction_per_input(
    server: LocalServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    rng = random.Random(20261203)
    inputs = make_inputs()
    source = tmp_path / "inputs.jsonl"
    source.write_text("".join(json.dumps(value) + "\n" for value in inputs))
    results = tmp_path / "results.jsonl"
    journal = tmp_path / "results.jsonl.journal"
    command = [sys.executable, "-m", "replicate_ext.cli", "batch", SLEEP, str(source)]
    command += ["-o", str(results), "--no-progress", "--rate", "0", "--concurrency", "24"]
    # Every creation's answer is held back 0.3 s after its prediction exists
    # (until the next test resets the server; this one clears it on its way out).
    server.state.inject_fault("slow_after", CREATE, method="POST", delay=0.3, times=None)
    request.addfinalizer(server.state.clear_faults)
    env = {
        **os.environ,
        "REPLICATE_API_TOKEN": server.token,
        "REPLICATE_BASE_URL": server.base_url,
    }

    kills, in_window = 0, 0
    for run in range(12):
        # Runs take turns: with Prefer: wait, a creation is held open until its
        # prediction ends (the window between sending and recording its id is
        # the whole run); with --no-wait it is answered at once (after the
        # fault's delay) and then waited on by id.
        process = subprocess.Popen(
            command + (["--no-wait"] if run % 2 else []), env=env, stderr=subprocess.PIPE
        )
        if kills < 4:
            if kills == 0:
                # Between requests and the journal lines of their answers.
                due = wait_for(lambda: unrecorded(server, journal) >= 3, process)
            else:
                due = random_moment(rng, journal, process)
            if due:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                in_window += unrecorded(server, journal) > 0
                continue
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr.decode()[-2000:]
        break
    else:
        raise AssertionError("the batch never finished")

    assert kills == 4
    # Some kills left predictions made whose answers never reached the journal.
    assert in_window >= 1

    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert [line["index"] for line in lines] == list(range(len(inputs)))
    for line, value in zip(lines, inputs, strict=True):
        assert line["input"] == value
        assert line["error"] is None
        assert line["output"] == f"slept for {value['seconds']:g} seconds"

    made = jobs(server)
    assert Counter(job.input["seconds"] for job in made) == Counter(
        value["seconds"] for value in inputs
    )
    assert all(job.status == "succeeded" for job in made)
    # Each line names its own prediction, one made for that very input.
    by_id = {job.id: job for job in made}
    assert len({line["prediction_id"] for line in lines}) == len(inputs)
    for line in lines:
        assert by_id[line["prediction_id"]].input == line["input"]
