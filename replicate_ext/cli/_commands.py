"""The commands besides `run`: predictions, models, hardware, files, webhooks, serve."""

from __future__ import annotations

import datetime
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._api import to_json
from ._app import EXIT_FAILED, EXIT_USAGE, cli, fail, settings
from ._inputs import input_specs

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from generated.models.file import File
    from generated.models.model import Model
    from generated.models.prediction import Prediction


def emit(*renderables: RenderableType) -> None:
    """Print rich renderables on stdout: styled on a terminal, plain lines otherwise.

    Off a terminal the width is unlimited and the padding rich adds at the ends
    of lines is removed, so that pipes and scripts get clean, whole lines.
    """
    from rich.console import Console

    console = Console(highlight=False)
    if console.is_terminal:
        for renderable in renderables:
            console.print(renderable)
        return
    buffer = io.StringIO()
    plain = Console(file=buffer, width=10_000, highlight=False, color_system=None)
    for renderable in renderables:
        plain.print(renderable)
    for line in buffer.getvalue().splitlines():
        click.echo(line.rstrip())


def table(*columns: str) -> Table:
    """A borderless table, easy to read and to grep."""
    from rich.table import Table

    grid = Table(box=None, pad_edge=False, header_style="bold", show_edge=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    return grid


def print_fields(fields: Iterable[tuple[str, object]]) -> None:
    """`name: value` lines, skipping empty values."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for name, value in fields:
        if value is None or value == "" or type(value).__name__ == "Unset":
            continue
        grid.add_row(name, _text(value))
    emit(grid)


def _text(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    from generated.types import Unset

    return "" if isinstance(value, Unset) else str(value)


def _unset(value: object) -> bool:
    return value is None or type(value).__name__ == "Unset"


def print_json(value: Any) -> None:
    """`value` (generated models, lists of them, plain data) as JSON on stdout."""
    if isinstance(value, list):
        value = [item.to_dict() if hasattr(item, "to_dict") else item for item in value]
    click.echo(to_json(value))


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
limit_option = click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="How many to show; 0 for all.",
)


def _split_model(text: str) -> tuple[str, str]:
    owner, sep, name = text.partition("/")
    if not sep or not owner or not name or "/" in name or ":" in name:
        raise click.BadParameter(f"expected OWNER/NAME, not {text!r}", param_hint="'MODEL'")
    return owner, name


def _iso_datetime(text: str | None, option: str) -> datetime.datetime | None:
    if text is None:
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"expected an ISO 8601 date or time, like 2025-01-31T12:00:00Z, not {text!r}",
            param_hint=option,
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


# -- predictions ---------------------------------------------------------------------------


@cli.group()
def predictions() -> None:
    """List, inspect and cancel predictions."""


def _duration(prediction: Prediction) -> str:
    metrics = prediction.metrics
    seconds = None if _unset(metrics) else getattr(metrics, "predict_time", None)
    return f"{seconds:.2f}s" if isinstance(seconds, (int, float)) else ""


@predictions.command("list")
@limit_option
@click.option("--created-after", metavar="TIME", help="Only those created after TIME (ISO 8601).")
@click.option("--created-before", metavar="TIME", help="Only those created before TIME.")
@json_option
def predictions_list(
    limit: int, created_after: str | None, created_before: str | None, as_json: bool
) -> None:
    """List your predictions, newest first."""
    after = _iso_datetime(created_after, "'--created-after'")
    before = _iso_datetime(created_before, "'--created-before'")
    listing = (
        settings()
        .client()
        .predictions.list(created_after=after, created_before=before, limit=limit or None)
    )
    found = list(listing)
    if as_json:
        print_json(found)
        return
    grid = table("ID", "MODEL", "STATUS", "CREATED", "TIME")
    for item in found:
        grid.add_row(
            item.id, _text(item.model), str(item.status), _text(item.created_at), _duration(item)
        )
    emit(grid)


@predictions.command("get")
@click.argument("prediction_id", metavar="ID")
@click.option("--logs", is_flag=True, help="Also print the logs.")
@json_option
def predictions_get(prediction_id: str, logs: bool, as_json: bool) -> None:
    """Show a prediction: its state, output and error."""
    prediction = settings().client().predictions.get(prediction_id)
    if as_json:
        print_json(prediction)
        return
    output = None if _unset(prediction.output) else prediction.output
    print_fields(
        [
            ("id", prediction.id),
            ("model", prediction.model),
            ("version", prediction.version),
            ("status", prediction.status),
            ("created", prediction.created_at),
            ("started", prediction.started_at),
            ("completed", prediction.completed_at),
            ("predict time", _duration(prediction)),
            ("error", prediction.error),
            ("output", _compact(output)),
        ]
    )
    if logs and isinstance(prediction.logs, str) and prediction.logs:
        click.echo("logs:")
        click.echo(prediction.logs.rstrip("\n"))


def _compact(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(value)
    return json.dumps(value, ensure_ascii=False)


@predictions.command("cancel")
@click.argument("prediction_id", metavar="ID")
@json_option
def predictions_cancel(prediction_id: str, as_json: bool) -> None:
    """Cancel a running prediction."""
    prediction = settings().client().predictions.cancel(prediction_id)
    if as_json:
        print_json(prediction)
        return
    click.echo(f"{prediction.id} {prediction.status}")


# -- models --------------------------------------------------------------------------------


@cli.group()
def models() -> None:
    """Look up and search models."""


@models.command("get")
@click.argument("model", metavar="OWNER/NAME")
@json_option
def models_get(model: str, as_json: bool) -> None:
    """Show a model and the inputs of its latest version."""
    from generated.models.partial_model_version import PartialModelVersion

    owner, name = _split_model(model)
    found = settings().client().models.get(model_owner=owner, model_name=name)
    if as_json:
        print_json(found)
        return
    latest = found.latest_version if isinstance(found.latest_version, PartialModelVersion) else None
    print_fields(
        [
            ("model", f"{found.owner}/{found.name}"),
            ("description", found.description),
            ("visibility", found.visibility),
            ("runs", found.run_count),
            ("url", found.url),
            ("latest version", latest.id if latest is not None and latest.id else None),
        ]
    )
    schema = getattr(latest, "openapi_schema", None)
    specs = input_specs(
        schema.to_dict() if schema is not None and hasattr(schema, "to_dict") else None
    )
    if not specs:
        return
    grid = table("INPUT", "TYPE", "DEFAULT", "DESCRIPTION")
    for spec in specs.values():
        default = json.dumps(spec.default) if spec.has_default else ""
        grid.add_row(
            spec.name + (" *" if spec.required else ""),
            spec.type_label,
            default,
            spec.description,
        )
    emit("", grid)


def _model_row(model: Model) -> tuple[str, str, str]:
    runs = "" if _unset(model.run_count) else str(model.run_count)
    description = "" if _unset(model.description) else str(model.description)
    return f"{model.owner}/{model.name}", runs, description


@models.command("search")
@click.argument("query")
@limit_option
@json_option
def models_search(query: str, limit: int, as_json: bool) -> None:
    """Search public models."""
    found = list(settings().client().models.search(query, limit=limit or None))
    if as_json:
        print_json(found)
        return
    if not found:
        click.echo(f"No models match {query!r}.", err=True)
        return
    grid = table("MODEL", "RUNS", "DESCRIPTION")
    for model in found:
        grid.add_row(*_model_row(model))
    emit(grid)


# -- hardware ------------------------------------------------------------------------------


@cli.group()
def hardware() -> None:
    """The hardware models can run on."""


@hardware.command("list")
@json_option
def hardware_list(as_json: bool) -> None:
    """List the hardware SKUs."""
    found = settings().client().hardware.list()
    if as_json:
        print_json(found)
        return
    grid = table("SKU", "NAME")
    for item in found:
        grid.add_row(item.sku, item.name)
    emit(grid)


# -- files ---------------------------------------------------------------------------------


@cli.group()
def files() -> None:
    """Upload and manage files (kept 24 hours; pass their URL as a model input)."""


def _file_fields(file: File) -> list[tuple[str, object]]:
    checksums = None if _unset(file.checksums) else file.checksums
    return [
        ("id", file.id),
        ("name", file.name),
        ("type", file.content_type),
        ("size", f"{file.size} bytes"),
        ("sha256", getattr(checksums, "sha256", None)),
        ("created", file.created_at),
        ("expires", file.expires_at),
        ("url", file.urls.get),
    ]


@files.command("upload")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--filename", help="Name to store it under (default: the file's name).")
@click.option("--content-type", metavar="TYPE", help="MIME type (default: from the name).")
@click.option("--metadata", metavar="JSON", help="A JSON object stored with the file.")
@json_option
def files_upload(
    path: Path,
    filename: str | None,
    content_type: str | None,
    metadata: str | None,
    as_json: bool,
) -> None:
    """Upload a file and print its id and URL."""
    meta: dict[str, Any] | None = None
    if metadata is not None:
        try:
            meta = json.loads(metadata)
        except ValueError as error:
            raise click.BadParameter(f"invalid JSON: {error}", param_hint="'--metadata'") from None
        if not isinstance(meta, dict):
            raise click.BadParameter("expected a JSON object", param_hint="'--metadata'")
    file = (
        settings().client().files.create(path, filename=filename, type=content_type, metadata=meta)
    )
    if as_json:
        print_json(file)
        return
    print_fields(_file_fields(file))


@files.command("list")
@limit_option
@json_option
def files_list(limit: int, as_json: bool) -> None:
    """List your files, newest first."""
    found = list(settings().client().files.list(limit=limit or None))
    if as_json:
        print_json(found)
        return
    grid = table("ID", "NAME", "TYPE", "SIZE", "CREATED")
    for file in found:
        grid.add_row(
            file.id, _text(file.name), file.content_type, str(file.size), _text(file.created_at)
        )
    emit(grid)


@files.command("get")
@click.argument("file_id", metavar="ID")
@json_option
def files_get(file_id: str, as_json: bool) -> None:
    """Show a file."""
    file = settings().client().files.get(file_id)
    if as_json:
        print_json(file)
        return
    print_fields(_file_fields(file))


@files.command("delete")
@click.argument("file_ids", metavar="ID...", nargs=-1, required=True)
def files_delete(file_ids: Sequence[str]) -> None:
    """Delete files."""
    client = settings().client()
    for file_id in file_ids:
        client.files.delete(file_id)
        click.echo(f"deleted {file_id}")


# -- webhooks ------------------------------------------------------------------------------


@cli.group()
def webhooks() -> None:
    """Your webhook signing secret, and checking webhook requests."""


@webhooks.command("secret")
def webhooks_secret() -> None:
    """Print the secret that signs your webhooks (whsec_...)."""
    click.echo(settings().client().webhooks.default.secret.get().key)


def _parse_headers(values: Sequence[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for value in values:
        name, sep, content = value.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected 'Name: value', not {value!r}", param_hint="'-H'")
        headers[name.strip().lower()] = content.strip()
    return headers


@webhooks.command("verify")
@click.option(
    "-H",
    "--header",
    "header_values",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="A request header (webhook-id, webhook-timestamp, webhook-signature).",
)
@click.option("--id", "webhook_id", metavar="ID", help="The webhook-id header.")
@click.option("--timestamp", metavar="SECONDS", help="The webhook-timestamp header.")
@click.option("--signature", metavar="SIG", help="The webhook-signature header.")
@click.option("--body", metavar="TEXT", help="The raw request body (default: read stdin).")
@click.option(
    "--body-file",
    type=click.File("rb"),
    help="Read the raw request body from a file ('-' for stdin).",
)
@click.option(
    "--secret",
    envvar="REPLICATE_WEBHOOK_SECRET",
    metavar="whsec_...",
    help="The signing secret (default: $REPLICATE_WEBHOOK_SECRET, else fetched from the API).",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="How far the timestamp may be from now.",
)
@click.option("--no-timestamp-check", is_flag=True, help="Accept any timestamp (old requests).")
def webhooks_verify(
    header_values: Sequence[str],
    webhook_id: str | None,
    timestamp: str | None,
    signature: str | None,
    body: str | None,
    body_file: Any,
    secret: str | None,
    tolerance: float,
    no_timestamp_check: bool,
) -> None:
    """Check that a webhook request is authentic: exit 0 if it is, 1 if not.

    \b
    Example:
      replicate-ext webhooks verify --id msg_1 --timestamp 1700000000 \\
        --signature 'v1,...' --body-file body.json
    """  # noqa: D301 (click's \b keeps the example unwrapped)
    from .._errors import WebhookVerificationError
    from .._webhooks import verify_webhook

    headers = _parse_headers(header_values)
    for name, value in (
        ("webhook-id", webhook_id),
        ("webhook-timestamp", timestamp),
        ("webhook-signature", signature),
    ):
        if value is not None:
            headers[name] = value
    if body is not None and body_file is not None:
        raise click.UsageError("give the body with --body or --body-file, not both")
    if body is not None:
        raw = body.encode()
    else:
        stream = body_file or sys.stdin.buffer
        if body_file is None and sys.stdin.isatty():
            raise click.UsageError("no body: pass --body, --body-file, or pipe it to stdin")
        raw = stream.read()
    key = secret or settings().client()._webhook_key()
    try:
        verify_webhook(headers, raw, key, tolerance=None if no_timestamp_check else tolerance)
    except WebhookVerificationError as error:
        message = str(error)
        if message.startswith("malformed secret"):
            fail(message, EXIT_USAGE)
        fail(f"invalid webhook: {message}", EXIT_FAILED)
    click.echo("valid")


# -- serve ---------------------------------------------------------------------------------


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8787, show_default=True, help="0: any free."
)
@click.option("--token", help="The accepted API token (default: random, printed).")
@click.option(
    "--speed",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Divide every model delay by this factor.",
)
@click.option(
    "--page-size", type=click.IntRange(min=1), default=100, show_default=True, help="List pages."
)
@click.option("--username", default="test-user", show_default=True, help="The account name.")
@click.option(
    "--keepalive",
    type=click.FloatRange(min=0, min_open=True),
    default=15.0,
    show_default=True,
    help="Seconds between event stream keep-alives.",
)
@click.option("--rate-limit", is_flag=True, help="Enforce Replicate's rate limits.")
@click.option(
    "--sync-data-urls", is_flag=True, help="With Prefer: wait, return files as data URLs."
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="'KIND PATH [key=value ...]'",
    help="Inject a fault, e.g. 'status /v1/predictions method=POST status=503 times=2' "
    "(KIND: status, 429, drop, slow, drop_stream, stream_restart, stream_no_done; repeatable).",
)
@click.option(
    "--queue-delay",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds a new prediction waits in the queue (not divided by --speed).",
)
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="OWNER/NAME=FILE",
    help="Fake a real model from its saved JSON (models get OWNER/NAME --json), a version's "
    "or a Cog openapi_schema (repeatable).",
)
@click.option("--log-level", default="warning", show_default=True, help="uvicorn log level.")
def serve(
    host: str,
    port: int,
    token: str | None,
    speed: float,
    page_size: int,
    username: str,
    keepalive: float,
    rate_limit: bool,
    sync_data_urls: bool,
    faults: Sequence[str],
    queue_delay: float | None,
    models: Sequence[str],
    log_level: str,
) -> None:
    """Serve a local, in-memory Replicate-compatible API (for tests and demos).

    It prints the export line that points your code at it, and the address of its web pages.
    """
    try:
        from replicate_ext.testing.__main__ import main as serve_main
    except ImportError as error:
        fail(
            f"the local server needs its extra ({error.name} is missing): "
            "pip install 'replicate-ext[server]'",
            EXIT_USAGE,
        )
    argv = [
        "--host", host,
        "--port", str(port),
        "--speed", repr(speed),
        "--page-size", str(page_size),
        "--username", username,
        "--keepalive", repr(keepalive),
        "--log-level", log_level,
    ]  # fmt: skip
    if token:
        argv += ["--token", token]
    if rate_limit:
        argv.append("--rate-limit")
    if sync_data_urls:
        argv.append("--sync-data-urls")
    for fault in faults:
        argv += ["--fault", fault]
    if queue_delay is not None:
        argv += ["--queue-delay", repr(queue_delay)]
    for model in models:
        argv += ["--model", model]
    code = serve_main(argv)
    if code == EXIT_USAGE:
        # The server has said which argument it refused, in one line.
        click.get_current_context().exit(EXIT_USAGE)
    if code:
        fail("the local server did not start", EXIT_FAILED)
