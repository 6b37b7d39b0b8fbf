"""The pure parts of the command line: input coercion, the status line, file names."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from rich.console import Console

from replicate_ext._flow import network_error
from replicate_ext.cli._app import EXIT_API, describe_error
from replicate_ext.cli._inputs import InputError, build_input, input_specs, streams_text
from replicate_ext.cli._run import PiecePrinter, StatusReporter, file_name, render
from replicate_ext.testing._models import BUNDLED_MODELS


def _schema(name: str) -> dict[str, Any]:
    return next(model.schema for model in BUNDLED_MODELS if model.name == name)


def test_specs_follow_refs_order_and_files() -> None:
    specs = input_specs(_schema("make-image"))
    assert specs is not None
    assert list(specs) == [
        "prompt",
        "width",
        "height",
        "color",
        "num_outputs",
        "num_inference_steps",
        "step_interval",
        "progress_style",
    ]
    assert specs["color"].enum == ("red", "green", "blue", "black", "white")
    assert specs["color"].type == "string"
    echo = input_specs(_schema("echo"))
    assert echo is not None
    assert echo["file"].is_file
    assert echo["files"].type_label == "array of file"


def test_nullable_any_of_takes_the_non_null_type() -> None:
    schema = {
        "components": {
            "schemas": {
                "Input": {
                    "type": "object",
                    "properties": {"seed": {"anyOf": [{"type": "null"}, {"type": "integer"}]}},
                }
            }
        }
    }
    assert build_input(["seed=42"], input_specs(schema)) == {"seed": 42}


def test_without_a_schema_values_stay_strings() -> None:
    assert input_specs({"openapi": "3.0"}) is None
    assert build_input(["n=3", "flag:=true"], None) == {"n": "3", "flag": True}


@pytest.mark.parametrize(
    ("pair", "expected"),
    [
        ("number=3", 3),
        ("number=-0.25", -0.25),
        ("integer=+4", 4),
        ("flag=TRUE", True),
        ("flag=off", False),
        ("tags=[]", []),
        ("text=a=b", "a=b"),
        ("text=", ""),
    ],
)
def test_coercion(pair: str, expected: object) -> None:
    key = pair.split("=")[0]
    assert build_input([pair], input_specs(_schema("echo")))[key] == expected


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["number=nan"], "finite number"),
        (["number=ten"], "must be a number"),
        (["flag=maybe"], "true or false"),
        (["text=a", "text=b"], "more than once"),
        (["tags=a", "tags=[1]"], "one JSON array"),
        (["tags=[1", "x=1"], "must be JSON"),
        (["integer=@file.txt"], "cannot be a file"),
        (["=3"], "expected key=value"),
        (["integer:=nope"], "invalid JSON"),
    ],
)
def test_coercion_errors(pairs: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        build_input(pairs, input_specs(_schema("echo")))


def test_files_become_paths(tmp_path: Path) -> None:
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(b"a")
    second.write_bytes(b"b")
    built = build_input(
        [f"file=@{first}", f"files=@{first}", f"files=@{second}"], input_specs(_schema("echo"))
    )
    assert built == {"file": first, "files": [first, second]}
    with pytest.raises(InputError, match="not a file"):
        build_input([f"file=@{tmp_path}"], input_specs(_schema("echo")))


def test_streams_text_only_for_concatenated_iterators() -> None:
    assert streams_text(_schema("stream-tokens"))
    assert not streams_text(_schema("make-image"))
    assert not streams_text(_schema("hello-world"))
    assert not streams_text(None)


def _prediction(status: str, logs: str = "", output: Any = None) -> Any:
    return SimpleNamespace(id="p1", status=status, logs=logs, output=output)


def test_status_line_on_a_terminal() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    reporter = StatusReporter(console)
    reporter.update(_prediction("processing", "loading\nstep 2 of 9\n"))
    console.print(reporter)  # what the live display redraws
    reporter.stop()
    reporter.stop()  # stopping twice is harmless
    reporter.update(_prediction("succeeded", "done\n"))  # after stop: silent
    shown = buffer.getvalue()
    assert "processing" in shown
    # Log lines are printed as they come, above the status line.
    assert shown.index("loading") < shown.index("step 2 of 9") < shown.rindex("processing")
    assert "done" not in shown


def test_plain_lines_off_a_terminal() -> None:
    buffer = io.StringIO()
    reporter = StatusReporter(Console(file=buffer, force_terminal=False))
    reporter.update(_prediction("starting"))
    reporter.update(_prediction("processing", "one\n"))
    reporter.update(_prediction("processing", "one\ntwo\n"))
    reporter.update(_prediction("succeeded", "one\ntwo\n"))
    lines = [line.split("] ", 1)[1] for line in buffer.getvalue().splitlines()]
    assert lines == [
        "prediction p1",
        "starting",
        "log: one",
        "processing",
        "log: two",
        "succeeded",
    ]


def test_piece_printer_writes_only_new_pieces() -> None:
    out = io.StringIO()
    calls: list[str] = []
    printer = PiecePrinter(out, text=True, on_first=lambda: calls.append("first"))
    printer.update(_prediction("processing", output=None))
    printer.update(_prediction("processing", output=["Hel"]))
    printer.update(_prediction("processing", output=["Hel", "lo"]))
    printer.update(_prediction("succeeded", output=["Hel", "lo"]))
    printer.finish()
    assert out.getvalue() == "Hello\n"
    assert calls == ["first"]
    lines = io.StringIO()
    per_line = PiecePrinter(lines, text=False)
    per_line.update(_prediction("processing", output=["a", {"b": 1}]))
    assert lines.getvalue() == 'a\n{"b": 1}\n'


def test_file_names_are_safe() -> None:
    assert file_name("https://x.test/a/out-0.png?sig=1", 0) == "out-0.png"
    assert file_name("https://x.test/a/..%2F..%2Fetc%2Fpasswd", 0) == "etc_passwd"
    assert file_name("https://x.test/", 3) == "output-3"
    assert file_name("data:image/png;base64,AAAA", 0) == "output.png"
    assert file_name("data:application/x-unknown-thing,", 2) == "output-2.bin"


def test_render() -> None:
    assert render(None, {}) is None
    assert render("text", {}) == "text"
    assert render(["a", "b"], {}) == "a\nb"
    assert render({"n": 1}, {}) == '{\n  "n": 1\n}'


def test_logs_while_starting_show_as_processing() -> None:
    buffer = io.StringIO()
    reporter = StatusReporter(Console(file=buffer, force_terminal=False))
    reporter.update(_prediction("starting"))
    reporter.update(_prediction("starting", "warming up\n"))
    assert buffer.getvalue().splitlines()[-1].endswith("] processing")


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (httpx.ConnectError("refused"), "cannot reach the API (http://api.test/v1/x): refused"),
        (httpx.ReadTimeout("timed out"), "the API did not answer in time (http://api.test/v1/x)"),
    ],
    ids=["connect", "timeout"],
)
def test_network_errors_of_library_calls_read_as_the_cli_says_them(
    failure: httpx.RequestError, expected: str
) -> None:
    failure.request = httpx.Request("GET", "http://api.test/v1/x?secret=1")
    failure.prediction_id = "p1"  # type: ignore[attr-defined]
    code, message = describe_error(network_error(failure))
    assert code == EXIT_API
    assert message == f"{expected} (while waiting for prediction p1)"
