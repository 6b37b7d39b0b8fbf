"""Fixtures for the command line's tests: a CliRunner pointed at the local server."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from click.testing import CliRunner, Result

from replicate_ext.cli._main import cli

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer

Invoke = Callable[..., Result]

CONSOLE_SCRIPT = Path(sys.executable).with_name("replicate-ext")


@pytest.fixture
def cli_env(server: LocalServer) -> dict[str, str | None]:
    """The environment a shell user would set to use the local server."""
    return {
        "REPLICATE_API_TOKEN": server.token,
        "REPLICATE_BASE_URL": server.base_url,
        "REPLICATE_WEBHOOK_SECRET": None,
        "COLUMNS": "200",
    }


@pytest.fixture
def invoke(cli_env: dict[str, str | None]) -> Invoke:
    """Run `replicate-ext ARGS...` in-process; the result has exit_code, stdout and stderr."""
    runner = CliRunner(env=cli_env)

    def run(
        *args: str, input: str | bytes | None = None, env: dict[str, str | None] | None = None
    ) -> Result:
        return runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    return run


@pytest.fixture
def api(server: LocalServer) -> Iterator[httpx.Client]:
    """Plain HTTP access to the server, to check what the commands did."""
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {server.token}"}, timeout=10
    ) as client:
        yield client


@pytest.fixture
def subprocess_env(cli_env: dict[str, str | None]) -> dict[str, str]:
    """`os.environ` plus `cli_env`, for running the console script."""
    env = {key: value for key, value in os.environ.items() if key != "REPLICATE_WEBHOOK_SECRET"}
    env.update({key: value for key, value in cli_env.items() if value is not None})
    env["PYTHONUNBUFFERED"] = "1"
    return env
