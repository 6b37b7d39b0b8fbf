"""Lists page by themselves: items across pages, lazily, up to a limit; filters are checked."""

from __future__ import annotations

import datetime

import httpx
import pytest

from generated.models.paginated_predictions import PaginatedPredictions
from replicate_ext import AsyncClient, Client
from replicate_ext.testing import LocalServer


def make_predictions(server: LocalServer, count: int) -> list[str]:
    """`count` predictions, made with plain HTTP; their ids, newest first."""
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {server.token}"}
    ) as http:
        made = [
            http.post(
                "/models/replicate/hello-world/predictions", json={"input": {"text": str(i)}}
            ).json()["id"]
            for i in range(count)
        ]
    return made[::-1]


def list_requests(server: LocalServer) -> int:
    return len(server.state.requests_to("/v1/predictions", "GET"))


def test_items_cross_pages_lazily(server: LocalServer, client: Client) -> None:
    made = make_predictions(server, 12)  # the fixture server's pages hold 5
    listing = client.predictions.list()
    assert list_requests(server) == 0  # nothing is sent before the first item is asked for
    assert [p.id for p in listing] == made
    assert list_requests(server) == 3
    assert [p.id for p in listing] == made  # a new iteration starts over
    assert list_requests(server) == 6


def test_pages_are_the_page_models(server: LocalServer, client: Client) -> None:
    make_predictions(server, 12)
    pages = list(client.predictions.list().pages())
    assert all(isinstance(page, PaginatedPredictions) for page in pages)
    assert [len(page.results) for page in pages] == [5, 5, 2]
    assert isinstance(pages[0].next, str)
    assert pages[-1].next is None


def test_a_limit_stops_early_without_fetching_more_pages(
    server: LocalServer, client: Client
) -> None:
    made = make_predictions(server, 12)
    assert [p.id for p in client.predictions.list(limit=7)] == made[:7]
    assert list_requests(server) == 2  # the page holding the 7th, and no more
    assert [len(page.results) for page in client.predictions.list(limit=5).pages()] == [5]
    assert [m.name for m in client.models.list(limit=1)] == [next(iter(client.models.list())).name]


async def test_async_lists(server: LocalServer, async_client: AsyncClient) -> None:
    made = make_predictions(server, 7)
    listing = async_client.predictions.list()
    assert list_requests(server) == 0
    assert [p.id async for p in listing] == made
    assert [len(page.results) async for page in listing.pages()] == [5, 2]
    assert [p.id async for p in async_client.predictions.list(limit=6)] == made[:6]
    found = [m.name async for m in async_client.models.search("e", limit=6)]
    assert len(found) == 6


def test_search_crosses_pages_as_a_query(server: LocalServer, client: Client) -> None:
    found = list(client.models.search("e"))  # most bundled models; pages of 5
    assert len(found) > 5
    queries = server.state.requests_to("/v1/models", "QUERY")
    assert len(queries) >= 2
    assert all(q.headers["content-type"] == "text/plain" for q in queries)


def test_filters_are_keyword_arguments(server: LocalServer, client: Client) -> None:
    make_predictions(server, 2)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    assert list(client.predictions.list(created_after=later)) == []
    assert len(list(client.predictions.list(created_after="2000-01-01T00:00:00Z"))) == 2
    assert len(list(client.predictions.list(created_before=later.isoformat()))) == 2
    list(client.predictions.list(source="web"))
    (*_, last) = server.state.requests_to("/v1/predictions", "GET")
    assert last.query == "source=web"
    models = list(client.models.list(sort_by="model_created_at", sort_direction="asc"))
    assert len(models) > 5
    (first, *_) = server.state.requests_to("/v1/models", "GET")
    assert "sort_by=model_created_at" in first.query


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda c: c.predictions.list(created_after=5),
            TypeError,
            "created_after must be a datetime",
        ),
        (
            lambda c: c.predictions.list(created_after="yesterday"),
            ValueError,
            "created_after must be an ISO",
        ),
        (lambda c: c.predictions.list(source=1), TypeError, "source must be a string"),
        (lambda c: c.predictions.list(source="phone"), ValueError, "source must be one of"),
        (lambda c: c.models.list(sort_by="name"), ValueError, "sort_by must be one of"),
        (lambda c: c.predictions.list(limit=0), ValueError, "limit must be 1 or more"),
        (lambda c: c.predictions.list(limit="3"), TypeError, "limit must be an int"),
        (lambda c: c.predictions.list(cursor=b"x"), TypeError, "cursor must be a string"),
        (lambda c: c.search(None), TypeError, "query must be a string"),
        (lambda c: c.search("x", limit=True), TypeError, "limit must be an int"),
    ],
)
def test_a_wrong_argument_fails_before_any_request_naming_it(
    server: LocalServer, client: Client, call, error, message
) -> None:
    with pytest.raises(error, match=message):
        call(client)
    assert server.state.requests == []
