"""Predictions and trainings: their record, their event log and the task that runs them."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ._util import iso, utcnow

TERMINAL = frozenset({"succeeded", "failed", "canceled", "aborted"})
# Replicate's queue and boot time, divided by the server's speed factor.
STARTING_DELAY = 0.5
_DONE_REASONS = {"failed": "error", "canceled": "canceled", "aborted": "aborted"}


class ModelError(Exception):
    """Raised by a bundled model to make its prediction fail with this message."""


@dataclass
class StreamEvent:
    """One server-sent event of a prediction, kept so streams can replay and resume.

    ``id`` is shaped like Replicate's (``1690212292:0``: the prediction's
    creation time, then the event's position ``seq`` from 0).
    """

    id: str
    seq: int
    event: str
    data: str


@dataclass
class Job:
    """A prediction or a training, as the server keeps it."""

    kind: str  # "prediction" or "training"
    id: str
    model: str
    version: str
    input: dict[str, Any]
    origin: str
    streams: bool = False
    iterator_output: bool = False
    deployment: str | None = None
    destination: str | None = None
    webhook: str | None = None
    webhook_events_filter: tuple[str, ...] = ("start", "output", "logs", "completed")
    status: str = "starting"
    logs: str = ""
    output: Any = None
    error: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    started_at: datetime | None = None
    completed_at: datetime | None = None
    deadline: datetime | None = None
    events: list[StreamEvent] = field(default_factory=list)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    deadline_timer: asyncio.TimerHandle | None = None
    deadline_passed: bool = False  # its Cancel-After ended it
    stream_requested: bool | None = None  # the deprecated ``stream`` of the request

    @property
    def terminal(self) -> bool:
        """Whether the job has reached succeeded, failed, canceled or aborted."""
        return self.status in TERMINAL

    def event_position(self, last_event_id: str | None) -> int:
        """Where a stream resumes after ``Last-Event-ID``: from the start if it is not ours."""
        prefix, _, seq = (last_event_id or "").partition(":")
        if prefix != self.stream_prefix or not seq.isdigit():
            return 0
        return min(int(seq) + 1, len(self.events))

    @property
    def stream_prefix(self) -> str:
        """The first part of this job's event ids."""
        return str(int(self.created_at.timestamp()))

    def api_path(self, view: str | None = None) -> str:
        """The path of this job's GET route under ``view`` (``predictions`` or ``trainings``).

        A training is reachable under both, as on Replicate, where a training
        is a prediction of the model's ``train()`` too.
        """
        return f"/v1/{view or self.kind + 's'}/{self.id}"

    def urls(self, view: str | None = None) -> dict[str, str]:
        """The ``urls`` object: get, cancel, web and, for streaming models, stream.

        They point under ``view`` (default: the job's own kind): the API
        answers the creation of a training with URLs under ``/predictions/``,
        and ``GET /trainings/{id}`` with URLs under ``/trainings/``.
        """
        base = self.origin + self.api_path(view)
        urls = {
            "get": base,
            "cancel": base + "/cancel",
            "web": f"{self.origin}/p/{self.id}",
        }
        if self.streams:
            urls["stream"] = base + "/stream"
        return urls

    def metrics(self) -> dict[str, float]:
        """Timings in seconds, once known."""
        metrics: dict[str, float] = {}
        if self.completed_at is not None:
            if self.started_at is not None:
                metrics["predict_time"] = (self.completed_at - self.started_at).total_seconds()
            metrics["total_time"] = (self.completed_at - self.created_at).total_seconds()
        return metrics

    def to_json(self, view: str | None = None) -> dict[str, Any]:
        """The prediction or training object exactly as the API returns it (`urls` under `view`)."""
        document: dict[str, Any] = {
            "id": self.id,
            "model": self.model,
            "version": self.version,
            "input": self.input,
            "logs": self.logs,
            "output": list(self.output) if isinstance(self.output, list) else self.output,
            "data_removed": False,
            "error": self.error,
            "status": self.status,
            "source": "api",
            "created_at": iso(self.created_at),
            "started_at": iso(self.started_at),
            "completed_at": iso(self.completed_at),
            "metrics": self.metrics(),
            "urls": self.urls(view),
        }
        if self.deadline is not None:
            document["deadline"] = iso(self.deadline)
        if self.deployment is not None:
            document["deployment"] = self.deployment
        if self.kind == "training":
            document["destination"] = self.destination
        if self.webhook is not None:
            document["webhook"] = self.webhook
            document["webhook_events_filter"] = list(self.webhook_events_filter)
            document["webhook_completed"] = None
        if self.kind == "prediction":
            # Not in the API's description, yet sent (a recorded answer has it):
            # every client test meets a field the spec does not list.
            requested = self.stream_requested
            document["stream"] = self.streams if requested is None else requested
        return document

    async def record_event(self, event: str, data: str) -> None:
        """Append an SSE event and wake everyone watching the job."""
        seq = len(self.events)
        self.events.append(StreamEvent(f"{self.stream_prefix}:{seq}", seq, event, data))
        async with self.changed:
            self.changed.notify_all()

    async def touch(self) -> None:
        """Wake watchers after a change that is not an SSE event (a status change)."""
        async with self.changed:
            self.changed.notify_all()


