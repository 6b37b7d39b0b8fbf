"""Units of work: one span, and one log line, per run, stream, wait, train, use() call or batch.

A unit of work is a call a user makes that takes a model's time: `run`,
`stream`, `wait`, `train`, a call of a `use()` function, a batch and each of
its inputs. The session layer (`_session`) and the batch engine open one
around the flow that carries the call out; nothing below them knows of it.

Why it is shaped so:

* **OpenTelemetry is optional, and never imported here.** Importing
  ``opentelemetry.trace`` costs 60 to 180 ms (it reads its entry points), so
  this module only looks for it in ``sys.modules``, at each unit of work: an
  application that set a tracer provider has imported it. Without it, or with
  no provider set (the API's proxy provider, whose spans record nothing), a
  unit of work costs a dictionary lookup and a logging level check, and no
  span is made at all.
* **Flows report, they do not trace.** `_context.parse` hands every
  prediction or training it reads to `saw`, which gives it to the unit of work
  current in this context (a context variable, so that concurrent tasks and a
  batch's inputs keep theirs apart). The unit keeps the last one seen: its id,
  final status, version and timings become the span's attributes.
* **HTTP requests are httpx's.** The unit's span is the current span while
  its flow runs (and, for a stream, during each step of the iteration), so
  the spans of httpx's own instrumentation nest beneath it; none are made here.
* **Inputs and outputs stay out** unless
  ``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`` (the switch
  OpenTelemetry's GenAI instrumentations share) asks for them: then they are
  recorded as JSON, cut at `CONTENT_LIMIT` characters.

Attribute names follow OpenTelemetry's GenAI semantic conventions where they
fit (`gen_ai.*`, `server.*`, `error.type`); the rest are ours, under
``replicate.prediction.*`` or, for a training, ``replicate.training.*``.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import AsyncGenerator, Generator, Mapping
from contextvars import ContextVar, Token
from typing import Any

from ._version import __version__

__all__ = [
    "BATCH_INDEX",
    "CAPTURE_CONTENT",
    "CONTENT_LIMIT",
    "DESTINATION",
    "STREAMING",
    "Unit",
    "Work",
    "afollow",
    "begin",
    "enabled",
    "follow",
    "saw",
    "scope",
]

logger = logging.getLogger("replicate_ext")

CAPTURE_CONTENT = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
"""The environment switch that records inputs and outputs on spans (off by default)."""
CONTENT_LIMIT = 4096
"""Characters of an input or output kept on a span when they are recorded."""
_ERROR_TEXT_LIMIT = 300  # characters of an error's message in a log line

# OpenTelemetry's GenAI (and general) semantic conventions.
OPERATION = "gen_ai.operation.name"
SYSTEM = "gen_ai.system"  # the older name of the provider, still what most backends read
PROVIDER = "gen_ai.provider.name"
REQUEST_MODEL = "gen_ai.request.model"
RESPONSE_MODEL = "gen_ai.response.model"
RESPONSE_ID = "gen_ai.response.id"
INPUT_TOKENS = "gen_ai.usage.input_tokens"
OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
SERVER_ADDRESS = "server.address"
SERVER_PORT = "server.port"
ERROR_TYPE = "error.type"
# Ours.
INPUT = "replicate.input"
OUTPUT = "replicate.output"
CLOSED_EARLY = "replicate.stream.closed_early"
STREAMING = "replicate.use.streaming"
DESTINATION = "replicate.training.destination"
BATCH_INDEX = "replicate.batch.index"
BATCH_SIZE = "replicate.batch.size"
BATCH_FAILED = "replicate.batch.failed"

_JOBS = frozenset({"Prediction", "Training"})
# The error a job that ended so stands for (`error.type`), as run() would raise it.
_UNSUCCESSFUL = {
    "failed": "ModelError",
    "canceled": "PredictionCanceled",
    "aborted": "PredictionAborted",
}


class _Keys:
    """The attribute names of one kind of job: ``replicate.prediction.*`` or ``.training.*``."""

    __slots__ = ("id", "noun", "predict_time", "queue_time", "status", "total_time", "version")

    def __init__(self, noun: str) -> None:
        self.noun = noun
        prefix = f"replicate.{noun}"
        self.id = f"{prefix}.id"
        self.status = f"{prefix}.status"
        self.version = f"{prefix}.version"
        self.predict_time = f"{prefix}.predict_time"
        self.queue_time = f"{prefix}.queue_time"
        self.total_time = f"{prefix}.total_time"


_PREDICTION = _Keys("prediction")
_TRAINING = _Keys("training")

_current: ContextVar[Unit | None] = ContextVar("replicate_ext_unit", default=None)


class Work:
    """What a unit of work is about: the call (`operation`), the model as the user wrote it.

    `input` is the input as given (recorded only on request); `job` is a
    prediction or training the call starts from (`wait(prediction)`), and
    `attributes` are more span attributes (a batch input's index, say).
    """

    __slots__ = ("attributes", "input", "job", "model", "operation")

    def __init__(
        self,
        operation: str,
        model: str | None = None,
        input: Any = None,
        *,
        job: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        self.operation = operation
        self.model = model
        self.input = input
        self.job = job
        self.attributes = attributes


def saw(answer: Any) -> None:
    """Tell the current unit of work about a parsed answer (kept if a prediction or training)."""
    unit = _current.get()
    if unit is not None and type(answer).__name__ in _JOBS:
        unit.saw(answer)


_cached: tuple[Any, Any] | None = None  # (a tracer provider, our tracer from it or None)
_UNKNOWN = object()


def _tracer() -> Any:
    """Our tracer from the application's tracer provider; None when nothing would record."""
    global _cached
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return None  # never imported: no provider can have been set
    # Before a provider is set, `get_tracer_provider()` looks for one named in the
    # environment, at each call (~2 µs: a KeyError raised and caught); the global
    # it reads tells the same for the cost of an attribute, when it is there.
    if getattr(trace, "_TRACER_PROVIDER", _UNKNOWN) is None and _no_provider_in_environment():
        return None
    try:
        provider = trace.get_tracer_provider()
        cached = _cached
        if cached is not None and cached[0] is provider:
            return cached[1]  # the answer for this provider, asked once
        tracer = None
        if not isinstance(provider, (trace.ProxyTracerProvider, trace.NoOpTracerProvider)):
            tracer = provider.get_tracer("replicate_ext", __version__)
    except Exception:  # noqa: BLE001 (an OpenTelemetry half imported or too old: no tracing)
        return None
    # None for the proxy provider that stands in until one is set: its spans record nothing.
    _cached = (provider, tracer)
    return tracer


_environment_names_none: bool | None = None


def _no_provider_in_environment() -> bool:
    """Whether `OTEL_PYTHON_TRACER_PROVIDER` names no provider (read once: set at startup)."""
    global _environment_names_none
    if _environment_names_none is None:
        _environment_names_none = not os.environ.get("OTEL_PYTHON_TRACER_PROVIDER")
    return _environment_names_none


def enabled() -> bool:
    """Whether a unit of work would be traced or logged now."""
    return _tracer() is not None or logger.isEnabledFor(logging.INFO)


def begin(
    base_url: str,
    operation: str,
    model: str | None = None,
    input: Any = None,
    *,
    job: Any = None,
    attributes: Mapping[str, Any] | None = None,
) -> Unit | None:
    """A unit of work, its span started; None (and nothing made) when nothing traces or logs it.

    The arguments are `Work`'s; `base_url` is the API's, for `server.address`.
    """
    tracer = _tracer()
    if tracer is None and not logger.isEnabledFor(logging.INFO):
        return None
    return Unit(Work(operation, model, input, job=job, attributes=attributes), tracer, base_url)


def _begin(base_url: str, work: Work) -> Unit | None:
    tracer = _tracer()
    if tracer is None and not logger.isEnabledFor(logging.INFO):
        return None
    return Unit(work, tracer, base_url)


class _Null:
    """What `scope` gives when nothing traces or logs: a context manager that is None."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


_NULL = _Null()


def scope(
    base_url: str,
    operation: str,
    model: str | None = None,
    input: Any = None,
    *,
    job: Any = None,
    attributes: Mapping[str, Any] | None = None,
) -> Unit | _Null:
    """`begin`'s unit as a context manager, or one that gives None when off.

    ``with scope(base_url, "batch", ref) as unit:`` runs the block as the unit.
    """
    unit = begin(base_url, operation, model, input, job=job, attributes=attributes)
    return _NULL if unit is None else unit


class Unit:
    """One unit of work in progress: its span (if traced), the job it follows, its log lines.

    As a context manager it is the current unit (and its span the current
    span) inside the block, and ends with it: with the error that left the
    block, else with what `returned` was given. A stream's iteration enters
    and exits it at each step instead (`follow`).
    """

    __slots__ = (
        "_base_url",
        "_capture",
        "_ended",
        "_keys",
        "_otel",
        "_result",
        "_span",
        "_span_context",
        "_started",
        "_status",
        "_tokens",
        "attributes",
        "job",
        "pieces",
        "work",
    )

    def __init__(self, work: Work, tracer: Any, base_url: str) -> None:
        self.work = work
        self.job: Any = None
        self.attributes: dict[str, Any] = dict(work.attributes or {})
        self.pieces: list[str] | None = None  # a stream's output, when recorded
        self._base_url = base_url
        self._started = time.monotonic()
        self._ended = False
        self._result: Any = None
        self._tokens: Any = None
        self._keys = _PREDICTION
        self._status: str | None = None  # the final status, when known better than the job's
        self._span: Any = None
        self._span_context: Any = None
        self._otel: Any = None
        self._capture = False
        if work.job is not None:
            self.saw(work.job, quiet=True)
        if tracer is not None:
            self._start_span(tracer)

    def _start_span(self, tracer: Any) -> None:
        trace = self._otel = sys.modules["opentelemetry.trace"]
        work = self.work
        attributes: dict[str, Any] = {
            OPERATION: work.operation,
            PROVIDER: "replicate",
            SYSTEM: "replicate",
            **_server(self._base_url),
            **self.attributes,
        }
        if work.model is not None:
            attributes[REQUEST_MODEL] = work.model
        self._capture = _capturing()
        if self._capture:
            self.pieces = []
            if work.input is not None:
                attributes[INPUT] = _content(work.input)
        # A batch groups the requests of its inputs; every other unit is a call to the API.
        kind = trace.SpanKind.INTERNAL if work.operation == "batch" else trace.SpanKind.CLIENT
        self._span = tracer.start_span(self._name(), kind=kind, attributes=attributes)
        self._span_context = trace.set_span_in_context(self._span)

    def _name(self) -> str:
        model = self.work.model or _model_of(self.job)
        return f"{self.work.operation} {model}" if model else self.work.operation

    # -- being the current unit ----------------------------------------------------------

    def enter(self) -> tuple[Token[Unit | None], Any]:
        """Make this the current unit (and its span the current span); give the result to `exit`."""
        token = _current.set(self)
        attached = None
        if self._span is not None:
            attached = sys.modules["opentelemetry.context"].attach(self._span_context)
        return token, attached

    def exit(self, tokens: tuple[Token[Unit | None], Any]) -> None:
        """Undo the `enter` that gave `tokens`."""
        token, attached = tokens
        if attached is not None:
            sys.modules["opentelemetry.context"].detach(attached)
        _current.reset(token)

    def __enter__(self) -> Unit:
        self._tokens = self.enter()
        return self

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        self.exit(self._tokens)
        if error is not None:
            self.end(error=error)
        else:
            self.end(result=self._result)

    def returned(self, result: Any) -> Any:
        """Note what the work returned (ended with it at the end of the block); give it back."""
        self._result = result
        if type(result).__name__ in _JOBS:
            self.saw(result, quiet=True)
        return result

    # -- what the work sees ----------------------------------------------------------------

    def saw(self, job: Any, quiet: bool = False) -> None:
        """Keep `job` (a `Prediction` or `Training`) as the one this work follows."""
        before = self.job
        self.job = job
        if type(job).__name__ == "Training":
            self._keys = _TRAINING
        if quiet or not logger.isEnabledFor(logging.INFO):
            return
        # The id as soon as it is known, while the work goes on; its end has a line of its own.
        new = before is None or before.id != job.id
        if new and job.status in ("starting", "processing"):
            logger.info("%s: %s %s %s", self._name(), self._keys.noun, job.id, job.status)
        elif new or before.status != job.status:
            logger.debug("%s: %s %s %s", self._name(), self._keys.noun, job.id, job.status)

    def piece(self, event: Any) -> None:
        """Keep a stream's output event, when outputs are recorded."""
        pieces = self.pieces
        if pieces is not None and event.event == "output" and len(pieces) < CONTENT_LIMIT:
            pieces.append(event.data)

    # -- the end ---------------------------------------------------------------------------

    def end(
        self,
        *,
        result: Any = None,
        error: BaseException | None = None,
        left: bool = False,
        streamed: bool = False,
    ) -> None:
        """End the work: with its `result`, the `error` it raised, or `left` unfinished.

        `streamed`: it was a stream of events that ran to its end.
        """
        if self._ended:
            return
        self._ended = True
        if error is not None and isinstance(error, GeneratorExit):
            error, left = None, True
        failed = getattr(error, "prediction", None)
        if type(failed).__name__ in _JOBS:
            self.saw(failed, quiet=True)
        elif streamed and self.job is not None and self.job.status not in _UNSUCCESSFUL:
            # A stream that ran to its end saw `done` for a prediction that succeeded
            # (any other ending raises); the answers it read may have come before.
            self._status = "succeeded"
        attributes = self.attributes
        job = self.job
        if job is not None:
            attributes.update(_job_attributes(job, self._keys, self._status))
        elif isinstance(getattr(error, "prediction_id", None), str):
            attributes[self._keys.id] = error.prediction_id  # type: ignore[union-attr]
        if left:
            attributes[CLOSED_EARLY] = True
        if error is not None:
            attributes[ERROR_TYPE] = type(error).__qualname__
        elif job is not None and not left:
            # wait() returns a prediction that failed: the work did not fail, the model did.
            unsuccessful = _UNSUCCESSFUL.get(attributes[self._keys.status])
            if unsuccessful is not None:
                attributes[ERROR_TYPE] = unsuccessful
        self._log(error, left)
        span = self._span
        if span is None:
            return
        if not span.is_recording():  # sampled out: nothing set would be kept
            span.end()
            return
        if self._capture and error is None and not left:
            output = _output_of(result, self.pieces)
            if output is not None:
                attributes[OUTPUT] = _content(output)
        if job is not None and not self.work.model:
            span.update_name(self._name())
        span.set_attributes(attributes)
        if ERROR_TYPE in attributes:
            trace = self._otel
            if error is not None:
                span.record_exception(error)
                description = _describe(error)
            else:
                description = f"{self._keys.noun} {job.id} {attributes[self._keys.status]}"
                if isinstance(getattr(job, "error", None), str):
                    description += f": {job.error}"[: _ERROR_TEXT_LIMIT + 2]
            span.set_status(trace.Status(trace.StatusCode.ERROR, description))
        span.end()

    def _log(self, error: BaseException | None, left: bool) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return
        took = f"{time.monotonic() - self._started:.2f}s"
        if self.work.operation == "batch":
            size, failed = self.attributes.get(BATCH_SIZE), self.attributes.get(BATCH_FAILED)
            what = f"{size} inputs ({failed} failed)" if failed is not None else f"{size} inputs"
        elif self.job is not None:
            job = self.job
            what = f"{self._keys.noun} {job.id} {self._status or job.status}"
        else:
            what = "no prediction"
        if left:
            logger.info("%s: %s, left after %s", self._name(), what, took)
        elif error is not None:
            logger.info("%s: %s after %s: %s", self._name(), what, took, _describe(error))
        else:
            timings = _timings(self.attributes, self._keys)
            logger.info("%s: %s in %s%s", self._name(), what, took, timings)


def follow(base_url: str, work: Work, events: Generator[Any, None, None]) -> Generator[Any]:
    """`events` (a stream's), as one unit of work that ends when the iteration does.

    The unit begins at the first step, when the stream opens; each step runs
    with it current. Leaving early (``break``, `close()`, garbage collection)
    lets the stream clean up under the unit, then ends it as left.
    """
    unit = _begin(base_url, work)
    if unit is None:
        yield from events
        return
    while True:
        tokens = unit.enter()
        try:
            event = next(events)
        except StopIteration:
            unit.end(streamed=True)
            return
        except BaseException as error:
            unit.end(error=error)
            raise
        finally:
            unit.exit(tokens)
        unit.piece(event)
        try:
            yield event
        except BaseException as error:
            tokens = unit.enter()
            try:
                events.close()
            finally:
                unit.exit(tokens)
            unit.end(error=error)  # GeneratorExit: left early
            raise


async def afollow(
    base_url: str, work: Work, events: AsyncGenerator[Any, None]
) -> AsyncGenerator[Any, None]:
    """The async twin of `follow`."""
    unit = _begin(base_url, work)
    if unit is None:
        try:
            async for event in events:
                yield event
        finally:
            await events.aclose()
        return
    while True:
        tokens = unit.enter()
        try:
            event = await anext(events)
        except StopAsyncIteration:
            unit.end(streamed=True)
            return
        except BaseException as error:
            unit.end(error=error)
            raise
        finally:
            unit.exit(tokens)
        unit.piece(event)
        try:
            yield event
        except BaseException as error:
            tokens = unit.enter()
            try:
                await events.aclose()
            finally:
                unit.exit(tokens)
            unit.end(error=error)  # GeneratorExit: left early
            raise


# -- attributes --------------------------------------------------------------------------------


def _job_attributes(job: Any, keys: _Keys, status: str | None = None) -> dict[str, Any]:
    """A prediction's (or training's) id, status, version, model and timings, as attributes."""
    attributes: dict[str, Any] = {
        keys.id: job.id,
        RESPONSE_ID: job.id,
        keys.status: status or str(job.status),
    }
    if isinstance(job.version, str):
        attributes[keys.version] = job.version
    destination = getattr(job, "destination", None)
    if isinstance(destination, str):
        attributes[DESTINATION] = destination
    model = _model_of(job)
    if model:
        attributes[RESPONSE_MODEL] = model
    metrics = getattr(job, "metrics", None)
    if metrics is not None:
        for key, name in (
            (keys.predict_time, "predict_time"),
            (keys.total_time, "total_time"),
            (INPUT_TOKENS, "input_token_count"),
            (OUTPUT_TOKENS, "output_token_count"),
        ):
            value = getattr(metrics, name, None)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                attributes[key] = value
    created, started = job.created_at, getattr(job, "started_at", None)
    if hasattr(created, "timestamp") and hasattr(started, "timestamp"):
        attributes[keys.queue_time] = max(0.0, (started - created).total_seconds())
    return attributes


def _model_of(job: Any) -> str | None:
    model = getattr(job, "model", None)
    return model if isinstance(model, str) and model else None


def _timings(attributes: Mapping[str, Any], keys: _Keys) -> str:
    parts = [
        f"{label} {attributes[key]:.2f}s"
        for label, key in (("queued", keys.queue_time), ("predict_time", keys.predict_time))
        if key in attributes
    ]
    return f" ({', '.join(parts)})" if parts else ""


_servers: dict[str, dict[str, Any]] = {}


def _server(base_url: str) -> dict[str, Any]:
    """`server.address` and `server.port` of the API at `base_url`."""
    found = _servers.get(base_url)
    if found is None:
        from urllib.parse import urlsplit

        try:
            url = urlsplit(base_url)
            port = url.port or (443 if url.scheme == "https" else 80)
        except ValueError:
            return {}
        found = _servers[base_url] = {SERVER_ADDRESS: url.hostname or "", SERVER_PORT: port}
    return found


def _describe(error: BaseException | None) -> str:
    if error is None:
        return ""
    text = str(error)
    if len(text) > _ERROR_TEXT_LIMIT:
        text = text[:_ERROR_TEXT_LIMIT] + "…"
    name = type(error).__qualname__
    return f"{name}: {text}" if text else name


# -- content, on request -----------------------------------------------------------------------


def _capturing() -> bool:
    return os.environ.get(CAPTURE_CONTENT, "").strip().lower() in ("1", "true", "yes")


def _output_of(result: Any, pieces: list[str] | None) -> Any:
    if pieces:
        return "".join(pieces)
    if type(result).__name__ in _JOBS:
        output = result.output
        return output if not hasattr(output, "to_dict") else output.to_dict()
    return result


def _content(value: Any) -> str:
    """`value` as JSON (files and models as their short forms), cut at `CONTENT_LIMIT`."""
    import json

    try:
        text = json.dumps(value, default=_plain, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > CONTENT_LIMIT:
        text = text[:CONTENT_LIMIT] + "…"
    return text


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):  # a generated model
        return value.to_dict()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    if hasattr(value, "read"):  # an open file: never read here
        return "<file>"
    return str(value)  # a path, a FileOutput (its URL), a datetime
