"""Fixtures for the typed resource calls (`client.models.get(...)`): clients of the local server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from replicate_ext import AsyncClient, Client

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer


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
