"""`replicate-ext run`: run a model, show its progress (a bar), stream text, save files."""

from __future__ import annotations

import json
import mimetypes
import os
import re
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from .._errors import PredictionTimeout
from .._files import FileOutput, atomic_writer, fit_name, name_max
from .._jobs import cancel_failed
from .._progress import LogProgress, parse_progress
from .._refs import Ref, parse_ref
from ._api import create_prediction, final_output, resolve, to_json
from ._app import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    cli,
    describe_error,
    fail,
    settings,
)
from ._inputs import InputError, build_input, input_specs, streams_text

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

    from generated.models.prediction import Prediction
    from generated.models.training import Training

# A short hold on creation lets fast models answer in one round trip, while
# slower ones still show their progress after a second.
CREATE_WAIT = 1


def _left_running(prediction_id: str, error: BaseException) -> str | None:
    """What to say when canceling the prediction `error` left failed; None if it was canceled."""
    if not cancel_failed(error, prediction_id):
        return None
    return (
        f"canceling it failed, so it may still be running "
        f"(replicate-ext predictions cancel {prediction_id})"
    )


def stderr_console() -> Console:
    """A rich console on stderr (looked up at each write, so tests can capture it).

    On a pipe or in a file, lines are written whole: rich would otherwise cut
    them at 80 columns, breaking log lines that CI logs and `grep` read.
    """
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    console.soft_wrap = not console.is_terminal
    return console


def shares_stream(one: TextIO, other: TextIO) -> bool:
    """Whether two streams write to one file, pipe or terminal (`2>&1`, `&> log`)."""
    try:
        first, second = os.fstat(one.fileno()), os.fstat(other.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file (captured, closed)
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
# Escape sequences (OSC, CSI, others) and control characters but the tab: a
# model's coloured or cursor-moving logs must not reach a pipe as such.
_ESCAPES = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]|\x1b.?")
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]")


def log_lines(logs: str) -> list[str]:
    """The non-blank lines of logs, split at carriage returns too (each tqdm redraw is one)."""
    return [line for line in _LINE_BREAKS.split(logs) if line.strip()]


class NewLines:
    """Reads the lines logs gained since the last call, looking only at what was added.

    Logs only grow while a prediction runs, and a long run updates them tens
    of thousands of times: splitting them whole at each update made showing
    them quadratic. The unfinished last line is handed out too (a stream's
    last event has no line break after it), once; its end, when it comes, is
    not handed out again.
    """

    __slots__ = ("_offset", "_partial")

    def __init__(self) -> None:
        self._offset = 0  # where the lines not read yet start
        self._partial = False  # the text from there was handed out, unfinished

    def __call__(self, logs: str) -> list[str]:
        """The non-blank lines (see `log_lines`) of `logs` not handed out yet."""
        if len(logs) <= self._offset:
            return []  # nothing added (or shorter: a replay of what was read)
        tail = logs[self._offset :]
        cut = max(tail.rfind("\n"), tail.rfind("\r")) + 1
        pieces = _LINE_BREAKS.split(tail[:cut])[:-1] if cut else []
        if self._partial and pieces:
            pieces = pieces[1:]  # the line handed out before it was finished
            self._partial = False
        self._offset += cut
        new = [piece for piece in pieces if piece.strip()]
        rest = tail[cut:]
        if not rest.strip():
            self._partial = False
        elif not self._partial:
            new.append(rest)
            self._partial = True
        return new


def printable(line: str) -> str:
    """A log line without escape sequences or control characters."""
    return _CONTROLS.sub("", _ESCAPES.sub("", line))


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def describe_progress(progress: LogProgress) -> str:
    """Progress in words: ``23/50 (46%), 0:03 left, 8.10 it/s``."""
    parts = [f"{progress.current}/{progress.total} ({progress.percentage:.0%})"]
    if progress.remaining is not None:
        parts.append(f"{_clock(progress.remaining)} left")
    if progress.rate:
        unit = progress.unit or "it"
        rate = progress.rate
        parts.append(f"{rate:.2f} {unit}/s" if rate >= 1 else f"{1 / rate:.2f} s/{unit}")
    return ", ".join(parts)


