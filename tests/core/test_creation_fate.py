"""A creation that got no usable answer: never cancel what may be another caller's.

Two callers with one token and one input (a web app's workers, a batch of samples of
one prompt) make lookalike predictions. When one caller's creation fails in a way
that leaves its fate unknown (a gateway's 502, a lost answer, Ctrl-C), a prediction
with the same model and input may be its own or the other's: the client says so,
naming the candidates, and cancels nothing it cannot prove its own.
"""

from __future__ import annotations

import pickle
import socket
import threading
from typing import Any

import httpx
import pytest

from replicate_ext import (
    APIConnectionError,
    AsyncClient,
    Client,
    CreationFateUnknown,
    ReplicateError,
)
from replicate_ext.testing import LocalServer

SLEEP = "replicate/sleep"
CREATE = "/v1/models/replicate/sleep/predictions"
LONG = {"seconds": 150}  # 1.5 s at the fixture's speed: still running when B fails


def other_client(server: LocalServer) -> Client:
    return Client(server.token, base_url=server.base_url, poll_interval=0.01)


def test_a_gateway_502_leaves_another_callers_run_alone(server: LocalServer) -> None:
    # Caller A runs the model; a moment later caller B sends the same input and
    # its creation meets a 502 from a gateway (no prediction made for B).
    outcome: dict[str, Any] = {}

    def caller_a() -> None:
        with other_client(server) as a:
            try:
                outcome["output"] = a.run(SLEEP, LONG)
            except Exception as error:
                outcome["error"] = error

    thread = threading.Thread(target=caller_a)
    thread.start()
    try:
        (theirs,) = server.state.wait_until(lambda: list(server.state.predictions))
        server.state.inject_fault("status", CREATE, method="POST", status=502)
        with other_client(server) as b, pytest.raises(ReplicateError) as info:
            b.run(SLEEP, LONG)
    finally:
        thread.join(timeout=20)
    assert outcome == {"output": "slept for 150 seconds"}
    assert not server.state.requests_to(f"/v1/predictions/{theirs}/cancel")
    error = info.value
    assert isinstance(error, CreationFateUnknown)
    assert error.status == 502
    assert error.candidates == (theirs,)
    assert error.kind == "prediction"
    assert error.searched
    assert theirs in str(error)
    assert "none was canceled" in str(error)
    assert isinstance(error.__cause__, ReplicateError)
    assert error.__cause__.status == 502


async def test_the_async_client_leaves_it_running_too(
    async_client: AsyncClient, server: LocalServer
) -> None:
    theirs = await async_client.predictions.create(model=SLEEP, input=LONG)
    server.state.inject_fault("status", CREATE, method="POST", status=503)
    async with AsyncClient(server.token, base_url=server.base_url) as mine:
        with pytest.raises(CreationFateUnknown) as info:
            await mine.run(SLEEP, LONG, timeout=30)
    assert info.value.candidates == (theirs.id,)
    assert info.value.cancel_after == "30s"  # ours, if it was made, ends by then
    assert "Cancel-After ends it within 30s" in str(info.value)
    assert (await async_client.wait(theirs)).status == "succeeded"


def test_only_lookalikes_are_candidates_newest_first_across_pages(
    client: Client, server: LocalServer
) -> None:
    other_input = client.predictions.create(model=SLEEP, input={"seconds": 151})
    other_model = client.predictions.create(model="replicate/hello-world", input={"text": "x"})
    lookalikes = [
        client.predictions.create(model=SLEEP, input=LONG) for _ in range(6)
    ]  # pages hold 5
    server.state.inject_fault("status", CREATE, method="POST", status=502)
    with pytest.raises(CreationFateUnknown) as info:
        client.predictions.create(model=SLEEP, input=LONG)
    assert info.value.candidates == tuple(p.id for p in reversed(lookalikes))
    assert other_input.id not in info.value.candidates
    assert other_model.id not in info.value.candidates
    assert not server.state.requests_to("/v1/predictions/*/cancel", "POST")


def test_a_failed_search_says_so(client: Client, server: LocalServer) -> None:
    server.state.inject_fault("status", CREATE, method="POST", status=502)
    server.state.inject_fault("status", "/v1/predictions", method="GET", status=503, times=None)
    with pytest.raises(CreationFateUnknown) as info:
        client.run(SLEEP, LONG)
    assert info.value.candidates == ()
    assert not info.value.searched
    assert "search for lookalikes failed" in str(info.value)


def test_a_refused_creation_is_known_to_have_made_nothing(
    client: Client, server: LocalServer
) -> None:
    client.predictions.create(model=SLEEP, input=LONG)
    server.state.inject_fault("status", CREATE, method="POST", status=402)
    with pytest.raises(ReplicateError) as info:
        client.run(SLEEP, LONG)
    assert not isinstance(info.value, CreationFateUnknown)
    assert info.value.status == 402
    assert not server.state.requests_to("/v1/predictions", "GET")  # nothing to look for


def test_a_refused_connection_sent_nothing(server: LocalServer) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    nowhere = Client(server.token, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    with nowhere, pytest.raises(APIConnectionError) as info:
        nowhere.run(SLEEP, LONG)
    assert not isinstance(info.value, CreationFateUnknown)
    assert "no prediction was made" in " ".join(info.value.__notes__)


class InterruptAt(httpx.BaseTransport):
    """A real transport, interrupted (as by Ctrl-C) when httpcore reports a given step."""

    def __init__(self, step: str) -> None:
        self.inner = httpx.HTTPTransport()
        self.step = step

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        traced = request.extensions.get("trace")
        if traced is not None and request.method == "POST":

            def trace(name: str, info: dict[str, Any]) -> None:
                traced(name, info)
                if name == self.step:
                    raise KeyboardInterrupt

            request.extensions = {**request.extensions, "trace": trace}
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_an_interrupt_while_connecting_is_known_to_have_sent_nothing(
    server: LocalServer,
) -> None:
    transport = InterruptAt("connection.connect_tcp.complete")
    client = Client(server.token, base_url=server.base_url, transport=transport)
    with client, pytest.raises(KeyboardInterrupt) as info:
        client.run(SLEEP, LONG)
    assert "the request never left" in " ".join(info.value.__notes__)
    assert not server.state.predictions
    assert not server.state.requests_to("/v1/predictions", "GET")  # no search needed


def test_an_interrupt_once_the_request_is_out_names_the_lookalikes(
    client: Client, server: LocalServer
) -> None:
    theirs = client.predictions.create(model=SLEEP, input=LONG)
    transport = InterruptAt("http11.receive_response_headers.started")
    interrupted = Client(server.token, base_url=server.base_url, transport=transport)
    with interrupted, pytest.raises(KeyboardInterrupt) as info:
        interrupted.run(SLEEP, LONG)
    notes = " ".join(info.value.__notes__)
    assert theirs.id in notes
    assert "none was canceled" in notes
    assert not server.state.requests_to("/v1/predictions/*/cancel", "POST")


def test_the_error_survives_pickling() -> None:
    error = CreationFateUnknown(
        "prediction", SLEEP, "502 Bad Gateway", [("p1", "processing")], cancel_after="30s"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.candidates, copy.searched, copy.cancel_after, copy.kind) == (
        ("p1",),
        True,
        "30s",
        "prediction",
    )
    assert str(copy) == str(error)
