"""A throttled account's 429s over real HTTP: the wait its JSON body asks for is the one waited."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from replicate_ext._retry import RetryPolicy, RetryTransport

from .conftest import Peer, ScriptedServer

# What an account with less than $5 of credit gets (6 creations a minute, burst 1).
THROTTLED = {
    "detail": "Request was throttled. Your rate limit for creating predictions is reduced to "
    "6 requests per minute with a burst of 1 requests while you have less than $5.0 in "
    "credit. Your rate limit resets in ~5s.",
    "status": 429,
    "retry_after": 5,
}


def throttled_once(peer: Peer) -> None:
    """A 429 with the hint in its body alone (no Retry-After), then a created prediction."""
    peer.request()
    peer.answer(
        json.dumps(THROTTLED).encode(), "429 Too Many Requests", "Content-Type: application/json"
    )
    peer.request()
    peer.answer(b'{"id": "p1"}', "201 Created", "Content-Type: application/json")
    peer.serve()


def test_a_creation_waits_what_the_body_of_its_429_asks(
    scripted: Callable[..., ScriptedServer],
) -> None:
    server = scripted(throttled_once)
    delays: list[float] = []
    transport = RetryTransport(httpx.HTTPTransport(), RetryPolicy(), sleep=delays.append)
    with httpx.Client(transport=transport) as http:
        response = http.post(server.url("/v1/models/a/b/predictions"), json={"input": {}})
    assert response.status_code == 201
    assert delays == [5.0]  # not a backoff of a fraction of a second, lost in the window
    assert server.methods() == [(0, "POST"), (0, "POST")]
