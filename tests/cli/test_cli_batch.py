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


# -- the journal beside the results, and files saved as they finish ------------------------------


def write_inputs(path: Path, inputs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(value) + "\n" for value in inputs))
    return path


def test_rerunning_the_same_command_reuses_the_journal_and_creates_nothing(
    invoke, server, tmp_path: Path
) -> None:
    source = write_inputs(tmp_path / "in.jsonl", [{"text": n} for n in "abc"])
    target = tmp_path / "results.jsonl"
    command = ("batch", HELLO, str(source), "-o", str(target), "--no-progress", "--rate", "0")
    first = invoke(*command)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "results.jsonl.journal").exists()
    written = target.read_text()
    made = len(server.state.predictions)
    again = invoke(*command)
    assert again.exit_code == 0
    assert len(server.state.predictions) == made
    assert target.read_text() == written
    assert f"3 of 3 results reused from {target}.journal" in again.stderr


def test_a_journal_of_other_inputs_is_refused_and_the_results_are_left_alone(
    invoke, server, tmp_path: Path
) -> None:
    target = tmp_path / "results.jsonl"
    first = write_inputs(tmp_path / "one.jsonl", [{"text": "a"}])
    assert invoke("batch", HELLO, str(first), "-o", str(target), "--no-progress").exit_code == 0
    written = target.read_text()
    other = write_inputs(tmp_path / "two.jsonl", [{"text": "b"}])
    refused = invoke("batch", HELLO, str(other), "-o", str(target), "--no-progress")
    assert refused.exit_code == 2
    assert "was made for other inputs" in refused.stderr
    assert "--restart" in refused.stderr
    assert target.read_text() == written
    restarted = invoke("batch", HELLO, str(other), "-o", str(target), "--no-progress", "--restart")
    assert restarted.exit_code == 0
    assert lines(target.read_text())[0]["output"] == "hello b"


def test_journal_options(invoke, server, tmp_path: Path) -> None:
    source = write_inputs(tmp_path / "in.jsonl", [{"text": "a"}])
    target = tmp_path / "results.jsonl"
    elsewhere = tmp_path / "elsewhere.journal"
    placed = invoke("batch", HELLO, str(source), "-o", str(target), "--journal", str(elsewhere))
    assert placed.exit_code == 0
    assert elsewhere.exists()
    assert not (tmp_path / "results.jsonl.journal").exists()
    target.unlink()
    none = invoke("batch", HELLO, str(source), "-o", str(target), "--no-journal")
    assert none.exit_code == 0
    assert not (tmp_path / "results.jsonl.journal").exists()
    both = invoke("batch", HELLO, str(source), "--journal", str(elsewhere), "--no-journal")
    assert both.exit_code == 2
    assert "exclude each other" in both.stderr
    restart = invoke("batch", HELLO, str(source), "--restart")
    assert restart.exit_code == 2
    assert "give -o RESULTS or --journal PATH" in restart.stderr


def test_output_dir_saves_each_inputs_files_once(invoke, server, tmp_path: Path) -> None:
    inputs = [{"num_outputs": 2, "color": "blue"}, {"color": "green"}]
    source = write_inputs(tmp_path / "in.jsonl", inputs)
    target, saved = tmp_path / "results.jsonl", tmp_path / "images"
    command = ("batch", "replicate/make-image", str(source), "-o", str(target), "--no-progress")
    first = invoke(*command, "--output-dir", str(saved))
    assert first.exit_code == 0, first.output
    out = lines(target.read_text())
    assert out[0]["output"] == [str(saved / "0-out-0.png"), str(saved / "0-out-1.png")]
    assert out[1]["output"] == [str(saved / "1-out-0.png")]
    for path in (saved / "0-out-0.png", saved / "0-out-1.png", saved / "1-out-0.png"):
        assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert sorted(p.name for p in saved.iterdir()) == ["0-out-0.png", "0-out-1.png", "1-out-0.png"]
    # Complete: each file is the server's, byte for byte.
    downloads = [r for r in server.state.requests if r.path.startswith("/delivery/")]
    assert len(downloads) == 3
    for download in downloads:
        url = f"{server.state.origin}{download.path}"
        data, _ = server.state.resolve_file(url)
        assert data in {p.read_bytes() for p in saved.iterdir()}
    again = invoke(*command, "--output-dir", str(saved))
    assert again.exit_code == 0
    assert lines(target.read_text()) == out
    assert len([r for r in server.state.requests if r.path.startswith("/delivery/")]) == 3


def test_the_journal_cannot_be_the_results_file(invoke, tmp_path: Path) -> None:
    source = write_inputs(tmp_path / "in.jsonl", [{"text": "a"}])
    target = tmp_path / "results.jsonl"
    result = invoke("batch", HELLO, str(source), "-o", str(target), "--journal", str(target))
    assert result.exit_code == 2
    assert "must not be the results file" in result.stderr
