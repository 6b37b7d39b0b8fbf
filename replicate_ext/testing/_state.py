"""Everything the server knows, and the handle tests use to inspect and steer it."""

from __future__ import annotations

import asyncio
import base64
import binascii
import concurrent.futures
import copy
import hashlib
import hmac
import re
import secrets
import threading
import time
import urllib.parse
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from ._fake import ModelDocument, OutputFunction, read_model_document, schema_runner, schema_trainer
from ._faults import Fault, FaultInjector, FaultKind, FiredFault, RateLimiter
from ._jobs import STARTING_DELAY, Job, Runner, run_job
from ._models import (
    BUNDLED_MODELS,
    BUNDLED_OWNER,
    COLLECTIONS,
    EXAMPLE_OUTPUTS,
    cog_schema,
    version_id,
)
from ._png import solid_png
from ._records import Collection, Deployment, ModelRecord, StoredFile, Version
from ._util import UTC, utcnow
from ._webhooks import WebhookDelivery, WebhookSender

T = TypeVar("T")
ModelSource = str | Path | Mapping[str, Any] | ModelDocument
"""A model to fake: a path to its saved JSON, that JSON parsed, or a read document."""
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
MAX_RECORDED_REQUESTS = 100_000
_OWN_FILE_PATH = re.compile(r"^/v1/files/([^/]+)(?:/download)?/?$")


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received (headers lower-cased)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    at: float


