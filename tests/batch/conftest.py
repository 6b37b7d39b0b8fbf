"""Fixtures for the batch tests: clients of the local server, and views of its jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from replicate_ext._client import AsyncClient, Client
from replicate_ext._retry import RetryPolicy

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer
    from replicate_ext.testing._jobs import Job

FAST_RETRIES = RetryPolicy(backoff_base=0.001, backoff_max=0.01)


@pytest.fixture
def client(server: LocalServer) -> Iterator[Client]:
    """A client of the local server that polls and retries quickly."""
    with Client(server.token, base_url=server.base_url, poll_interval=0.01) as client:
        client._retry_policy = FAST_RETRIES
        yield client


@pytest.fixture
async def async_client(server: LocalServer) -> AsyncIterator[AsyncClient]:
    """An async client of the local server that polls and retries quickly."""
    async with AsyncClient(server.token, base_url=server.base_url, poll_interval=0.01) as client:
        client._retry_policy = FAST_RETRIES
        yield client


def jobs(server: LocalServer) -> list[Job]:
    """The server's predictions, copied (the server thread may be adding one)."""
    while True:
        try:
            return list(server.state.predictions.values())
        except RuntimeError:  # changed size during iteration
            continue


def running(server: LocalServer) -> int:
    """How many of the server's predictions have not finished."""
    return sum(not job.terminal for job in jobs(server))


def max_in_flight(server: LocalServer) -> int:
    """The most predictions the server ever had running at the same time."""
    edges: list[tuple[float, int]] = []
    for job in jobs(server):
        assert job.completed_at is not None, f"{job.id} is still {job.status}"
        edges.append((job.created_at.timestamp(), 1))
        edges.append((job.completed_at.timestamp(), -1))
    # At equal times an end sorts before a start: a slot freed is a slot reused.
    edges.sort()
    level = peak = 0
    for _, step in edges:
        level += step
        peak = max(peak, level)
    return peak
