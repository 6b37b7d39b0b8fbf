from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest


def test_cli_serves_hello_world_and_stops_cleanly_on_sigint() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "replicate_ext.testing",
            "--port",
            "0",
            "--token",
            "tok",
            "--speed",
            "50",
            "--fault",
            "status /v1/account status=500 times=1",
            "--model",
            f"acme/draw={Path(__file__).parent / 'models' / 'image-model.json'}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+)/v1)", first)
        assert match, first
        assert int(match.group(2)) != 0
        assert process.stdout.readline().strip() == "Token: tok"
        base_url = match.group(1)
        origin = base_url.removesuffix("/v1")
        assert process.stdout.readline().strip() == f"Web pages: {origin}/"
        assert process.stdout.readline().strip() == "Point your code at it:"
        export = process.stdout.readline().strip()
        assert export == f"export REPLICATE_BASE_URL={base_url} REPLICATE_API_TOKEN=tok"
        faked = httpx.get(f"{base_url}/models/acme/draw", headers={"Authorization": "Bearer tok"})
        assert faked.json()["latest_version"]["openapi_schema"]["components"]["schemas"]["Input"]
        response = httpx.post(
            f"{base_url}/predictions",
            json={"version": "replicate/hello-world", "input": {"text": "Alice"}},
            headers={"Authorization": "Bearer tok", "Prefer": "wait"},
            timeout=10,
        )
        assert response.status_code == 201
        assert response.json()["status"] == "succeeded"
        assert response.json()["output"] == "hello Alice"
        assert response.json()["urls"]["get"].startswith(base_url)
        auth = {"Authorization": "Bearer tok"}
        assert httpx.get(f"{base_url}/account", headers=auth).status_code == 500
        assert httpx.get(f"{base_url}/account", headers=auth).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=15)
    assert code == 0, process.stderr.read() if process.stderr else ""


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("acme-draw", "expected OWNER/NAME=FILE"),
        ("acme/draw=", "expected OWNER/NAME=FILE"),
        ("acme/draw=/nonexistent.json", "/nonexistent.json: cannot read it"),
    ],
)
def test_cli_rejects_a_model_it_cannot_fake_in_one_line(
    capsys: pytest.CaptureFixture[str], option: str, message: str
) -> None:
    from replicate_ext.testing.__main__ import main

    assert main(["--port", "0", "--model", option]) == 2
    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1


def test_cli_rejects_a_malformed_fault(capsys: pytest.CaptureFixture[str]) -> None:
    from replicate_ext.testing.__main__ import main

    assert main(["--port", "0", "--fault", "boom /x"]) == 2
    assert "KIND PATH" in capsys.readouterr().err
