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

With a journal (`journal=PATH`, `_journal`), each step of each input is
recorded on disk before anything depends on it, and a batch run again with
the same journal resumes: results it holds are reused, predictions it names
are waited on, and creations it sent without learning their ids are looked
for among the account's recent predictions and adopted, not made again. A
creation whose answer was lost during the run (a 5xx, a dropped connection)
is looked for the same way once the other inputs are through, so that no
creation of an identical input is still in flight when a match is taken.
`output_dir` saves each input's files as it succeeds (`_batch_files`).

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
import os
import queue
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, TypedDict, TypeGuard, TypeVar, Unpack, cast

import anyio
import httpx
from anyio.abc import TaskGroup

from ._batch_files import OutputSaver
from ._context import Context, Deadline
from ._errors import PredictionCanceled, ReplicateError
from ._files import FileEncoding, FileOutput, wrap_file_outputs
from ._flow import Await, Flow, Send, Sleep, adrive
from ._jobs import TERMINAL, cancel_on_the_way_out_flow, cancel_request, get_flow, is_terminal
from ._journal import Journal, assign_lookalikes, is_final, lookalikes_flow
from ._predictions import RunOptions, create_flow, result_flow, wait_flow
from ._refs import Ref, parse_ref
from ._retry import parse_retry_after
from ._telemetry import BATCH_FAILED, BATCH_INDEX, BATCH_SIZE, scope

if TYPE_CHECKING:
    from generated.models.prediction import Prediction

    from ._session import AsyncSession

