"""Webhook delivery: Standard Webhooks signatures, throttling of output/logs, retries."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from ._jobs import Job

# Replicate's documented minimum spacing of output/logs webhooks, before the speed factor.
THROTTLE_SECONDS = 0.5


def new_secret() -> str:
    """A fresh ``whsec_`` secret."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value for one delivery (``v1,<base64 HMAC-SHA256>``)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@dataclass(frozen=True)
class WebhookDelivery:
    """One attempt to deliver one webhook; ``status_code`` is None on connection errors."""

    job_id: str
    url: str
    event: str
    attempt: int
    status_code: int | None
    error: str | None
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.time)  # when the answer (or the error) came

    def json(self) -> object:
        """The delivered prediction or training."""
        return json.loads(self.body)


@dataclass
class _Channel:
    queue: asyncio.Queue[tuple[str, bytes] | None] = field(default_factory=asyncio.Queue)
    worker: asyncio.Task[None] | None = None
    last_throttled: float = float("-inf")
    pending: asyncio.TimerHandle | None = None
    pending_events: set[str] = field(default_factory=set)


class WebhookSender:
    """Sends each job's webhooks in order from one task per job."""

    def __init__(
        self,
        speed_of: Callable[[], float],
        on_record: Callable[[], None],
        max_attempts: int = 4,
        backoff: float = 0.5,
    ) -> None:
        self.secret = new_secret()
        self.max_attempts = max_attempts
        self.backoff = backoff
        self._speed_of = speed_of
        self._on_record = on_record
        self._channels: dict[str, _Channel] = {}
        self._client: httpx.AsyncClient | None = None
        self._lock = threading.Lock()
        self._deliveries: list[WebhookDelivery] = []
        self.suspended = False

    @property
    def deliveries(self) -> list[WebhookDelivery]:
        """Every delivery attempt so far."""
        with self._lock:
            return list(self._deliveries)

    def notify(self, job: Job, event: str) -> None:
        """Tell the sender something happened to ``job`` (start, output, logs, completed)."""
        if not job.webhook or self.suspended:
            return
        channel = self._channels.setdefault(job.id, _Channel())
        wanted = event in job.webhook_events_filter
        if event in ("output", "logs"):
            if wanted:
                self._throttle(job, channel, event)
            return
        if event == "completed":
            if channel.pending is not None:
                channel.pending.cancel()
                channel.pending = None
            if wanted:
                self._enqueue(job, channel, event)
            channel.queue.put_nowait(None)
            self._ensure_worker(job, channel)
            return
        if wanted:
            self._enqueue(job, channel, event)

    def _throttle(self, job: Job, channel: _Channel, event: str) -> None:
        channel.pending_events.add(event)
        if channel.pending is not None:
            return
        interval = THROTTLE_SECONDS / self._speed_of()
        loop = asyncio.get_running_loop()
        delay = max(0.0, channel.last_throttled + interval - loop.time())
        channel.pending = loop.call_later(delay, self._flush, job, channel)

    def _flush(self, job: Job, channel: _Channel) -> None:
        channel.pending = None
        if job.terminal:
            return
        event = "output" if "output" in channel.pending_events else "logs"
        channel.pending_events.clear()
        channel.last_throttled = asyncio.get_running_loop().time()
        self._enqueue(job, channel, event)

    def _enqueue(self, job: Job, channel: _Channel, event: str) -> None:
        # The body is the job as it is now, not as it will be when the send happens.
        channel.queue.put_nowait((event, json.dumps(job.to_json()).encode()))
        self._ensure_worker(job, channel)

    def _ensure_worker(self, job: Job, channel: _Channel) -> None:
        if channel.worker is None:
            channel.worker = asyncio.get_running_loop().create_task(self._work(job, channel))

    async def _work(self, job: Job, channel: _Channel) -> None:
        while (item := await channel.queue.get()) is not None:
            event, body = item
            await self._deliver(job, event, body)
        self._channels.pop(job.id, None)

    async def _deliver(self, job: Job, event: str, body: bytes) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=5.0, follow_redirects=False)
        url = job.webhook or ""
        webhook_id = "msg_" + secrets.token_urlsafe(18)
        for attempt in range(1, self.max_attempts + 1):
            timestamp = int(time.time())
            headers = {
                "content-type": "application/json",
                "user-agent": "replicate-ext-local-server",
                "webhook-id": webhook_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": sign(self.secret, webhook_id, timestamp, body),
            }
            status: int | None = None
            error: str | None = None
            try:
                response = await self._client.post(url, content=body, headers=headers)
                status = response.status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            with self._lock:
                self._deliveries.append(
                    WebhookDelivery(job.id, url, event, attempt, status, error, headers, body)
                )
            self._on_record()
            if status is not None and 200 <= status < 300:
                return
            if attempt < self.max_attempts:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1) / self._speed_of())

    async def reset(self) -> None:
        """Stop every pending delivery and forget the recorded ones (the secret stays).

        Set ``suspended`` first when jobs are being torn down, so their last events
        send nothing.
        """
        for channel in list(self._channels.values()):
            if channel.pending is not None:
                channel.pending.cancel()
            if channel.worker is not None:
                channel.worker.cancel()
        self._channels.clear()
        with self._lock:
            self._deliveries.clear()

    async def close(self) -> None:
        """Stop deliveries and close the HTTP client."""
        await self.reset()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
