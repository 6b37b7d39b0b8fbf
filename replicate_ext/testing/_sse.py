"""Server-sent events for a prediction: replay, live events, keep-alives, resumption."""

from __future__ import annotations

import asyncio
import contextlib

from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from ._jobs import Job, StreamEvent
from ._state import ServerState


def encode_event(event: StreamEvent) -> bytes:
    """One event in wire format; data with newlines becomes several ``data:`` lines."""
    lines = [f"id: {event.id}", f"event: {event.event}"]
    lines += [f"data: {line}" for line in event.data.split("\n")]
    return ("\n".join(lines) + "\n\n").encode()


KEEPALIVE = b": keep-alive\n\n"


class EventStream(Response):
    """Streams a job's events from position ``start`` until ``done``.

    Fault injection: ``drop_after`` cuts the connection after that many events
    without finishing the response, so clients have to reconnect and resume;
    ``close_after`` ends the response cleanly after that many events, and
    ``send_done=False`` ends it at the end of the job without sending ``done``.
    """

    def __init__(
        self,
        job: Job,
        state: ServerState,
        start: int = 0,
        drop_after: int | None = None,
        close_after: int | None = None,
        send_done: bool = True,
    ) -> None:
        super().__init__(status_code=200)
        self.job = job
        self.state = state
        self.cursor = start  # the position of the next event to send
        self.drop_after = drop_after
        self.close_after = close_after
        self.send_done = send_done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the stream as a raw ASGI response."""
        disconnected = asyncio.Event()

        async def watch() -> None:
            while True:
                message: Message = await receive()
                if message["type"] == "http.disconnect":
                    disconnected.set()
                    return

        watcher = asyncio.get_running_loop().create_task(watch())
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-store"),
                        (b"x-accel-buffering", b"no"),
                    ],
                }
            )
            finished = await self._pump(send, disconnected)
            if finished:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    async def _pump(self, send: Send, disconnected: asyncio.Event) -> bool:
        """Send events; True when the response should be completed, False to drop it."""
        sent = 0
        job = self.job
        while not disconnected.is_set():
            # The events after the cursor are a slice: no rescan of the whole
            # history per wake-up.
            for event in job.events[self.cursor :]:
                if self.drop_after is not None and sent >= self.drop_after:
                    return False
                if self.close_after is not None and sent >= self.close_after:
                    return True
                if event.event == "done" and not self.send_done:
                    return True
                await send(
                    {"type": "http.response.body", "body": encode_event(event), "more_body": True}
                )
                self.cursor = event.seq + 1
                sent += 1
                if event.event == "done":
                    return True
            if self.state.closing:
                return True
            idle = False
            async with job.changed:
                if len(job.events) > self.cursor:
                    continue
                try:
                    await asyncio.wait_for(job.changed.wait(), self.state.keepalive_interval)
                except TimeoutError:
                    idle = True
            if idle:
                await send({"type": "http.response.body", "body": KEEPALIVE, "more_body": True})
        return True
