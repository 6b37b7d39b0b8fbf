"""Paging through list endpoints: the generated operation's first page, then each `next`.

`Pages` gives the pages of a list (`paginate()`); `Pager` gives their items
(`client.models.list()`), up to a limit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._flow import Flow, Send

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
PageT_co = TypeVar("PageT_co", covariant=True)

if TYPE_CHECKING:
    # For type checkers only: no class is built for them at import.
    from typing import Protocol

    import httpx

    from generated.client import AuthenticatedClient
    from generated.client import Client as GeneratedClient
    from generated.models.problem import Problem

    from ._context import Context

    class Page(Protocol[T_co]):
        """What every page model of `generated` has: `results`, and the `next` page's URL."""

        @property
        def results(self) -> Sequence[T_co]: ...

        @property
        def next(self) -> object: ...

    class ListOperation(Protocol[PageT_co]):
        """A generated list operation module, like `generated.api.predictions.predictions_list`."""

        def _get_kwargs(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...

        def _parse_response(
            self, *, client: AuthenticatedClient | GeneratedClient, response: httpx.Response
        ) -> PageT_co | Problem | None: ...


def page_flow(ctx: Context, operation: ModuleType, request: dict[str, Any]) -> Flow[Any]:
    """Fetch one page and parse it with the generated `operation`."""
    from ._context import parse

    response = yield Send(request)
    return parse(ctx, operation, response)


def next_request(first: dict[str, Any], page: Any, seen: set[str]) -> dict[str, Any] | None:
    """The request for the page after `page`, or None after the last one.

    It is the first request sent to the `next` URL (which carries the cursor
    and the query), so a QUERY search stays a QUERY with its body.
    """
    url = getattr(page, "next", None)
    if not isinstance(url, str) or not url or url in seen:
        return None  # the last page (or a server that loops)
    seen.add(url)
    request = {key: value for key, value in first.items() if key != "params"}
    request["url"] = url
    return request


class Pages(Generic[PageT_co]):
    """The pages of a list, fetched one at a time as you iterate.

    Iterate for the pages (the generated page models); `items()` gives every
    item of every page instead.
    """

    def __init__(
        self,
        ctx: Context,
        operation: ModuleType,
        request: dict[str, Any],
        drive: Callable[[Flow[Any]], Any],
    ) -> None:
        self._ctx = ctx
        self._operation = operation
        self._request = request
        self._drive = drive

    def __iter__(self) -> Iterator[PageT_co]:
        seen: set[str] = set()
        request: dict[str, Any] | None = self._request
        while request is not None:
            page = self._drive(page_flow(self._ctx, self._operation, request))
            yield page
            request = next_request(self._request, page, seen)

    def items(self: Pages[Page[T]]) -> Iterator[T]:
        """Every item of every page, fetching pages as needed."""
        for page in self:
            yield from page.results


class AsyncPages(Generic[PageT_co]):
    """The pages of a list, fetched one at a time as you iterate with `async for`.

    `items()` gives every item of every page instead.
    """

    def __init__(
        self,
        ctx: Context,
        operation: ModuleType,
        request: dict[str, Any],
        drive: Callable[[Flow[Any]], Awaitable[Any]],
    ) -> None:
        self._ctx = ctx
        self._operation = operation
        self._request = request
        self._drive = drive

    async def __aiter__(self) -> AsyncIterator[PageT_co]:
        seen: set[str] = set()
        request: dict[str, Any] | None = self._request
        while request is not None:
            page = await self._drive(page_flow(self._ctx, self._operation, request))
            yield page
            request = next_request(self._request, page, seen)

    async def items(self: AsyncPages[Page[T]]) -> AsyncIterator[T]:
        """Every item of every page, fetching pages as needed."""
        async for page in self:
            for item in page.results:
                yield item


class Pager(Generic[T_co]):
    """Every item of a list, fetched a page at a time as it is iterated (`client.models.list()`).

    Nothing is sent before the first item is asked for, and each iteration
    starts again from the first page. `pages()` gives the pages themselves.
    With a `limit`, iteration stops after that many items, and no page is
    fetched beyond the one that holds the last of them.
    """

    def __init__(self, pages: Pages[Page[T_co]], limit: int | None = None) -> None:
        self._pages = pages
        self._limit = limit

    def __iter__(self) -> Iterator[T_co]:
        left = self._limit
        for page in self._pages:
            for item in page.results:
                if left is not None:
                    if left <= 0:
                        return
                    left -= 1
                yield item
            if left is not None and left <= 0:
                return

    def pages(self) -> Iterator[Page[T_co]]:
        """The pages, each a generated page model (`results`, `next`), up to the limit's."""
        seen = 0
        for page in self._pages:
            yield page
            seen += len(page.results)
            if self._limit is not None and seen >= self._limit:
                return


class AsyncPager(Generic[T_co]):
    """`Pager` for ``async for``: `async for model in async_client.models.list(): ...`."""

    def __init__(self, pages: AsyncPages[Page[T_co]], limit: int | None = None) -> None:
        self._pages = pages
        self._limit = limit

    async def __aiter__(self) -> AsyncIterator[T_co]:
        left = self._limit
        async for page in self._pages:
            for item in page.results:
                if left is not None:
                    if left <= 0:
                        return
                    left -= 1
                yield item
            if left is not None and left <= 0:
                return

    async def pages(self) -> AsyncIterator[Page[T_co]]:
        """The pages, each a generated page model (`results`, `next`), up to the limit's."""
        seen = 0
        async for page in self._pages:
            yield page
            seen += len(page.results)
            if self._limit is not None and seen >= self._limit:
                return


def search_request(query: str) -> dict[str, Any]:
    """QUERY /models: the search openapi-python-client cannot generate."""
    return {
        "method": "QUERY",
        "url": "/models",
        "content": query.encode(),
        "headers": {"Content-Type": "text/plain"},
    }
