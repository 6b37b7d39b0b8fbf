from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from replicate_ext.testing import LocalServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    """A minimal HTTP/1.1 server answering with scripted status codes."""

    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.received.append(Received(headers, body))
        status = self.statuses.pop(0) if self.statuses else 204
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        writer.close()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    target = Receiver()
    server = await asyncio.start_server(target.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    target.url = f"http://127.0.0.1:{port}/hook"
    async with server:
        yield target


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [part.split(",", 1)[1] for part in headers["webhook-signature"].split()]
    fresh = abs(time.time() - int(headers["webhook-timestamp"])) < 300
    return fresh and any(hmac.compare_digest(expected, sig) for sig in offered)


def test_signature_matches_the_public_test_vector() -> None:
    from replicate_ext.testing._webhooks import sign

    signature = sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        b'{"test": 2432232314}',
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


async def test_start_and_completed_webhooks_are_signed(
    server: LocalServer, api: httpx.AsyncClient, receiver: Receiver
) -> None:
    secret = (await api.get("/webhooks/default/secret")).json()["key"]
    created = (
        await api.post(
            "/models/replicate/hello-world/predictions",
            json={
                "input": {"text": "hook"},
                "webhook": receiver.url,
                "webhook_events_filter": ["start", "completed"],
            },
        )
    ).json()

    await asyncio.to_thread(
        server.state.wait_until, lambda: len(server.state.webhook_deliveries) >= 2
    )
    first, last = receiver.received
    assert first.json()["status"] == "starting"
    assert last.json()["status"] == "succeeded"
    assert last.json()["output"] == "hello hook"
    assert last.json()["id"] == created["id"]
    for delivery in receiver.received:
        assert delivery.headers["content-type"] == "application/json"
        assert verify(secret, delivery.headers, delivery.body)
    assert not verify(secret, first.headers, first.body + b" ")
    recorded = server.state.webhook_deliveries
    assert [(d.event, d.status_code, d.attempt) for d in recorded] == [
        ("start", 204, 1),
        ("completed", 204, 1),
    ]


async def test_output_and_logs_webhooks_are_throttled(
    api: httpx.AsyncClient, receiver: Receiver, server: LocalServer
) -> None:
    # 40 tokens 1 ms apart (real time) against a 5 ms throttle window: far fewer
    # output webhooks than outputs, and the completed one carries everything.
    created = (
        await api.post(
            "/models/replicate/stream-tokens/predictions",
            json={
                "input": {"prompt": "tok " * 40, "interval": 0.1},
                "webhook": receiver.url,
                "webhook_events_filter": ["output", "completed"],
            },
        )
    ).json()

    await asyncio.to_thread(
        server.state.wait_until,
        lambda: any(d.event == "completed" for d in server.state.webhook_deliveries),
    )
    events = [d.event for d in server.state.webhook_deliveries]
    assert events[-1] == "completed"
    assert "start" not in events
    assert "logs" not in events
    assert 1 <= events.count("output") < 40
    assert len(receiver.received[-1].json()["output"]) == 40  # type: ignore[arg-type]
    assert created["id"] == receiver.received[-1].json()["id"]


async def test_failed_deliveries_are_retried(
    server: LocalServer, api: httpx.AsyncClient, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    await api.post(
        "/models/replicate/hello-world/predictions",
        json={
            "input": {"text": "r"},
            "webhook": receiver.url,
            "webhook_events_filter": ["completed"],
        },
    )

    deliveries = await asyncio.to_thread(
        server.state.wait_until,
        lambda: len(server.state.webhook_deliveries) >= 3 and server.state.webhook_deliveries,
    )
    assert [(d.attempt, d.status_code) for d in deliveries] == [(1, 500), (2, 503), (3, 204)]
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert len(ids) == 1  # retries keep the id so receivers can deduplicate


async def test_connection_errors_are_retried_a_bounded_number_of_times(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    await api.post(
        "/models/replicate/hello-world/predictions",
        json={
            "input": {"text": "r"},
            "webhook": "http://127.0.0.1:9/nowhere",
            "webhook_events_filter": ["completed"],
        },
    )
    attempts = server.state.webhooks.max_attempts
    deliveries = await asyncio.to_thread(
        server.state.wait_until,
        lambda: (
            len(server.state.webhook_deliveries) >= attempts and server.state.webhook_deliveries
        ),
    )
    assert [d.attempt for d in deliveries] == list(range(1, attempts + 1))
    assert all(d.status_code is None and d.error for d in deliveries)


async def test_invalid_webhook_settings_are_rejected(api: httpx.AsyncClient) -> None:
    bad_filter = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "r"}, "webhook": "http://x", "webhook_events_filter": ["nope"]},
    )
    assert bad_filter.status_code == 422
    bad_url = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "r"}, "webhook": "ftp://x"},
    )
    assert bad_url.status_code == 422