class StatusReporter:
    """Shows a running prediction (or training, by `noun`) on stderr.

    On a terminal: the model's log lines as they arrive and, below them, one
    status line (state, elapsed time, id) with, while the logs report tqdm
    progress, a bar (steps, percentage, time left, rate) in place of those
    progress lines; both redraw in place and disappear at the end. Otherwise
    (a pipe, a file, or `plain`, which --json asks for): plain lines without
    control characters, one per state change, log line and progress update,
    which read well in CI logs.
    """

    def __init__(
        self,
        console: Console,
        *,
        quiet: bool = False,
        plain: bool = False,
        noun: str = "prediction",
    ) -> None:
        self._console = console
        self._silent = quiet
        self._noun = noun
        self._started = time.monotonic()
        self._prediction: Prediction | Training | None = None
        self._status = ""
        self._progress: LogProgress | None = None
        self._new_lines = NewLines()
        self._live: Any = None
        self._spinner: Any = None
        if not quiet and not plain and console.is_terminal:
            # Once the display is gone (see `stop`), later updates print nothing.
            self._silent = True
            from rich.live import Live
            from rich.spinner import Spinner

            self._spinner = Spinner("dots")
            self._live = Live(
                self,
                console=console,
                transient=True,
                refresh_per_second=10,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start()

    @property
    def prediction(self) -> Prediction | Training | None:
        """The last state of the prediction seen."""
        return self._prediction

    @property
    def progress(self) -> LogProgress | None:
        """The last progress the logs reported (None until they report some)."""
        return self._progress

    def elapsed(self) -> float:
        """Seconds since the reporter started."""
        return time.monotonic() - self._started

    def __rich__(self) -> RenderableType:
        from rich.console import Group
        from rich.text import Text

        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self._status or "starting", style="bold")
        text.append(f" {self.elapsed():.1f}s", style="dim")
        if self._prediction is not None:
            text.append(f" {self._prediction.id}", style="dim")
        self._spinner.update(text=text)
        renderable: RenderableType = self._spinner
        if self._progress is not None:
            renderable = Group(renderable, _bar(self._progress))
        return renderable

    def update(self, prediction: Prediction | Training) -> None:
        """Record a new state of the prediction (the `progress` callback)."""
        first = self._prediction is None
        self._prediction = prediction
        status = str(prediction.status)
        logs = prediction.logs if isinstance(prediction.logs, str) else ""
        if status == "starting" and (logs or isinstance(prediction.output, list)):
            # Events on the stream carry no state, but logs and output mean it runs.
            status = "processing"
        new = self._new_lines(logs)
        if self._live is not None:
            self._status = status
            progress = self._progress
            for line in new:
                found = parse_progress(line)
                if found is None:
                    self._console.print(_log_text(line))
                else:  # progress lines become the bar
                    progress = found
            if progress != self._progress:
                self._progress = progress
                # Each step drawn as it comes, not only at the next tick.
                self._live.refresh()
            return
        if self._silent:
            self._status = status
            return
        stamp = f"[{self.elapsed():5.1f}s]"
        if first:
            self._console.print(f"{stamp} {self._noun} {prediction.id}", markup=False)
        for line in new:
            found = parse_progress(line)
            if found is None:
                self._console.print(f"{stamp} log: {printable(line)}", markup=False)
            else:
                named = f"{printable(found.description)} " if found.description else ""
                self._console.print(
                    f"{stamp} progress: {named}{describe_progress(found)}", markup=False
                )
        if status != self._status:
            self._status = status
            self._console.print(f"{stamp} {status}", markup=False)

    def stop(self) -> None:
        """Replace the status line and bar (for good) with a line naming the prediction.

        The id stays on the terminal, to look the prediction up later; plain
        lines need no cleanup, having named it first.
        """
        if self._live is not None:
            self._live.stop()
            self._live = None
            if self._prediction is not None:
                status = self._status or "starting"
                self._console.print(
                    f"{self._noun} {self._prediction.id} ({status}, {self.elapsed():.1f}s)",
                    style="dim",
                    markup=False,
                )


def _log_text(line: str) -> Text:
    from rich.text import Text

    # Colours survive; cursor movements and other escapes do not.
    return Text.from_ansi(_CONTROLS.sub("", line))


def _bar(progress: LogProgress) -> RenderableType:
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    row = Table.grid(padding=(0, 1))
    cells: list[RenderableType] = []
    if progress.description:
        cells.append(Text(printable(progress.description), style="cyan"))
    # By the percentage the line shows: counts may be scaled, or exceed the total.
    done = min(max(progress.percentage, 0.0), 1.0)
    cells.append(ProgressBar(total=1.0, completed=done, width=30))
    cells.append(Text(describe_progress(progress)))
    row.add_row(*cells)
    return row


class PiecePrinter:
    """Writes output as it arrives: text pieces as they are, other pieces one per line.

    `open_line` says whether the text written so far ends inside a line.
    """

    def __init__(self, out: TextIO, *, text: bool, on_first: Any = None) -> None:
        self._out = out
        self._text = text
        self._on_first = on_first
        self.printed = 0
        self.open_line = False

    def update(self, prediction: Prediction) -> None:
        """Write the pieces of `prediction.output` not written yet."""
        output = prediction.output
        if not isinstance(output, list) or len(output) <= self.printed:
            return
        if self.printed == 0 and self._on_first is not None:
            self._on_first()
        for piece in output[self.printed :]:
            chunk = piece if isinstance(piece, str) else json.dumps(piece)
            self._out.write(chunk if self._text else chunk + "\n")
            if chunk:
                self.open_line = self._text and not chunk.endswith("\n")
        self.printed = len(output)
        self._out.flush()

    def finish(self) -> None:
        """End streamed text with a newline, as a shell prompt expects one.

        Not when stderr, sharing the stream, has ended the line already.
        """
        if self.open_line:
            self._out.write("\n")
            self._out.flush()
            self.open_line = False


