"""The `replicate-ext` click group: global options, the client, and errors as exit codes.

Exit codes: 0 success, 1 the model failed or was canceled (or a webhook is not
authentic), 2 usage errors, 3 API or network errors, 130 interrupted. Every
error is one line on stderr; `--debug` adds the traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import click
import httpx

from .._errors import APIConnectionError, AuthenticationError, PredictionError, ReplicateError
from .._version import __version__

if TYPE_CHECKING:
    from .._client import Client

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_API = 3
EXIT_INTERRUPTED = 130


class Failure(click.ClickException):
    """An error to report as one line with a chosen exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        # click declares exit_code on the class; each failure carries its own.
        self.exit_code = exit_code  # type: ignore[misc]


@dataclass
class Settings:
    """The global options, and the client built from them on first use."""

    api_token: str | None = field(default=None, repr=False)
    base_url: str | None = None
    max_retries: int = 3
    debug: bool = False
    _client: Client | None = field(default=None, repr=False)

    def client(self) -> Client:
        """The API client; a usage error when there is no token."""
        if self._client is None:
            if not self.api_token:
                fail("no API token: set REPLICATE_API_TOKEN or pass --api-token", EXIT_USAGE)
            from .._client import Client

            self._client = Client(
                self.api_token,
                base_url=self.base_url,
                max_retries=self.max_retries,
                user_agent=f"replicate-ext-cli/{__version__}",
            )
        return self._client

    def close(self) -> None:
        """Release the client's connections."""
        if self._client is not None:
            self._client.close()


def settings() -> Settings:
    """The `Settings` of the running command."""
    return click.get_current_context().find_object(Settings) or Settings()


def describe_error(error: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message for an error a command raised."""
    if isinstance(error, PredictionError):  # failed, canceled, aborted, timed out, ...
        return EXIT_FAILED, str(error)
    if isinstance(error, AuthenticationError) and error.status is None:
        return EXIT_USAGE, str(error)
    if isinstance(error, APIConnectionError) and isinstance(error.__cause__, httpx.HTTPError):
        code, message = describe_error(error.__cause__)  # said as a direct call's failure is
        if error.prediction_id is not None:
            message += f" (while waiting for prediction {error.prediction_id})"
        return code, message
    if isinstance(error, ReplicateError):
        message = str(error)
        if error.status == 401:
            message += " (check REPLICATE_API_TOKEN or --api-token)"
        return EXIT_API, message
    if isinstance(error, httpx.TimeoutException):
        return EXIT_API, f"the API did not answer in time ({_url_of(error)})"
    if isinstance(error, httpx.HTTPError):
        reason = str(error) or type(error).__name__
        return EXIT_API, f"cannot reach the API ({_url_of(error)}): {reason}"
    if isinstance(error, (ValueError, TypeError)):
        # The library checks arguments (model references, inputs) with these.
        return EXIT_USAGE, str(error)
    if isinstance(error, OSError):
        return EXIT_FAILED, str(error)
    return EXIT_FAILED, f"unexpected {type(error).__name__}: {error} (--debug shows the traceback)"


def _url_of(error: httpx.HTTPError) -> str:
    try:
        url = error.request.url
    except RuntimeError:  # raised when the error has no request attached
        return "?"
    return str(url.copy_with(query=None))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def fail(message: str, exit_code: int) -> NoReturn:
    """Stop the command with `message` on stderr and `exit_code`."""
    raise Failure(message, exit_code)


class App(click.Group):
    """The root group: reports errors as single lines and maps them to exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand, turning what it raises into a message and an exit code."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            if _debug(ctx):
                traceback.print_exc()
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as error:  # noqa: BLE001 (every error becomes one line and a code)
            if _debug(ctx):
                traceback.print_exc()
            code, message = describe_error(error)
            click.echo(f"Error: {_one_line(message)}", err=True)
            ctx.exit(code)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Parse and run; click's own errors become one line too."""
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            hint = ""
            if isinstance(error, click.UsageError) and error.ctx is not None:
                hint = f" (see '{error.ctx.command_path} --help')"
            click.echo(f"Error: {_one_line(error.format_message())}{hint}", err=True)
            code = error.exit_code
        except click.Abort:
            click.echo("Interrupted.", err=True)
            code = EXIT_INTERRUPTED
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else EXIT_OK)


def _debug(ctx: click.Context) -> bool:
    found = ctx.find_object(Settings)
    return bool(found and found.debug)


@click.group(
    "replicate-ext",
    cls=App,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--api-token",
    envvar="REPLICATE_API_TOKEN",
    metavar="TOKEN",
    help="API token (default: $REPLICATE_API_TOKEN).",
)
@click.option(
    "--base-url",
    envvar="REPLICATE_BASE_URL",
    metavar="URL",
    help=(
        "API base URL (default: $REPLICATE_BASE_URL or https://api.replicate.com/v1); "
        "without a path, /v1 on that host."
    ),
)
@click.option(
    "--max-retries",
    type=click.IntRange(0, 20),
    default=3,
    show_default=True,
    help="Retries of failed requests that are safe to repeat.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(__version__, "-V", "--version", prog_name="replicate-ext")
@click.pass_context
def cli(
    ctx: click.Context,
    api_token: str | None,
    base_url: str | None,
    max_retries: int,
    debug: bool,
) -> None:
    """Run models on Replicate and manage predictions, files and webhooks.

    Point it at the local test server with `replicate-ext serve` and
    REPLICATE_BASE_URL.

    Exit codes: 0 success, 1 the model failed or was canceled, 2 usage error,
    3 API or network error, 130 interrupted.
    """
    state = Settings(api_token=api_token, base_url=base_url, max_retries=max_retries, debug=debug)
    ctx.obj = state
    ctx.call_on_close(state.close)
