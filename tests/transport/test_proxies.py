"""Proxies named by the environment, as httpx honours them for its own transport."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest

from generated.api.account import account_get
from replicate_ext import AsyncClient, Client
from replicate_ext._http import environment_proxies
from replicate_ext.testing import LocalServer

from .conftest import Peer, ScriptedServer

Start = Callable[..., ScriptedServer]
ACCOUNT = b'{"type": "user", "username": "alice", "name": "Alice", "github_url": null}'


def proxy(peer: Peer) -> None:
    while peer.request() is not None:
        peer.answer(ACCOUNT, "200 OK", "Content-Type: application/json")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def test_requests_go_through_the_proxy_the_environment_names(
    scripted: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = scripted(proxy)
    monkeypatch.setenv("HTTP_PROXY", server.url())
    with Client("r8_token", base_url="http://api.example.invalid/v1") as client:
        answer = account_get.sync(client=client.api)
    assert answer is not None
    assert answer.username == "alice"
    ((_, request),) = server.requests
    assert request.startswith(b"GET http://api.example.invalid/v1/account HTTP/1.1\r\n")


async def test_the_async_client_uses_the_proxy_too(
    scripted: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = scripted(proxy)
    monkeypatch.setenv("ALL_PROXY", server.url())
    async with AsyncClient("r8_token", base_url="http://api.example.invalid/v1") as client:
        answer = await account_get.asyncio(client=client.api)
    assert answer is not None
    assert answer.username == "alice"
    assert server.methods() == [(0, "GET")]


def test_no_proxy_exempts_hosts(
    replicate_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a proxy that is not there: using it would fail
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("HTTP_PROXY", dead)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    with Client(replicate_server.token, base_url=replicate_server.base_url) as client:
        assert client.run("replicate/hello-world", {"text": "direct"}) == "hello direct"


def test_a_transport_of_your_own_ignores_the_environment(
    replicate_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    with Client(
        replicate_server.token, base_url=replicate_server.base_url, transport=httpx.HTTPTransport()
    ) as client:
        assert client.run("replicate/hello-world", {"text": "mine"}) == "hello mine"


@pytest.mark.parametrize(
    ("no_proxy", "pattern"),
    [
        ("example.com", "all://*example.com"),
        (".example.com", "all://*.example.com"),
        ("10.1.2.3", "all://10.1.2.3"),
        ("localhost", "all://localhost"),
        ("::1", "all://[::1]"),
    ],
)
def test_no_proxy_entries_become_exempt_patterns(
    monkeypatch: pytest.MonkeyPatch, no_proxy: str, pattern: str
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", f" {no_proxy} ,")
    assert environment_proxies() == {"https://": "http://proxy.internal:3128", pattern: None}


def test_no_proxy_star_turns_proxies_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "*")
    assert environment_proxies() == {}
