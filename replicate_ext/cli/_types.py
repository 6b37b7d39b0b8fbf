"""`replicate-ext types`: write a typed Python module for a model."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._files import atomic_writer
from .._resolve import resolve_flow
from ._app import EXIT_FAILED, EXIT_USAGE, cli, fail, settings
from ._run import _parse_ref


@cli.command("types")
@click.argument("ref", metavar="OWNER/NAME[:VERSION]")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the module to this file (default: stdout).",
)
def types_command(ref: str, output: Path | None) -> None:
    """Write a typed Python module for a model.

    It holds the model's input as a TypedDict (Literal for choices,
    NotRequired for optional inputs), its output type, and a function named
    after the model (replicate/hello-world gives hello_world, and
    async_hello_world) that runs it, typed so that mypy or an IDE rejects a
    misspelled input or a wrong type as you write the call. The model is
    OWNER/NAME (its latest version), OWNER/NAME:VERSION or
    deployments/OWNER/NAME. Needs the types extra: pip install
    'replicate-ext[types]'.

    \b
    Example:
      replicate-ext types replicate/hello-world -o hello_world.py
    """  # noqa: D301 (click's \b keeps the example unwrapped)
    from .._typegen import module_source

    parsed = _parse_ref(ref)
    if parsed.owner is None:
        fail("types needs the model's name to read its schema: OWNER/NAME:VERSION", EXIT_USAGE)
    client = settings().client()
    found = client._drive(resolve_flow(client._ctx, parsed))
    if found.openapi_schema is None:
        fail(f"{found.label} has no schema to write types from", EXIT_USAGE)
    command = f"replicate-ext types {ref}"
    try:
        source = module_source(found, command=command)
    except ImportError as error:  # the types extra is not installed; the message says so
        fail(str(error), EXIT_FAILED)
    if output is None:
        sys.stdout.write(source)
        return
    with atomic_writer(output) as file:
        file.write(source.encode())
    click.echo(f"Wrote {output} for {found.label}.", err=True)
