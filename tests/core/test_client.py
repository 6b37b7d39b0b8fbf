from __future__ import annotations

import logging

import httpx
import pytest

import replicate_ext
from generated.api.predictions import predictions_get
from generated.models.prediction import Prediction
from replicate_ext import WebhookVerificationError, _default, sign_webhook
from replicate_ext._client import USER_AGENT, AsyncClient, Client
from replicate_ext._errors import AuthenticationError
from replicate_ext._files import FileOutput

# -- the token --------------------------------------------------------------------------------


def test_missing_token_fails_at_the_first_request_not_before(server, monkeypatch) -> None:
    monkeypatch.delenv("REPLICATE_API_TOKEN", raising=False)
    client = Client(base_url=server.base_url)  # constructing is fine
    with pytest.raises(AuthenticationError, match="REPLICATE_API_TOKEN"):
        client.run("replicate/hello-world", {"text": "x"})
    assert server.state.requests == []  # refused before anything was sent
    client.close()


async def test_empty_token_fails_clearly(server) -> None:
    async with AsyncClient("", base_url=server.base_url) as client:
        with pytest.raises(AuthenticationError, match="empty"):
            await client.run("replicate/hello-world", {"text": "x"})
    assert server.state.requests == []


def test_wrong_token_is_an_authentication_error_without_the_token(server) -> None:
    client = Client("r8_wrongwrongwrong", base_url=server.base_url)
    with client, pytest.raises(AuthenticationError) as info:
        client.run("replicate/hello-world", {"text": "x"})
    assert info.value.status == 401
    assert info.value.title == "Unauthenticated"
    assert "r8_wrongwrongwrong" not in str(info.value) + repr(info.value)


def test_environment_configures_the_client(server, monkeypatch) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    with Client() as client:
        assert str(client.base_url) == server.base_url
        assert client.run("replicate/hello-world", {"text": "env"}) == "hello env"


def test_token_stays_out_of_reprs_and_logs(server, caplog: pytest.LogCaptureFixture) -> None:
    server.state.inject_fault("status", "/v1/predictions/*", method="GET", status=503)
    client = Client(server.token, base_url=server.base_url, poll_interval=0.01)
    client._retry_policy = type(client._retry_policy)(backoff_base=0.001)
    with caplog.at_level(logging.DEBUG), client:
        client.run("replicate/sleep", {"seconds": 5}, wait=False)
        reprs = repr(client) + repr(client.api) + repr(client._auth) + repr(client._ctx)
    assert "retrying GET" in caplog.text  # the debug log was captured
    assert server.token not in caplog.text
    assert server.token not in reprs
    assert repr(client) == f"Client(base_url={server.base_url!r})"


# -- the base URL -----------------------------------------------------------------------------


def _origin(server) -> str:
    return server.base_url.removesuffix("/v1")


@pytest.mark.parametrize("suffix", ["", "/"])
def test_a_base_url_without_a_path_means_the_api_root(server, suffix: str) -> None:
    # As replicate 1.x takes it: http://127.0.0.1:8787, the API under /v1.
    with Client(server.token, base_url=_origin(server) + suffix) as client:
        assert client.base_url == server.base_url
        assert client.run("replicate/hello-world", {"text": "root"}) == "hello root"
    assert [request.path for request in server.state.requests] == [
        "/v1/models/replicate/hello-world/predictions"
    ]


async def test_replicate_base_url_without_a_path_means_the_api_root(server, monkeypatch) -> None:
    monkeypatch.setenv("REPLICATE_BASE_URL", _origin(server))
    async with AsyncClient(server.token) as client:
        assert await client.run("replicate/hello-world", {"text": "env"}) == "hello env"


@pytest.mark.parametrize(
    "base_url", ["127.0.0.1:8787", "localhost:8787/v1", "api.replicate.com/v1", "ftp://x/v1"]
)
def test_a_base_url_without_a_scheme_is_refused_at_construction(server, base_url: str) -> None:
    with pytest.raises(ValueError, match=r"base_url must be an http:// or https:// URL") as info:
        Client(server.token, base_url=base_url)
    assert repr(base_url) in str(info.value)
    if "://" not in base_url:
        assert "no scheme" in str(info.value)
    assert server.state.requests == []


def test_replicate_base_url_without_a_scheme_is_named(monkeypatch) -> None:
    monkeypatch.setenv("REPLICATE_BASE_URL", "127.0.0.1:8787")
    with pytest.raises(ValueError, match=r"^REPLICATE_BASE_URL must be .* \(it has no scheme"):
        AsyncClient("r8_x")


