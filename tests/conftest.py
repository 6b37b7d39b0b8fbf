"""What every folder of the suite shares: the local server and clients of it, the figures.

A folder's conftest overrides `server`, `client` or `async_client` where its tests
need more (fast retries, fault counting). The reliability figures plugin is
registered here, not in tests/reliability, because under pytest-xdist the
controller loads only this conftest: it adds up the workers' counts and writes
`reliability-figures.json`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from reliability._figures import FiguresPlugin

from replicate_ext import AsyncClient, Client
from replicate_ext.testing import LocalServer


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("replicate-ext-figures"):
        config.pluginmanager.register(FiguresPlugin(config), "replicate-ext-figures")


@pytest.fixture
def server(fresh_replicate_server: LocalServer) -> LocalServer:
    """The session's local server (pages of 5), reset for this test."""
    return fresh_replicate_server


@pytest.fixture
def client(server: LocalServer) -> Iterator[Client]:
    """A client of the local server that polls quickly."""
    with Client(server.token, base_url=server.base_url, poll_interval=0.01) as client:
        yield client


@pytest.fixture
async def async_client(server: LocalServer) -> AsyncIterator[AsyncClient]:
    """An async client of the local server that polls quickly."""
    async with AsyncClient(server.token, base_url=server.base_url, poll_interval=0.01) as client:
        yield client
