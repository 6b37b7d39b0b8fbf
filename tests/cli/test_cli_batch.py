"""replicate-ext batch: JSON lines in, JSON lines out in input order, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HELLO = "replicate/hello-world"


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_batch_from_stdin_writes_results_in_input_order(invoke, server) -> None:
    stdin = "".join(json.dumps({"text": name}) + "\n" for name in ["a", "b", "c", "d"])
    result = invoke("batch", HELLO, "--no-progress", "--concurrency", "2", input=stdin)
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert [r["index"] for r in out] == [0, 1, 2, 3]
    assert [r["output"] for r in out] == ["hello a", "hello b", "hello c", "hello d"]
    assert all(r["error"] is None and r["prediction_id"] for r in out)


def test_a_failing_input_is_reported_and_exits_1(invoke, tmp_path: Path) -> None:
    source = tmp_path / "inputs.jsonl"
    source.write_text('{"text": "ok"}\n\n{}\n')
    target = tmp_path / "results.jsonl"
    result = invoke("batch", HELLO, str(source), "-o", str(target), "--no-progress")
    assert result.exit_code == 1
    assert "1 of 2 inputs failed" in result.stderr
    first, second = lines(target.read_text())
    assert first["output"] == "hello ok"
    assert second["error"]["type"] == "ReplicateError"
    assert "422" in second["error"]["message"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json\n", "<stdin>:1: not JSON"),
        ('{"text": "a"}\n[1, 2]\n', "<stdin>:2: an input must be a JSON object"),
    ],
)
def test_bad_lines_are_usage_errors_before_any_request(invoke, server, text, message) -> None:
    before = len(server.state.requests)
    result = invoke("batch", HELLO, "--no-progress", input=text)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(server.state.requests) == before
