"""The network stack: httpx's own transports under our retries, against servers' fault shapes."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
import trio

from replicate_ext import AsyncClient, Client
from replicate_ext._retry import AsyncRetryTransport, RetryTransport
from replicate_ext.testing import LocalServer

from .conftest import Peer, ScriptedServer

Start = Callable[..., ScriptedServer]


def test_clients_send_through_httpx_transports_under_retries(
    replicate_server: LocalServer,
) -> None:
    with Client(replicate_server.token, base_url=replicate_server.base_url) as client:
        assert client.run("replicate/hello-world", {"text": "a"}) == "hello a"
        transport = client.api.get_httpx_client()._transport
        assert isinstance(transport, RetryTransport)
        assert isinstance(transport.transport, httpx.HTTPTransport)
    given = httpx.HTTPTransport()
    with Client(
        replicate_server.token, base_url=replicate_server.base_url, transport=given
    ) as client:
        assert client.run("replicate/hello-world", {"text": "b"}) == "hello b"
        assert client.api.get_httpx_client()._transport.transport is given  # type: ignore[attr-defined]


async def test_the_async_client_too(replicate_server: LocalServer) -> None:
    async with AsyncClient(replicate_server.token, base_url=replicate_server.base_url) as client:
        assert await client.run("replicate/hello-world", {"text": "a"}) == "hello a"
        transport = client.api.get_async_httpx_client()._transport
        assert isinstance(transport, AsyncRetryTransport)
        assert isinstance(transport.transport, httpx.AsyncHTTPTransport)


def test_the_async_client_runs_a_model_under_trio(replicate_server: LocalServer) -> None:
    async def main() -> object:
        async with AsyncClient(
            replicate_server.token, base_url=replicate_server.base_url
        ) as client:
            return await client.run("replicate/hello-world", {"text": "trio"})

    assert trio.run(main) == "hello trio"


# -- a 408 and a close on an idle kept-alive connection -----------------------------------------


def answer_then_time_out(closed: threading.Event) -> Callable[[Peer], None]:
    """Answers one request; then, the connection idle, says 408 and closes (as nginx does)."""

    def script(peer: Peer) -> None:
        peer.request()
        peer.answer(b"first")
        peer.send(b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        closed.set()

    return script


def test_an_idle_connection_the_server_timed_out_is_not_reused(scripted: Start) -> None:
    closed = threading.Event()
    server = scripted(answer_then_time_out(closed), Peer.serve)
    with Client("r8_token", base_url=server.url("/v1")) as client:
        http = client.api.get_httpx_client()
        assert http.get("/a").text == "first"
        assert closed.wait(5)
        # A POST is never sent twice: it must go out once, on a fresh connection,
        # and get its own answer, not the 408 left on the old one.
        response = http.post("/predictions", content=b"{}")
        assert (response.status_code, response.text) == (200, "ok")
    assert server.methods() == [(0, "GET"), (1, "POST")]


async def test_async_an_idle_connection_the_server_timed_out_is_not_reused(
    scripted: Start,
) -> None:
    closed = threading.Event()
    server = scripted(answer_then_time_out(closed), Peer.serve)
    async with AsyncClient("r8_token", base_url=server.url("/v1")) as client:
        http = client.api.get_async_httpx_client()
        assert (await http.get("/a")).text == "first"
        assert closed.wait(5)
        response = await http.post("/predictions", content=b"{}")
        assert (response.status_code, response.text) == (200, "ok")
    assert server.methods() == [(0, "GET"), (1, "POST")]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_connection_dropped_as_it_is_reused(scripted: Start, method: str) -> None:
    def answer_then_drop_the_next(peer: Peer) -> None:
        peer.serve(times=1)
        peer.request()  # read, then close without a word

    server = scripted(answer_then_drop_the_next, Peer.serve)
    with Client("r8_token", base_url=server.url("/v1")) as client:
        http = client.api.get_httpx_client()
        http.get("/a")
        if method == "GET":  # safe to repeat: sent again on a new connection
            assert http.get("/a").text == "ok"
            assert server.methods() == [(0, "GET"), (0, "GET"), (1, "GET")]
        else:  # a creation may have been acted on: never sent twice
            with pytest.raises(httpx.RemoteProtocolError):
                http.post("/predictions", content=b"{}")
            assert server.methods() == [(0, "GET"), (0, "POST")]


# -- cookies: answers without Set-Cookie skip httpx's cookie jar; one that sets one is kept ------


def test_a_cookie_an_answer_sets_is_sent_back(scripted: Start) -> None:
    def set_then_echo(peer: Peer) -> None:
        peer.request()
        peer.answer(b"plain")  # no cookie: nothing to keep
        peer.request()
        peer.answer(b"set", "200 OK", "Set-Cookie: session=abc; Path=/")
        while (request := peer.request()) is not None:
            cookie = [
                line for line in request.split(b"\r\n") if line.lower().startswith(b"cookie:")
            ]
            peer.answer(b"|".join(cookie) or b"none")

    server = scripted(set_then_echo)
    with Client("r8_token", base_url=server.url("/v1")) as client:
        http = client.api.get_httpx_client()
        assert http.get("/a").text == "plain"
        assert dict(http.cookies) == {}
        assert http.get("/b").text == "set"
        assert http.get("/c").text == "Cookie: session=abc"
        assert dict(http.cookies) == {"session": "abc"}


def test_the_token_goes_to_paths_under_the_base_url_as_sent(scripted: Start) -> None:
    def echo_authorization(peer: Peer) -> None:
        while (request := peer.request()) is not None:
            found = [line for line in request.split(b"\r\n") if line.startswith(b"Authorization:")]
            peer.answer(b"|".join(found) or b"none")

    server = scripted(echo_authorization)
    with Client("r8_token", base_url=server.url("/v1")) as client:
        http = client.api.get_httpx_client()
        assert http.get(server.url("/v1/account")).text == "Authorization: Bearer r8_token"
        assert http.get(server.url("/v2/account")).text == "none"
        # "/v1%2F..." is not under "/v1/" for a server that reads paths as sent.
        assert http.get(server.url("/v1%2F..%2Fv2/account")).text == "none"