T = TypeVar("T")
logger = logging.getLogger("replicate_ext")
JournalPath = str | os.PathLike[str]

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
    ...), and `prediction_id` the prediction's id when one was created. When
    the prediction succeeded but saving its files into `output_dir` failed,
    `error` says why and `output` still holds the output, its files as URLs.
    `reused` is True when the batch's journal already held this result, so
    nothing ran for it this time (its error, if any, is rebuilt from the
    journal and has no `prediction` object).
    """

    index: int
    input: Mapping[str, Any]
    output: Any = None
    error: Exception | None = None
    prediction_id: str | None = None
    reused: bool = False

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

    __slots__ = (
        "blocked",
        "declared",
        "follow",
        "index",
        "input",
        "intent",
        "lost",
        "posted_at",
        "posted_wall",
        "recheck",
        "scope",
        "sent_input",
    )

    def __init__(self, index: int, input: Mapping[str, Any]) -> None:
        self.index = index
        self.input = input
        self.scope: anyio.CancelScope | None = None  # shields its creation
        self.posted_at: float | None = None  # monotonic time of a creation request awaiting answer
        self.posted_wall = 0.0
        self.sent_input: Any = None  # the input as sent, to recognise the prediction by
        # With a journal:
        self.declared = 0  # with a send line for its next creation: the mark to sync through
        self.intent = False  # its creation is recorded as sent (and may have made a prediction)
        self.follow: str | None = None  # a prediction to wait for rather than create one
        self.recheck = False  # `follow` was canceled by an interruption: if it ended so, rerun
        self.lost: Exception | None = None  # why its creation's answer is unknown
        self.blocked: Exception | None = None  # why it cannot be run safely this time


def _is_creation(op: object) -> TypeGuard[Send]:
    # create_flow sends its uploads to /files and the creation to .../predictions.
    if not isinstance(op, Send):
        return False
    url = str(op.request.get("url", "")).rstrip("/")
    return str(op.request.get("method", "")).upper() == "POST" and url.endswith("/predictions")


BeforeSend = Callable[["_Item"], Awaitable[None]]


def _limited(
    flow: Flow[T],
    limiter: RateLimiter | None,
    item: _Item,
    before_send: BeforeSend | None = None,
) -> Flow[T]:
    """`flow`, its creation request sent in a rate-limited slot and again after a 429.

    `before_send(item)` is awaited before each send (with a journal: until
    the journal says the creation may be sent).
    """
    answer: Any = None
    error: BaseException | None = None
    while True:
        try:
            op = flow.send(answer) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        try:
            if _is_creation(op):
                answer = yield from _send_creation(op, limiter, item, before_send)
            else:
                answer = yield op
            error = None
        except GeneratorExit:
            flow.close()
            raise
        except BaseException as exc:  # noqa: BLE001 (handed to the flow, which decides)
            answer, error = None, exc


def _send_creation(
    op: Send, limiter: RateLimiter | None, item: _Item, before_send: BeforeSend | None
) -> Flow[httpx.Response]:
    body = op.request.get("json")
    item.sent_input = body.get("input") if isinstance(body, dict) else None
    resends = 0
    while True:
        delay = 0.0 if limiter is None else limiter.reserve()
        if delay > 0:
            yield Sleep(delay)
        if before_send is not None:
            yield Await(before_send(item))
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


def _refused(error: Exception) -> bool:
    # The API (or a gateway) answered the creation with a 4xx: nothing was made.
    status = error.status if isinstance(error, ReplicateError) else None
    return status is not None and 400 <= status < 500


_LOST = object()  # `_create`'s answer for a creation whose fate is unknown, to look for later


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
        journal: Journal | None = None,
        saver: OutputSaver | None = None,
    ) -> None:
        self._ctx = ctx
        self._http = http
        self._ref = ref
        self._model = model  # the reference as the user wrote it, for telemetry
        self._options = options
        self._concurrency = concurrency
        self._limiter = limiter
        self._on_progress = on_progress
        self._journal = journal
        self._saver = saver
        self._total = len(inputs)
        self._items = [_Item(i, value) for i, value in enumerate(inputs)]
        self._pending: Iterator[_Item] = iter(())
        self._order: list[_Item] = []  # this pass's items, in the order they are taken
        self._position: dict[int, int] = {}  # input index -> its place in `_order`
        self._results: list[BatchResult | None] = [None] * self._total
        self._done = 0
        self._failed = 0
        self._creating: set[_Item] = set()
        self._running: dict[str, _Item] = {}  # predictions started and not seen finished
        self._unanswered: list[_Item] = []  # creations abandoned before their answer
        self._lost: list[_Item] = []  # creations whose fate is unknown, to look for
        self._last_pass = journal is None
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
        items = self._items if self._journal is None else await self._resume()
        await self._work(items)
        if self._lost:
            # Every other creation has been answered by now: a match can be
            # taken without taking one an identical input is still waiting for.
            items, self._lost = self._lost, []
            self._last_pass = True
            await self._adopt(items)
            await self._work(items)
        return [result for result in self._results if result is not None]

    async def _work(self, items: Sequence[_Item]) -> None:
        """Run `items` through `concurrency` workers; on an interruption, clean up and re-raise."""
        if not items:
            return
        self._pending = iter(items)
        self._order = list(items)
        self._position = {item.index: position for position, item in enumerate(items)}
        self._idle = anyio.Event()
        try:
            async with anyio.create_task_group() as group:
                self._group = group
                workers = min(self._concurrency, len(items))
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
            await self._clean_up(error)
            self._name_lookalikes(error)
            raise
        if self._failure is not None:
            await self._clean_up(self._failure)
            self._name_lookalikes(self._failure)
            raise self._failure

    async def _worker(self) -> None:
        try:
            for item in self._pending:
                if self._stopping:
                    return
                try:
                    result = await self._traced_item(item)
                except OSError as error:
                    if self._journal is None or self._journal.failure is not error:
                        raise
                    self._fail(error)  # no journal, no guarantee: the batch stops
                    return
                if result is _LOST:
                    continue
                if result is None:
                    return
                self._finish(cast(BatchResult, result))
        finally:
            self._active -= 1
            if self._active == 0:
                self._idle.set()

    async def _traced_item(self, item: _Item) -> BatchResult | object | None:
        """`_run_item` as a unit of work of its own, under the batch's, as a `run()` is.

        A creation whose fate is looked for later (`_LOST`) ends its unit as
        left; the input's next attempt, in the last pass, is a unit of its own.
        """
        index = {BATCH_INDEX: item.index}
        with scope(self._ctx.base_url, "run", self._model, item.input, attributes=index) as unit:
            result = await self._run_item(item)
            if unit is not None:
                if not isinstance(result, BatchResult):
                    unit.end(left=True)
                elif result.error is not None:
                    unit.end(error=result.error)
                else:
                    unit.returned(result.output)
        return result

    async def _run_item(self, item: _Item) -> BatchResult | object | None:
        """Run one input; its result, or `_LOST` when its creation's fate is found out later.

        None when an interruption stopped it before its prediction existed.
        """
        deadline = Deadline(self._options.timeout)
        if item.blocked is not None:
            return BatchResult(item.index, item.input, error=item.blocked)
        prediction: Any = None
        if item.follow is not None:
            prediction = await self._resume_prediction(item)
            if isinstance(prediction, BatchResult):
                return prediction
            if prediction is not None:
                result = await self._outcome(item, prediction, deadline)
                if result is not None:
                    return result
                # An earlier interruption's cancel landed after all: run it again.
        item.recheck = False
        prediction = await self._create(item, deadline)
        if prediction is None or prediction is _LOST or isinstance(prediction, BatchResult):
            return prediction
        return await self._outcome(item, prediction, deadline)

    async def _resume_prediction(self, item: _Item) -> Prediction | BatchResult | None:
        """The prediction a journal named for `item`; None when it is to be created anew."""
        pid = cast(str, item.follow)
        item.follow = None
        try:
            prediction = await adrive(get_flow(self._ctx, pid), self._http)
        except Exception as error:  # noqa: BLE001 (the input's result; the next run tries again)
            return BatchResult(item.index, item.input, error=error, prediction_id=pid)
        if item.recheck and prediction.status in ("canceled", "aborted"):
            return None  # an interruption canceled it: the input runs again
        self._known.add(pid)
        if not is_terminal(prediction):
            self._running[pid] = item
        return prediction

    async def _create(self, item: _Item, deadline: Deadline) -> Prediction | BatchResult | object:
        ctx, options, journal = self._ctx, self._options, self._journal
        item.intent, item.sent_input, item.lost = False, None, None
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
                flow = _limited(
                    creation,
                    self._limiter,
                    item,
                    None if journal is None else self._before_send,
                )
                prediction = await adrive(flow, self._http)
            except Exception as error:  # the input's result, unless the journal failed
                if journal is not None and journal.failure is not None:
                    raise journal.failure from error
                if journal is not None and item.intent:
                    if _refused(error):
                        journal.refused(item.index)
                    elif not self._last_pass:
                        item.lost = error
                        self._lost.append(item)
                        return _LOST
                return BatchResult(item.index, item.input, error=error)
            finally:
                self._creating.discard(item)
                item.declared = 0  # used: another creation needs a send line of its own
                if prediction is None and item.posted_at is not None:
                    self._unanswered.append(item)
        if prediction is None:
            return None  # an interruption cut the creation off (the scope caught it)
        self._known.add(prediction.id)
        if not is_terminal(prediction):
            self._running[prediction.id] = item
        if journal is not None:
            # Raises if the journal cannot be written: the batch stops, and
            # cancels this prediction with the others it knows.
            journal.created(item.index, prediction.id)
        return prediction

    async def _outcome(
        self, item: _Item, prediction: Prediction, deadline: Deadline
    ) -> BatchResult | None:
        """`item`'s result once `prediction` ends (its files saved, with a saver).

        None when it ends canceled and the journal says an interruption of
        this batch canceled it (`recheck`): the input is to run again.
        """
        pid, journal = prediction.id, self._journal
        # Finished, or canceled by the flow on its way out, the prediction leaves
        # `_running`; an interruption leaves it listed for `_clean_up` to cancel.
        try:
            output = await adrive(
                _outcome_flow(self._ctx, prediction, deadline, self._options), self._http
            )
        except Exception as error:  # noqa: BLE001 (the input's result)
            self._running.pop(pid, None)
            if item.recheck and isinstance(error, PredictionCanceled):
                return None
            if journal is not None and is_final(error):
                journal.finished(item.index, pid, error=error)  # type: ignore[arg-type]
            return BatchResult(item.index, item.input, error=error, prediction_id=pid)
        self._running.pop(pid, None)
        saved = None
        if self._saver is not None:
            try:
                output, saved = await self._saver.save(self._http, item.index, output)
            except Exception as error:  # noqa: BLE001 (the input's result; saved next time)
                # The output stays in the result: its URLs are all that is left of
                # a paid prediction whose files could not be saved.
                return BatchResult(
                    item.index, item.input, output=output, error=error, prediction_id=pid
                )
        if journal is not None:
            journal.finished(item.index, pid, output, saved=saved)
        return BatchResult(item.index, item.input, output=output, prediction_id=pid)

    async def _before_send(self, item: _Item) -> None:
        """Return once the journal says `item`'s creation may be sent (see `_journal`).

        A plain input's send line is written with those of the next inputs
        of this pass, `concurrency` in all, under one fsync.
        """
        journal = cast(Journal, self._journal)
        if not item.declared:
            if journal.is_plain(item.index):
                block = self._ahead(item)
                mark = journal.sending([other.index for other in block])
            else:
                block = [item]
                mark = journal.sending([item.index], item.sent_input)
            for other in block:
                other.declared = mark
        await journal.sync(through=item.declared)
        item.intent = True

    def _ahead(self, item: _Item) -> list[_Item]:
        """`item` and the next plain inputs of this pass to be created: `concurrency` in all."""
        journal = cast(Journal, self._journal)
        block = [item]
        start = self._position.get(item.index, len(self._order)) + 1
        for other in self._order[start : start + 4 * self._concurrency]:
            if len(block) >= self._concurrency:
                break
            if (
                not other.declared
                and other.follow is None
                and other.blocked is None
                and self._results[other.index] is None
                and journal.is_plain(other.index)
            ):
                block.append(other)
        return block

    # -- resuming from a journal ------------------------------------------------------------------

    async def _resume(self) -> list[_Item]:
        """Take up what the journal holds; the items left to run, those to wait for first."""
        journal = cast(Journal, self._journal)
        if self._saver is not None:
            self._saver.remove_leftovers()
        wrap = _output_wrapper(self._ctx, self._options)
        unresolved: list[_Item] = []
        for index in sorted(journal.entries):
            entry, item = journal.entries[index], self._items[index]
            if entry.state == "done":
                output, error, pid = journal.result(index, wrap)
                self._finish(
                    BatchResult(index, item.input, output, error, prediction_id=pid, reused=True)
                )
                if self._failure is not None:
                    raise self._failure
            elif entry.state == "send":
                item.posted_wall = entry.sent_at
                item.sent_input = journal.sent_input(index, item.input)
                unresolved.append(item)
            else:
                item.follow, item.recheck = entry.prediction_id, entry.state == "cancel"
        if journal.abandoned:
            # Predictions of the journal this one restarted: nobody will wait for them.
            async with anyio.create_task_group() as group:
                for pid in journal.abandoned:
                    group.start_soon(self._cancel, pid)
        await self._adopt(unresolved)
        left = [item for item in self._items if self._results[item.index] is None]
        # Predictions that already run come first, so that new ones do not
        # pile up beside them past `concurrency`.
        return sorted(left, key=lambda item: item.follow is None)

    async def _adopt(self, items: Sequence[_Item]) -> None:
        """Find the predictions unanswered creations of `items` made; each found one is followed.

        The others are created anew. If the account's predictions cannot be
        listed, the items are not run at all: creating them could pay twice.
        """
        journal = self._journal
        if journal is None or not items:
            return
        since = min(item.posted_wall for item in items)
        try:
            found = await adrive(lookalikes_flow(self._ref, since), self._http)
        except Exception as error:  # noqa: BLE001 (those inputs' result; the next run tries again)
            for item in items:
                item.blocked = item.lost or error
            return
        wanted = [(item.index, item.sent_input, item.posted_wall) for item in items]
        for index, pid in assign_lookalikes(wanted, found, journal.claimed).items():
            journal.adopted(index, pid)
            self._items[index].follow = pid

    # -- progress and interruptions ---------------------------------------------------------------

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
            self._fail(error)

    def _fail(self, error: BaseException) -> None:
        """Stop the batch: `run()` cleans up, then raises `error`."""
        if self._failure is None:
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

    async def _clean_up(self, error: BaseException) -> None:
        """Cancel every prediction started and not seen finished; never raises.

        A cancel that fails is told on `error`, the interruption, and logged.
        """
        with anyio.CancelScope(shield=True):
            if self._journal is not None:
                # Before the cancels go out: the next run must know to run them again.
                with contextlib.suppress(OSError):  # the journal may be what failed
                    for pid, item in self._running.items():
                        self._journal.canceling(item.index, pid)
                    await self._journal.sync()
            async with anyio.create_task_group() as group:
                for pid in list(self._running):
                    group.start_soon(self._cancel, pid, error)
                # With a journal, creations cut off before their answer are left
                # to the next run, which finds their predictions and adopts them.
                if self._unanswered and self._journal is None:
                    group.start_soon(self._sweep)
            self._running.clear()

    async def _cancel(self, prediction_id: str, error: BaseException | None = None) -> None:
        flow = cancel_on_the_way_out_flow(cancel_request(prediction_id), prediction_id, error)
        await adrive(flow, self._http)

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
        if self._journal is not None:
            # Not searched (`_clean_up`): the journal holds them for the next run.
            text = (
                f"replicate_ext: {count} creation(s) of the batch were interrupted before "
                "their answer and may have made predictions, which keep running: running "
                "the batch again with the same journal finds and adopts them."
            )
            error.add_note(text)
            logger.warning("%s", text)
            return
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


def _output_wrapper(ctx: Context, options: RunOptions) -> Callable[[Any], Any]:
    """What a journal's recorded output becomes: with `FileOutput`s, as `run()` returns it."""
    if not options.use_file_output:
        return lambda output: output
    return lambda output: wrap_file_outputs(output, lambda url: FileOutput(url, ctx.downloader))


