"""A client as the code above the flows sees it: its `Context` and the I/O that runs flows.

`use()` functions, batches and the iterators of streams hold a session rather
than a `Client`, so that nothing below `_client` imports it; each client makes
its session on first use. `Session` runs flows with blocking I/O and
`AsyncSession` with async I/O; both can also run one blocking (`blocking`),
for the few things asked synchronously of an async object (a `use()`
function's `inspect.signature`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

from ._flow import EventFlow, Flow, adrive, adrive_events, drive, drive_events

if TYPE_CHECKING:
    import httpx

    from ._context import Context

__all__ = ["AsyncSession", "Session"]

T = TypeVar("T")


class _BaseSession:
    __slots__ = ("_sync_http", "ctx")

    def __init__(self, ctx: Context, sync_http: Callable[[], httpx.Client]) -> None:
        self.ctx = ctx
        self._sync_http = sync_http

    def blocking(self, flow: Flow[T]) -> T:
        """Run `flow` with blocking I/O, whatever kind of session this is."""
        return drive(flow, self._sync_http())


class Session(_BaseSession):
    """A `Client`'s: flows run with blocking I/O."""

    __slots__ = ()

    def run(self, flow: Flow[T]) -> T:
        """Run `flow` to its end; its return value."""
        return drive(flow, self._sync_http())

    def events(self, flow: EventFlow) -> Generator[Any, None, None]:
        """Run `flow`, giving what it emits as it comes."""
        return drive_events(flow, self._sync_http())


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

    async def run(self, flow: Flow[T]) -> T:
        """Run `flow` to its end; its return value."""
        return await adrive(flow, self.http())

    def events(self, flow: EventFlow) -> AsyncGenerator[Any, None]:
        """Run `flow`, giving what it emits as it comes."""
        return adrive_events(flow, self.http())