# -- headers and hosts ------------------------------------------------------------------------


def test_user_agent(server) -> None:
    with Client(server.token, base_url=server.base_url, user_agent="my-app/2.0") as client:
        client.run("replicate/hello-world", {"text": "x"})
    (request,) = server.state.requests
    assert request.headers["user-agent"] == f"my-app/2.0 {USER_AGENT}"
    assert USER_AGENT.startswith("replicate-ext/")


def test_authorization_never_follows_redirects_or_leaves_the_base_url() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.example" and request.url.path == "/v1/files/f/download":
            return httpx.Response(302, headers={"Location": "https://cdn.example/f"})
        return httpx.Response(200, content=b"ok")

    with Client(
        "r8_token", base_url="https://api.example/v1", transport=httpx.MockTransport(handle)
    ) as client:
        http = client._sync_http()
        http.get("/files/f/download", follow_redirects=True)
        http.get("https://api.example/delivery/x.png")  # same host, outside /v1
        http.get("https://api.example/v1x/other")  # a prefix of the path is not enough
        http.get("http://api.example/v1/account")  # another scheme
    authorized = [str(r.url) for r in seen if "authorization" in r.headers]
    assert authorized == ["https://api.example/v1/files/f/download"]
    assert seen[1].url.host == "cdn.example"


def test_api_is_ready_for_typed_calls(client: Client, server) -> None:
    client.run("replicate/hello-world", {"text": "t"})
    (prediction_id,) = server.state.predictions
    fetched = predictions_get.sync(client=client.api, prediction_id=prediction_id)
    assert isinstance(fetched, Prediction)
    assert fetched.output == "hello t"
    missing = predictions_get.sync_detailed(client=client.api, prediction_id="nope")
    assert missing.status_code == 404


async def test_api_typed_async_calls(async_client: AsyncClient, server) -> None:
    await async_client.run("replicate/hello-world", {"text": "a"})
    (prediction_id,) = server.state.predictions
    fetched = await predictions_get.asyncio(client=async_client.api, prediction_id=prediction_id)
    assert isinstance(fetched, Prediction)
    assert fetched.status == "succeeded"


def test_connections_are_reused(client: Client, server) -> None:
    for i in range(3):
        client.run("replicate/hello-world", {"text": str(i)})
    ports = {r.headers.get("host") for r in server.state.requests}
    assert len(ports) == 1
    assert client._sync_http() is client._sync_http()


# -- webhooks ---------------------------------------------------------------------------------


def test_verifying_with_a_webhook_secret_answer_without_its_key_is_a_parse_error() -> None:
    # The spec no longer requires `key` (Replicate's schema does not); the client
    # still cannot do without it. MockTransport: the local server always sends it.
    from generated.types import UNSET
    from replicate_ext import ResponseParseError

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"note": "no key"})

    with Client("r8_test", transport=httpx.MockTransport(answer)) as client:
        assert client.webhooks.default.secret.get().key is UNSET  # read, as sent
        with pytest.raises(ResponseParseError) as caught:
            client.verify_webhook({}, b"{}")  # needs the key
    assert (caught.value.model, caught.value.field, caught.value.reason) == (
        "WebhookSecret",
        "key",
        "missing",
    )


def test_a_deployment_answer_without_its_release_still_resolves() -> None:
    # None of a deployment's fields is required (Replicate's schema requires
    # none): use() then runs it without its schema instead of failing.
    from replicate_ext._refs import Ref
    from replicate_ext._resolve import resolve_flow

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json={"owner": "acme", "name": "greeter"})

    with Client("r8_test", transport=httpx.MockTransport(answer)) as client:
        found = client._drive(resolve_flow(client._ctx, Ref("deployment", "acme", "greeter")))
    assert (found.version, found.openapi_schema) == (None, None)
    assert found.label == "deployments/acme/greeter"
    assert seen == ["/v1/deployments/acme/greeter"]


def test_webhook_secret_and_validation(client: Client, server) -> None:
    assert client.webhooks.default.secret.get().key == server.state.webhook_secret
    client.run(
        "replicate/hello-world",
        {"text": "hook"},
        webhook=f"{server.origin}/hooks/receiver",
        webhook_events_filter=["completed"],
    )
    delivery = server.state.wait_until(lambda: server.state.webhook_deliveries)[0]
    assert client.validate_webhook(delivery.headers, delivery.body) is True
    client.verify_webhook(delivery.headers, delivery.body)
    assert client.validate_webhook(delivery.headers, delivery.body + b" ") is False
    with pytest.raises(WebhookVerificationError):
        client.verify_webhook(delivery.headers, delivery.body, "whsec_" + "A" * 32)
    # The explicit fetch, then one for every validation: the client keeps the secret.
    assert len(server.state.requests_to("/v1/webhooks/default/secret")) == 2


