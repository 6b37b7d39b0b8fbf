"""Batch runs: one model over many inputs, concurrently, under the creation rate limit.

The engine is async (anyio, so asyncio and trio alike) and drives the same
flows as `run()` (`_predictions`): per input, a creation (with `Prefer: wait`
unless `wait=False`), then a wait on its stream or by polling, then the output.
Around them it adds what a batch needs:

* at most `concurrency` inputs in progress at once;
* a client-side token bucket (`RateLimiter`) that spaces creation requests, so
  a batch stays under Replicate's 600 creations a minute on its own; a 429 that
  gets past the transport's own retries holds the whole bucket for its
  `Retry-After` and the creation is sent again;
* results in input order, one `BatchResult` per input, errors included;
* on interruption (task cancellation, Ctrl-C, an exception in the `progress`
  callback) every prediction the batch started and has not seen finish is
  canceled before the interruption propagates. Creations still unanswered
  (held by `Prefer: wait`) are looked for by model and input, and what is
  found is named on the interruption, never canceled: a lookalike may be
  another caller's (`_creation`).

The sync `run_batch` runs the same engine on a private event loop in one worker
thread rather than blocking flows on a thread pool: one thread and one
connection pool serve any concurrency, requests held open by `Prefer: wait`
cost no thread each, and an interruption cancels requests in flight instead of
waiting for them (a blocked socket read in a pool thread cannot be
interrupted). The caller's thread only waits, runs the `progress` callback
(so callbacks never run on a foreign thread) and turns Ctrl-C into cancelling
the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, TypedDict, TypeGuard, TypeVar

import anyio
import httpx
from anyio.abc import TaskGroup

from ._context import Context, Deadline
from ._files import FileEncoding
from ._flow import Flow, Send, Sleep, adrive
from ._jobs import TERMINAL, cancel_request, is_terminal
from ._predictions import RunOptions, create_flow, result_flow, wait_flow
from ._refs import Ref, parse_ref
from ._retry import parse_retry_after
from ._telemetry import BATCH_FAILED, BATCH_INDEX, BATCH_SIZE, scope

if TYPE_CHECKING:
    from generated.models.prediction import Prediction

    from ._session import AsyncSession

T = TypeVar("T")
logger = logging.getLogger("replicate_ext")

DEFAULT_CONCURRENCY: Final = 32
DEFAULT_RATE_LIMIT: Final = 600.0
"""Replicate's limit on prediction creations, per minute."""

SETTLE_SECONDS: Final = 1.0
"""How long after an interruption a creation request sent shortly before may still answer.

Past it the request is abandoned; the server has had it long enough to have
created the prediction, which the sweep (`_sweep_flow`) then finds and names.
"""

THROTTLED_RESENDS: Final = 8
"""How often one creation is sent again after a 429 that the transport gave up on."""

