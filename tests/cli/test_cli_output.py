"""What `replicate-ext run` writes for people to read: whole log lines, the id, input hints."""

from __future__ import annotations

import re
import subprocess

from replicate_ext.testing import LocalServer, RunContext

from .conftest import CONSOLE_SCRIPT, Invoke
from .test_cli_progress import run_in_terminal

LONG_LINE = " ".join(f"word{index}" for index in range(60))  # 409 characters


async def chatty(ctx: RunContext) -> str:
    await ctx.log(LONG_LINE)
    return "done"


def test_log_lines_on_a_pipe_are_never_cut_at_80_columns(
    invoke: Invoke, server: LocalServer
) -> None:
    server.state.add_model("test-user/chatty", chatty, inputs={})
    # No COLUMNS: rich would take 80 for a pipe.
    result = invoke("run", "test-user/chatty", env={"COLUMNS": None})
    assert result.exit_code == 0, result.stderr
    (logged,) = [line for line in result.stderr.splitlines() if "log: " in line]
    assert logged.endswith(f"log: {LONG_LINE}")


async def thinking(ctx: RunContext) -> None:
    # A log line arriving while the text stands mid-line.
    await ctx.emit("Hello")
    await ctx.sleep(15)  # 0.15 s at the fixture's speed: the pieces come apart
    await ctx.log("thinking it over")
    await ctx.sleep(15)
    await ctx.emit(" world")


def _run(env: dict[str, str], **streams: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONSOLE_SCRIPT), "run", "test-user/thinking", "--stream"],
        env=env,
        capture_output=not streams,
        **streams,
        text=True,
        timeout=30,
        check=False,
    )


def test_on_a_shared_pipe_a_log_line_never_glues_onto_streamed_text(
    server: LocalServer, subprocess_env: dict[str, str]
) -> None:
    server.state.add_model("test-user/thinking", thinking, inputs={}, streaming=True)
    # stdout and stderr on one pipe, as `2>&1 | tee` makes them.
    shared = _run(subprocess_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert shared.returncode == 0, shared.stdout
    lines = shared.stdout.splitlines()
    logged = [line for line in lines if "log: " in line]
    assert len(logged) == 1, lines
    assert re.fullmatch(r"\[\s*[\d.]+s\] log: thinking it over", logged[0]), lines
    # Every line is the reporter's or the model's text, never the two glued.
    assert "".join(line for line in lines if not line.startswith("[")) == "Hello world", lines
    # On pipes of their own, stdout's bytes are the model's text alone, and
    # stderr gets no extra line breaks.
    apart = _run(subprocess_env)
    assert apart.returncode == 0, apart.stderr
    assert apart.stdout == "Hello world\n"
    assert "" not in apart.stderr.splitlines()


def test_on_a_terminal_the_prediction_id_stays_after_the_run(
    server: LocalServer, subprocess_env: dict[str, str]
) -> None:
    code, shown = run_in_terminal(["run", "replicate/hello-world", "-i", "text=Al"], subprocess_env)
    assert code == 0, shown
    (prediction_id,) = server.state.predictions
    # What stays on screen after the live display is erased: the id, then the output.
    after = re.sub(r"\x1b\[[\d;?]*[A-Za-z]", "", shown.rsplit("\x1b[2K", 1)[-1])
    expected = rf"prediction {prediction_id} \(succeeded, [\d.]+s\)\nhello Al\n"
    assert re.fullmatch(expected, after), shown


def test_input_errors_point_at_the_command_that_lists_the_inputs(invoke: Invoke) -> None:
    result = invoke("run", "replicate/hello-world", "-i", "txt=hi")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: replicate/hello-world has no input 'txt' (did you mean 'text'?); its inputs: "
        "text (see 'replicate-ext models get replicate/hello-world' for its inputs)\n"
    )
    listed = invoke("models", "get", "replicate/hello-world")
    assert re.search(r"^text \*\s+string", listed.stdout, re.MULTILINE), listed.stdout
    mistyped = invoke("run", "replicate/make-image", "-i", "width=wide")
    assert mistyped.stderr.endswith(
        "(see 'replicate-ext models get replicate/make-image' for its inputs)\n"
    )
    assert "--help" not in mistyped.stderr
