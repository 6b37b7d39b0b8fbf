"""Fixtures for the handwritten layer's tests: clients wired to the local server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from replicate_ext._client import AsyncClient, Client
from replicate_ext._retry import RetryPolicy

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer


FAST_RETRIES = RetryPolicy(backoff_base=0.001, backoff_max=0.01)


def fast(client: Client | AsyncClient) -> Client | AsyncClient:
    """`client`, retrying without the production backoff (set before its first request)."""
    client._retry_policy = FAST_RETRIES
    return client


@pytest.fixture
def client(server: LocalServer) -> Iterator[Client]:
    """A client of the local server that polls and retries quickly."""
    with Client(server.token, base_url=server.base_url, poll_interval=0.01) as client:
        fast(client)
        yield client


@pytest.fixture
async def async_client(server: LocalServer) -> AsyncIterator[AsyncClient]:
    """An async client of the local server that polls and retries quickly."""
    async with AsyncClient(server.token, base_url=server.base_url, poll_interval=0.01) as client:
        fast(client)
        yield client
