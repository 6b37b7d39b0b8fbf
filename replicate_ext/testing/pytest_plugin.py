"""Pytest fixtures for the local Replicate-compatible server.

Auto-loaded through the ``pytest11`` entry point; Starlette and uvicorn are imported
only when a fixture is used, so installs without the ``server`` extra are unaffected.

* ``replicate_server``: one :class:`~replicate_ext.testing.LocalServer` for the whole
  session (speed 100, page size 5, keep-alives every 0.2 s; the ini options
  ``replicate_server_speed``, ``replicate_server_page_size`` and
  ``replicate_server_keepalive`` change these).
* ``fresh_replicate_server``: the same server, reset (models, predictions, files,
  faults, rate limits, recorded requests and webhooks) before the test.
* ``replicate_env``: the session server, with ``REPLICATE_API_TOKEN``,
  ``REPLICATE_BASE_URL`` and the module-level default client pointing at it for
  the test, for code that calls ``replicate_ext.run(...)``; all put back after.

The ini option ``replicate_server_models`` (lines of ``OWNER/NAME=FILE``, paths
relative to the ini file) fakes real models on the session server from their
saved JSON, as ``--model`` does on the command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._server import LocalServer

FIXTURE_SPEED = 100.0
FIXTURE_PAGE_SIZE = 5
FIXTURE_KEEPALIVE = 0.2


def pytest_addoption(parser: pytest.Parser) -> None:
    """Ini options for the session server."""
    parser.addini("replicate_server_speed", "replicate_server: model delay divisor", default="")
    parser.addini("replicate_server_page_size", "replicate_server: list page size", default="")
    parser.addini(
        "replicate_server_keepalive", "replicate_server: SSE keep-alive seconds", default=""
    )
    parser.addini(
        "replicate_server_models",
        "replicate_server: models to fake, OWNER/NAME=FILE per line",
        type="linelist",
        default=[],
    )


def _ini(config: pytest.Config, name: str, default: float) -> float:
    value = config.getini(name)
    return float(value) if value else default


@pytest.fixture(scope="session")
def replicate_server(pytestconfig: pytest.Config) -> Iterator[LocalServer]:
    """A session-wide local server (fast: every model delay divided by 100)."""
    from .__main__ import read_models
    from ._server import LocalServer

    root = pytestconfig.inipath.parent if pytestconfig.inipath else pytestconfig.rootpath
    lines: list[str] = pytestconfig.getini("replicate_server_models")
    options = []
    for line in lines:
        name, equals, path = line.partition("=")
        options.append(f"{name.strip()}{equals}{root / path.strip()}" if equals else line)
    try:
        models = read_models(options)
    except ValueError as error:
        raise pytest.UsageError(f"replicate_server_models: {error}") from None
    with LocalServer(
        speed=_ini(pytestconfig, "replicate_server_speed", FIXTURE_SPEED),
        page_size=int(_ini(pytestconfig, "replicate_server_page_size", FIXTURE_PAGE_SIZE)),
        keepalive_interval=_ini(pytestconfig, "replicate_server_keepalive", FIXTURE_KEEPALIVE),
        models=models,
    ) as server:
        yield server


@pytest.fixture
def replicate_env(
    replicate_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LocalServer]:
    """The session server, as the environment and the default client of this test.

    ``REPLICATE_API_TOKEN`` and ``REPLICATE_BASE_URL`` name it, and the
    module-level functions (``replicate_ext.run``, ``async_run``...) use a new
    default client built from them; after the test the variables are put back
    and the default clients forgotten (closed if built here), so the next
    call builds them from the environment again.
    """
    import replicate_ext

    monkeypatch.setenv("REPLICATE_API_TOKEN", replicate_server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", replicate_server.base_url)
    replicate_ext.set_default_client(None)
    try:
        yield replicate_server
    finally:
        replicate_ext.set_default_client(None)


@pytest.fixture
def fresh_replicate_server(replicate_server: LocalServer) -> LocalServer:
    """The session server, reset to its initial state for this test."""
    replicate_server.reset()
    return replicate_server
