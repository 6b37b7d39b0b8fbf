"""`replicate-ext batch`: one model over many inputs read as JSON lines."""

from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Any

import click

from ._app import EXIT_FAILED, EXIT_USAGE, cli, fail, settings

if TYPE_CHECKING:
    from .._batch import BatchProgress, BatchResult


def read_inputs(stream: IO[str], name: str) -> list[dict[str, Any]]:
    """Every non-blank line of `stream` as a JSON object; a usage error naming the bad line."""
    inputs: list[dict[str, Any]] = []
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            fail(f"{name}:{number}: not JSON: {error}", EXIT_USAGE)
        if not isinstance(value, dict):
            fail(f"{name}:{number}: an input must be a JSON object, not {value!r:.40}", EXIT_USAGE)
        inputs.append(value)
    return inputs


def result_line(result: BatchResult) -> str:
    """One result as a JSON line: index, input, output, error, prediction_id."""
    error = None
    if result.error is not None:
        error = {"type": type(result.error).__name__, "message": str(result.error)}
    return json.dumps(
        {
            "index": result.index,
            "input": result.input,
            "output": result.output,
            "error": error,
            "prediction_id": result.prediction_id,
        },
        default=str,
    )


class _InOrder:
    """Writes results as they finish but in input order, so an interruption keeps a prefix."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.pending: dict[int, BatchResult] = {}
        self.next = 0

    def add(self, result: BatchResult) -> None:
        self.pending[result.index] = result
        while self.next in self.pending:
            self.out.write(result_line(self.pending.pop(self.next)) + "\n")
            self.next += 1
        self.out.flush()


@cli.command("batch")
@click.argument("ref")
@click.argument("inputs", type=click.File("r"), default="-")
@click.option("-o", "--output", type=click.File("w"), default="-", help="JSON lines out (stdout).")
@click.option("--concurrency", type=click.IntRange(min=1), default=32, show_default=True)
@click.option(
    "--rate",
    type=click.FloatRange(min=0),
    default=600.0,
    show_default=True,
    help="Creations per minute; 0 turns the client-side limit off.",
)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds per input.")
@click.option("--no-wait", is_flag=True, help="Poll instead of holding requests open.")
@click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")
def batch_command(
    ref: str,
    inputs: IO[str],
    output: IO[str],
    concurrency: int,
    rate: float,
    timeout: float | None,
    no_wait: bool,
    no_progress: bool,
) -> None:
    """Run REF once per JSON object in INPUTS (a file, or - for stdin), at most --rate a minute.

    Each result is written as a JSON line (index, input, output, error,
    prediction_id) in input order. Exit 0 when every input succeeded, 1 when
    any failed; Ctrl-C cancels what the batch started.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    items = read_inputs(inputs, getattr(inputs, "name", "-"))
    client = settings().client()
    writer = _InOrder(output)
    console = Console(file=sys.stderr, highlight=False)
    columns = (
        TextColumn("batch"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
    )
    with Progress(*columns, console=console, disable=no_progress) as bar:
        task = bar.add_task("batch", total=len(items), failed=0)

        def on_progress(update: BatchProgress) -> None:
            writer.add(update.result)
            bar.update(task, completed=update.done, failed=update.failed)

        results = client.run_batch(
            ref,
            items,
            concurrency=concurrency,
            rate_limit=rate or None,
            timeout=timeout,
            wait=not no_wait,
            use_file_output=False,
            progress=on_progress,
        )
    failed = sum(not result.ok for result in results)
    if failed:
        fail(f"{failed} of {len(results)} inputs failed", EXIT_FAILED)