async def test_webhook_validation_async(async_client: AsyncClient, server) -> None:
    secret = (await async_client.webhooks.default.secret.get()).key
    body = b'{"id": "abc", "status": "succeeded"}'
    import time

    now = str(int(time.time()))
    headers = {
        "Webhook-Id": "msg_1",
        "Webhook-Timestamp": now,
        "Webhook-Signature": sign_webhook(secret, "msg_1", now, body),
    }
    assert await async_client.validate_webhook(headers, body) is True
    await async_client.verify_webhook(headers, body, secret)
    assert await async_client.validate_webhook(headers, body, tolerance=None) is True
    with pytest.raises(WebhookVerificationError):
        await async_client.verify_webhook({**headers, "webhook-id": "msg_2"}, body)


# -- the default clients behind the module-level functions ------------------------------------


@pytest.fixture
def default_env(server, monkeypatch):
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    monkeypatch.setattr(_default, "_client", None)
    monkeypatch.setattr(_default, "_async_client", None)
    monkeypatch.setattr(_default, "_async_clients", type(_default._async_clients)())
    yield server
    if _default._client is not None:
        _default._client.close()


def test_module_level_functions(default_env, tmp_path) -> None:
    server = default_env
    assert _default.run("replicate/hello-world", {"text": "module"}) == "hello module"
    (prediction_id,) = server.state.predictions
    assert _default.wait(prediction_id).status == "succeeded"
    assert _default.default_client() is _default.default_client()
    from generated.api.predictions import predictions_list

    assert [p.id for p in _default.paginate(predictions_list).items()] == [prediction_id]
    assert "hello-world" in {m.name for m in replicate_ext.models.search("hello")}
    assert replicate_ext.files.create(b"data", filename="d.txt").size == 4
    assert replicate_ext.webhooks.default.secret.get().key.startswith("whsec_")
    (image,) = _default.run("replicate/make-image", {})
    assert FileOutput(image.url).read() == image.read()  # a bare FileOutput uses the default client


async def test_module_level_async_functions(default_env) -> None:
    from generated.api.predictions import predictions_list

    assert await _default.async_run("replicate/hello-world", {"text": "a"}) == "hello a"
    (prediction_id,) = default_env.state.predictions
    assert (await _default.async_wait(prediction_id)).status == "succeeded"
    assert [p.id async for p in _default.async_paginate(predictions_list).items()] == [
        prediction_id
    ]
    assert _default.default_async_client() is _default.default_async_client()
    await _default.default_async_client().aclose()


def test_transport_kind_is_checked() -> None:
    with pytest.raises(TypeError, match="AsyncBaseTransport"):
        AsyncClient("t", transport=httpx.HTTPTransport())
    with pytest.raises(TypeError, match="BaseTransport"):
        Client("t", transport=httpx.AsyncHTTPTransport())
    Client("t", transport=httpx.MockTransport(lambda r: httpx.Response(200))).close()


def test_module_level_prediction_functions(default_env) -> None:
    created = replicate_ext.predictions.create(model="replicate/sleep", input={"seconds": 1000})
    assert replicate_ext.predictions.get(created.id).id == created.id
    replicate_ext.predictions.cancel(created.id)
    assert _default.wait(created).status == "canceled"


async def test_module_level_async_prediction_functions(default_env) -> None:
    client = _default.default_async_client()
    created = await client.predictions.create(model="replicate/sleep", input={"seconds": 1000})
    assert (await client.predictions.get(created.id)).id == created.id
    await client.predictions.cancel(created.id)
    assert (await _default.async_wait(created)).status == "canceled"
    await _default.default_async_client().aclose()


def test_one_client_serves_many_threads(client: Client, server) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        outputs = list(
            pool.map(lambda i: client.run("replicate/hello-world", {"text": str(i)}), range(16))
        )
    assert outputs == [f"hello {i}" for i in range(16)]
    assert len(server.state.predictions) == 16


async def test_one_async_client_serves_many_tasks(async_client: AsyncClient, server) -> None:
    import asyncio

    outputs = await asyncio.gather(
        *(async_client.run("replicate/stream-tokens", {"prompt": f"x{i} y"}) for i in range(12))
    )
    assert outputs == [f"x{i} y" for i in range(12)]
    assert len(server.state.predictions) == 12
