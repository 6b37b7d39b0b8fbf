"""`Client(http_client=httpx.Client(...))`: the user's own httpx client, its settings kept."""

from __future__ import annotations

import ssl
from typing import Any

import httpx
import pytest
import trustme

from generated.api.account import account_get
from replicate_ext import APIConnectionError, APITimeoutError, AsyncClient, Client
from replicate_ext._retry import RetryPolicy
from replicate_ext.testing import LocalServer

from ._tunnel import TLSFront

QUICK = RetryPolicy(backoff_base=0.001, backoff_max=0.01)


@pytest.fixture
def server(fresh_replicate_server: LocalServer) -> LocalServer:
    return fresh_replicate_server


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "ssl_cert_file"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def api_requests(server: LocalServer) -> list[Any]:
    return [r for r in server.state.requests if r.path.startswith("/v1/")]


# -- settings kept ------------------------------------------------------------------------------


def test_its_tls_settings_are_the_ones_used(
    replicate_server: LocalServer, front: TLSFront, ca: trustme.CA
) -> None:
    url = f"https://localhost:{front.port}/v1"
    plain = Client(replicate_server.token, base_url=url, max_retries=0)
    with plain, pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        plain.run("replicate/hello-world", {"text": "x"})
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    with (
        httpx.Client(verify=trusting) as mine,
        Client(replicate_server.token, base_url=url, http_client=mine) as client,
    ):
        assert client.run("replicate/hello-world", {"text": "tls"}) == "hello tls"


def test_its_headers_hooks_and_auth_apply_and_the_token_goes_to_the_api_only(
    server: LocalServer,
) -> None:
    seen: list[tuple[str, str]] = []
    with httpx.Client(
        headers={"X-App": "mine"},
        auth=httpx.BasicAuth("user", "pass"),
        event_hooks={
            "request": [lambda request: seen.append(("request", request.url.path))],
            "response": [lambda response: seen.append(("response", response.url.path))],
        },
    ) as mine:
        with Client(server.token, base_url=server.base_url, http_client=mine) as client:
            (image,) = client.run("replicate/make-image", {})
            assert image.read().startswith(b"\x89PNG")
            assert account_get.sync(client=client.api) is not None
        api = api_requests(server)
        assert not mine.is_closed  # left open: it is the user's
        assert mine.get(server.origin + "/v1/account").status_code == 401  # and as it was
    assert api
    for request in api:
        assert request.headers["authorization"] == f"Bearer {server.token}"
        assert request.headers["x-app"] == "mine"
        assert request.headers["user-agent"].startswith("replicate-ext/")  # not httpx's
    (download,) = server.state.delivery_requests
    assert download.headers["authorization"].startswith("Basic ")  # theirs, not our token
    assert ("request", "/v1/account") in seen
    assert ("response", "/v1/account") in seen
    assert any(path.startswith("/delivery/") for _, path in seen)


@pytest.mark.parametrize("ours", [True, False], ids=["with-api-token", "header-only"])
def test_a_token_in_its_headers_goes_to_the_api_only(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, ours: bool
) -> None:
    monkeypatch.delenv("REPLICATE_API_TOKEN", raising=False)
    secret = f"Bearer {server.token}"
    token = server.token if ours else None
    with (
        httpx.Client(headers={"Authorization": secret}) as mine,
        Client(token, base_url=server.base_url, http_client=mine) as client,
    ):
        (image,) = client.run("replicate/make-image", {})
        assert image.read().startswith(b"\x89PNG")
        assert mine.headers["authorization"] == secret  # theirs, left as it was
    api = api_requests(server)
    assert api
    assert all(request.headers["authorization"] == secret for request in api)
    (download,) = server.state.delivery_requests
    assert "authorization" not in download.headers


