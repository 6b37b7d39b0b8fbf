"""The transports over TLS, and the async one under trio."""

from __future__ import annotations

import ssl
from collections.abc import Callable

import httpx
import pytest
import trio
import trustme

from replicate_ext import AsyncClient, Client
from replicate_ext._async_transport import AsyncTransport
from replicate_ext._transport import Transport
from replicate_ext.testing import LocalServer

from .conftest import Peer, ScriptedServer

Start = Callable[..., ScriptedServer]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(scripted: Start, ca: trustme.CA) -> ScriptedServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    return scripted(Peer.serve, tls=context)


@pytest.fixture
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_https_to_a_trusted_certificate_keeps_its_connection(
    tls_server: ScriptedServer, trusting: ssl.SSLContext
) -> None:
    with httpx.Client(transport=Transport(ssl_context=trusting)) as client:
        assert client.get(tls_server.url()).text == "ok"
        assert client.post(tls_server.url(), content=b"x" * 200_000).text == "ok"
    assert tls_server.connections == 1


async def test_async_https_to_a_trusted_certificate_keeps_its_connection(
    tls_server: ScriptedServer, trusting: ssl.SSLContext
) -> None:
    async with httpx.AsyncClient(transport=AsyncTransport(ssl_context=trusting)) as client:
        assert (await client.get(tls_server.url())).text == "ok"
        assert (await client.get(tls_server.url())).text == "ok"
    assert tls_server.connections == 1


def test_an_untrusted_certificate_is_a_connect_error(tls_server: ScriptedServer) -> None:
    with httpx.Client(transport=Transport()) as client:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            client.get(tls_server.url())
        assert not client._transport.connections  # type: ignore[attr-defined]


async def test_async_an_untrusted_certificate_is_a_connect_error(
    tls_server: ScriptedServer,
) -> None:
    async with httpx.AsyncClient(transport=AsyncTransport()) as client:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(tls_server.url())


def test_under_trio_the_async_transport_hands_requests_to_httpx(scripted: Start) -> None:
    server = scripted(Peer.serve)
    transport = AsyncTransport()

    async def fetch() -> list[str]:
        async with httpx.AsyncClient(transport=transport) as client:
            return [(await client.get(server.url())).text for _ in range(2)]

    assert trio.run(fetch) == ["ok", "ok"]
    assert not transport.connections  # none of ours: httpx's transport carried them
    assert server.connections == 1


def test_the_async_client_runs_a_model_under_trio(replicate_server: LocalServer) -> None:
    async def main() -> object:
        async with AsyncClient(
            replicate_server.token, base_url=replicate_server.base_url
        ) as client:
            return await client.run("replicate/hello-world", {"text": "trio"})

    assert trio.run(main) == "hello trio"


def test_clients_use_these_transports_unless_given_another(
    replicate_server: LocalServer,
) -> None:
    with Client(replicate_server.token, base_url=replicate_server.base_url) as client:
        assert client.run("replicate/hello-world", {"text": "a"}) == "hello a"
        assert isinstance(client._sync_http()._transport.transport, Transport)  # type: ignore[attr-defined]
    given = httpx.HTTPTransport()
    with Client(
        replicate_server.token, base_url=replicate_server.base_url, transport=given
    ) as client:
        assert client.run("replicate/hello-world", {"text": "b"}) == "hello b"
        assert client._sync_http()._transport.transport is given  # type: ignore[attr-defined]
