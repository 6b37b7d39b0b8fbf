"""Pytest fixtures for the local Replicate-compatible server.

Auto-loaded through the ``pytest11`` entry point; Starlette and uvicorn are imported
only when a fixture is used, so installs without the ``server`` extra are unaffected.

* ``replicate_server``: one :class:`~replicate_ext.testing.LocalServer` for the whole
  session (speed 100, page size 5, keep-alives every 0.2 s).
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


@pytest.fixture(scope="session")
def replicate_server() -> Iterator[LocalServer]:
    """A session-wide local server (fast: every model delay divided by 100)."""
    from ._server import LocalServer

    with LocalServer(
        speed=FIXTURE_SPEED,
        page_size=FIXTURE_PAGE_SIZE,
        keepalive_interval=FIXTURE_KEEPALIVE,
    ) as server:
        yield server


@pytest.fixture
def fresh_replicate_server(replicate_server: LocalServer) -> LocalServer:
    """The session server, reset to its initial state for this test."""
    replicate_server.reset()
    return replicate_server
