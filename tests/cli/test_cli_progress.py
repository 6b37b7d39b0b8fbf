"""`replicate-ext run` shows a model's logged progress: a bar on a terminal, else plain lines."""

from __future__ import annotations

import io
import json
import os
import re
import select
import subprocess
import sys
import time
from types import SimpleNamespace
from typing import Any

from rich.console import Console

from replicate_ext.cli._run import NewLines, StatusReporter

from .conftest import CONSOLE_SCRIPT, Invoke

ESCAPE = "\x1b"
TQDM_LINE = re.compile(r"\d+/\d+ \[\d\d:\d\d<")  # a raw tqdm line, as the model logged it
# 4 steps of 0.5 s at the fixture's speed 100: the run outlasts by a second the
# 1 s the command holds the creation request, so the last steps come live.
SLOW_IMAGE = ("replicate/make-image", "-i", "num_inference_steps=4", "-i", "step_interval=50")


def run_in_terminal(args: list[str], env: dict[str, str], timeout: float = 30.0) -> tuple[int, str]:
    """Run the console script with stdout and stderr on a pseudo-terminal; its code and output."""
    env = {k: v for k, v in env.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env["TERM"] = "xterm-256color"
    controller, terminal = os.openpty()
    process = subprocess.Popen(
        [str(CONSOLE_SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no end within {timeout} s: {b''.join(chunks)!r}"
            ready, _, _ = select.select([controller], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: every process holding the terminal has exited
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=max(deadline - time.monotonic(), 1.0))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
    # The terminal turns each "\n" into "\r\n"; only the program's own "\r"s matter.
    return code, b"".join(chunks).decode().replace("\r\n", "\n")


def test_a_terminal_shows_one_bar_advancing_under_the_log_lines(
    subprocess_env: dict[str, str],
) -> None:
    code, shown = run_in_terminal(["run", *SLOW_IMAGE], subprocess_env)
    assert code == 0, shown
    # One bar, redrawn in place (cursor up, line erased) at each step it sees.
    frames = re.findall(r"━[━╸╺\x1b\[\dm;]*\s(\d)/4 \((\d+)%\)", shown)
    steps = [int(step) for step, _ in frames]
    assert len(set(steps)) >= 2, shown
    assert steps == sorted(steps)
    assert steps[-1] == 4
    assert "\x1b[1A\x1b[2K" in shown
    # With the time left and the rate the model's tqdm line gave.
    assert "3/4 (75%), 0:50 left, 50.00 s/it" in shown
    # The other log lines are printed once, above it; the raw progress lines are not.
    assert shown.count("Rendering image 1/1 (8x8)\n") == 1
    assert not TQDM_LINE.search(shown)
    # The display is erased at the end (its two lines), a line naming the
    # prediction takes its place, and the output follows.
    erased = r"\x1b\[1A\x1b\[2K\x1b\[1A\x1b\[2K"
    named = r".*prediction \w+ \(succeeded, [\d.]+s\)\S*\n"
    end = erased + named + r"http://\S+/out-0\.png\n$"
    assert re.search(end, shown), shown


def test_json_on_a_terminal_draws_no_bar(subprocess_env: dict[str, str]) -> None:
    code, shown = run_in_terminal(
        ["run", "replicate/make-image", "-i", "num_inference_steps=3", "--json"], subprocess_env
    )
    assert code == 0, shown
    assert ESCAPE not in shown
    assert "\r" not in shown
    assert "━" not in shown
    progress, _, document = shown.partition("\n{")
    assert json.loads("{" + document)["status"] == "succeeded"
    assert "progress: 3/3 (100%), 0:00 left, 10.00 it/s" in progress


def test_a_pipe_gets_plain_progress_lines(invoke: Invoke) -> None:
    result = invoke(
        "run",
        "replicate/make-image",
        "-i",
        "num_inference_steps=3",
        "-i",
        "progress_style=carriage-return",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("http")
    lines = [line.split("] ", 1)[1] for line in result.stderr.splitlines()]
    assert lines[lines.index("log: Rendering image 1/1 (8x8)") + 1 :][:4] == [
        "progress: 0/3 (0%)",
        "progress: 1/3 (33%), 0:00 left, 10.00 it/s",
        "progress: 2/3 (67%), 0:00 left, 10.00 it/s",
        "progress: 3/3 (100%), 0:00 left, 10.00 it/s",
    ]
    for forbidden in (ESCAPE, "\r", "━", "█"):
        assert forbidden not in result.stderr


def _prediction(logs: str, status: str = "processing") -> Any:
    return SimpleNamespace(id="p1", status=status, logs=logs, output=None)


def test_the_bar_takes_the_place_of_the_progress_lines() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    reporter = StatusReporter(console)
    reporter.update(
        _prediction(
            "Loading\n"
            "  0%|          | 0/50 [00:00<?, ?it/s]\n"
            "Sampling:  46%|████▌     | 23/50 [00:02<00:03,  8.10it/s]\n"
        )
    )
    assert reporter.progress is not None
    assert reporter.progress.current == 23
    console.print(reporter)  # what the live display redraws
    reporter.stop()
    shown = buffer.getvalue()
    assert "Loading" in shown
    assert "Sampling" in shown
    assert "23/50 (46%), 0:03 left, 8.10 it/s" in shown
    assert not TQDM_LINE.search(shown)


def test_plain_lines_carry_no_escape_sequences_even_on_a_terminal() -> None:
    # What --json asks for: a model's colours and cursor moves do not get through.
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, highlight=False)
    reporter = StatusReporter(console, plain=True)
    logs = "\x1b[31mred\x1b[0m alert\x07\n\x1b[2Jcleared\n"
    reporter.update(_prediction(logs))
    reporter.update(_prediction(logs, "succeeded"))
    assert ESCAPE not in buffer.getvalue()
    lines = [line.split("] ", 1)[1] for line in buffer.getvalue().splitlines()]
    assert lines == ["prediction p1", "log: red alert", "log: cleared", "processing", "succeeded"]


def test_new_lines_are_read_from_what_the_logs_gained() -> None:
    new_lines = NewLines()
    assert new_lines("Loading") == ["Loading"]  # unfinished, handed out once
    assert new_lines("Loading weights") == []  # its end is not handed out again
    assert new_lines("Loading weights\nstep 1\r") == ["step 1"]
    assert new_lines("Loading weights\nstep 1\r\nstep 2\n\n  \nstep 3") == ["step 2", "step 3"]
    assert new_lines("Loading weights\nstep 1") == []  # shorter: a replay
    logs = "Loading weights\nstep 1\r\nstep 2\n\n  \nstep 3\r 10%|█ | 1/10\r 20%|██ | 2/10\n"
    assert new_lines(logs) == [" 10%|█ | 1/10", " 20%|██ | 2/10"]
    whole = "a1\nb2\rc3\r\nd4\n"
    for step in (1, 2, 3, 5):
        # However the logs grow, each line comes once, in order.
        read = NewLines()
        cuts = [*range(1, len(whole), step), len(whole)]
        seen = [line for n in cuts for line in read(whole[:n])]
        assert [line[0] for line in seen] == ["a", "b", "c", "d"], (step, seen)


def test_showing_logs_costs_what_they_gained_not_their_length() -> None:
    # Each update runs over the new lines only: showing N updates of growing logs
    # is linear (it split all the logs at each update, quadratic, before).
    def work(updates: int) -> int:
        reporter = StatusReporter(Console(file=io.StringIO()), quiet=True)
        logs = [""]

        def run() -> None:
            for index in range(updates):
                logs[0] += f"step {index}\n"
                reporter.update(_prediction(logs[0]))

        return _lines_run(run)

    assert work(4_000) <= 2.5 * work(2_000)


def _lines_run(call: Any) -> int:
    """Python lines executed by `call()`: work counted, not timed."""
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count
