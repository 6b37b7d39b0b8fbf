"""`with_raw_response` (the HTTP answer, parsed on demand), `with_options` (one client's pool)."""

from __future__ import annotations

import httpx
import pytest

import replicate_ext
from generated.models.account import Account
from generated.models.paginated_predictions import PaginatedPredictions
from replicate_ext import (
    APITimeoutError,
    AsyncClient,
    Client,
    NotFoundError,
    ReplicateError,
)
from replicate_ext._retry import RetryPolicy
from replicate_ext.testing import LocalServer

QUICK = RetryPolicy(backoff_base=0.001, backoff_max=0.01)


def test_a_raw_answer_has_status_headers_and_parses_on_demand(client: Client) -> None:
    raw = client.with_raw_response.account.get()
    assert isinstance(raw, replicate_ext.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["Content-Type"].startswith("application/json")
    assert b'"username"' in raw.content
    account = raw.parse()
    assert isinstance(account, Account)
    assert raw.parse() is account  # parsed once
    assert repr(raw) == "<APIResponse [200 OK] GET /v1/account>"


def test_raw_lists_and_deletions(client: Client) -> None:
    client.predictions.create(model="replicate/hello-world", input={"text": "r"})
    page = client.with_raw_response.predictions.list().parse()
    assert isinstance(page, PaginatedPredictions)
    assert len(page.results) == 1
    file = client.files.create(b"data")
    deleted = client.with_raw_response.files.delete(file.id)
    assert (deleted.status_code, deleted.parse()) == (204, None)


def test_raw_calls_still_raise_errors(client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.with_raw_response.models.get("replicate/no-such-model")


def test_raw_has_no_handwritten_methods(client: Client) -> None:
    raw = client.with_raw_response
    assert not hasattr(raw.predictions, "create")
    assert not hasattr(raw.models, "search")
    assert hasattr(raw.models.predictions, "create")  # the endpoint itself is there


async def test_async_raw(async_client: AsyncClient) -> None:
    raw = await async_client.with_raw_response.models.get("replicate/hello-world")
    assert raw.status_code == 200
    assert raw.parse().name == "hello-world"
    results = await async_client.with_raw_response.hardware.list()
    assert {h.sku for h in results.parse()} >= {"cpu"}


class Counting(httpx.BaseTransport):
    """httpx's transport, counting the requests it carries."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_with_options_shares_the_connections_and_leaves_the_original_unchanged(
    server: LocalServer,
) -> None:
    transport = Counting()
    with Client(server.token, base_url=server.base_url, transport=transport) as client:
        quick = client.with_options(timeout=7, max_retries=0)
        assert quick is not client
        assert (quick.timeout.read, quick.max_retries) == (7, 0)
        assert (client.timeout.read, client.max_retries) == (60, 3)
        assert quick.account.get().username == "test-user"
        assert client.account.get().username == "test-user"
        assert transport.sent == 2  # both went through the one transport
        with client.with_options(poll_interval=0.01) as other:
            other.hardware.list()
        client.hardware.list()  # closing the derived client left the connections open
        assert transport.sent == 4


def test_with_options_sets_the_retries(server: LocalServer, client: Client) -> None:
    client._retry_policy = QUICK
    server.state.inject_fault("status", "/v1/account", status=503, times=1)
    with pytest.raises(ReplicateError) as failed:
        client.with_options(max_retries=0).account.get()
    assert failed.value.status == 503
    server.state.inject_fault("status", "/v1/account", status=503, times=1)
    assert client.account.get().username == "test-user"  # the original still retries
    assert len(server.state.requests_to("/v1/account")) == 3


def test_with_options_sets_the_timeout(server: LocalServer, client: Client) -> None:
    server.state.inject_fault("slow", "/v1/account", delay=0.6, times=1)
    with pytest.raises(APITimeoutError):
        client.with_options(timeout=0.2, max_retries=0).account.get()


async def test_async_with_options(server: LocalServer, async_client: AsyncClient) -> None:
    async with async_client.with_options(max_retries=1) as quick:
        assert quick.max_retries == 1
        assert (await quick.account.get()).username == "test-user"
    assert (await async_client.account.get()).username == "test-user"


def test_with_options_refuses_unknown_and_bad_options(client: Client) -> None:
    with pytest.raises(TypeError, match="not \\['base_url'\\]"):
        client.with_options(base_url="http://elsewhere")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-1)


def test_once_the_original_is_closed_its_derived_clients_are_too(server: LocalServer) -> None:
    client = Client(server.token, base_url=server.base_url)
    derived = client.with_options(timeout=5)
    derived.account.get()
    client.close()
    with pytest.raises(RuntimeError, match="with_options"):
        derived.account.get()
