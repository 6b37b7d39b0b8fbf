"""A client as the code above the flows sees it: its `Context` and the I/O that runs flows.

`use()` functions, batches and the iterators of streams hold a session rather
than a `Client`, so that nothing below `_client` imports it; each client makes
its session on first use. `Session` runs flows with blocking I/O and
`AsyncSession` with async I/O; both can also run one blocking (`blocking`),
for the few things asked synchronously of an async object (a `use()`
function's `inspect.signature`).

A session also keeps the event streams it opened that are not closed yet,
so that none outlives its chance to clean up (close its connection, cancel
the prediction it owns): closing the client closes them first, and the
blocking ones still open when the interpreter exits are closed by an exit
hook, while imports and connections still work. Left to the interpreter's
teardown, a stream kept in a module's variable would try to cancel too late
and its prediction would run on, billed.

A flow run for a call a user made (`run`, `stream`, `wait`, ...) comes with
what the call is (its `operation`, the model as the user wrote it, ...): the
session runs it as a unit of work (`_telemetry`), a span and log lines, when
anything traces or logs them, and as a plain flow otherwise.
"""

from __future__ import annotations

import atexit
import os
import weakref
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._flow import EventFlow, Flow, adrive, adrive_events, drive, drive_events
from ._telemetry import Work, afollow, begin, enabled, follow

if TYPE_CHECKING:
    import httpx

    from ._context import Context

__all__ = ["AsyncSession", "Session"]

T = TypeVar("T")


class _BaseSession:
    __slots__ = ("_open", "_sync_http", "ctx")

    def __init__(self, ctx: Context, sync_http: Callable[[], httpx.Client]) -> None:
        self.ctx = ctx
        self._sync_http = sync_http
        # Its event streams not closed yet, each with the process that opened it.
        self._open: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()

    def blocking(self, flow: Flow[T]) -> T:
        """Run `flow` with blocking I/O, whatever kind of session this is."""
        return drive(flow, self._sync_http())


class Session(_BaseSession):
    """A `Client`'s: flows run with blocking I/O."""

    __slots__ = ()

    def run(
        self,
        flow: Flow[T],
        operation: str | None = None,
        model: str | None = None,
        input: Any = None,
        *,
        job: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> T:
        """Run `flow` to its end; its return value.

        With an `operation` (``"run"``, ...), as that unit of work; the other
        arguments are `_telemetry.Work`'s.
        """
        unit = None
        if operation is not None:
            unit = begin(self.ctx.base_url, operation, model, input, job=job, attributes=attributes)
        if unit is None:
            return drive(flow, self._sync_http())
        with unit:
            return unit.returned(drive(flow, self._sync_http()))  # type: ignore[no-any-return]

    def events(
        self,
        flow: EventFlow,
        operation: str | None = None,
        model: str | None = None,
        input: Any = None,
        *,
        job: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Generator[Any, None, None]:
        """Run `flow`, giving what it emits as it comes; with an `operation`, as `run` does."""
        events = drive_events(flow, self._sync_http())
        if operation is not None and enabled():
            work = Work(operation, model, input, job=job, attributes=attributes)
            events = follow(self.ctx.base_url, work, events)
        self._open[events] = _open_blocking[events] = os.getpid()  # the client may go first
        return events

    def close_streams(self) -> None:
        """Close the event streams still open (each cleans up: connection, cancel)."""
        _close(self._open)


class AsyncSession(_BaseSession):
    """An `AsyncClient`'s: flows run with async I/O on its connection pool."""

    __slots__ = ("http",)

    def __init__(
        self,
        ctx: Context,
        sync_http: Callable[[], httpx.Client],
        http: Callable[[], httpx.AsyncClient],
    ) -> None:
        super().__init__(ctx, sync_http)
        self.http = http

    async def run(
        self,
        flow: Flow[T],
        operation: str | None = None,
        model: str | None = None,
        input: Any = None,
        *,
        job: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> T:
        """Run `flow` to its end; its return value; see `Session.run`."""
        unit = None
        if operation is not None:
            unit = begin(self.ctx.base_url, operation, model, input, job=job, attributes=attributes)
        if unit is None:
            return await adrive(flow, self.http())
        with unit:
            return unit.returned(await adrive(flow, self.http()))  # type: ignore[no-any-return]

    def events(
        self,
        flow: EventFlow,
        operation: str | None = None,
        model: str | None = None,
        input: Any = None,
        *,
        job: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> AsyncGenerator[Any, None]:
        """Run `flow`, giving what it emits as it comes; see `Session.events`."""
        events = adrive_events(flow, self.http())
        if operation is not None and enabled():
            work = Work(operation, model, input, job=job, attributes=attributes)
            events = afollow(self.ctx.base_url, work, events)
        self._open[events] = os.getpid()
        return events

    async def close_streams(self) -> None:
        """Close the event streams still open (each cleans up: connection, cancel)."""
        for events, pid in list(self._open.items()):
            if pid != os.getpid():
                continue  # a parent's, inherited by fork(): not ours to cancel
            try:
                await events.aclose()
            except RuntimeError:  # being read by another task, which will close it
                continue


def _close(streams: weakref.WeakKeyDictionary[Generator[Any, None, None], int]) -> None:
    for events, pid in list(streams.items()):
        if pid != os.getpid():
            continue  # a parent's, inherited by fork(): not ours to cancel
        try:
            events.close()
        except ValueError:  # being read by another thread, which will close it
            continue


# The blocking streams not closed yet, whatever client opened them. Async ones
# are closed by their event loop as it ends (asyncio.run and trio close the
# async generators left open), while it can still run their cleanup.
_open_blocking: weakref.WeakKeyDictionary[Generator[Any, None, None], int] = (
    weakref.WeakKeyDictionary()
)
atexit.register(_close, _open_blocking)
