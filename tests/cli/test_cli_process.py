"""The console script as a real process: live streaming, Ctrl-C, serve, make demo."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from .conftest import CONSOLE_SCRIPT

ROOT = Path(__file__).resolve().parents[2]


def test_the_console_script_is_installed() -> None:
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "--version"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    assert result.stdout.startswith("replicate-ext, version ")


def test_the_library_works_without_click_or_rich() -> None:
    # httpx imports click and rich when they are installed (for its own command
    # line), so their absence is simulated: the library must not need them.
    code = (
        "import sys; sys.modules['click'] = sys.modules['rich'] = None\n"
        "import replicate_ext\n"
        "from replicate_ext import _client, _files, _predictions, _webhooks\n"
        "print(replicate_ext.Client(api_token='t'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Client(")


def test_a_missing_extra_gets_a_one_line_hint() -> None:
    code = (
        "import sys; sys.modules['rich'] = None\n"
        "from replicate_ext.cli import main\n"
        "main(['--help'])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (
        "replicate-ext: the command line needs rich: pip install 'replicate-ext[cli]'\n"
    )


def test_tokens_stream_live_and_ctrl_c_cancels(
    subprocess_env: dict[str, str], api: httpx.Client
) -> None:
    # 0.6 s between tokens (60 s at the fixture's speed 100): the first token is
    # out long before the last one is generated.
    process = subprocess.Popen(
        [
            str(CONSOLE_SCRIPT),
            "run",
            "replicate/stream-tokens",
            "-i",
            "prompt=first second third fourth",
            "-i",
            "interval=60",
        ],
        env=subprocess_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.read(len("first "))
        assert first == "first "
        prediction_id = process.stderr.readline().split()[-1]
        assert api.get(f"/predictions/{prediction_id}").json()["status"] == "processing"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130
    assert stderr.splitlines()[-1] == (
        f"Error: interrupted: prediction {prediction_id} was canceled"
    )
    assert "Traceback" not in stderr
    assert "fourth" not in stdout
    assert api.get(f"/predictions/{prediction_id}").json()["status"] == "canceled"


def test_serve_offers_the_flags_of_the_module_server(capsys: pytest.CaptureFixture[str]) -> None:
    from replicate_ext.testing.__main__ import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    module_flags = set(re.findall(r"--[a-z][a-z-]+", capsys.readouterr().out)) - {"--help"}
    from click.testing import CliRunner

    from replicate_ext.cli._main import cli

    help_text = CliRunner().invoke(cli, ["serve", "--help"]).stdout
    assert module_flags
    assert module_flags <= set(re.findall(r"--[a-z][a-z-]+", help_text))


def test_serve_runs_the_local_server_until_interrupted() -> None:
    process = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "serve", "--port", "0", "--token", "tok-serve", "--page-size", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"(http://\S+/v1)", first)
        assert match, first
        assert process.stdout.readline() == "Token: tok-serve\n"
        response = httpx.get(
            f"{match.group(1)}/hardware", headers={"Authorization": "Bearer tok-serve"}
        )
        assert response.status_code == 200
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0


def test_make_demo(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "demo.py"),
            "--speed",
            "20",
            "--output-dir",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "\nhello world\n" in result.stdout
    assert "\nTokens arrive one by one, as the model writes them.\n" in result.stdout
    png = next(line for line in result.stdout.splitlines() if line.endswith(".png"))
    assert Path(png).parent == tmp_path / "out"
    assert Path(png).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    # The image model's progress; on a pipe as plain lines, not as a bar.
    assert "progress: 20/20 (100%)" in result.stderr
    assert "\x1b" not in result.stderr
    assert "the server is stopped" in result.stdout
