from __future__ import annotations

from generated.api.models import models_list
from generated.api.predictions import predictions_list
from generated.models.paginated_predictions import PaginatedPredictions
from replicate_ext._client import AsyncClient, Client


def make_predictions(client: Client, count: int) -> list[str]:
    return [client.run("replicate/hello-world", {"text": str(i)}) for i in range(count)]


def test_pages_are_fetched_lazily_following_next(client: Client, server) -> None:
    make_predictions(client, 12)  # the fixture server's pages hold 5
    before = len(server.state.requests_to("/v1/predictions", "GET"))
    pages = client.paginate(predictions_list)
    assert len(server.state.requests_to("/v1/predictions", "GET")) == before  # nothing yet
    iterator = iter(pages)
    first = next(iterator)
    assert isinstance(first, PaginatedPredictions)
    assert len(first.results) == 5
    assert len(server.state.requests_to("/v1/predictions", "GET")) == before + 1
    rest = list(iterator)
    assert [len(page.results) for page in rest] == [5, 2]
    cursors = [r.query for r in server.state.requests_to("/v1/predictions", "GET")][before:]
    assert cursors[0] == ""
    assert all("cursor=" in q for q in cursors[1:])


def test_items_cross_pages(client: Client) -> None:
    make_predictions(client, 7)
    outputs = [p.output for p in client.paginate(predictions_list).items()]
    assert sorted(outputs) == sorted(f"hello {i}" for i in range(7))


def test_params_go_to_the_first_page(client: Client, server) -> None:
    models = list(
        client.paginate(models_list, sort_by="model_created_at", sort_direction="asc").items()
    )
    assert len(models) == len({(m.owner, m.name) for m in models}) > 5
    (first, *_) = server.state.requests_to("/v1/models", "GET")
    assert "sort_by=model_created_at" in first.query


def test_search_models_queries_and_pages(client: Client, server) -> None:
    found = list(client.models.search("image"))
    assert "make-image" in {m.name for m in found}
    (query,) = server.state.requests_to("/v1/models", "QUERY")
    assert query.headers["content-type"] == "text/plain"
    assert list(client.models.search("no-such-thing-anywhere")) == []


def test_search_pages_repeat_the_query(client: Client, server) -> None:
    pages = list(client.models.search("e").pages())  # most bundled models; pages of 5
    assert len(pages) >= 2
    queries = server.state.requests_to("/v1/models", "QUERY")
    assert queries[0].query == ""
    assert all("cursor=" in q.query for q in queries[1:])
    assert len(queries) == len(pages)


async def test_async_pages_and_items(async_client: AsyncClient, server) -> None:
    for i in range(6):
        await async_client.run("replicate/hello-world", {"text": str(i)})
    pages = [page async for page in async_client.paginate(predictions_list)]
    assert [len(p.results) for p in pages] == [5, 1]
    items = [p.id async for p in async_client.paginate(predictions_list).items()]
    assert len(set(items)) == 6
    found = [m.name async for m in async_client.models.search("hello")]
    assert "hello-world" in found


def test_errors_raise(client: Client, server) -> None:
    import pytest

    from replicate_ext._errors import ReplicateError

    server.state.inject_fault("status", "/v1/predictions", method="GET", status=400)
    with pytest.raises(ReplicateError) as info:
        list(client.paginate(predictions_list))
    assert info.value.status == 400
