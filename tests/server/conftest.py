from __future__ import annotations

import asyncio
import functools
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import httpx
import pytest

from replicate_ext.testing import LocalServer

TERMINAL = {"succeeded", "failed", "canceled", "aborted"}


@functools.cache
def _tls() -> ssl.SSLContext:
    # Building a default context per client costs ~80 ms; the server is plain HTTP anyway.
    return ssl.create_default_context()


def anonymous(**kwargs: Any) -> httpx.AsyncClient:
    """A client without the token (for auth checks and public URLs)."""
    return httpx.AsyncClient(verify=_tls(), timeout=20, **kwargs)


@pytest.fixture
async def api(server: LocalServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=server.base_url,
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=20,
        verify=_tls(),
    ) as client:
        yield client


async def wait_for(check: Callable[[], Any], within: float = 10.0, interval: float = 0.01) -> Any:
    """Poll an async callable until it returns something truthy (with a deadline)."""
    deadline = time.monotonic() + within
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        await asyncio.sleep(interval)


async def wait_status(
    api: httpx.AsyncClient,
    prediction_id: str,
    statuses: Iterable[str] = TERMINAL,
    kind: str = "predictions",
    within: float = 10.0,
) -> dict[str, Any]:
    wanted = set(statuses)

    async def check() -> dict[str, Any] | None:
        body: dict[str, Any] = (await api.get(f"/{kind}/{prediction_id}")).json()
        return body if body["status"] in wanted else None

    result: dict[str, Any] = await wait_for(check, within)
    return result


def parse_sse(text: str) -> tuple[list[dict[str, str]], int]:
    """Events (id, event, data) and the number of comment lines in a raw SSE body."""
    events: list[dict[str, str]] = []
    comments = 0
    current: dict[str, Any] = {}
    data: list[str] = []
    for line in text.split("\n"):
        if line == "":
            if data or current:
                events.append({**current, "data": "\n".join(data)})
            current, data = {}, []
        elif line.startswith(":"):
            comments += 1
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "data":
                data.append(value)
            else:
                current[field] = value
    return events, comments
