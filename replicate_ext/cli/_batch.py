"""`replicate-ext batch`: one model over many inputs read as JSON lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
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
    """Writes results as they finish but in input order, so an interruption keeps a prefix.

    The file is opened (and emptied) at the first result, not before: a
    batch refused before it starts (a journal of another batch) leaves the
    results of the last run in place.
    """

    def __init__(self, open_output: Callable[[], IO[str]]) -> None:
        self._open = open_output
        self.out: IO[str] | None = None
        self.pending: dict[int, BatchResult] = {}
        self.next = 0

    def add(self, result: BatchResult) -> None:
        out = self.opened()
        self.pending[result.index] = result
        while self.next in self.pending:
            out.write(result_line(self.pending.pop(self.next)) + "\n")
            self.next += 1
        out.flush()

    def opened(self) -> IO[str]:
        """The output, opened on first use."""
        if self.out is None:
            self.out = self._open()
        return self.out


def _journal_path(output: str, journal: str | None, no_journal: bool) -> Path | None:
    if no_journal:
        if journal is not None:
            fail("--journal and --no-journal exclude each other", EXIT_USAGE)
        return None
    if journal is not None:
        if output != "-" and Path(journal).resolve() == Path(output).resolve():
            fail(
                "--journal must not be the results file (-o): give it a path of its own", EXIT_USAGE
            )
        return Path(journal)
    # Beside the results, which it can always rebuild; none for stdout.
    return None if output == "-" else Path(f"{output}.journal")


@cli.command("batch")
@click.argument("ref")
@click.argument("inputs", type=click.File("r"), default="-")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="JSON lines out (stdout); its journal goes beside it, as OUTPUT.journal.",
)
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
@click.option(
    "--journal",
    type=click.Path(dir_okay=False),
    help="Where to record the batch, to resume it (default: OUTPUT.journal).",
)
@click.option("--no-journal", is_flag=True, help="Keep no journal: the batch cannot resume.")
@click.option(
    "--restart", is_flag=True, help="Start the journal over, forgetting the results it holds."
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Save output files here as each input succeeds; results hold their paths.",
)
def batch_command(
    ref: str,
    inputs: IO[str],
    output: str,
    concurrency: int,
    rate: float,
    timeout: float | None,
    no_wait: bool,
    no_progress: bool,
    journal: str | None,
    no_journal: bool,
    restart: bool,
    output_dir: Path | None,
) -> None:
    """Run REF once per JSON object in INPUTS (a file, or - for stdin), at most --rate a minute.

    Each result is written as a JSON line (index, input, output, error,
    prediction_id) in input order. Exit 0 when every input succeeded, 1 when
    any failed; Ctrl-C cancels what the batch started.

    With -o RESULTS, a journal (RESULTS.journal) records every step: if the
    batch is killed or interrupted, run the same command again to resume it.
    Results already in the journal are reused, predictions still running are
    waited for, and none is created twice. --output-dir saves output files as
    they finish, and a resumed batch never downloads them again.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    items = read_inputs(inputs, getattr(inputs, "name", "-"))
    journal_path = _journal_path(output, journal, no_journal)
    if restart and journal_path is None:
        fail("--restart starts a journal over: give -o RESULTS or --journal PATH", EXIT_USAGE)
    client = settings().client()
    writer = _InOrder(lambda: click.open_file(output, "w"))
    console = Console(file=sys.stderr, highlight=False)
    columns = (
        TextColumn("batch"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
    )
    reused = 0
    try:
        with Progress(*columns, console=console, disable=no_progress) as bar:
            task = bar.add_task("batch", total=len(items), failed=0)

            def on_progress(update: BatchProgress) -> None:
                nonlocal reused
                reused += update.result.reused
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
                journal=journal_path,
                restart=restart,
                output_dir=output_dir,
            )
        writer.opened()  # an empty batch still leaves an (empty) results file
    finally:
        if writer.out is not None and output != "-":
            writer.out.close()
    if reused:
        console.print(f"{reused} of {len(results)} results reused from {journal_path}")
    failed = sum(not result.ok for result in results)
    if failed:
        fail(f"{failed} of {len(results)} inputs failed", EXIT_FAILED)