# -- the public functions ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """A batch's arguments, checked before any request or file is touched."""

    ref: Ref
    inputs: list[Mapping[str, Any]]
    concurrency: int
    limiter: RateLimiter | None
    progress: BatchCallback | None
    options: RunOptions
    journal: JournalPath | None
    restart: bool
    saver: OutputSaver | None

    def open_journal(self, ref: str) -> Journal | None:
        """The journal to run with (read, checked, locked), or None without one."""
        if self.journal is None:
            return None
        return Journal.open(self.journal, ref, self.inputs, restart=self.restart)


def _plan(
    limiters: SharedLimiters, ref: str, inputs: Iterable[Mapping[str, Any]], options: BatchOptions
) -> _Plan:
    parsed = parse_ref(ref)
    concurrency = options.get("concurrency", DEFAULT_CONCURRENCY)
    items = list(inputs)
    for index, value in enumerate(items):
        if not isinstance(value, Mapping):
            raise TypeError(f"input {index} is a {type(value).__name__}, not a mapping")
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive integer, not {concurrency!r}")
    journal = options.get("journal")
    if journal is not None and not isinstance(journal, (str, os.PathLike)):
        raise TypeError(f"journal must be a file path, not {type(journal).__name__}")
    restart = bool(options.get("restart", False))
    if restart and journal is None:
        raise ValueError("restart=True starts a journal over: give the journal's path too")
    output_dir = options.get("output_dir")
    if output_dir is not None and not isinstance(output_dir, (str, os.PathLike)):
        raise TypeError(f"output_dir must be a directory path, not {type(output_dir).__name__}")
    run_options = RunOptions(
        wait=options.get("wait", True),
        timeout=options.get("timeout"),
        webhook=options.get("webhook"),
        webhook_events_filter=options.get("webhook_events_filter"),
        # Saving needs to know which outputs are files.
        use_file_output=options.get("use_file_output", True) or output_dir is not None,
        file_encoding=options.get("file_encoding", "auto"),
        progress=None,
    )
    saver = None if output_dir is None or not items else OutputSaver(output_dir, len(items))
    return _Plan(
        parsed,
        items,
        concurrency,
        limiters.get(options.get("rate_limit", DEFAULT_RATE_LIMIT)),
        options.get("progress"),
        run_options,
        journal,
        restart,
        saver,
    )


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
    journal: JournalPath | None
    restart: bool
    output_dir: JournalPath | None


