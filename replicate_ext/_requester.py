"""How a resource method's request becomes its answer: the requesters of `client.models.get(...)`.

The generated resource classes (`generated.resources`) build each request
with the generated operation and hand it, with the operation, to a requester:
`Requester` for a `Client`, `AsyncRequester` for an `AsyncClient`. A
requester sends it through its client's session, as a flow, so the request
gets the client's connections, retries and errors like every other call,
and `parse` (the one place that decides) turns the answer into the value or
the error. A list becomes a `Pager` over its items; `raw` keeps an answer as
it came, for `with_raw_response`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ._context import parse
from ._errors import ReplicateError
from ._flow import Flow, Send
from ._pagination import AsyncPager, AsyncPages, Pager, Pages

if TYPE_CHECKING:
    from types import ModuleType

    import httpx

    from generated.resources._base import Operation, Page

    from ._context import Context
    from ._session import AsyncSession, Session

__all__ = ["APIResponse", "AsyncRequester", "Requester"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


def call_flow(
    ctx: Context, operation: ModuleType, request: dict[str, Any], empty: bool = False
) -> Flow[Any]:
    """Send `request`; its answer parsed by `operation` (None for an `empty` success)."""
    response = yield Send(request)
    return parse(ctx, operation, response, empty=empty)


def raw_flow(request: dict[str, Any]) -> Flow[httpx.Response]:
    """Send `request`; the answer itself, unless it is an error (raised, as any call's)."""
    response: httpx.Response = yield Send(request)
    if response.status_code >= 300:
        raise ReplicateError.from_response(response)
    return response


class APIResponse(Generic[T_co]):
    """An answer as it came (`client.with_raw_response.account.get()`), parsed on demand.

    `status_code`, `headers`, `content`, `text` and `http_response` (the
    `httpx.Response`) are the answer's; `parse()` gives what the method
    without `with_raw_response` returns (parsed once). An error status
    raises when the call is made, as for any call.
    """

    __slots__ = ("_parse", "_parsed", "http_response")

    def __init__(self, http_response: httpx.Response, parse: Callable[[], T_co]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: list[T_co] = []

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        """The answer's headers (`httpx.Headers`: any case)."""
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        """The body."""
        return self.http_response.content

    @property
    def text(self) -> str:
        """The body as text."""
        return self.http_response.text

    def parse(self) -> T_co:
        """The body as the method's return type; raises `ResponseParseError` if it is not one."""
        if not self._parsed:
            self._parsed.append(self._parse())
        return self._parsed[0]

    def __repr__(self) -> str:
        request = self.http_response.request
        return (
            f"<APIResponse [{self.status_code} {self.http_response.reason_phrase}] "
            f"{request.method} {request.url.path}>"
        )


def _parser(ctx: Context, operation: Any, response: httpx.Response, empty: bool) -> Any:
    return lambda: parse(ctx, operation, response, empty=empty)


class Requester:
    """A `Client`'s requester: what its resources send through (blocking I/O)."""

    __slots__ = ("session",)

    def __init__(self, session: Session) -> None:
        self.session = session

    def call(self, operation: Operation[T], request: dict[str, Any]) -> T:
        """The answer to `request`, parsed by `operation`; an error status raises."""
        flow = call_flow(self.session.ctx, cast("ModuleType", operation), request)
        return cast(T, self.session.run(flow))

    def send(self, operation: Operation[Any], request: dict[str, Any]) -> None:
        """For an operation that answers without a body: raises on an error status."""
        self.session.run(call_flow(self.session.ctx, cast("ModuleType", operation), request, True))

    def list(
        self, operation: Operation[Page[T]], request: dict[str, Any], limit: int | None
    ) -> Pager[T]:
        """The items of the list `request` starts, at most `limit` of them, fetched as needed."""
        pages: Pages[Any] = Pages(
            self.session.ctx, cast("ModuleType", operation), request, self.session.run
        )
        return Pager(pages, limit)

    def raw(
        self, operation: Operation[T], request: dict[str, Any], *, empty: bool = False
    ) -> APIResponse[T]:
        """The answer to `request` as it came; `parse()` reads it as `call` would."""
        response = self.session.run(raw_flow(request))
        return APIResponse(response, _parser(self.session.ctx, operation, response, empty))


class AsyncRequester:
    """An `AsyncClient`'s requester: what its resources send through (async I/O)."""

    __slots__ = ("session",)

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def call(self, operation: Operation[T], request: dict[str, Any]) -> T:
        """The answer to `request`, parsed by `operation`; an error status raises."""
        flow = call_flow(self.session.ctx, cast("ModuleType", operation), request)
        return cast(T, await self.session.run(flow))

    async def send(self, operation: Operation[Any], request: dict[str, Any]) -> None:
        """For an operation that answers without a body: raises on an error status."""
        flow = call_flow(self.session.ctx, cast("ModuleType", operation), request, True)
        await self.session.run(flow)

    def list(
        self, operation: Operation[Page[T]], request: dict[str, Any], limit: int | None
    ) -> AsyncPager[T]:
        """The items of the list `request` starts, at most `limit` of them, fetched as needed."""
        pages: AsyncPages[Any] = AsyncPages(
            self.session.ctx, cast("ModuleType", operation), request, self.session.run
        )
        return AsyncPager(pages, limit)

    async def raw(
        self, operation: Operation[T], request: dict[str, Any], *, empty: bool = False
    ) -> APIResponse[T]:
        """The answer to `request` as it came; `parse()` reads it as `call` would."""
        response = await self.session.run(raw_flow(request))
        return APIResponse(response, _parser(self.session.ctx, operation, response, empty))
