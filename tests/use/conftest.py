"""Fixtures for use() and `replicate-ext types`: clients wired to the local server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from replicate_ext import AsyncClient, Client

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer


@pytest.fixture
def server(fresh_replicate_server: LocalServer) -> LocalServer:
    """The session's local server, reset for this test."""
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


def schema_requests(server: LocalServer) -> int:
    """How many model, version or deployment lookups the server answered."""
    return sum(
        1
        for request in server.state.requests
        if request.method == "GET"
        and request.path.startswith(("/v1/models/", "/v1/deployments/"))
        and not request.path.endswith("/predictions")
    )
