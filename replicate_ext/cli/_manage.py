"""Commands for what the account owns: `models create`, and `trainings list | get | cancel`.

`train --help` says to create the destination model first: `models create`
does, and the trainings commands follow what `train` started, as the
predictions commands follow predictions. Each is one call of the client's
resources (`client.models.create`, `client.trainings.list`, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import click

from .._trainings import trained_ref
from ._app import cli, settings
from ._commands import (
    _split_model,
    _text,
    emit,
    json_option,
    limit_option,
    models,
    print_fields,
    print_json,
    table,
)

if TYPE_CHECKING:
    from generated.models.training import Training
    from generated.models.visibility import Visibility

__all__ = ["models_create", "trainings"]


@models.command("create")
@click.argument("model", metavar="OWNER/NAME")
@click.option(
    "--hardware",
    required=True,
    metavar="SKU",
    help="What it runs on: a SKU from 'replicate-ext hardware list' (cpu, gpu-t4, ...).",
)
@click.option(
    "--visibility",
    type=click.Choice(["public", "private"]),
    required=True,
    help="Who can see and run it.",
)
@click.option("--description", help="One line about it.")
@json_option
def models_create(
    model: str, hardware: str, visibility: str, description: str | None, as_json: bool
) -> None:
    """Create a model of yours, e.g. the destination of a training (no versions yet)."""
    owner, name = _split_model(model)
    created = (
        settings()
        .client()
        .models.create(
            owner=owner,
            name=name,
            hardware=hardware,
            visibility=cast("Visibility", visibility),  # one of click's choices
            description=description,
        )
    )
    if as_json:
        print_json(created)
        return
    click.echo(f"created {created.owner}/{created.name} ({visibility}, {hardware}): {created.url}")


@cli.group()
def trainings() -> None:
    """List, inspect and cancel trainings ('replicate-ext train' starts them)."""


def _trained(training: Training) -> str | None:
    """The new version a succeeded training made, as `run` takes it."""
    try:
        return trained_ref(training)
    except ValueError:
        return None


@trainings.command("list")
@limit_option
@json_option
def trainings_list(limit: int, as_json: bool) -> None:
    """List your trainings, newest first."""
    found = list(settings().client().trainings.list(limit=limit or None))
    if as_json:
        print_json(found)
        return
    grid = table("ID", "MODEL", "DESTINATION", "STATUS", "CREATED")
    for item in found:
        grid.add_row(
            item.id,
            _text(item.model),
            _text(item.destination),
            str(item.status),
            _text(item.created_at),
        )
    emit(grid)


@trainings.command("get")
@click.argument("training_id", metavar="ID")
@click.option("--logs", is_flag=True, help="Also print the logs.")
@json_option
def trainings_get(training_id: str, logs: bool, as_json: bool) -> None:
    """Show a training: its state, what it trained into and its error."""
    training = settings().client().trainings.get(training_id)
    if as_json:
        print_json(training)
        return
    print_fields(
        [
            ("id", training.id),
            ("model", training.model),
            ("version", training.version),
            ("destination", training.destination),
            ("status", training.status),
            ("created", training.created_at),
            ("started", training.started_at),
            ("completed", training.completed_at),
            ("error", training.error),
            ("trained", _trained(training)),
        ]
    )
    if logs and isinstance(training.logs, str) and training.logs:
        click.echo("logs:")
        click.echo(training.logs.rstrip("\n"))


@trainings.command("cancel")
@click.argument("training_id", metavar="ID")
@json_option
def trainings_cancel(training_id: str, as_json: bool) -> None:
    """Cancel a running training."""
    training = settings().client().trainings.cancel(training_id)
    if as_json:
        print_json(training)
        return
    click.echo(f"{training.id} {training.status}")