async def async_run_batch(
    session: AsyncSession,
    limiters: SharedLimiters,
    ref: str,
    inputs: Iterable[Mapping[str, Any]],
    /,
    **options: Unpack[BatchOptions],
) -> list[BatchResult]:
    """`AsyncClient.run_batch` on `session`, sharing `limiters` with the client's other batches."""
    plan = _plan(limiters, ref, inputs, options)
    if not plan.inputs:
        return []
    # Reading a long journal is file I/O: off the event loop.
    journal = await anyio.to_thread.run_sync(plan.open_journal, ref)
    try:
        batch = _Batch(
            ctx=session.ctx,
            http=session.http(),
            ref=plan.ref,
            inputs=plan.inputs,
            options=plan.options,
            concurrency=plan.concurrency,
            limiter=plan.limiter,
            on_progress=plan.progress,
            journal=journal,
            saver=plan.saver,
            model=ref,
        )
        return await batch.traced()
    finally:
        if journal is not None:
            journal.close()


def run_batch(
    ctx: Context,
    private_http: Callable[[int], httpx.AsyncClient],
    limiters: SharedLimiters,
    ref: str,
    inputs: Iterable[Mapping[str, Any]],
    /,
    **options: Unpack[BatchOptions],
) -> list[BatchResult]:
    """`Client.run_batch`: the async engine on a private loop in a worker thread.

    `private_http(connections)` makes the engine's httpx client, configured
    like the client's (whose own async pool belongs to another loop).
    """
    plan = _plan(limiters, ref, inputs, options)
    progress = plan.progress
    if not plan.inputs:
        return []
    journal = plan.open_journal(ref)
    events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()

    async def main() -> list[BatchResult]:
        async with private_http(max(100, plan.concurrency + 4)) as http:
            batch = _Batch(
                ctx=ctx,
                http=http,
                ref=plan.ref,
                inputs=plan.inputs,
                options=plan.options,
                concurrency=plan.concurrency,
                limiter=plan.limiter,
                on_progress=None if progress is None else lambda p: events.put(("progress", p)),
                model=ref,
                journal=journal,
                saver=plan.saver,
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
    if journal is not None:
        journal.close()  # the engine has stopped writing to it
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