def break_open_lines(console: Console, printer: PiecePrinter) -> None:
    """Start each line `console` prints on a line of its own, never after `printer`'s text.

    For stdout and stderr on one pipe or file (`2>&1 | tee log`): streamed text
    stops mid-line, and a log line printed then would be glued to it. The break
    goes to stderr, so stdout's own bytes stay as the model wrote them.
    """
    from rich.console import RenderHook
    from rich.text import Text

    class LineBreaker(RenderHook):
        def process_renderables(self, renderables: list[Any]) -> list[Any]:
            if not printer.open_line:
                return renderables
            printer.open_line = False
            return [Text(""), *renderables]  # an empty line of text: the break

    console.push_render_hook(LineBreaker())


# -- saving files -------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(url: str, index: int) -> str:
    """A safe local file name for an output URL (or data URL)."""
    if url.startswith("data:"):
        mime = url[5:].split(";", 1)[0].split(",", 1)[0]
        extension = mimetypes.guess_extension(mime) or ".bin"
        return f"output-{index}{extension}" if index else f"output{extension}"
    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name).strip("._")
    return name or f"output-{index}"


def _unused(directory: Path, name: str, taken: set[Path]) -> Path:
    # Never overwrite: a second run, or two outputs with one name, get a suffix.
    # A name longer than the file system takes is shortened, its suffix kept.
    limit = name_max(directory)
    counter = 0
    while True:
        tag = f"-{counter}" if counter else ""
        fitted = Path(fit_name(name, limit - len(tag)))
        candidate = directory / f"{fitted.stem}{tag}{fitted.suffix}"
        if candidate not in taken and not candidate.exists():
            taken.add(candidate)
            return candidate
        counter += 1


def file_outputs(value: Any) -> Iterator[FileOutput]:
    """Every `FileOutput` in an output, in order."""
    if isinstance(value, FileOutput):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from file_outputs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from file_outputs(item)


def save_files(
    files: list[FileOutput], directory: Path, console: Console
) -> tuple[dict[str, Path], dict[str, str]]:
    """Download `files` into `directory`, with a progress bar on a terminal.

    Returns url -> path for the files saved and url -> why for those that
    could not be: the run is paid for, so one file failing (the disk, the
    download) neither stops the others nor loses its URL.
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    taken: set[Path] = set()
    saved: dict[str, Path] = {}
    failed: dict[str, str] = {}
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
    )
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        for index, output in enumerate(files):
            if output.url in saved or output.url in failed:
                continue
            try:
                path = _unused(directory, file_name(output.url, index), taken)
                task = progress.add_task(path.name, total=None)
                size = 0
                with atomic_writer(path) as handle:
                    for chunk in output.iter_bytes():
                        handle.write(chunk)
                        size += len(chunk)
                        progress.update(task, completed=size)
                progress.update(task, total=size, completed=size)
            except Exception as error:  # noqa: BLE001 (reported with the URL, after the others)
                failed[output.url] = " ".join(describe_error(error)[1].split())
                continue
            saved[output.url] = path
    return saved, failed


def render(value: Any, saved: dict[str, Path]) -> str | None:
    """An output as text for stdout; files as their saved paths (else their URLs)."""

    def plain(item: Any) -> Any:
        if isinstance(item, FileOutput):
            return str(saved.get(item.url, item.url))
        if isinstance(item, list):
            return [plain(element) for element in item]
        if isinstance(item, dict):
            return {key: plain(element) for key, element in item.items()}
        return item

    value = plain(value)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(value)
    return json.dumps(value, indent=2, ensure_ascii=False)


# -- the command ---------------------------------------------------------------------------


def inputs_hint(ref: Ref) -> str:
    """Where an input error sends the user: the command that lists the model's inputs."""
    if ref.kind == "deployment" or ref.owner is None:
        return ""  # `models get` takes neither a deployment nor a bare version id
    return f" (see 'replicate-ext models get {ref.owner}/{ref.name}' for its inputs)"


