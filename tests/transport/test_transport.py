"""The HTTP/1.1 transports against a scripted server: reuse, stale connections, framing, limits."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from replicate_ext._async_transport import AsyncTransport
from replicate_ext._transport import Transport

from .conftest import Peer, ScriptedServer

Start = Callable[..., ScriptedServer]


def serve(peer: Peer) -> None:
    peer.serve()


def answer_once_then_close(peer: Peer) -> None:
    peer.serve(times=1)


def answer_once_then_drop_the_next(peer: Peer) -> None:
    """Answers one request, reads the next and closes without a word (a server's idle timeout
    firing just as the client reuses the connection)."""
    peer.serve(times=1)
    peer.request()


def never_answer(peer: Peer) -> None:
    peer.request()
    peer.request()  # returns when the client gives up and closes


def sync_client(**options: object) -> httpx.Client:
    return httpx.Client(transport=Transport(**options))  # type: ignore[arg-type]


def async_client(**options: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=AsyncTransport(**options))  # type: ignore[arg-type]


# -- keep-alive ---------------------------------------------------------------------------------


def test_requests_share_one_kept_alive_connection(scripted: Start) -> None:
    server = scripted(serve)
    with sync_client() as client:
        for _ in range(3):
            assert client.get(server.url()).text == "ok"
        assert client.post(server.url(), json={"a": 1}).text == "ok"
    assert server.connections == 1
    assert server.methods() == [(0, "GET")] * 3 + [(0, "POST")]


async def test_async_requests_share_one_kept_alive_connection(scripted: Start) -> None:
    server = scripted(serve)
    async with async_client() as client:
        for _ in range(3):
            assert (await client.get(server.url())).text == "ok"
    assert server.connections == 1


def test_a_connection_the_server_closed_while_idle_is_not_reused(scripted: Start) -> None:
    server = scripted(answer_once_then_close, serve)
    with sync_client() as client:
        assert client.get(server.url()).text == "ok"
        _wait_until_closed_by_peer(client)
        assert client.post(server.url(), content=b"x").text == "ok"
    assert server.methods() == [(0, "GET"), (1, "POST")]


async def test_async_a_connection_the_server_closed_while_idle_is_not_reused(
    scripted: Start,
) -> None:
    server = scripted(answer_once_then_close, serve)
    async with async_client() as client:
        assert (await client.get(server.url())).text == "ok"
        await _async_wait_until_at_eof(client)
        assert (await client.post(server.url(), content=b"x")).text == "ok"
    assert server.methods() == [(0, "GET"), (1, "POST")]


def test_a_get_on_a_connection_dead_on_reuse_goes_again_on_a_new_one(scripted: Start) -> None:
    server = scripted(answer_once_then_drop_the_next, serve)
    with sync_client() as client:
        client.get(server.url())
        assert client.get(server.url()).text == "ok"
    assert server.methods() == [(0, "GET"), (0, "GET"), (1, "GET")]


def test_a_post_on_a_connection_dead_on_reuse_is_not_sent_twice(scripted: Start) -> None:
    server = scripted(answer_once_then_drop_the_next, serve)
    with sync_client() as client:
        client.get(server.url())
        with pytest.raises(httpx.RemoteProtocolError, match="closed the connection"):
            client.post(server.url(), json={"create": "a prediction"})
    assert server.methods() == [(0, "GET"), (0, "POST")]


async def test_async_dead_on_reuse_get_goes_again_and_post_does_not(scripted: Start) -> None:
    server = scripted(answer_once_then_drop_the_next)
    async with async_client() as client:
        await client.get(server.url())
        assert (await client.get(server.url())).text == "ok"  # on connection 1
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(server.url(), content=b"x")  # connection 1 dropped it
    assert server.methods() == [(0, "GET"), (0, "GET"), (1, "GET"), (1, "POST")]


def test_connection_close_in_the_answer_is_honoured(scripted: Start) -> None:
    def answer_and_close(peer: Peer) -> None:
        peer.request()
        peer.answer(b"bye", "200 OK", "Connection: close")

    server = scripted(answer_and_close)
    with sync_client() as client:
        assert client.get(server.url()).text == "bye"
        assert client.get(server.url()).text == "bye"
        assert _open(client) == 0
    assert server.connections == 2


def test_keepalive_expiry_drops_idle_connections(scripted: Start) -> None:
    server = scripted(serve)
    with sync_client(keepalive_expiry=0.0) as client:
        client.get(server.url())
        client.get(server.url())
    assert server.connections == 2


# -- framing ------------------------------------------------------------------------------------


def test_a_body_read_until_the_close(scripted: Start) -> None:
    def http10(peer: Peer) -> None:
        peer.request()
        peer.send(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of ")
        peer.send(b"it")

    server = scripted(http10)
    with sync_client() as client:
        assert client.get(server.url()).text == "all of it"
        assert _open(client) == 0


def test_a_chunked_body_in_pieces_and_the_connection_kept(scripted: Start) -> None:
    def chunked(peer: Peer) -> None:
        while peer.request() is not None:
            peer.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
            peer.send(b"lo\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nTrailer: x\r\n\r\n")

    server = scripted(chunked)
    with sync_client() as client:
        assert client.get(server.url()).text == "hello world"
        assert client.get(server.url()).text == "hello world"
    assert server.connections == 1


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel",
    ],
    ids=["chunked", "content-length"],
)
def test_a_body_cut_short_is_a_protocol_error(scripted: Start, answer: bytes) -> None:
    def cut(peer: Peer) -> None:
        peer.request()
        peer.send(answer)

    server = scripted(cut)
    with sync_client() as client:
        with pytest.raises(httpx.RemoteProtocolError, match="before the end of the body"):
            client.get(server.url())
        assert _open(client) == 0


def test_bad_chunk_framing_is_a_protocol_error(scripted: Start) -> None:
    def bad(peer: Peer) -> None:
        peer.request()
        peer.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n")

    server = scripted(bad)
    with sync_client() as client, pytest.raises(httpx.RemoteProtocolError, match="chunk size"):
        client.get(server.url())


def test_head_and_204_answers_have_no_body_and_keep_the_connection(scripted: Start) -> None:
    def answers(peer: Peer) -> None:
        peer.request()
        peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")  # HEAD: no body follows
        peer.request()
        peer.send(b"HTTP/1.1 204 No Content\r\n\r\n")
        peer.serve()

    server = scripted(answers)
    with sync_client() as client:
        assert client.head(server.url()).headers["content-length"] == "100"
        assert client.delete(server.url()).status_code == 204
        assert client.get(server.url()).text == "ok"
    assert server.connections == 1


def test_a_garbled_head_is_a_protocol_error(scripted: Start) -> None:
    def garbled(peer: Peer) -> None:
        peer.request()
        peer.send(b"<html>not http</html>\r\n\r\n")

    server = scripted(garbled)
    with sync_client() as client, pytest.raises(httpx.RemoteProtocolError):
        client.get(server.url())


def test_a_streamed_request_body_arrives_whole(scripted: Start) -> None:
    server = scripted(serve)
    pieces = [b"a" * 70_000, b"b" * 10, b"c" * 130_000]
    with sync_client() as client:
        response = client.post(server.url(), content=iter(pieces))
        assert response.text == "ok"
    ((_, request),) = server.requests
    head, _, body = request.partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head.lower()
    assert body == b"".join(pieces)


# -- leaving early, timeouts, limits ------------------------------------------------------------


def test_leaving_a_stream_early_closes_its_connection(scripted: Start) -> None:
    def endless(peer: Peer) -> None:
        peer.request()
        peer.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        while True:
            peer.send(b"5\r\nevent\r\n")

    server = scripted(endless, serve)
    with sync_client() as client:
        with client.stream("GET", server.url()) as response:
            for _ in response.iter_raw():
                break
        assert _open(client) == 0
        assert client.get(server.url()).text == "ok"
    assert server.connections == 2


def test_a_silent_server_is_a_read_timeout(scripted: Start) -> None:
    server = scripted(never_answer)
    with sync_client() as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get(server.url(), timeout=0.2)
        assert _open(client) == 0


async def test_async_a_silent_server_is_a_read_timeout(scripted: Start) -> None:
    server = scripted(never_answer)
    async with async_client() as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(server.url(), timeout=0.2)
        assert _open(client) == 0


def test_nothing_listening_is_a_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with sync_client() as client, pytest.raises(httpx.ConnectError, match=str(port)):
        client.get(f"http://127.0.0.1:{port}/")


def test_unknown_schemes_are_refused() -> None:
    with sync_client() as client, pytest.raises(httpx.UnsupportedProtocol):
        client.get("ftp://127.0.0.1/")


def test_the_connection_cap_makes_requests_wait_then_time_out(scripted: Start) -> None:
    server = scripted(serve)
    with sync_client(max_connections=1) as client:
        with client.stream("GET", server.url()), pytest.raises(httpx.PoolTimeout):
            client.get(server.url(), timeout=httpx.Timeout(5, pool=0.1))
        assert client.get(server.url()).text == "ok"


async def test_async_waiters_get_the_connection_in_turn(scripted: Start) -> None:
    server = scripted(serve)
    async with async_client(max_connections=2) as client:
        answers = await asyncio.gather(*(client.get(server.url()) for _ in range(20)))
        assert [a.text for a in answers] == ["ok"] * 20
        async with client.stream("GET", server.url()), client.stream("GET", server.url()):
            with pytest.raises(httpx.PoolTimeout):
                await client.get(server.url(), timeout=httpx.Timeout(5, pool=0.1))
        assert (await client.get(server.url())).text == "ok"
    assert server.connections == 2


def test_threads_share_a_capped_pool(scripted: Start) -> None:
    server = scripted(serve)
    with sync_client(max_connections=3) as client:

        def fetch(_: int) -> str:
            return client.get(server.url()).text

        with ThreadPoolExecutor(8) as threads:
            assert list(threads.map(fetch, range(80))) == ["ok"] * 80
        assert len(client._transport.connections) <= 3  # type: ignore[attr-defined]
    assert server.connections <= 3
    assert len(server.requests) == 80


async def test_a_cancelled_request_closes_its_connection_and_frees_its_place(
    scripted: Start,
) -> None:
    server = scripted(never_answer, serve)
    async with async_client(max_connections=1) as client:
        task = asyncio.create_task(client.get(server.url()))
        for _ in range(500):  # until the request is on the wire
            if server.requests:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert _open(client) == 0
        assert (await client.get(server.url(), timeout=httpx.Timeout(5, pool=1))).text == "ok"


def test_connections_from_a_finished_event_loop_are_not_reused(scripted: Start) -> None:
    server = scripted(serve)
    transport = AsyncTransport()

    async def fetch() -> str:
        client = httpx.AsyncClient(transport=transport)
        return (await client.get(server.url())).text

    assert asyncio.run(fetch()) == "ok"
    assert asyncio.run(fetch()) == "ok"
    assert server.connections == 2
    asyncio.run(transport.aclose())


def test_a_closed_transport_refuses_requests(scripted: Start) -> None:
    server = scripted(serve)
    transport = Transport()
    client = httpx.Client(transport=transport)
    client.get(server.url())
    transport.close()
    assert all(c.is_closed() for c in transport.connections) or not transport.connections
    with pytest.raises(RuntimeError, match="closed"):
        client.get(server.url())


def test_reprs_say_how_many_connections_are_open(scripted: Start) -> None:
    server = scripted(serve)
    transport = Transport(max_connections=7)
    with httpx.Client(transport=transport) as client:
        client.get(server.url())
        assert repr(transport) == "<Transport open=1 max=7>"
    assert repr(AsyncTransport()) == "<AsyncTransport open=0 max=100>"


def test_max_connections_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_connections"):
        Transport(max_connections=0)


# -- helpers ------------------------------------------------------------------------------------


def _open(client: httpx.Client | httpx.AsyncClient) -> int:
    transport = client._transport
    assert isinstance(transport, Transport | AsyncTransport)
    return sum(not c.is_closed() for c in transport.connections)


def _wait_until_closed_by_peer(client: httpx.Client) -> None:
    """Until the server's close of the idle connection has reached our socket."""
    transport = client._transport
    assert isinstance(transport, Transport)
    (connection,) = transport.connections
    done = threading.Event()
    for _ in range(500):
        if connection.peer_closed():  # type: ignore[attr-defined]
            done.set()
            break
        done.wait(0.01)
    assert done.is_set()


async def _async_wait_until_at_eof(client: httpx.AsyncClient) -> None:
    transport = client._transport
    assert isinstance(transport, AsyncTransport)
    (connection,) = transport.connections
    for _ in range(500):
        if connection.reader.at_eof():  # type: ignore[attr-defined]
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the server's close never arrived")