_SWEEP_SKEW = 300.0  # seconds of clock difference with the server the sweep tolerates
_SWEEP_PAGES = 10


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The outcome of one input of a batch.

    `index` is the input's position and `input` the input itself. `output` is
    what `run()` would have returned, `error` the exception it would have raised
    (`ModelError`, `PredictionTimeout`, `ReplicateError` for a refused input,
    ...), and `prediction_id` the prediction's id when one was created.
    """

    index: int
    input: Mapping[str, Any]
    output: Any = None
    error: Exception | None = None
    prediction_id: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the input ran to an output."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """The state of a batch after one more input finished (`result`)."""

    done: int
    failed: int
    total: int
    result: BatchResult

    @property
    def succeeded(self) -> int:
        """Inputs that ran to an output so far."""
        return self.done - self.failed


BatchCallback = Callable[[BatchProgress], object]


class RateLimiter:
    """Spaces out prediction creations: `per_minute` on average, up to `burst` at once.

    A token bucket kept as the time its next token is due, so taking a token
    is arithmetic under a lock: `reserve()` books the next free slot and says
    how long to wait for it. That makes one limiter safe to share between
    batches, threads and event loops, e.g. every batch run with one API token.
    `burst` defaults to one second's worth of creations.
    """

    def __init__(
        self,
        per_minute: float = DEFAULT_RATE_LIMIT,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not per_minute > 0 or math.isinf(per_minute):
            raise ValueError(f"per_minute must be a positive number, not {per_minute!r}")
        if burst is None:
            burst = max(1, int(per_minute // 60))
        if burst < 1:
            raise ValueError(f"burst must be at least 1, not {burst!r}")
        self.per_minute = float(per_minute)
        self.burst = burst
        self._interval = 60.0 / per_minute
        self._clock = clock
        self._lock = threading.Lock()
        self._next = -math.inf  # when the token after the full bucket is due
        self._held_until = -math.inf

    def __repr__(self) -> str:
        return f"RateLimiter(per_minute={self.per_minute:g}, burst={self.burst})"

    def reserve(self) -> float:
        """Book a creation slot; returns the seconds to wait before using it (0 if none)."""
        with self._lock:
            now = self._clock()
            due = max(self._next, now)
            at = max(now, due - (self.burst - 1) * self._interval, self._held_until)
            self._next = max(due, at) + self._interval
        return at - now

    def hold(self, seconds: float) -> None:
        """Allow no creation for `seconds` (the server answered 429 with this `Retry-After`)."""
        with self._lock:
            self._held_until = max(self._held_until, self._clock() + seconds)


class SharedLimiters:
    """The rate limiters of one client's batches, one per rate.

    The limit is the account's: batches of one client running side by side at
    the same rate share one bucket rather than each taking the full rate.
    """

    __slots__ = ("_by_rate", "_lock")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_rate: dict[float, RateLimiter] = {}

    def get(self, rate_limit: object) -> RateLimiter | None:
        """The limiter for `rate_limit`: creations per minute, a `RateLimiter`, or None."""
        if rate_limit is None or isinstance(rate_limit, RateLimiter):
            return rate_limit
        if isinstance(rate_limit, (int, float)) and not isinstance(rate_limit, bool):
            with self._lock:
                limiter = self._by_rate.get(float(rate_limit))
                if limiter is None:
                    limiter = self._by_rate[float(rate_limit)] = RateLimiter(rate_limit)
                return limiter
        raise TypeError(
            f"rate_limit must be creations per minute, a RateLimiter or None, not {rate_limit!r}"
        )


# -- the flows of one input -------------------------------------------------------------------


class _Item:
    """One input on its way through the batch."""

    __slots__ = ("index", "input", "posted_at", "posted_wall", "scope", "sent_input")

    def __init__(self, index: int, input: Mapping[str, Any]) -> None:
        self.index = index
        self.input = input
        self.scope: anyio.CancelScope | None = None  # shields its creation
        self.posted_at: float | None = None  # monotonic time of a creation request awaiting answer
        self.posted_wall = 0.0
        self.sent_input: Any = None  # the input as sent, to recognise the prediction by


def _is_creation(op: object) -> TypeGuard[Send]:
    # create_flow sends its uploads to /files and the creation to .../predictions.
    if not isinstance(op, Send):
        return False
    url = str(op.request.get("url", "")).rstrip("/")
    return str(op.request.get("method", "")).upper() == "POST" and url.endswith("/predictions")


def _limited(flow: Flow[T], limiter: RateLimiter | None, item: _Item) -> Flow[T]:
    """`flow`, its creation request sent in a rate-limited slot and again after a 429."""
    answer: Any = None
    error: BaseException | None = None
    while True:
        try:
            op = flow.send(answer) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        try:
            if _is_creation(op):
                answer = yield from _send_creation(op, limiter, item)
            else:
                answer = yield op
            error = None
        except GeneratorExit:
            flow.close()
            raise
        except BaseException as exc:  # noqa: BLE001 (handed to the flow, which decides)
            answer, error = None, exc


def _send_creation(op: Send, limiter: RateLimiter | None, item: _Item) -> Flow[httpx.Response]:
    body = op.request.get("json")
    item.sent_input = body.get("input") if isinstance(body, dict) else None
    resends = 0
    while True:
        delay = 0.0 if limiter is None else limiter.reserve()
        if delay > 0:
            yield Sleep(delay)
        item.posted_at, item.posted_wall = time.monotonic(), time.time()
        response: httpx.Response = yield op
        # Answered: from here on an interruption cannot lose this prediction.
        item.posted_at = None
        if response.status_code != 429 or resends >= THROTTLED_RESENDS:
            return response
        resends += 1
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = 1.0 if retry_after is None else retry_after
        if limiter is not None:
            limiter.hold(wait)  # every creation of the bucket backs off, not just this one
        else:
            yield Sleep(wait)


def _cancel_flow(prediction_id: str) -> Flow[None]:
    yield cancel_request(prediction_id)


def _sweep_flow(items: Sequence[_Item], known: set[str], ref: Ref) -> Flow[list[str]]:
    """The ids of unfinished lookalikes of the predictions abandoned creations may have made.

    Their answers never came, so they are looked for in the account's recent
    predictions by their input (and model), each input matched once. A match
    is no proof: another caller with the same input makes the same lookalike,
    so they are named, never canceled.
    """
    wanted = [item.sent_input for item in items if item.sent_input is not None]
    since = datetime.fromtimestamp(min(item.posted_wall for item in items) - _SWEEP_SKEW, UTC)
    model = f"{ref.owner}/{ref.name}" if ref.kind != "deployment" and ref.owner else None
    request: dict[str, Any] | None = {
        "method": "GET",
        "url": "/predictions",
        "params": {"created_after": since.isoformat()},
    }
    found: list[str] = []
    for _ in range(_SWEEP_PAGES):
        if request is None or not wanted:
            break
        response = yield Send(request, best_effort=True)
        if response is None or response.status_code != 200:
            break
        page = response.json()
        for prediction in page.get("results") or ():
            if not isinstance(prediction, dict):
                continue
            pid = prediction.get("id")
            if (
                not isinstance(pid, str)
                or pid in known
                or prediction.get("status") in TERMINAL
                or (model is not None and prediction.get("model") not in (model, None))
                or prediction.get("input") not in wanted
            ):
                continue
            wanted.remove(prediction.get("input"))
            found.append(pid)
        next_url = page.get("next")
        request = {"method": "GET", "url": next_url} if isinstance(next_url, str) else None
    return found


def _outcome_flow(
    ctx: Context, prediction: Prediction, deadline: Deadline, options: RunOptions
) -> Flow[Any]:
    """What `run()` returns, or raises, for a created prediction once it finishes."""
    prediction = yield from wait_flow(
        ctx,
        prediction,
        deadline=deadline,
        use_stream=options.wait is not False,
        cancel_on=_cancels_on,
    )
    return (yield from result_flow(ctx, prediction, deadline, options))


def _cancels_on(error: BaseException) -> bool:
    # An input that fails (timeout, lost connection) cancels its own prediction,
    # as run() does; interruptions are left to the batch, which cancels all at once.
    return isinstance(error, Exception)


# -- the engine -------------------------------------------------------------------------------


class _Batch:
    """One batch run on one event loop."""

    def __init__(
        self,
        *,
        ctx: Context,
        http: httpx.AsyncClient,
        ref: Ref,
        inputs: Sequence[Mapping[str, Any]],
        options: RunOptions,
        concurrency: int,
        limiter: RateLimiter | None,
        on_progress: Callable[[BatchProgress], object] | None,
        model: str | None = None,
    ) -> None:
        self._ctx = ctx
        self._http = http
        self._ref = ref
        self._model = model  # the reference as the user wrote it, for telemetry
        self._options = options
        self._concurrency = concurrency
        self._limiter = limiter
        self._on_progress = on_progress
        self._total = len(inputs)
        self._pending: Iterator[_Item] = (_Item(i, value) for i, value in enumerate(inputs))
        self._results: list[BatchResult | None] = [None] * self._total
        self._done = 0
        self._failed = 0
        self._creating: set[_Item] = set()
        self._running: dict[str, _Item] = {}  # predictions started and not seen finished
        self._unanswered: list[_Item] = []  # creations abandoned before their answer
        self._known: set[str] = set()
        self._lookalikes: list[str] | None = None  # found for unanswered creations, if searched
        self._stopping = False
        self._failure: BaseException | None = None
        self._group: TaskGroup | None = None
        self._active = 0
        self._idle = anyio.Event()

    async def traced(self) -> list[BatchResult]:
        """`run()` as a unit of work (`_telemetry`): the parent of each input's."""
        size = {BATCH_SIZE: self._total}
        with scope(self._ctx.base_url, "batch", self._model, attributes=size) as unit:
            results = await self.run()
            if unit is not None:
                unit.attributes[BATCH_FAILED] = sum(result.error is not None for result in results)
        return results

    async def run(self) -> list[BatchResult]:
        if self._total == 0:
            return []
        try:
            async with anyio.create_task_group() as group:
                self._group = group
                workers = min(self._concurrency, self._total)
                self._active = workers
                for _ in range(workers):
                    group.start_soon(self._worker)
                try:
                    # Waiting here, the host task sees every interruption: its own
                    # cancellation, or the group's after `progress` raised.
                    await self._idle.wait()
                except BaseException:
                    self._interrupt()
                    raise
        except BaseException as error:
            await self._clean_up()
            self._name_lookalikes(error)
            raise
        if self._failure is not None:
            await self._clean_up()
            self._name_lookalikes(self._failure)
            raise self._failure
        return [result for result in self._results if result is not None]

    async def _worker(self) -> None:
        try:
            for item in self._pending:
                if self._stopping:
                    return
                result = await self._traced_item(item)
                if result is None:
                    return
                self._finish(result)
        finally:
            self._active -= 1
            if self._active == 0:
                self._idle.set()

    async def _traced_item(self, item: _Item) -> BatchResult | None:
        """`_run_item` as a unit of work of its own, under the batch's, as a `run()` is."""
        index = {BATCH_INDEX: item.index}
        with scope(self._ctx.base_url, "run", self._model, item.input, attributes=index) as unit:
            result = await self._run_item(item)
            if unit is not None:
                if result is None:
                    unit.end(left=True)
                elif result.error is not None:
                    unit.end(error=result.error)
                else:
                    unit.returned(result.output)
        return result

    async def _run_item(self, item: _Item) -> BatchResult | None:
        """Run one input; None when an interruption stopped it before its prediction existed."""
        ctx, options = self._ctx, self._options
        deadline = Deadline(options.timeout)
        prediction: Prediction | None = None
        # Shielded so that an interruption cannot cut a creation request off and
        # lose the prediction it made; `_interrupt` lifts the shield in time.
        with anyio.CancelScope(shield=True) as scope:
            item.scope = scope
            self._creating.add(item)
            try:
                # An interrupted creation is looked for once, by the sweep, for all.
                creation = create_flow(
                    ctx, self._ref, item.input, options, deadline, search_on_interrupt=False
                )
                flow = _limited(creation, self._limiter, item)
                prediction = await adrive(flow, self._http)
                self._known.add(prediction.id)
                if not is_terminal(prediction):
                    self._running[prediction.id] = item
            except Exception as error:  # noqa: BLE001 (the input's result)
                return BatchResult(item.index, item.input, error=error)
            finally:
                self._creating.discard(item)
                if prediction is None and item.posted_at is not None:
                    self._unanswered.append(item)
        if prediction is None:
            return None
        pid = prediction.id
        # Finished, or canceled by the flow on its way out, the prediction leaves
        # `_running`; an interruption leaves it listed for `_clean_up` to cancel.
        try:
            output = await adrive(_outcome_flow(ctx, prediction, deadline, options), self._http)
        except Exception as error:  # noqa: BLE001 (the input's result)
            self._running.pop(pid, None)
            return BatchResult(item.index, item.input, error=error, prediction_id=pid)
        self._running.pop(pid, None)
        return BatchResult(item.index, item.input, output=output, prediction_id=pid)

    def _finish(self, result: BatchResult) -> None:
        self._results[result.index] = result
        self._done += 1
        if result.error is not None:
            self._failed += 1
        if self._on_progress is None or self._failure is not None:
            return
        try:
            self._on_progress(BatchProgress(self._done, self._failed, self._total, result))
        except BaseException as error:  # noqa: BLE001 (re-raised by run() after the clean-up)
            self._failure = error
            if self._group is not None:
                self._group.cancel_scope.cancel()

    def _interrupt(self) -> None:
        """Stop taking inputs and lift the shields of creations in progress."""
        self._stopping = True
        now = time.monotonic()
        for item in self._creating:
            scope = item.scope
            if scope is None:
                continue
            if item.posted_at is None:
                scope.cancel()  # not sent yet (rate limit, uploads): nothing to lose
            else:
                left = SETTLE_SECONDS - (now - item.posted_at)
                scope.deadline = anyio.current_time() + max(0.0, left)

    async def _clean_up(self) -> None:
        """Cancel every prediction started and not seen finished; never raises."""
        with anyio.CancelScope(shield=True):
            async with anyio.create_task_group() as group:
                for pid in list(self._running):
                    group.start_soon(self._cancel, pid)
                if self._unanswered:
                    group.start_soon(self._sweep)
            self._running.clear()

    async def _cancel(self, prediction_id: str) -> None:
        await adrive(_cancel_flow(prediction_id), self._http)

    async def _sweep(self) -> None:
        try:
            found = await adrive(_sweep_flow(self._unanswered, self._known, self._ref), self._http)
        except Exception:  # noqa: BLE001 (best effort: an interruption is already on its way)
            return
        self._lookalikes = found

    def _name_lookalikes(self, error: BaseException) -> None:
        """Tell, on the interruption, what the creations it cut off may have left running."""
        if not self._unanswered:
            return
        count = len(self._unanswered)
        if self._lookalikes is None:
            found = "the search for them failed"
        elif not self._lookalikes:
            found = "no lookalike was found"
        else:
            found = f"lookalikes (same model and input): {', '.join(self._lookalikes)}"
        text = (
            f"replicate_ext: {count} creation(s) of the batch were interrupted before their "
            f"answer and may have made predictions; {found}. They may be another caller's: "
            "none was canceled."
        )
        error.add_note(text)
        logger.warning("%s", text)