def _parse_ref(text: str) -> Ref:
    try:
        return parse_ref(text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'OWNER/NAME[:VERSION]'") from None


def _output_dir(path: Path | None) -> Path | None:
    if path is None:
        return None
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create --output-dir {path}: {error.strerror or error}", EXIT_USAGE)
    return path


@cli.command("run")
@click.argument("ref", metavar="OWNER/NAME[:VERSION]")
@click.option(
    "-i",
    "--input",
    "inputs",
    multiple=True,
    metavar="KEY=VALUE",
    help="An input; typed by the model's schema. KEY=@PATH sends a file, KEY:=JSON raw JSON.",
)
@click.option("--stream", is_flag=True, help="Print output pieces as they arrive.")
@click.option("--no-wait", is_flag=True, help="Create the prediction, print its id and exit.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Cancel the prediction if it has not finished by then.",
)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Save file outputs here (otherwise their URLs are printed).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the final prediction as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
def run_command(
    ref: str,
    inputs: tuple[str, ...],
    stream: bool,
    no_wait: bool,
    timeout: float | None,
    output_dir: Path | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Run a model and print its output.

    The model is OWNER/NAME, OWNER/NAME:VERSION, a version id, or
    deployments/OWNER/NAME. Inputs are typed by the model's schema: numbers,
    booleans, arrays as JSON or by repeating KEY=ITEM; KEY=@PATH sends a file
    (KEY=@@TEXT sends "@TEXT") and KEY:=JSON sends any JSON.

    Text streams to stdout as the model writes it; progress goes to stderr.

    \b
    Examples:
      replicate-ext run replicate/hello-world -i text=Alice
      replicate-ext run owner/model:VERSION -i image=@photo.png -i steps=20 -o out/
    """  # noqa: D301 (click's \b keeps the examples unwrapped)
    parsed = _parse_ref(ref)
    client = settings().client()
    parsed, schema, label = resolve(client, parsed)
    try:
        model_input = build_input(inputs, input_specs(schema), model=label)
    except InputError as error:
        fail(f"{error}{inputs_hint(parsed)}", EXIT_USAGE)
    directory = _output_dir(output_dir)

    text_model = streams_text(schema)
    streaming = (stream or text_model) and not as_json
    started = time.monotonic()
    if no_wait:
        prediction = create_prediction(client, parsed, model_input, wait=False, timeout=timeout)
        click.echo(to_json(prediction) if as_json else prediction.id)
        if not as_json:
            click.echo(f"Follow it with: replicate-ext predictions get {prediction.id}", err=True)
        return

    console = stderr_console()
    # --json is for programs: plain lines on stderr, never a live display.
    reporter = StatusReporter(console, quiet=quiet, plain=as_json)
    try:
        wait = False if streaming else CREATE_WAIT
        prediction = create_prediction(client, parsed, model_input, wait=wait, timeout=timeout)
    except BaseException:
        reporter.stop()
        raise
    stdout = sys.stdout
    # Status line and streamed text would fight over one terminal: the line goes.
    printer = PiecePrinter(
        stdout,
        text=text_model,
        on_first=reporter.stop if stdout.isatty() else None,
    )
    if streaming and shares_stream(stdout, sys.stderr):
        break_open_lines(console, printer)

    def progress(update: Prediction) -> None:
        reporter.update(update)
        if streaming:
            printer.update(update)

    left = None if timeout is None else max(0.001, timeout - (time.monotonic() - started))
    try:
        final = client.wait(prediction, timeout=left, progress=progress)
    except KeyboardInterrupt as error:
        reporter.stop()
        printer.finish()
        running = _left_running(prediction.id, error)
        what = f"; {running}" if running else " was canceled"
        fail(f"interrupted: prediction {prediction.id}{what}", EXIT_INTERRUPTED)
    except PredictionTimeout as error:
        reporter.stop()
        printer.finish()
        running = _left_running(prediction.id, error)
        what = f"; {running}" if running else " and was canceled"
        # The core counts from the wait; the user's --timeout counts from the start.
        fail(f"prediction {prediction.id} did not finish within {timeout:g} s{what}", EXIT_FAILED)
    finally:
        reporter.stop()
    printer.finish()

    if as_json:
        click.echo(to_json(final))
    output = final_output(client, final)  # raises ModelError or PredictionCanceled
    files = list(file_outputs(output))
    saved, failed = (
        save_files(files, directory, console) if directory is not None and files else ({}, {})
    )
    if as_json:
        for path in saved.values():
            click.echo(f"saved {path}", err=True)
    elif printer.printed:
        for path in saved.values():
            click.echo(str(path))
    else:
        text = render(output, saved)  # a file not saved shows as its URL
        if text is not None:
            click.echo(text)
    if failed:
        for url, why in failed.items():
            click.echo(f"not saved: {url}: {why}", err=True)
        count = "1 output file" if len(failed) == 1 else f"{len(failed)} output files"
        fail(f"{count} could not be saved in {directory} (URLs above)", EXIT_FAILED)
