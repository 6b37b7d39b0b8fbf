"""`replicate-ext train`: fine-tune a version into a model of yours, and print the new version.

It shows the training as `run` shows a prediction (its logs, and a progress
bar while they report tqdm steps), with `run`'s exit codes; Ctrl-C and
`--timeout` cancel the training. Inputs are typed by the version's
`TrainingInput` schema, the inputs of its `train()`.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

import click

from .._errors import PredictionTimeout
from .._jobs import cancel_failed, outcome_error
from .._trainings import destination_name, trained_ref, training_input_specs, training_ref
from ._api import resolve, to_json
from ._app import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, cli, fail, settings
from ._inputs import InputError, build_input
from ._run import StatusReporter, stderr_console

if TYPE_CHECKING:
    from generated.models.training import Training


def _fate(training_id: str, error: BaseException, canceled: str) -> str:
    """`canceled`, or what to say when canceling the training `error` left failed."""
    if cancel_failed(error, training_id):
        return f"; canceling it failed, so it may still be running (training {training_id})"
    return canceled


@cli.command("train")
@click.argument("ref", metavar="OWNER/NAME:VERSION")
@click.option(
    "-d",
    "--destination",
    required=True,
    metavar="OWNER/NAME",
    help="Your model that receives the new version (create it first).",
)
@click.option(
    "-i",
    "--input",
    "inputs",
    multiple=True,
    metavar="KEY=VALUE",
    help="An input of train(); typed by its schema. KEY=@PATH sends a file, KEY:=JSON raw JSON.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Cancel the training if it has not finished by then.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the final training as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
def train_command(
    ref: str,
    destination: str,
    inputs: tuple[str, ...],
    timeout: float | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Fine-tune a model version and print the new version of DESTINATION.

    The version is OWNER/NAME:VERSION, of a trainable model; DESTINATION is
    a model of yours. Inputs are typed by the training schema; KEY=@PATH
    sends a file (a zip of images, say), uploaded as `run` uploads files.

    The training's logs and progress go to stderr; the new version's
    reference, ready for `replicate-ext run`, to stdout. Ctrl-C cancels it.

    \b
    Example:
      replicate-ext train replicate/trainable:VERSION -d me/my-model -i train_data=@photos.zip
    """  # noqa: D301 (click's \b keeps the example unwrapped)
    try:
        target = training_ref(ref)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'OWNER/NAME:VERSION'") from None
    try:
        destination_name(destination)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--destination'") from None
    client = settings().client()
    _, schema, label = resolve(client, target)
    try:
        model_input = build_input(inputs, training_input_specs(schema), model=f"train() of {label}")
    except InputError as error:
        # No --help hint: it does not list the inputs; the error names the unknown ones.
        fail(str(error), EXIT_USAGE)

    started = time.monotonic()
    # --json is for programs: plain lines on stderr, never a live display.
    reporter = StatusReporter(stderr_console(), quiet=quiet, plain=as_json, noun="training")
    training: Training | None = None
    try:
        # Checked above against the same schema: strict=False spares a second lookup.
        training = client.trainings.create(
            ref, destination=destination, input=model_input, strict=False
        )
        left = None if timeout is None else max(0.001, timeout - (time.monotonic() - started))
        final = client.wait(training, timeout=left, progress=reporter.update)
    except KeyboardInterrupt as error:
        reporter.stop()
        if training is None:
            raise  # the creation, interrupted, cancels what it may have started
        if reporter.prediction is None:
            # Interrupted between the creation and the wait, which cancels otherwise.
            with contextlib.suppress(Exception):
                client.trainings.cancel(training.id)
        what = _fate(training.id, error, " was canceled")
        fail(f"interrupted: training {training.id}{what}", EXIT_INTERRUPTED)
    except PredictionTimeout as error:
        reporter.stop()
        what = _fate(error.prediction_id, error, " and was canceled")
        # The core counts from the wait; the user's --timeout counts from the start.
        fail(
            f"training {error.prediction_id} did not finish within {timeout:g} s{what}",
            EXIT_FAILED,
        )
    finally:
        reporter.stop()

    if as_json:
        click.echo(to_json(final))
    ended = outcome_error(final)
    if ended is not None:
        raise ended  # failed or canceled: exit code 1, as for `run`
    version = trained_ref(final)
    if not as_json:
        click.echo(version)
