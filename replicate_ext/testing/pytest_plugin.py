"""Pytest fixtures for the local Replicate-compatible server.

Auto-loaded through the ``pytest11`` entry point; Starlette and uvicorn are imported
only when a fixture is used, so installs without the ``server`` extra are unaffected.

* ``replicate_server``: one :class:`~replicate_ext.testing.LocalServer` for the whole
  session (speed 100, page size 5, keep-alives every 0.2 s; the ini options
  ``replicate_server_speed``, ``replicate_server_page_size`` and
  ``replicate_server_keepalive`` change these).
* ``fresh_replicate_server``: the same server, reset (models, predictions, files,
  faults, rate limits, recorded requests and webhooks) before the test.
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


def _ini(config: pytest.Config, name: str, default: float) -> float:
    value = config.getini(name)
    return float(value) if value else default


@pytest.fixture(scope="session")
def replicate_server(pytestconfig: pytest.Config) -> Iterator[LocalServer]:
    """A session-wide local server (fast: every model delay divided by 100)."""
    from ._server import LocalServer

    with LocalServer(
        speed=_ini(pytestconfig, "replicate_server_speed", FIXTURE_SPEED),
        page_size=int(_ini(pytestconfig, "replicate_server_page_size", FIXTURE_PAGE_SIZE)),
        keepalive_interval=_ini(pytestconfig, "replicate_server_keepalive", FIXTURE_KEEPALIVE),
    ) as server:
        yield server


@pytest.fixture
def fresh_replicate_server(replicate_server: LocalServer) -> LocalServer:
    """The session server, reset to its initial state for this test."""
    replicate_server.reset()
    return replicate_server
