"""Leaving early closes the connection at once; cancel_on_close also cancels the prediction."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable

import pytest

from replicate_ext._client import AsyncClient, Client
from replicate_ext._events import PredictionEvent
from replicate_ext.testing import LocalServer

from .conftest import (
    TERMINAL,
    Reply,
    ScriptedServer,
    make_async_client,
    make_client,
    prediction_at,
    sse,
    wait_status,
)

Scripted = Callable[[list[Reply]], ScriptedServer]
HELD = [Reply([sse(("1", "output", "a"), ("2", "output", "b"))], end="hold")]
SLOW = {"prompt": "tok " * 50, "interval": 10}  # 0.1 s a token at the fixture speed: 5 s


def cancels(server: LocalServer, prediction_id: str) -> list[object]:
    return list(server.state.requests_to(f"/v1/predictions/{prediction_id}/cancel", "POST"))


def test_break_closes_the_connection(client: Client, scripted: Scripted) -> None:
    server = scripted(HELD)
    for event in client.stream_prediction(prediction_at(server.url)):
        assert event.data == "a"
        break
    assert server.hung_up.wait(5)


def test_an_exception_in_the_loop_closes_the_connection(client: Client, scripted: Scripted) -> None:
    server = scripted(HELD)

    def consume() -> None:
        with client.stream_prediction(prediction_at(server.url)) as events:
            for _ in events:
                raise KeyError("stop")

    with pytest.raises(KeyError):
        consume()
    assert server.hung_up.wait(5)


def test_dropping_the_stream_closes_the_connection(client: Client, scripted: Scripted) -> None:
    server = scripted(HELD)
    events = client.stream_prediction(prediction_at(server.url))
    assert next(events).data == "a"
    del events
    gc.collect()
    assert server.hung_up.wait(5)


async def test_async_break_closes_the_connection(
    async_client: AsyncClient, scripted: Scripted
) -> None:
    server = scripted(HELD)
    async with async_client.stream_prediction(prediction_at(server.url)) as events:
        async for _ in events:
            break
    assert await asyncio.to_thread(server.hung_up.wait, 5)


async def test_async_break_without_a_with_block_closes_the_connection(
    async_client: AsyncClient, scripted: Scripted
) -> None:
    server = scripted(HELD)
    async for _ in async_client.stream_prediction(prediction_at(server.url)):
        break
    # the dropped async generator is closed by the event loop
    assert await asyncio.to_thread(server.hung_up.wait, 5)


@pytest.mark.parametrize("cancel_on_close", [False, True])
async def test_cancelling_the_task_closes_the_connection(
    async_client: AsyncClient, scripted: Scripted, server: LocalServer, cancel_on_close: bool
) -> None:
    held = scripted(HELD)
    prediction = prediction_at(held.url, "taskcanceledprediction0000")
    got: list[PredictionEvent] = []
    second = asyncio.Event()

    async def consume() -> None:
        events = async_client.stream_prediction(prediction, cancel_on_close=cancel_on_close)
        async for event in events:
            got.append(event)
            if len(got) == 2:
                second.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(second.wait(), 5)
    task.cancel()  # while it waits for a third event
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(held.hung_up.wait, 5)
    # the cancel request goes to the API (the local server), which has no such prediction
    assert len(cancels(server, prediction.id)) == int(cancel_on_close)


def test_cancel_on_close_cancels_the_prediction_at_break(
    client: Client, server: LocalServer
) -> None:
    with client.stream("replicate/stream-tokens", SLOW, cancel_on_close=True) as events:
        for event in events:
            if event.event == "output":
                break
        assert events.prediction is not None
        prediction_id = events.prediction.id
    assert wait_status(server, prediction_id, {"canceled", "succeeded"}) == "canceled"
    assert len(cancels(server, prediction_id)) == 1


async def test_cancel_on_close_cancels_the_prediction_at_break_async(
    async_client: AsyncClient, server: LocalServer
) -> None:
    events = async_client.stream("replicate/stream-tokens", SLOW, cancel_on_close=True)
    async with events:
        async for event in events:
            if event.event == "output":
                break
    assert events.prediction is not None
    final = await asyncio.to_thread(
        wait_status, server, events.prediction.id, {"canceled", "succeeded"}
    )
    assert final == "canceled"


def test_a_cancel_on_close_that_fails_is_warned_about(
    client: Client, server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.state.inject_fault("status", re.compile(r"/v1/predictions/[^/]+/cancel"), times=None)
    with (
        caplog.at_level(logging.WARNING, "replicate_ext"),
        client.stream("replicate/stream-tokens", SLOW, cancel_on_close=True) as events,
    ):
        for event in events:
            if event.event == "output":
                break
        assert events.prediction is not None
        prediction_id = events.prediction.id
    assert len(cancels(server, prediction_id)) >= 1
    assert server.state.prediction(prediction_id)["status"] == "processing"
    assert f"prediction {prediction_id}: canceling it failed (HTTP 503)" in caplog.text


def test_without_cancel_on_close_the_prediction_keeps_running(
    client: Client, server: LocalServer
) -> None:
    with client.stream("replicate/stream-tokens", SLOW) as events:
        for _ in events:
            break
        assert events.prediction is not None
        prediction_id = events.prediction.id
    assert server.state.prediction(prediction_id)["status"] in ("starting", "processing")
    assert cancels(server, prediction_id) == []
    client.run  # noqa: B018 (the client stays usable)
    from generated.api.predictions import predictions_cancel

    predictions_cancel.sync_detailed(prediction_id, client=client.api)  # tidy up


def test_a_finished_stream_cancels_nothing(client: Client, server: LocalServer) -> None:
    with client.stream("replicate/stream-tokens", {"prompt": "a b"}, cancel_on_close=True) as ev:
        assert "".join(map(str, ev)) == "a b"
        assert ev.prediction is not None
        prediction_id = ev.prediction.id
    assert cancels(server, prediction_id) == []


def test_a_keyboard_interrupt_while_reading_cancels_with_cancel_on_close(
    client: Client, server: LocalServer
) -> None:
    events = client.stream("replicate/stream-tokens", SLOW, cancel_on_close=True)
    next(events)
    # what Ctrl-C does to a generator suspended in the caller's loop body
    with pytest.raises(KeyboardInterrupt):
        events._events.throw(KeyboardInterrupt())
    assert events.prediction is not None
    assert wait_status(server, events.prediction.id, {"canceled", "succeeded"}) == "canceled"


# Two streams kept in module variables, left after two pieces, until the script ends.
# The script's own exit hook, registered first, runs last: by then they are canceled.
LEFT_IN_VARIABLES = """
import atexit
import replicate_ext