# -- the public functions ---------------------------------------------------------------------


def _prepare(
    limiters: SharedLimiters,
    ref: str,
    inputs: Iterable[Mapping[str, Any]],
    concurrency: int,
    rate_limit: object,
) -> tuple[Ref, list[Mapping[str, Any]], RateLimiter | None]:
    parsed = parse_ref(ref)
    items = list(inputs)
    for index, value in enumerate(items):
        if not isinstance(value, Mapping):
            raise TypeError(f"input {index} is a {type(value).__name__}, not a mapping")
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive integer, not {concurrency!r}")
    return parsed, items, limiters.get(rate_limit)


class BatchOptions(TypedDict, total=False):
    """The keyword options of `run_batch`, for methods that forward them."""

    concurrency: int
    rate_limit: float | RateLimiter | None
    progress: BatchCallback | None
    timeout: float | None
    wait: bool | int
    use_file_output: bool
    file_encoding: FileEncoding
    webhook: str | None
    webhook_events_filter: Sequence[str] | None


async def async_run_batch(
    session: AsyncSession,
    limiters: SharedLimiters,
    ref: str,
    inputs: Iterable[Mapping[str, Any]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    rate_limit: float | RateLimiter | None = DEFAULT_RATE_LIMIT,
    progress: BatchCallback | None = None,
    timeout: float | None = None,  # noqa: ASYNC109 (a deadline per prediction, not for the call)
    wait: bool | int = True,
    use_file_output: bool = True,
    file_encoding: FileEncoding = "auto",
    webhook: str | None = None,
    webhook_events_filter: Sequence[str] | None = None,
) -> list[BatchResult]:
    """`AsyncClient.run_batch` on `session`, sharing `limiters` with the client's other batches."""
    parsed, items, limiter = _prepare(limiters, ref, inputs, concurrency, rate_limit)
    options = RunOptions(
        wait=wait,
        timeout=timeout,
        webhook=webhook,
        webhook_events_filter=webhook_events_filter,
        use_file_output=use_file_output,
        file_encoding=file_encoding,
        progress=None,
    )
    batch = _Batch(
        ctx=session.ctx,
        http=session.http(),
        ref=parsed,
        inputs=items,
        options=options,
        concurrency=concurrency,
        limiter=limiter,
        on_progress=progress,
        model=ref,
    )
    return await batch.traced()


def run_batch(
    ctx: Context,
    private_http: Callable[[int], httpx.AsyncClient],
    limiters: SharedLimiters,
    ref: str,
    inputs: Iterable[Mapping[str, Any]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    rate_limit: float | RateLimiter | None = DEFAULT_RATE_LIMIT,
    progress: BatchCallback | None = None,
    timeout: float | None = None,
    wait: bool | int = True,
    use_file_output: bool = True,
    file_encoding: FileEncoding = "auto",
    webhook: str | None = None,
    webhook_events_filter: Sequence[str] | None = None,
) -> list[BatchResult]:
    """`Client.run_batch`: the async engine on a private loop in a worker thread.

    `private_http(connections)` makes the engine's httpx client, configured
    like the client's (whose own async pool belongs to another loop).
    """
    parsed, items, limiter = _prepare(limiters, ref, inputs, concurrency, rate_limit)
    options = RunOptions(
        wait=wait,
        timeout=timeout,
        webhook=webhook,
        webhook_events_filter=webhook_events_filter,
        use_file_output=use_file_output,
        file_encoding=file_encoding,
        progress=None,
    )
    if not items:
        return []
    events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()

    async def main() -> list[BatchResult]:
        async with private_http(max(100, concurrency + 4)) as http:
            batch = _Batch(
                ctx=ctx,
                http=http,
                ref=parsed,
                inputs=items,
                options=options,
                concurrency=concurrency,
                limiter=limiter,
                on_progress=None if progress is None else lambda p: events.put(("progress", p)),
                model=ref,
            )
            return await batch.traced()

    worker = _LoopThread(main, events)
    worker.start()
    failure: BaseException | None = None
    while True:
        try:
            kind, value = events.get()
            if kind == "progress":
                if progress is not None and failure is None:
                    progress(value)
                continue
        except BaseException as error:
            if failure is not None:
                raise  # a second Ctrl-C: stop waiting for the clean-up
            failure = error
            worker.cancel()
            continue
        break
    worker.join()
    if failure is not None:
        if kind == "error":
            for note in getattr(value, "__notes__", ()):  # what the engine's clean-up found
                failure.add_note(note)
        raise failure
    if kind == "error":
        raise value
    return value  # type: ignore[no-any-return]


class _LoopThread(threading.Thread):
    """Runs `main()` on its own event loop and posts ("done" | "error", value) to `events`."""

    def __init__(
        self,
        main: Callable[[], Any],
        events: queue.SimpleQueue[tuple[str, Any]],
    ) -> None:
        super().__init__(name="replicate-ext-batch", daemon=True)
        # The caller's context variables (its current span, say) hold in the batch.
        self._context = contextvars.copy_context()
        self._main = main
        self._events = events
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None

    def run(self) -> None:
        self._context.run(asyncio.run, self._run())

    async def _run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._ready.set()
        try:
            result = await self._main()
        except BaseException as error:  # noqa: BLE001 (handed to the caller's thread)
            self._events.put(("error", error))
        else:
            self._events.put(("done", result))

    def cancel(self) -> None:
        """Cancel `main()`, from any thread; its clean-up runs before it reports."""
        self._ready.wait()
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop already finished
                loop.call_soon_threadsafe(task.cancel)


__all__ = [
    "BatchProgress",
    "BatchResult",
    "RateLimiter",
    "SharedLimiters",
    "async_run_batch",
    "run_batch",
]
