"""REPLICATE_EXT_LOG: the replicate_ext logger on stderr, in a fresh process, never the token."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from replicate_ext.testing import LocalServer

STREAM_PATH = re.compile(r"/v1/predictions/[^/]+/stream")

CALLS = """
import replicate_ext

client = replicate_ext.Client(poll_interval=0.01)
print(client.run("replicate/hello-world", input={"text": "Alice"}))
print("".join(map(str, client.stream("replicate/stream-tokens", input={"prompt": "a b c d"}))))
try:
    client.run("replicate/fail", input={"message": "out of memory"})
except replicate_ext.ModelError as error:
    print("failed", error.prediction_id)
try:
    replicate_ext.Client(api_token="r8_" + "w" * 37).run("replicate/hello-world", input={})
except replicate_ext.AuthenticationError:
    print("refused")
"""


def run_logged(
    server: LocalServer, level: str, code: str = CALLS
) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        REPLICATE_EXT_LOG=level,
        REPLICATE_API_TOKEN=server.token,
        REPLICATE_BASE_URL=server.base_url,
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def server(fresh_replicate_server: LocalServer) -> LocalServer:
    # A throttled creation (retried after its Retry-After) and a dropped stream
    # (resumed), so that retries and reconnections show in the log.
    fresh_replicate_server.state.inject_fault(
        "429", "/v1/models/replicate/hello-world/predictions", retry_after=0.05
    )
    fresh_replicate_server.state.inject_fault("drop_stream", STREAM_PATH, after_events=2)
    return fresh_replicate_server


def test_info_shows_requests_retries_reconnections_and_predictions(server: LocalServer) -> None:
    done = run_logged(server, "info")
    log = done.stderr
    lines = log.splitlines()
    assert lines
    assert all(" replicate_ext " in line for line in lines)
    base = server.base_url
    hello = f"{base}/models/replicate/hello-world/predictions"
    # Each retry and its wait, then the request's outcome.
    assert re.search(rf"INFO retrying POST {re.escape(hello)} in 0\.0\ds after HTTP 429", log)
    assert re.search(rf"INFO POST {re.escape(hello)} 201 Created \(\d+\.\d\ds, 1 retry\)", log)
    # The predictions: id, final status, timings.
    ids = set(re.findall(r"prediction (\w{26}) succeeded", log))
    assert len(ids) == 2  # the run and the stream
    assert re.search(r"INFO run replicate/hello-world: prediction \w+ succeeded in .*queued", log)
    # The stream dropped, and was resumed.
    assert re.search(r"INFO stream of prediction \w+ broke off .*; reconnecting in", log)
    assert re.search(rf"INFO GET {re.escape(base)}/predictions/\w+/stream 200 OK", log)
    failed = done.stdout.split("failed ")[1].split()[0]
    assert f"run replicate/fail: prediction {failed} failed after" in log
    assert "401 Unauthorized" in log
    # Nothing above info, nothing of the token.
    assert " DEBUG " not in log
    assert server.token not in log
    assert "w" * 37 not in log


def test_debug_adds_status_changes_and_never_the_token(server: LocalServer) -> None:
    done = run_logged(server, "debug")
    assert " DEBUG " in done.stderr
    # Each status a unit of work sees, however brief (info has the end only).
    assert re.search(r"DEBUG run replicate/fail: prediction \w+ failed\n", done.stderr)
    assert server.token not in done.stderr + done.stdout
    assert "w" * 37 not in done.stderr


def test_without_the_switch_nothing_is_written(fresh_replicate_server: LocalServer) -> None:
    done = run_logged(fresh_replicate_server, "")
    assert done.stderr == ""


def test_an_unknown_level_is_named_and_ignored(fresh_replicate_server: LocalServer) -> None:
    done = run_logged(fresh_replicate_server, "loud", "import replicate_ext\n")
    assert done.stderr == "replicate_ext: ignoring REPLICATE_EXT_LOG='loud': use info or debug\n"


def test_a_token_quoted_in_a_message_is_masked(fresh_replicate_server: LocalServer) -> None:
    code = (
        "import logging, replicate_ext\n"
        "logging.getLogger('replicate_ext').info('sent r8_%s and Bearer abc', 'x' * 37)\n"
    )
    done = run_logged(fresh_replicate_server, "info", code)
    assert done.stderr.endswith("INFO sent [token hidden] and [token hidden]\n")
