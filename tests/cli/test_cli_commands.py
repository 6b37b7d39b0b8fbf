"""The commands besides `run`: predictions, models, hardware, files, webhooks."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import httpx

from replicate_ext._webhooks import sign_webhook
from replicate_ext.testing import LocalServer

from .conftest import Invoke


def _create(
    api: httpx.Client, model: str, model_input: dict[str, object], *, wait: bool = False
) -> str:
    headers = {"Prefer": "wait"} if wait else {}
    response = api.post(
        f"/models/{model}/predictions", json={"input": model_input}, headers=headers
    )
    response.raise_for_status()
    prediction_id: str = response.json()["id"]
    return prediction_id


# -- predictions ---------------------------------------------------------------------------


def test_predictions_list(invoke: Invoke, api: httpx.Client) -> None:
    ids = [_create(api, "replicate/hello-world", {"text": str(n)}) for n in range(7)]
    table = invoke("predictions", "list")
    assert table.exit_code == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split()[:3] == ["ID", "MODEL", "STATUS"]
    # Newest first, across pages (the fixture serves 5 per page).
    assert [row.split()[0] for row in rows] == ids[::-1]
    limited = invoke("predictions", "list", "--limit", "2", "--json")
    assert [item["id"] for item in json.loads(limited.stdout)] == ids[:-3:-1]
    future = invoke("predictions", "list", "--created-after", "2999-01-01", "--json")
    assert json.loads(future.stdout) == []
    past = invoke("predictions", "list", "--created-before", "2999-01-01T00:00:00+00:00")
    assert len(past.stdout.splitlines()) == 1 + len(ids)


def test_predictions_list_rejects_a_bad_date(invoke: Invoke) -> None:
    result = invoke("predictions", "list", "--created-after", "yesterday")
    assert result.exit_code == 2
    assert "ISO 8601" in result.stderr


def test_predictions_get(invoke: Invoke, api: httpx.Client) -> None:
    prediction_id = _create(api, "replicate/fail", {"message": "nope"}, wait=True)
    shown = invoke("predictions", "get", prediction_id, "--logs")
    assert shown.exit_code == 0, shown.stderr
    fields = dict(line.split(maxsplit=1) for line in shown.stdout.splitlines() if " " in line)
    assert fields["id"] == prediction_id
    assert fields["model"] == "replicate/fail"
    assert fields["status"] == "failed"
    assert fields["error"] == "nope"
    as_json = json.loads(invoke("predictions", "get", prediction_id, "--json").stdout)
    assert as_json["id"] == prediction_id


def test_predictions_get_shows_output_and_logs(invoke: Invoke) -> None:
    run = invoke("run", "replicate/hello-world", "-i", "text=Ann", "--json", "-q")
    prediction_id = json.loads(run.stdout)["id"]
    shown = invoke("predictions", "get", prediction_id, "--logs")
    assert "succeeded" in shown.stdout
    assert "hello Ann" in shown.stdout
    assert shown.stdout.rstrip().endswith("Saying hello")


def test_predictions_get_unknown_exits_3(invoke: Invoke) -> None:
    result = invoke("predictions", "get", "doesnotexist")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: 404")


def test_predictions_cancel(invoke: Invoke, api: httpx.Client) -> None:
    prediction_id = _create(api, "replicate/sleep", {"seconds": 3600})
    result = invoke("predictions", "cancel", prediction_id)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{prediction_id} canceled\n"
    assert api.get(f"/predictions/{prediction_id}").json()["status"] == "canceled"


# -- models and hardware -----------------------------------------------------------------


def test_models_get_lists_the_inputs(invoke: Invoke) -> None:
    result = invoke("models", "get", "replicate/make-image")
    assert result.exit_code == 0, result.stderr
    assert "replicate/make-image" in result.stdout
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "red|green|blue|black|white" in rows["color"]
    assert "integer" in rows["width"]
    required = invoke("models", "get", "replicate/hello-world").stdout
    assert "text *" in required


def test_models_get_json_and_errors(invoke: Invoke) -> None:
    found = json.loads(invoke("models", "get", "replicate/echo", "--json").stdout)
    assert (found["owner"], found["name"]) == ("replicate", "echo")
    assert invoke("models", "get", "replicate").exit_code == 2
    assert invoke("models", "get", "replicate/missing").exit_code == 3


def test_models_search(invoke: Invoke) -> None:
    result = invoke("models", "search", "image")
    assert result.exit_code == 0, result.stderr
    assert "replicate/make-image" in result.stdout.split()
    found = json.loads(invoke("models", "search", "hello", "--json").stdout)
    assert "hello-world" in [model["name"] for model in found]
    nothing = invoke("models", "search", "zzzz-no-such-thing")
    assert nothing.exit_code == 0
    assert "No models match" in nothing.stderr


def test_hardware_list(invoke: Invoke) -> None:
    result = invoke("hardware", "list")
    assert result.exit_code == 0, result.stderr
    skus = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert "cpu" in skus
    assert "gpu-t4" in skus
    as_json = json.loads(invoke("hardware", "list", "--json").stdout)
    assert {"name": "CPU", "sku": "cpu"} in as_json


# -- files ---------------------------------------------------------------------------------


def test_files_upload_list_get_delete(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("some notes\n")
    uploaded = invoke("files", "upload", str(path), "--metadata", '{"k": 1}', "--json")
    assert uploaded.exit_code == 0, uploaded.stderr
    file = json.loads(uploaded.stdout)
    assert file["name"] == "notes.txt"
    assert file["size"] == path.stat().st_size
    assert file["checksums"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert file["metadata"] == {"k": 1}

    listed = invoke("files", "list")
    assert file["id"] in listed.stdout.split()
    shown = invoke("files", "get", file["id"])
    assert shown.exit_code == 0
    assert "text/plain" in shown.stdout
    assert file["urls"]["get"] in shown.stdout

    deleted = invoke("files", "delete", file["id"])
    assert deleted.stdout == f"deleted {file['id']}\n"
    gone = invoke("files", "get", file["id"])
    assert gone.exit_code == 3


def test_files_upload_checks_its_arguments(invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("files", "upload", str(tmp_path / "missing")).exit_code == 2
    path = tmp_path / "a.bin"
    path.write_bytes(b"x")
    bad = invoke("files", "upload", str(path), "--metadata", "[1]")
    assert bad.exit_code == 2
    assert "JSON object" in bad.stderr


def test_files_upload_human_output(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "pic.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    result = invoke("files", "upload", str(path))
    assert result.exit_code == 0
    fields = dict(line.split(maxsplit=1) for line in result.stdout.splitlines())
    assert fields["name"] == "pic.png"
    assert fields["type"] == "image/png"
    assert fields["size"] == "8 bytes"


# -- webhooks ------------------------------------------------------------------------------

# The Standard Webhooks test vector (API-NOTES.md); valid only without the timestamp check.
VECTOR = {
    "id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": "1614265330",
    "body": '{"test": 2432232314}',
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def _vector_args(**changes: str) -> list[str]:
    values = {**VECTOR, **changes}
    return [
        "webhooks",
        "verify",
        "--id",
        values["id"],
        "--timestamp",
        values["timestamp"],
        "--signature",
        values["signature"],
        "--secret",
        values["secret"],
    ]


def test_webhooks_secret(invoke: Invoke, server: LocalServer) -> None:
    result = invoke("webhooks", "secret")
    assert result.exit_code == 0
    assert result.stdout == server.state.webhook_secret + "\n"


def test_webhooks_verify_the_test_vector(invoke: Invoke) -> None:
    args = [*_vector_args(), "--no-timestamp-check"]
    valid = invoke(*args, "--body", VECTOR["body"])
    assert (valid.exit_code, valid.stdout) == (0, "valid\n")
    # The body from stdin, as in `curl ... | replicate-ext webhooks verify ...`.
    piped = invoke(*args, input=VECTOR["body"])
    assert piped.exit_code == 0
    tampered = invoke(*args, "--body", '{"test": 1}')
    assert tampered.exit_code == 1
    assert tampered.stderr == "Error: invalid webhook: no matching signature\n"


def test_webhooks_verify_rejects_old_timestamps(invoke: Invoke) -> None:
    result = invoke(*_vector_args(), "--body", VECTOR["body"])
    assert result.exit_code == 1
    assert "timestamp too old" in result.stderr


def test_webhooks_verify_headers_and_the_accounts_secret(
    invoke: Invoke, server: LocalServer, tmp_path: Path
) -> None:
    body = b'{"id": "abc", "status": "succeeded"}'
    stamp = str(int(time.time()))
    signature = sign_webhook(server.state.webhook_secret, "msg_1", stamp, body)
    path = tmp_path / "body.json"
    path.write_bytes(body)
    headers = [
        "-H", "webhook-id: msg_1",
        "-H", f"Webhook-Timestamp: {stamp}",
        "-H", f"webhook-signature: {signature}",
    ]  # fmt: skip
    # No --secret: the account's secret is fetched from the API.
    valid = invoke("webhooks", "verify", *headers, "--body-file", str(path))
    assert valid.exit_code == 0, valid.stderr
    missing = invoke("webhooks", "verify", *headers[:4], "--body-file", str(path))
    assert missing.exit_code == 1
    assert "missing header webhook-signature" in missing.stderr


def test_webhooks_verify_usage_errors(invoke: Invoke) -> None:
    malformed = invoke(*_vector_args(secret="whsec_***"), "--body", "{}")
    assert malformed.exit_code == 2
    assert "malformed secret" in malformed.stderr
    bad_header = invoke("webhooks", "verify", "-H", "no colon", "--body", "{}", "--secret", "x")
    assert bad_header.exit_code == 2
    both = invoke(*_vector_args(), "--body", "{}", "--body-file", "-")
    assert both.exit_code == 2


def test_serve_refuses_a_bad_fault_in_one_line(invoke: Invoke) -> None:
    result = invoke("serve", "--port", "0", "--fault", "bogus")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("--fault 'bogus'")