Runner = Callable[["RunContext"], Awaitable[Any]]
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


class JobHost(Protocol):
    """What a running job needs of the server that runs it (the ``ServerState``).

    Written down here so that this module sits below the state, which stores
    and launches jobs, rather than importing it back.
    """

    @property
    def speed(self) -> float:
        """The factor every model delay is divided by."""
        ...

    def queue_seconds(self) -> float:
        """How long a new job waits before it starts."""
        ...

    def notify(self, job: Job, event: str) -> None:
        """Something happened to ``job`` (start, output, logs, completed): webhooks follow."""
        ...

    def on_finished(self, job: Job) -> None:
        """``job`` reached a terminal state."""
        ...

    def publish_output(self, path: str, data: bytes, content_type: str) -> str:
        """Serve ``data`` at ``/delivery/<path>`` and return the full URL."""
        ...

    def resolve_file(self, url: str) -> tuple[bytes, str] | None:
        """Bytes and content type of a data URL, an uploaded file or an output of ours."""
        ...

    def add_trained_version(
        self, destination: str, runner: Runner, schema: dict[str, Any] | None = None
    ) -> str:
        """Push a version produced by a training onto ``destination``; returns its id.

        ``schema`` is its ``openapi_schema`` (default: the bundled trainable's).
        """
        ...


class RunContext:
    """What a bundled model sees while it runs: its input and ways to report progress."""

    def __init__(self, job: Job, state: JobHost) -> None:
        self.job = job
        self.state = state

    @property
    def input(self) -> dict[str, Any]:
        """The prediction's input, as received."""
        return self.job.input

    async def sleep(self, seconds: float) -> None:
        """Sleep for a model delay, divided by the server's speed factor."""
        await asyncio.sleep(max(0.0, seconds) / self.state.speed)

    async def log(self, line: str) -> None:
        """Append one line to the logs."""
        text = line + "\n"
        self.job.logs += text
        await self.job.record_event("logs", line)
        self.state.notify(self.job, "logs")

    async def write(self, text: str) -> None:
        r"""Append raw text to the logs, as a model writing without a newline (tqdm's ``\r``).

        The logs keep the text as written. On the event stream a carriage
        return would end the ``data:`` line, so each non-empty piece between
        line breaks and carriage returns goes out as one ``logs`` event.
        """
        self.job.logs += text
        for piece in _LINE_BREAKS.split(text):
            if piece:
                await self.job.record_event("logs", piece)
        self.state.notify(self.job, "logs")

    async def emit(self, item: Any) -> None:
        """Append one piece of an iterator output."""
        if not isinstance(self.job.output, list):
            self.job.output = []
        self.job.output.append(item)
        data = item if isinstance(item, str) else json.dumps(item)
        await self.job.record_event("output", data)
        self.state.notify(self.job, "output")

    def publish(self, name: str, data: bytes, content_type: str) -> str:
        """Serve ``data`` as an output file and return its URL."""
        return self.state.publish_output(f"{self.job.id}/{name}", data, content_type)

    def resolve_file(self, url: str) -> tuple[bytes, str] | None:
        """The bytes and content type behind a data URL or one of this server's URLs."""
        return self.state.resolve_file(url)


async def run_job(job: Job, runner: Runner, state: JobHost) -> None:
    """Drive a job from starting to a terminal state; cancellation means canceled."""
    context = RunContext(job, state)
    try:
        await asyncio.sleep(state.queue_seconds())
        job.status = "processing"
        job.started_at = utcnow()
        await job.touch()
        result = await runner(context)
        if not job.iterator_output:
            job.output = result
        await finish(job, state, "succeeded")
    except asyncio.CancelledError:
        # A deadline that passes in the queue aborts; one that passes while the
        # model runs cancels, as a request to cancel does.
        queued = job.started_at is None and job.deadline_passed
        await finish(job, state, "aborted" if queued else "canceled")
    except ModelError as error:
        job.error = str(error)
        await finish(job, state, "failed")
    except Exception as error:  # noqa: BLE001 - a model bug must fail the job, not the server
        job.error = f"{type(error).__name__}: {error}"
        await finish(job, state, "failed")


async def finish(job: Job, state: JobHost, status: str) -> None:
    """Move a job to a terminal state, close its stream and send the completed webhook."""
    if job.terminal:
        return
    job.status = status
    job.completed_at = utcnow()
    if job.deadline_timer is not None:
        job.deadline_timer.cancel()
    if status == "failed":
        await job.record_event("error", json.dumps({"detail": job.error}))
    reason = _DONE_REASONS.get(status)
    await job.record_event("done", "{}" if reason is None else json.dumps({"reason": reason}))
    job.done.set()
    state.on_finished(job)
    state.notify(job, "completed")
