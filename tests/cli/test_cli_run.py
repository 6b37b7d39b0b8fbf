"""`replicate-ext run` against the local server: output, streaming, files, exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

import httpx

from replicate_ext.testing import LocalServer, RunContext

from .conftest import Invoke

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_hello_world_prints_its_output_and_plain_progress(invoke: Invoke) -> None:
    result = invoke("run", "replicate/hello-world", "-i", "text=Alice")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "hello Alice\n"
    # Not a terminal: progress comes as plain lines, ending with the final state.
    lines = result.stderr.splitlines()
    assert "prediction " in lines[0]
    assert any(line.endswith("log: Saying hello") for line in lines)
    assert lines[-1].endswith("succeeded")


def test_quiet_prints_no_progress(invoke: Invoke) -> None:
    result = invoke("run", "-q", "replicate/hello-world", "-i", "text=Bo")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("hello Bo\n", "")


def test_json_prints_the_final_prediction(invoke: Invoke) -> None:
    result = invoke("run", "replicate/hello-world", "-i", "text=Alice", "--json")
    assert result.exit_code == 0, result.stderr
    prediction = json.loads(result.stdout)
    assert prediction["status"] == "succeeded"
    assert prediction["output"] == "hello Alice"
    assert prediction["input"] == {"text": "Alice"}


def test_a_pinned_version_runs_that_version(invoke: Invoke, api: httpx.Client) -> None:
    version = api.get("/models/replicate/hello-world").json()["latest_version"]["id"]
    result = invoke("run", f"replicate/hello-world:{version}", "-i", "text=v", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["version"] == version


def test_text_of_a_streaming_model_is_joined_on_stdout(invoke: Invoke) -> None:
    result = invoke("run", "replicate/stream-tokens", "-i", "prompt=Streaming is fun", "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Streaming is fun\n"


def test_stream_prints_other_pieces_one_per_line(invoke: Invoke) -> None:
    result = invoke("run", "replicate/make-image", "-i", "num_outputs=2", "--stream", "-q")
    assert result.exit_code == 0, result.stderr
    urls = result.stdout.splitlines()
    assert len(urls) == 2
    assert all(url.startswith("http") and url.endswith(".png") for url in urls)


def test_file_outputs_are_saved_into_the_output_dir(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("run", "replicate/make-image", "-i", "num_outputs=2", "-i", "width=3", "-o", str(out))
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert [path.name for path in paths] == ["out-0.png", "out-1.png"]
    assert all(path.read_bytes().startswith(PNG_SIGNATURE) for path in paths)
    # A second run keeps the first run's files.
    again = invoke(*args)
    assert [Path(line).name for line in again.stdout.splitlines()] == [
        "out-0-1.png",
        "out-1-1.png",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["out-0.png", "out-1.png", "out-0-1.png", "out-1-1.png"]
    )


def test_a_file_name_over_the_limit_is_shortened_keeping_its_suffix(
    invoke: Invoke, server: LocalServer, tmp_path: Path
) -> None:
    async def long_name(ctx: RunContext) -> str:
        return ctx.publish("n" * 300 + ".png", PNG_SIGNATURE, "image/png")

    server.state.add_model("test-user/long-name", long_name, inputs={})
    out = tmp_path / "out"
    names = []
    for _ in range(2):
        result = invoke("run", "-q", "test-user/long-name", "-o", str(out))
        assert result.exit_code == 0, result.stderr
        names.append(Path(result.stdout.strip()).name)
    assert names == ["n" * 251 + ".png", "n" * 249 + "-1.png"]
    assert sorted(path.name for path in out.iterdir()) == sorted(names)  # no leftovers


def test_saved_files_follow_the_umask(invoke: Invoke, tmp_path: Path) -> None:
    before = os.umask(0o022)
    try:
        result = invoke("run", "-q", "replicate/make-image", "-o", str(tmp_path))
    finally:
        os.umask(before)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(Path(result.stdout.strip()).stat().st_mode) == 0o644


def test_a_file_that_cannot_be_saved_still_gets_its_url_printed(
    invoke: Invoke, server: LocalServer, tmp_path: Path
) -> None:
    # The run is paid for: the other file is saved, this one's URL is not lost.
    server.state.inject_fault("status", re.compile(r"/delivery/.+/out-1\.png"), status=410)
    args = ("run", "-q", "replicate/make-image", "-i", "num_outputs=2", "-o", str(tmp_path))
    result = invoke(*args)
    assert result.exit_code == 1
    saved, url = result.stdout.splitlines()
    assert Path(saved).read_bytes().startswith(PNG_SIGNATURE)
    assert url.startswith("http")
    assert url.endswith("/out-1.png")
    why, error = result.stderr.splitlines()
    assert why.startswith(f"not saved: {url}: downloading ")
    assert why.endswith(" failed: HTTP 410")
    assert error == f"Error: 1 output file could not be saved in {tmp_path} (URLs above)"
    assert [path.name for path in tmp_path.iterdir()] == [Path(saved).name]


def test_without_output_dir_file_urls_are_printed(invoke: Invoke) -> None:
    result = invoke("run", "replicate/make-image", "-q")
    assert result.exit_code == 0
    url = result.stdout.strip()
    assert url.startswith("http")
    assert url.endswith(".png")
    assert httpx.get(url).content.startswith(PNG_SIGNATURE)


def test_inputs_are_typed_by_the_schema(invoke: Invoke, tmp_path: Path) -> None:
    upload = tmp_path / "data.bin"
    upload.write_bytes(b"\x00\x01binary")
    result = invoke(
        "run",
        "replicate/echo",
        "-i", "text=@@handle",
        "-i", "number=2.5",
        "-i", "integer=7",
        "-i", "flag=no",
        "-i", "tags=a",
        "-i", "tags=b",
        "-i", f"file=@{upload}",
        "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    sent = output["input"]
    assert sent["text"] == "@handle"
    assert sent["number"] == 2.5
    assert sent["integer"] == 7
    assert sent["flag"] is False
    assert sent["tags"] == ["a", "b"]
    assert output["files"]["file"]["sha256"] == hashlib.sha256(upload.read_bytes()).hexdigest()


def test_json_arrays_and_raw_json(invoke: Invoke) -> None:
    result = invoke(
        "run", "replicate/echo", "-i", 'tags=["x", "y"]', "-i", "integer:=3", "-q", "--json"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["input"] == {"tags": ["x", "y"], "integer": 3}


def test_the_model_failing_exits_1_with_its_error(invoke: Invoke) -> None:
    result = invoke("run", "replicate/fail", "-i", "message=boom")
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Error: prediction ")
    assert last.endswith("failed: boom")


def test_a_failed_run_with_json_still_prints_the_prediction(invoke: Invoke) -> None:
    result = invoke("run", "replicate/fail", "--json", "-q")
    assert result.exit_code == 1
    prediction = json.loads(result.stdout)
    assert prediction["status"] == "failed"
    assert prediction["error"] == "Something went wrong"


def test_a_timeout_whose_cancel_fails_does_not_claim_it_was_canceled(
    invoke: Invoke, api: httpx.Client, server: LocalServer
) -> None:
    server.state.inject_fault("status", re.compile(r"/v1/predictions/[^/]+/cancel"), times=None)
    arguments = ("run", "replicate/sleep", "-i", "seconds=3600", "--timeout", "0.5", "--json")
    result = invoke("--max-retries", "0", *arguments)
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert "was canceled" not in last
    prediction_id = last.split("prediction ")[1].split()[0]
    assert f"may still be running (replicate-ext predictions cancel {prediction_id})" in last
    assert api.get(f"/predictions/{prediction_id}").json()["status"] == "processing"


def test_a_streaming_model_failing_midway_keeps_its_text(invoke: Invoke) -> None:
    result = invoke("run", "replicate/stream-tokens", "-i", "prompt=a b c d", "-i", "fail_after=2")
    assert result.exit_code == 1
    assert result.stdout == "a b \n"
    assert "Failed after 2 tokens" in result.stderr.splitlines()[-1]


def test_timeout_cancels_and_exits_1(invoke: Invoke, api: httpx.Client) -> None:
    result = invoke("run", "replicate/sleep", "-i", "seconds=3600", "--timeout", "0.5", "--json")
    assert result.exit_code == 1
    assert "did not finish within 0.5 s and was canceled" in result.stderr
    prediction_id = result.stderr.split("prediction ")[1].split()[0]
    # The cancel was sent before the command exited.
    assert api.get(f"/predictions/{prediction_id}").json()["status"] == "canceled"


def test_no_wait_prints_the_id_and_returns(invoke: Invoke, api: httpx.Client) -> None:
    result = invoke("run", "replicate/sleep", "-i", "seconds=3600", "--no-wait")
    assert result.exit_code == 0, result.stderr
    prediction_id = result.stdout.strip()
    assert f"predictions get {prediction_id}" in result.stderr
    prediction = api.get(f"/predictions/{prediction_id}").json()
    assert prediction["status"] in ("starting", "processing")
    api.post(f"/predictions/{prediction_id}/cancel")


def test_no_wait_json(invoke: Invoke) -> None:
    result = invoke("run", "replicate/hello-world", "-i", "text=x", "--no-wait", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["model"] == "replicate/hello-world"


# -- usage errors: exit 2, one line ----------------------------------------------------------


def _usage_error(invoke: Invoke, *args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_unknown_inputs_name_the_known_ones(invoke: Invoke) -> None:
    line = _usage_error(invoke, "run", "replicate/hello-world", "-i", "txt=hi")
    assert "has no input 'txt' (did you mean 'text'?); its inputs: text" in line


def test_values_of_the_wrong_type(invoke: Invoke) -> None:
    line = _usage_error(invoke, "run", "replicate/echo", "-i", "integer=2.5")
    assert "input 'integer' must be an integer" in line
    line = _usage_error(invoke, "run", "replicate/make-image", "-i", "color=purple")
    assert "must be one of: red, green, blue" in line


def test_missing_required_input(invoke: Invoke) -> None:
    line = _usage_error(invoke, "run", "replicate/hello-world")
    assert "needs input text" in line


def test_missing_file(invoke: Invoke, tmp_path: Path) -> None:
    line = _usage_error(invoke, "run", "replicate/echo", "-i", f"file=@{tmp_path / 'nope.png'}")
    assert "no such file" in line


def test_malformed_reference_and_pair(invoke: Invoke) -> None:
    assert "invalid model reference" in _usage_error(invoke, "run", "not a model")
    assert "expected key=value" in _usage_error(invoke, "run", "replicate/echo", "-i", "text")


def test_missing_token_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("run", "replicate/hello-world", env={"REPLICATE_API_TOKEN": None})
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: no API token: set REPLICATE_API_TOKEN or pass --api-token"
    )


def test_a_base_url_without_a_path_runs_at_the_api_root(
    invoke: Invoke, server: LocalServer
) -> None:
    origin = server.base_url.removesuffix("/v1")
    result = invoke("--base-url", origin, "run", "-q", "replicate/hello-world", "-i", "text=root")
    assert (result.exit_code, result.stdout) == (0, "hello root\n"), result.stderr
    env = {"REPLICATE_BASE_URL": origin + "/"}
    result = invoke("run", "-q", "replicate/hello-world", "-i", "text=env", env=env)
    assert (result.exit_code, result.stdout) == (0, "hello env\n"), result.stderr


def test_a_base_url_without_a_scheme_is_a_usage_error(invoke: Invoke, server: LocalServer) -> None:
    host = server.base_url.removeprefix("http://")
    line = _usage_error(invoke, "--base-url", host, "run", "replicate/hello-world", "-i", "text=x")
    assert "base_url must be an http:// or https:// URL with a host, such as" in line
    assert f"not {host!r} (it has no scheme" in line
    assert server.state.requests == []


def test_unknown_option_is_one_line(invoke: Invoke) -> None:
    line = _usage_error(invoke, "run", "replicate/hello-world", "--bogus")
    assert "No such option" in line
    assert "replicate-ext run --help" in line


# -- API and network errors: exit 3 ----------------------------------------------------------


def test_unknown_model_exits_3(invoke: Invoke) -> None:
    result = invoke("run", "replicate/no-such-model", "-i", "x=1")
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: 404")


def test_a_wrong_token_exits_3_without_showing_it(invoke: Invoke) -> None:
    secret = "r8_wrongtoken_that_must_not_leak"
    result = invoke("--api-token", secret, "run", "replicate/hello-world", "-i", "text=x")
    assert result.exit_code == 3
    assert "401" in result.stderr
    assert "REPLICATE_API_TOKEN" in result.stderr
    assert secret not in result.stderr + result.stdout


def test_an_unreachable_server_exits_3(invoke: Invoke, server: LocalServer) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        base = f"http://127.0.0.1:{port}/v1"
        result = invoke("--base-url", base, "--max-retries", "0", "hardware", "list")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: cannot reach the API ({base}/hardware)")
    assert len(result.stderr.splitlines()) == 1


def test_debug_shows_the_traceback(invoke: Invoke) -> None:
    result = invoke("--debug", "run", "replicate/no-such-model", "-i", "x=1")
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: 404")


def test_a_model_that_is_not_official_runs_its_latest_version(
    invoke: Invoke, api: httpx.Client, server: LocalServer
) -> None:
    latest = api.get("/models/replicate/echo").json()["latest_version"]["id"]
    result = invoke("run", "replicate/echo", "-i", "text=x", "--json", "-q")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["version"] == latest
    # Created with the version, as the API wants for models that are not official.
    assert server.state.requests_to("/v1/predictions", "POST")
    assert not server.state.requests_to("/v1/models/replicate/echo/predictions", "POST")


def test_a_deployment_runs_with_its_versions_schema(invoke: Invoke, api: httpx.Client) -> None:
    version = api.get("/models/replicate/echo").json()["latest_version"]["id"]
    created = api.post(
        "/deployments",
        json={
            "name": "echo-prod",
            "model": "replicate/echo",
            "version": version,
            "hardware": "cpu",
            "min_instances": 0,
            "max_instances": 1,
        },
    )
    assert created.status_code == 201, created.text
    owner = created.json()["owner"]
    result = invoke("run", f"deployments/{owner}/echo-prod", "-i", "integer=5", "-q", "--json")
    assert result.exit_code == 0, result.stderr
    prediction = json.loads(result.stdout)
    assert prediction["input"] == {"integer": 5}  # typed by the deployed version's schema
    assert prediction["deployment"] == f"{owner}/echo-prod"


def test_a_creation_of_unknown_fate_names_the_lookalikes_and_cancels_nothing(
    invoke: Invoke, server: LocalServer, api: httpx.Client
) -> None:
    theirs = api.post("/models/replicate/sleep/predictions", json={"input": {"seconds": 300}})
    theirs_id = theirs.json()["id"]
    # By name or by version, whichever the command creates with.
    creation = re.compile(r"/v1/(models/replicate/sleep/)?predictions")
    server.state.inject_fault("status", creation, method="POST", status=502)
    result = invoke("run", "replicate/sleep", "-i", "seconds=300")
    assert result.exit_code == 3
    assert "whether a prediction of replicate/sleep" in result.stderr
    assert "was created is unknown" in result.stderr
    assert theirs_id in result.stderr
    assert server.state.prediction(theirs_id)["status"] != "canceled"
