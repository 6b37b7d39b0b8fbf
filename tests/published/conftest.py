"""Replicate's published schema served by Prism, the npm mock server (see README.md).

Two Prism processes start once per test session: one answers with the schema's
static examples (`prism mock`), the other with random data valid against it
(`prism mock -d`). Prism checks every request against the schema and says what
it does not accept in an `sl-violations` header (or a 4xx of its own).

`make prism` (which `make test` runs) installs Prism into `.tools/` when npm is
there; without it these tests are skipped, and say so, unless
REPLICATE_EXT_REQUIRE_PRISM is set (CI sets it), when they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
PUBLISHED = HERE / "replicate-openapi.json"
PRISM = Path(os.environ.get("REPLICATE_EXT_PRISM") or ROOT / ".tools/node_modules/.bin/prism")
REQUIRED = os.environ.get("REPLICATE_EXT_REQUIRE_PRISM", "") not in ("", "0")
SOAK = os.environ.get("REPLICATE_EXT_SOAK", "") not in ("", "0")
# Rounds of random answers per operation; each round has its own seed.
ROUNDS = 300 if SOAK else 30
# The seed of this run's random answers: set it to replay a failure.
SEED = os.environ.get("REPLICATE_EXT_PRISM_SEED") or secrets.token_hex(4)
STARTUP_SECONDS = 60.0


@dataclass
class Mock:
    """One running Prism: its URL, and its log for failure messages."""

    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]


class PrismControls(httpx.BaseTransport):
    """Adds Prism's own query parameters (`__seed`, `__code`) to every request, at Prism's paths.

    Prism reads them to pick the answer's status and to make its random answer
    repeatable; they are not part of the API, and it does not check them
    against the schema. (It reads them only when the request has no `Prefer`
    header.)
    """

    def __init__(self) -> None:
        # Plain HTTP: no TLS context (loading the CA bundle costs more than the calls).
        self.inner = httpx.HTTPTransport(verify=False, limits=httpx.Limits(max_connections=8))
        self._local = threading.local()  # the rounds run on several threads at once

    @property
    def params(self) -> dict[str, str]:
        params: dict[str, str] = getattr(self._local, "params", {})
        return params

    @params.setter
    def params(self, params: dict[str, str]) -> None:
        self._local.params = params

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # The client's base URL ends in /v1, as the API's does; Prism serves the
        # published paths from its root.
        path = request.url.path
        if path.startswith("/v1/"):
            request.url = request.url.copy_with(path=path[len("/v1") :])
        if self.params:
            request.url = request.url.copy_merge_params(self.params)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(dynamic: bool, logs: Path) -> Mock:
    port = _free_port()
    log = logs / f"prism-{'dynamic' if dynamic else 'static'}.log"
    command = [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "warn"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, *(["-d"] if dynamic else []), str(PUBLISHED)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return Mock(port, log, process)


def _wait_ready(mock: Mock, deadline: float) -> None:
    while True:
        if mock.process.poll() is not None:
            pytest.fail(f"Prism exited ({mock.process.returncode}):\n{mock.log_tail()}")
        try:
            socket.create_connection(("127.0.0.1", mock.port), timeout=1.0).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Prism did not start within {STARTUP_SECONDS:.0f} s:\n{mock.log_tail()}"
                )
            time.sleep(0.05)


def _stop(mock: Mock) -> None:
    mock.process.terminate()
    try:
        mock.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        mock.process.kill()
        mock.process.wait()


@dataclass
class Prisms:
    static: Mock
    dynamic: Mock


@pytest.fixture(scope="session")
def prisms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prisms]:
    """Both Prism processes, started together once for the session."""
    why = None
    if not PRISM.exists():
        why = f"Prism is not installed ({PRISM} is missing; `make prism` installs it with npm)"
    elif shutil.which("node") is None:
        why = "Prism needs node, which is not on PATH"
    if why is not None:
        why += ": the answers Replicate's published schema allows were not tried"
        if REQUIRED:
            pytest.fail(why + " (REPLICATE_EXT_REQUIRE_PRISM is set)")
        pytest.skip(why)
    logs = tmp_path_factory.mktemp("prism")
    static, dynamic = _start(False, logs), _start(True, logs)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        _wait_ready(static, deadline)
        _wait_ready(dynamic, deadline)
        yield Prisms(static, dynamic)
    finally:
        _stop(static)
        _stop(dynamic)
