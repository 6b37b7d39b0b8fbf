"""Proxies from the environment, through a real CONNECT proxy, in every configuration.

The API is the local server behind a TLS front (`_tunnel`), trusted through
SSL_CERT_FILE; HTTPS_PROXY names a tunnelling proxy on loopback that records
where it was asked to connect. A transport given (`transport=`) is used as
httpx uses it: as given, the environment's proxies left out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from generated.api.account import account_get
from replicate_ext import APIConnectionError, AsyncClient, Client
from replicate_ext._client import _BaseClient
from replicate_ext._http import environment_proxies
from replicate_ext.testing import LocalServer

from ._tunnel import ConnectProxy, TLSFront
from .conftest import API_HOST


@pytest.fixture
def proxy() -> Iterator[ConnectProxy]:
    with ConnectProxy() as connect:
        yield connect


@pytest.fixture(autouse=True)
def environment(
    monkeypatch: pytest.MonkeyPatch, ca: trustme.CA, tmp_path: Path, proxy: ConnectProxy
) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)


def base_url(front: TLSFront, host: str = "localhost") -> str:
    return f"https://{host}:{front.port}/v1"


# -- every configuration ------------------------------------------------------------------------

# The configurations that take the environment's proxies.
SYNC_CONFIGURATIONS: dict[str, Callable[[], dict[str, Any]]] = {
    "default": dict,
    "http_client": lambda: {"http_client": httpx.Client()},
}
ASYNC_CONFIGURATIONS: dict[str, Callable[[], dict[str, Any]]] = {
    "default": dict,
    "http_client": lambda: {"http_client": httpx.AsyncClient()},
}


@pytest.mark.parametrize("configuration", SYNC_CONFIGURATIONS)
def test_requests_go_through_the_proxy_in_every_configuration(
    replicate_server: LocalServer, front: TLSFront, proxy: ConnectProxy, configuration: str
) -> None:
    options = SYNC_CONFIGURATIONS[configuration]()
    with Client(replicate_server.token, base_url=base_url(front, API_HOST), **options) as client:
        assert client.run("replicate/hello-world", {"text": "proxied"}) == "hello proxied"
        account = account_get.sync(client=client.api)  # a typed call takes the same way
    assert account is not None
    assert account.username
    assert proxy.targets
    assert set(proxy.targets) == {f"{API_HOST}:{front.port}"}
    if "http_client" in options:
        options["http_client"].close()


@pytest.mark.parametrize("configuration", ASYNC_CONFIGURATIONS)
async def test_async_requests_go_through_the_proxy_in_every_configuration(
    replicate_server: LocalServer, front: TLSFront, proxy: ConnectProxy, configuration: str
) -> None:
    options = ASYNC_CONFIGURATIONS[configuration]()
    url = base_url(front, API_HOST)
    async with AsyncClient(replicate_server.token, base_url=url, **options) as client:
        assert await client.run("replicate/hello-world", {"text": "async"}) == "hello async"
    assert proxy.targets
    assert set(proxy.targets) == {f"{API_HOST}:{front.port}"}
    if "http_client" in options:
        await options["http_client"].aclose()


def test_a_client_of_your_own_without_trust_env_goes_direct(
    replicate_server: LocalServer, front: TLSFront, proxy: ConnectProxy
) -> None:
    with (
        httpx.Client(trust_env=False, verify=_trusting(front)) as mine,
        Client(replicate_server.token, base_url=base_url(front), http_client=mine) as client,
    ):
        assert client.run("replicate/hello-world", {"text": "direct"}) == "hello direct"
    assert proxy.targets == []
    assert front.connections >= 1


@pytest.fixture
def other_proxy() -> Iterator[ConnectProxy]:
    with ConnectProxy() as connect:
        yield connect


@pytest.mark.parametrize("kind", [Client, AsyncClient])
async def test_a_transport_given_goes_through_its_own_proxy_with_its_own_tls(
    replicate_server: LocalServer,
    front: TLSFront,
    proxy: ConnectProxy,
    other_proxy: ConnectProxy,
    monkeypatch: pytest.MonkeyPatch,
    kind: type[_BaseClient],
) -> None:
    # Its CA comes with the transport alone: the environment's proxy and bundle are not its own.
    tls = _trusting(front)
    monkeypatch.delenv("SSL_CERT_FILE")
    network = httpx.HTTPTransport if kind is Client else httpx.AsyncHTTPTransport
    transport = network(proxy=other_proxy.url, verify=tls)
    url = base_url(front, API_HOST)
    client = kind(replicate_server.token, base_url=url, transport=transport, max_retries=0)
    if isinstance(client, Client):
        with client:
            assert client.run("replicate/hello-world", {"text": "mine"}) == "hello mine"
    else:
        async with client:
            assert await client.run("replicate/hello-world", {"text": "mine"}) == "hello mine"
    assert proxy.targets == []  # HTTPS_PROXY's
    assert set(other_proxy.targets) == {f"{API_HOST}:{front.port}"}


def test_a_transport_given_without_a_proxy_goes_direct_as_with_httpx(
    replicate_server: LocalServer, front: TLSFront, proxy: ConnectProxy
) -> None:
    url = base_url(front)
    transport = httpx.HTTPTransport(verify=_trusting(front))
    with Client(replicate_server.token, base_url=url, transport=transport) as client:
        assert client.run("replicate/hello-world", {"text": "direct"}) == "hello direct"
    with httpx.Client(transport=httpx.HTTPTransport(verify=_trusting(front))) as plain:
        assert plain.get(f"{url}/account").status_code == 401  # httpx alike: not proxied
    assert proxy.targets == []
    assert front.connections >= 2


@pytest.mark.parametrize("configuration", SYNC_CONFIGURATIONS)
def test_a_dead_proxy_is_named_by_the_error(
    replicate_server: LocalServer,
    front: TLSFront,
    monkeypatch: pytest.MonkeyPatch,
    configuration: str,
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("HTTPS_PROXY", dead)
    options = SYNC_CONFIGURATIONS[configuration]()
    url = base_url(front, API_HOST)
    client = Client(replicate_server.token, base_url=url, max_retries=0, **options)
    with client, pytest.raises(APIConnectionError) as info:
        client.predictions.get("abc")
    if "http_client" in options:
        options["http_client"].close()
    message = str(info.value)
    assert f"{url}/predictions/abc through the proxy {dead} failed: ConnectError" in message
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_a_transport_that_is_not_a_network_one_gets_every_request(
    replicate_server: LocalServer, proxy: ConnectProxy
) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"type": "user", "username": "mock", "name": "Mock"})

    with Client(
        "r8_token", base_url="https://api.example/v1", transport=httpx.MockTransport(handler)
    ) as client:
        account = account_get.sync(client=client.api)
    assert account is not None
    assert account.username == "mock"
    assert seen == ["https://api.example/v1/account"]
    assert proxy.targets == []


def _trusting(front: TLSFront) -> Any:
    import os
    import ssl

    return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])


# -- NO_PROXY -----------------------------------------------------------------------------------

# (NO_PROXY, the host the client asks for, whether the proxy must carry it); PORT is the API's.
NO_PROXY_FORMS = [
    ("localhost", "localhost", False),
    ("localhost:PORT", "localhost", False),
    ("localhost:1", "localhost", True),
    ("127.0.0.1", "127.0.0.1", False),
    ("127.0.0.1:PORT", "127.0.0.1", False),
    ("10.0.0.1,127.0.0.2", "127.0.0.1", True),
    ("::1", "[::1]", False),
    ("[::1]", "[::1]", False),
    ("[::1]:PORT", "[::1]", False),
    ("[::1]:1", "[::1]", True),
    ("::2", "[::1]", True),
    (f"other.test, {API_HOST}:1", API_HOST, True),
    ("replicate.test", API_HOST, False),
    (".replicate.test", API_HOST, False),
    (f" {API_HOST} ,", API_HOST, False),
]
# httpx's own client fails to build with a bracketed IPv6 entry: not ours to mend there.
BRACKETED = {"[::1]", "[::1]:PORT", "[::1]:1"}


@pytest.mark.parametrize("configuration", SYNC_CONFIGURATIONS)
@pytest.mark.parametrize(("no_proxy", "host", "proxied"), NO_PROXY_FORMS)
def test_no_proxy_forms(
    replicate_server: LocalServer,
    front: TLSFront,
    proxy: ConnectProxy,
    monkeypatch: pytest.MonkeyPatch,
    configuration: str,
    no_proxy: str,
    host: str,
    proxied: bool,
) -> None:
    if configuration == "http_client" and no_proxy in BRACKETED:
        monkeypatch.setenv("NO_PROXY", no_proxy.replace("PORT", str(front.port)))
        with pytest.raises(httpx.InvalidURL):  # httpx's own reading, in the user's code
            httpx.Client()
        return
    monkeypatch.setenv("NO_PROXY", no_proxy.replace("PORT", str(front.port)))
    options = SYNC_CONFIGURATIONS[configuration]()
    url = base_url(front, host)
    with Client(replicate_server.token, base_url=url, max_retries=0, **options) as client:
        if proxied or host != API_HOST:
            assert client.run("replicate/hello-world", {"text": "x"}) == "hello x"
        else:
            # Exempt, so asked for directly: a name only the proxy could reach.
            with pytest.raises(APIConnectionError) as info:
                client.run("replicate/hello-world", {"text": "x"})
            assert isinstance(info.value.__cause__, httpx.ConnectError)
    if proxied:
        # httpcore leaves an IPv6 address unbracketed in its CONNECT line.
        targets = {target.replace("[", "").replace("]", "") for target in proxy.targets}
        assert targets == {f"{host.strip('[]')}:{front.port}"}
    else:
        assert proxy.targets == []
    if "http_client" in options:
        options["http_client"].close()


def test_no_proxy_star_turns_proxies_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "example.com,*")
    assert environment_proxies() == {}


def test_an_entry_httpx_cannot_read_is_left_out_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NO_PROXY", "localhost:http,[::1]:8080,example.com")
    with caplog.at_level(logging.WARNING, logger="replicate_ext"):
        proxies = environment_proxies()
    assert proxies == {
        "https://": proxies["https://"],
        "all://[::1]:8080": None,
        "all://*example.com": None,
    }
    assert "localhost:http" in caplog.text