async def test_a_token_in_its_async_headers_goes_to_the_api_only(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REPLICATE_API_TOKEN", raising=False)
    async with (
        httpx.AsyncClient(headers={"Authorization": f"Bearer {server.token}"}) as mine,
        AsyncClient(base_url=server.base_url, http_client=mine) as client,
    ):
        (image,) = await client.run("replicate/make-image", {})
        assert (await image.aread()).startswith(b"\x89PNG")
    (download,) = server.state.delivery_requests
    assert "authorization" not in download.headers


def test_its_own_user_agent_is_kept(server: LocalServer) -> None:
    with (
        httpx.Client(headers={"User-Agent": "my-app/2"}) as mine,
        Client(server.token, base_url=server.base_url, http_client=mine) as client,
    ):
        client.webhooks.default.secret.get()
    assert [r.headers["user-agent"] for r in api_requests(server)] == ["my-app/2"]


def test_its_limits_and_timeout_apply(server: LocalServer) -> None:
    limits = httpx.Limits(max_connections=1)
    with (
        httpx.Client(limits=limits, timeout=httpx.Timeout(5.0, pool=0.2)) as mine,
        Client(server.token, base_url=server.base_url, http_client=mine, max_retries=0) as client,
    ):
        assert client.timeout == httpx.Timeout(5.0, pool=0.2)
        with client.stream("replicate/stream-tokens", {"prompt": "a b c d"}) as events:
            next(events)  # the one connection is busy with the stream
            with pytest.raises(APITimeoutError) as info:
                client.predictions.get("whatever")
            assert isinstance(info.value.__cause__, httpx.PoolTimeout)
        assert client.predictions.get(events.prediction.id).id  # type: ignore[union-attr]


def test_the_timeout_given_to_us_wins_and_httpx_default_is_not_taken(server: LocalServer) -> None:
    with httpx.Client(timeout=7.0) as seven, httpx.Client() as default:
        assert Client("t", http_client=seven).timeout == httpx.Timeout(7.0)
        assert Client("t", http_client=seven, timeout=3.0).timeout.read == 3.0
        assert Client("t", http_client=default).timeout.read == 60.0


def test_retries_wrap_its_transport(server: LocalServer) -> None:
    server.state.inject_fault("status", "/v1/predictions/*", method="GET", status=503, times=2)
    with (
        httpx.Client() as mine,
        Client(server.token, base_url=server.base_url, http_client=mine) as client,
    ):
        client._retry_policy = QUICK
        prediction = client.predictions.create(model="replicate/sleep", input={"seconds": 1})
        assert client.predictions.get(prediction.id).id == prediction.id
        assert mine.get(f"{server.base_url}/predictions/{prediction.id}").status_code == 401
    assert len(server.state.fired_faults) == 2


def test_a_client_closed_by_its_owner_is_not_used_behind_its_back(server: LocalServer) -> None:
    mine = httpx.Client()
    client = Client(server.token, base_url=server.base_url, http_client=mine)
    assert client.run("replicate/hello-world", {"text": "a"}) == "hello a"
    mine.close()
    with pytest.raises(RuntimeError, match="http_client given to this Client has been closed"):
        client.run("replicate/hello-world", {"text": "b"})
    client.close()


async def test_the_async_client_takes_an_async_one(server: LocalServer) -> None:
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async with httpx.AsyncClient(
        headers={"X-App": "async"}, event_hooks={"request": [hook]}
    ) as mine:
        async with AsyncClient(server.token, base_url=server.base_url, http_client=mine) as client:
            assert await client.run("replicate/hello-world", {"text": "a"}) == "hello a"
            stream = client.stream("replicate/stream-tokens", {"prompt": "x y"})
            assert "".join([str(e) async for e in stream]) == "x y"
        assert not mine.is_closed
    assert all(r.headers["x-app"] == "async" for r in api_requests(server))
    assert "/v1/models/replicate/hello-world/predictions" in seen


# -- refused before any request -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: Client(http_client=httpx.AsyncClient()),
            TypeError,
            "Client needs an httpx.Client",
        ),
        (
            lambda: AsyncClient(http_client=httpx.Client()),
            TypeError,
            "AsyncClient needs an httpx.AsyncClient as its http_client, not httpx.Client",
        ),
        (lambda: Client(http_client=object()), TypeError, "not builtins.object"),  # type: ignore[arg-type]
        (
            lambda: Client(http_client=httpx.Client(), transport=httpx.HTTPTransport()),
            TypeError,
            "either transport= or http_client=",
        ),
        (
            lambda: Client(
                base_url="https://api.replicate.com/v1",
                http_client=httpx.Client(base_url="http://127.0.0.1:1/v1"),
            ),
            ValueError,
            r"own base_url \(http://127.0.0.1:1/v1\)",
        ),
        (lambda: Client(http_client=_closed()), ValueError, "http_client is closed"),
    ],
    ids=["async-for-sync", "sync-for-async", "not-httpx", "both", "base-url", "closed"],
)
def test_the_wrong_http_client_is_refused_at_once(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make()


def _closed() -> httpx.Client:
    client = httpx.Client()
    client.close()
    return client


def test_its_base_url_may_be_the_same_as_ours(server: LocalServer) -> None:
    with (
        httpx.Client(base_url=server.base_url + "/") as mine,
        Client(server.token, base_url=server.base_url, http_client=mine) as client,
    ):
        assert client.run("replicate/hello-world", {"text": "same"}) == "hello same"