def statuses():
    for stream in (pieces, events):
        print(replicate_ext.predictions.get(stream.prediction.id).status)

atexit.register(statuses)
stream_tokens = replicate_ext.use("replicate/stream-tokens", streaming=True)
pieces = stream_tokens(prompt="tok " * 50, interval=10)
for i, piece in enumerate(pieces):
    if i == 1:
        break
events = replicate_ext.stream(
    "replicate/stream-tokens", {"prompt": "tok " * 50, "interval": 10}, cancel_on_close=True
)
for i, event in enumerate(events):
    if i == 1:
        break
print(pieces.prediction.id, events.prediction.id)
"""


def test_streams_left_in_variables_are_canceled_before_the_script_ends(
    server: LocalServer,
) -> None:
    env = {**os.environ, "REPLICATE_API_TOKEN": server.token, "REPLICATE_BASE_URL": server.base_url}
    done = subprocess.run(
        [sys.executable, "-c", LEFT_IN_VARIABLES],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no "Exception ignored" from a cleanup at shutdown
    *ids, at_exit = done.stdout.split("\n", 1)
    assert at_exit.split() == ["canceled", "canceled"]  # at exit, not at the teardown after
    for prediction_id in ids[0].split():  # use(streaming=True), stream(cancel_on_close)
        assert len(cancels(server, prediction_id)) == 1
        assert wait_status(server, prediction_id, TERMINAL) == "canceled"


def test_closing_the_client_first_closes_the_streams_it_left_open(server: LocalServer) -> None:
    with make_client(server) as client:
        events = client.stream("replicate/stream-tokens", SLOW, cancel_on_close=True)
        next(events)
    # still referenced, but its client is gone: canceled at the close, not left running
    assert events.prediction is not None
    assert len(cancels(server, events.prediction.id)) == 1
    assert wait_status(server, events.prediction.id, TERMINAL) == "canceled"


async def test_closing_the_async_client_first_closes_the_streams_it_left_open(
    server: LocalServer,
) -> None:
    async with make_async_client(server) as client:
        events = client.stream("replicate/stream-tokens", SLOW, cancel_on_close=True)
        await anext(events)
    assert events.prediction is not None
    assert len(cancels(server, events.prediction.id)) == 1
    final = await asyncio.to_thread(wait_status, server, events.prediction.id, TERMINAL)
    assert final == "canceled"