class ServerState:
    """The in-memory world of one local server, plus controls for tests.

    Read-only views (``requests``, ``webhook_deliveries``, ``creations``...) and the
    controls (``inject_fault``, ``set_rate_limit``, ``reset``...) are safe to call from
    any thread.
    """

    def __init__(
        self,
        *,
        token: str,
        username: str = "test-user",
        speed: float = 1.0,
        page_size: int = 100,
        keepalive_interval: float = 15.0,
        webhook_max_attempts: int = 4,
        sync_data_urls: bool = False,
        queue_delay: float | None = None,
        models: Mapping[str, ModelSource] | None = None,
        outputs: Mapping[str, OutputFunction] | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.token = token
        self.username = username
        self.speed = speed
        self.page_size = page_size
        self._initial_page_size = page_size
        self.keepalive_interval = keepalive_interval
        self.sync_data_urls = sync_data_urls
        # Seconds a new job waits in the queue before it starts; None: the usual
        # boot time divided by the speed. Not scaled: it is there to let a
        # Cancel-After deadline (5 s at least) pass while a job is queued.
        self.queue_delay = queue_delay
        self._initial_queue_delay = queue_delay
        self.max_upload_bytes = MAX_UPLOAD_BYTES
        self.origin = ""
        self.files_signing_secret = secrets.token_bytes(32)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.faults = FaultInjector()
        self.rate_limiter = RateLimiter()
        self._changed = threading.Condition()
        self.webhooks = WebhookSender(
            lambda: self.speed, self._notify_watchers, max_attempts=webhook_max_attempts
        )
        # Bounded so long benchmark runs do not grow memory without limit.
        self._requests: deque[RecordedRequest] = deque(maxlen=MAX_RECORDED_REQUESTS)
        self.creations: Counter[str] = Counter()
        self.models: dict[str, ModelRecord] = {}
        self.predictions: dict[str, Job] = {}
        self.trainings: dict[str, Job] = {}
        self.deployments: dict[str, Deployment] = {}
        self.files: dict[str, StoredFile] = {}
        self.outputs: dict[str, tuple[bytes, str]] = {}
        self.collections: tuple[Collection, ...] = COLLECTIONS
        self.closing = False
        # Read now, so that a bad file fails at construction rather than at a reset.
        self._initial_models = {
            name: read_model_document(source) for name, source in (models or {}).items()
        }
        self._initial_outputs = dict(outputs or {})
        self._outputs: dict[str, OutputFunction] = {}
        self._load_catalog()

    # -- catalog --------------------------------------------------------------------------

    def _load_catalog(self) -> None:
        self.models = {}
        for bundled in BUNDLED_MODELS:
            model = ModelRecord(
                owner=BUNDLED_OWNER,
                name=bundled.name,
                description=bundled.description,
                github_url=bundled.github_url,
                paper_url=bundled.paper_url,
                license_url=bundled.license_url,
                readme=bundled.readme,
                is_official=bundled.is_official,
                tags=bundled.tags,
                run_count=1000 + 37 * len(bundled.name),
                created_at=bundled.created_at,
                bundled=True,
            )
            for index in range(1, bundled.version_count + 1):
                created = datetime(2024, 2, index, 12, 0, tzinfo=UTC)
                model.versions.append(
                    Version(
                        id=version_id(bundled.full_name, bundled.version_count - index + 1),
                        created_at=created,
                        openapi_schema=copy.deepcopy(bundled.schema),
                        runner=bundled.runner,
                        trainer=bundled.trainer,
                    )
                )
            self.models[model.full_name] = model
        for full_name, document in self._initial_models.items():
            self.fake_model(full_name, document)
        self._outputs = {}
        for full_name, function in self._initial_outputs.items():
            self.set_output(full_name, function)

    def _example(self, model: ModelRecord) -> dict[str, Any] | None:
        """A finished prediction to show as the model's default example."""
        bundled = next((b for b in BUNDLED_MODELS if b.full_name == model.full_name), None)
        latest = model.latest_version
        if bundled is None or latest is None:
            return None
        example_id = hashlib.sha256(model.full_name.encode()).hexdigest()[:26]
        example_id = "".join(c if c.isalpha() else chr(ord("a") + int(c)) for c in example_id)
        output = EXAMPLE_OUTPUTS.get(model.name)
        if model.name == "make-image":
            output = [f"{self.origin}/delivery/examples/make-image/out-0.png"]
        failed = model.name == "fail"
        return {
            "id": example_id,
            "model": model.full_name,
            "version": latest.id,
            "input": dict(bundled.example_input),
            "logs": "",
            "output": output,
            "data_removed": False,
            "error": "boom" if failed else None,
            "status": "failed" if failed else "succeeded",
            "source": "web",
            "created_at": "2024-02-10T12:00:00.000000Z",
            "started_at": "2024-02-10T12:00:00.500000Z",
            "completed_at": "2024-02-10T12:00:01.000000Z",
            "metrics": {"predict_time": 0.5, "total_time": 1.0},
            "urls": {
                "get": f"{self.origin}/v1/predictions/{example_id}",
                "cancel": f"{self.origin}/v1/predictions/{example_id}/cancel",
                "web": f"{self.origin}/p/{example_id}",
            },
        }

    def set_origin(self, origin: str) -> None:
        """Set the scheme://host:port every URL the server hands out starts with."""
        self.origin = origin.rstrip("/")
        self.outputs["examples/make-image/out-0.png"] = (
            solid_png(8, 8, (230, 57, 70)),
            "image/png",
        )
        for model in self.models.values():
            if model.bundled:
                model.default_example = self._example(model)
                if model.name == "make-image":
                    model.cover_image_url = f"{self.origin}/delivery/examples/make-image/out-0.png"

    def find_version(self, version: str) -> tuple[ModelRecord, Version] | None:
        """Look up ``<64 hex>``, ``owner/name:<id>`` or ``owner/name`` (latest version)."""
        if ":" in version:
            name, _, vid = version.partition(":")
            model = self.models.get(name)
            found = model.find_version(vid) if model else None
            return (model, found) if model and found else None
        if "/" in version:
            model = self.models.get(version)
            latest = model.latest_version if model else None
            return (model, latest) if model and latest else None
        for model in self.models.values():
            found = model.find_version(version)
            if found is not None:
                return model, found
        return None

    def add_trained_version(
        self, destination: str, runner: Runner, schema: dict[str, Any] | None = None
    ) -> str:
        """Push a version produced by a training onto ``destination``; returns its id.

        ``schema`` is its ``openapi_schema`` (default: the bundled trainable's).
        """
        model = self.models[destination]
        if schema is None:
            base = self.models[f"{BUNDLED_OWNER}/trainable"].versions[-1].openapi_schema
            schema = copy.deepcopy(base)
            schema["components"]["schemas"].pop("TrainingInput", None)
            schema["components"]["schemas"].pop("TrainingOutput", None)
            schema["paths"].pop("/trainings", None)
        seed = f"{destination}:{len(model.versions)}:{secrets.token_hex(8)}"
        new_version = Version(
            id=hashlib.sha256(seed.encode()).hexdigest(),
            created_at=utcnow(),
            openapi_schema=schema,
            runner=runner,
        )
        model.versions.append(new_version)
        return new_version.id

    def add_model(
        self,
        full_name: str,
        runner: Runner,
        *,
        inputs: dict[str, dict[str, Any]] | None = None,
        required: Sequence[str] = (),
        output: dict[str, Any] | None = None,
        streaming: bool = False,
        description: str | None = None,
        visibility: str = "public",
    ) -> str:
        """Register a model of your own (or a new version of it); returns the version id.

        ``runner`` is an ``async def run(ctx: RunContext)``: it reads ``ctx.input``,
        may ``await ctx.log(...)``, ``await ctx.emit(piece)`` (streaming models),
        ``await ctx.sleep(...)`` (divided by the speed) and ``raise ModelError(...)``;
        its return value is the output of non-streaming models. ``inputs`` maps input
        names to JSON schemas. Streaming models default to an iterator of strings
        that concatenate, others to a string output. ``reset()`` removes the model.
        """
        if output is None:
            output = (
                {
                    "type": "array",
                    "items": {"type": "string"},
                    "x-cog-array-type": "iterator",
                    "x-cog-array-display": "concatenate",
                }
                if streaming
                else {"type": "string"}
            )
        properties = {
            name: {"x-order": order, **schema}
            for order, (name, schema) in enumerate((inputs or {}).items())
        }
        owner, _, name = full_name.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError("full_name must look like 'owner/name'")
        model = self.models.get(full_name)
        if model is None:
            model = ModelRecord(
                owner=owner, name=name, description=description, visibility=visibility
            )
            # Copy on write: the server thread may be iterating over the catalog.
            self.models = {**self.models, full_name: model}
        new_version = Version(
            id=version_id(full_name, len(model.versions) + 1),
            created_at=utcnow(),
            openapi_schema=cog_schema(properties, list(required), output),
            runner=runner,
        )
        model.versions.append(new_version)
        return new_version.id

    def fake_model(self, full_name: str, source: ModelSource) -> str:
        """Serve a real model, faked from what the API says of it; returns its latest version id.

        ``source`` is a path to the JSON the API answers for the model
        (``GET /models/{owner}/{name}``, as ``replicate-ext models get OWNER/NAME
        --json`` saves it), for one of its versions, or for a page of its
        versions, or a bare Cog ``openapi_schema``; or that JSON, parsed. The
        model is then listed and its versions and schemas served (with the
        version ids of the document, so references pinned to a version work);
        its inputs are checked as Replicate checks them (422), and its
        predictions log, take their time (divided by ``speed``) and return an
        output made from its ``Output`` schema (see ``set_output`` to choose it).
        A model with a ``TrainingInput`` can be trained too. Faking the same
        name again adds the document's versions to it. ``reset()`` removes
        models faked here; those given to the constructor stay.
        """
        owner, _, name = full_name.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"the model must be named 'owner/name', not {full_name!r}")
        document = read_model_document(source)
        fields = document.fields
        description = fields.get("description") or ""
        model = self.models.get(full_name)
        if model is None:
            model = ModelRecord(owner=owner, name=name)
            for key, value in fields.items():
                setattr(model, key, value)
            model.visibility = "private" if fields.get("visibility") == "private" else "public"
            self.models = {**self.models, full_name: model}
        for fake in document.versions:
            schema = fake.openapi_schema
            trainer = None
            if "TrainingInput" in schema.get("components", {}).get("schemas", {}):
                trainer = schema_trainer(full_name, schema, description=description)
            model.versions.append(
                Version(
                    id=fake.id or version_id(full_name, len(model.versions) + 1),
                    created_at=fake.created_at,
                    openapi_schema=schema,
                    runner=schema_runner(full_name, schema, description=description),
                    trainer=trainer,
                    cog_version=fake.cog_version,
                )
            )
        model.versions.sort(key=lambda version: version.created_at)
        latest = model.latest_version
        assert latest is not None
        return latest.id

    def set_output(self, full_name: str, function: OutputFunction | None) -> None:
        """Make ``function`` give the output of every prediction of a model, faked or bundled.

        ``function(input)`` gets the prediction's input (defaults applied) and
        returns its output, or for a model whose output is an iterator, its
        pieces (a list, a generator or an async generator: they are streamed as
        they come). It may be async. Where a file goes, return ``bytes`` or a
        ``pathlib.Path``: the server serves it and puts its URL in the output.
        The model still logs and takes its time; an output that does not fit the
        model's ``Output`` schema fails the prediction with the reason, and an
        exception raised by ``function`` fails it with the exception's text
        (``ModelError("...")`` for the message alone). ``None`` goes back to the
        made-up output; ``reset()`` forgets what was set here.
        """
        if full_name not in self.models:
            raise ValueError(f"no model {full_name!r} on this server")
        if function is None:
            self._outputs.pop(full_name, None)
        else:
            self._outputs = {**self._outputs, full_name: function}

    def runner_for(self, model: ModelRecord, version: Version) -> Runner:
        """What runs a prediction of ``version``: its own runner or the output set for it."""
        function = self._outputs.get(model.full_name)
        if function is None:
            return version.runner
        return schema_runner(
            model.full_name,
            version.openapi_schema,
            description=model.description or "",
            function=function,
        )

    def account(self) -> dict[str, Any]:
        """The account the token belongs to."""
        return {
            "type": "user",
            "username": self.username,
            "name": self.username.replace("-", " ").title(),
            "github_url": f"https://github.com/{self.username}",
        }

    # -- jobs -----------------------------------------------------------------------------

    def launch(self, job: Job, runner: Runner, cancel_after: float | None) -> None:
        """Store a new job and start running it on the server loop."""
        # Copy on write, so tests iterating these dicts from their own thread never see
        # them change size mid-iteration.
        if job.kind == "prediction":
            self.predictions = {**self.predictions, job.id: job}
        else:
            self.trainings = {**self.trainings, job.id: job}
        job.task = asyncio.get_running_loop().create_task(run_job(job, runner, self))
        if cancel_after is not None:
            job.deadline_timer = asyncio.get_running_loop().call_later(
                cancel_after, self._deadline_passed, job
            )
        self.notify(job, "start")
        self._notify_watchers()

    def queue_seconds(self) -> float:
        """How long a new job waits before it starts."""
        if self.queue_delay is not None:
            return self.queue_delay
        return STARTING_DELAY / self.speed

    def _deadline_passed(self, job: Job) -> None:
        job.deadline_passed = True
        self.request_cancel(job)

    def request_cancel(self, job: Job) -> None:
        """Cancel a running job (a no-op for finished ones)."""
        if not job.terminal and job.task is not None:
            job.task.cancel()

    def notify(self, job: Job, event: str) -> None:
        """Something happened to ``job`` (start, output, logs, completed): webhooks follow."""
        self.webhooks.notify(job, event)

    def on_finished(self, job: Job) -> None:
        """Called by the runner when a job reaches a terminal state."""
        self._notify_watchers()

    # -- files ----------------------------------------------------------------------------

    def publish_output(self, path: str, data: bytes, content_type: str) -> str:
        """Serve ``data`` at ``/delivery/<path>`` and return the full URL."""
        self.outputs[path] = (data, content_type)
        return f"{self.origin}/delivery/{path}"

    def resolve_file(self, url: str) -> tuple[bytes, str] | None:
        """Bytes and content type of a data URL, an uploaded file or an output of ours."""
        if url.startswith("data:"):
            header, _, payload = url[5:].partition(",")
            content_type = header.split(";")[0] or "text/plain"
            try:
                if header.endswith(";base64"):
                    return base64.b64decode(payload, validate=False), content_type
            except (binascii.Error, ValueError):
                return None
            return urllib.parse.unquote_to_bytes(payload), content_type
        parsed = urllib.parse.urlsplit(url)
        own = urllib.parse.urlsplit(self.origin)
        if parsed.netloc != own.netloc:
            return None
        if parsed.path.startswith("/delivery/"):
            return self.outputs.get(parsed.path.removeprefix("/delivery/"))
        match = _OWN_FILE_PATH.match(parsed.path)
        if match and match.group(1) in self.files:
            stored = self.files[match.group(1)]
            return stored.content, stored.content_type
        return None

    def file_signature(self, file_id: str, expiry: int, owner: str | None = None) -> str:
        """The base64 HMAC-SHA256 of ``"{owner} {file_id} {expiry}"``."""
        message = f"{owner or self.username} {file_id} {expiry}".encode()
        digest = hmac.new(self.files_signing_secret, message, hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    def signed_download_url(self, file_id: str, expires_in: float = 3600.0) -> str:
        """A download URL for an uploaded file that works without a token until it expires."""
        expiry = int(time.time() + expires_in)
        query = urllib.parse.urlencode(
            {
                "owner": self.username,
                "expiry": expiry,
                "signature": self.file_signature(file_id, expiry),
            }
        )
        return f"{self.origin}/v1/files/{file_id}/download?{query}"

    # -- inspection -----------------------------------------------------------------------

    def record_request(self, method: str, path: str, query: str, headers: dict[str, str]) -> None:
        """Remember one incoming request."""
        with self._changed:
            self._requests.append(RecordedRequest(method, path, query, headers, time.time()))
            self._changed.notify_all()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Requests seen since the last reset (the latest 100 000), oldest first."""
        with self._changed:
            return list(self._requests)

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """Requests to a path (a prefix when ``path`` ends with ``*``)."""

        def matches(request: RecordedRequest) -> bool:
            if method is not None and request.method != method.upper():
                return False
            if path.endswith("*"):
                return request.path.startswith(path[:-1])
            return request.path == path

        return [request for request in self.requests if matches(request)]

    @property
    def delivery_requests(self) -> list[RecordedRequest]:
        """Requests for output files (``/delivery/...``), e.g. to check their headers."""
        return self.requests_to("/delivery/*")

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook delivery attempt since the last reset."""
        return self.webhooks.deliveries

    @property
    def webhook_secret(self) -> str:
        """The ``whsec_`` secret webhooks are signed with."""
        return self.webhooks.secret

    def prediction(self, prediction_id: str) -> dict[str, Any]:
        """A prediction as GET would return it."""
        return self.predictions[prediction_id].to_json()

    def wait_until(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        """Block (in a test thread) until ``predicate()`` is truthy; return its value.

        Wakes on every recorded request, webhook delivery and finished job, and at
        least every 50 ms, so predicates may look at anything.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("condition not met in time")
                self._changed.wait(min(remaining, 0.05))

    def _notify_watchers(self) -> None:
        with self._changed:
            self._changed.notify_all()

    # -- controls -------------------------------------------------------------------------

    def inject_fault(
        self,
        kind: FaultKind,
        path: str | re.Pattern[str],
        *,
        method: str | None = None,
        status: int = 503,
        times: int | None = 1,
        delay: float = 1.0,
        after_events: int = 1,
        retry_after: float | None = None,
    ) -> Fault:
        """Arm a fault for matching requests; see :class:`Fault` for the kinds."""
        if kind == "429":
            status = 429
        return self.faults.add(
            Fault(
                kind=kind,
                path=path,
                method=method,
                status=status,
                times=times,
                delay=delay,
                after_events=after_events,
                retry_after=retry_after,
            )
        )

    @property
    def injected_faults(self) -> list[Fault]:
        """Every fault injected since the last reset, with its ``fired`` count."""
        return self.faults.armed

    @property
    def fired_faults(self) -> list[FiredFault]:
        """Every fault that fired since the last reset."""
        return list(self.faults.fired)

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self.faults.clear()

    def set_rate_limit(self, kind: str, per_minute: float, burst: float | None = None) -> None:
        """Rate limit ``creations`` (prediction creation) or ``others`` (everything else)."""
        self.rate_limiter.configure(kind, per_minute, burst)

    def enable_replicate_rate_limits(self) -> None:
        """Replicate's real limits: 600 creations and 3000 other requests per minute."""
        self.set_rate_limit("creations", 600)
        self.set_rate_limit("others", 3000)

    def clear_rate_limits(self) -> None:
        """Remove every rate limit."""
        self.rate_limiter.disable()

    def reset(self) -> None:
        """Forget everything created, seen or injected; back to the bundled catalog.

        Keeps the token, the webhook secret and the constructor's settings; ``page_size``
        and ``max_upload_bytes`` return to their values at construction.
        """
        self.clear_faults()
        self.clear_rate_limits()
        self._run_on_loop(self._reset)

    async def _reset(self) -> None:
        jobs = [*self.predictions.values(), *self.trainings.values()]
        self.webhooks.suspended = True
        try:
            for job in jobs:
                self.request_cancel(job)
            for job in jobs:
                if job.task is not None:
                    await asyncio.gather(job.task, return_exceptions=True)
            await self.webhooks.reset()
        finally:
            self.webhooks.suspended = False
        self.predictions = {}
        self.trainings = {}
        self.deployments.clear()
        self.files.clear()
        self.creations.clear()
        self.max_upload_bytes = MAX_UPLOAD_BYTES
        self.page_size = self._initial_page_size
        self.queue_delay = self._initial_queue_delay
        self._load_catalog()
        self.set_origin(self.origin)
        with self._changed:
            self._requests.clear()

    def _run_on_loop(self, make: Callable[[], Any]) -> None:
        loop = self.loop
        if loop is None or not loop.is_running():
            asyncio.run(make())
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            raise RuntimeError("reset() must be called from outside the server's event loop")
        future: concurrent.futures.Future[Any] = asyncio.run_coroutine_threadsafe(make(), loop)
        future.result(timeout=30)

    async def close(self) -> None:
        """Stop every running job and the webhook sender (server shutdown)."""
        self.closing = True
        for job in [*self.predictions.values(), *self.trainings.values()]:
            self.request_cancel(job)
            await job.touch()
        await self.webhooks.close()
