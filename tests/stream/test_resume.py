"""Dropped connections: resumed with Last-Event-ID, nothing lost or repeated, bounded."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from replicate_ext import StreamInterrupted
from replicate_ext._errors import ModelError, ReplicateError
from replicate_ext.testing import LocalServer

from .conftest import Reply, ScriptedServer, Streamer, prediction_at, sse

STREAM_PATH = re.compile(r"/v1/predictions/[^/]+/stream")
Scripted = Callable[[list[Reply]], ScriptedServer]


def test_a_stream_dropped_twice_is_resumed_without_loss_or_repeats(
    streamer: Streamer, server: LocalServer
) -> None:
    server.state.inject_fault("drop_stream", STREAM_PATH, after_events=2, times=2)
    prompt = "one two three four five six seven"
    outcome = streamer("stream", "replicate/stream-tokens", {"prompt": prompt})
    assert outcome.error is None
    assert outcome.text == prompt
    ids = [event.id or "" for event in outcome.events]
    positions = [int(event_id.partition(":")[2]) for event_id in ids]
    assert positions == list(range(len(ids)))  # every event exactly once, in order
    requests = [r for r in server.state.requests if STREAM_PATH.fullmatch(r.path)]
    assert [r.headers.get("last-event-id") for r in requests] == [None, ids[1], ids[3]]
    assert len(server.state.fired_faults) == 2


def test_the_servers_retry_hint_sets_the_reconnection_delay(
    streamer: Streamer, scripted: Scripted
) -> None:
    first = b"retry: 300\n\n" + sse(("1", "output", "a"))
    server = scripted(
        [Reply([first], end="drop"), Reply([sse(("2", "output", "b"), ("3", "done", "{}"))])]
    )
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert outcome.error is None
    assert outcome.text == "ab"
    dropped, resumed = server.requests
    assert resumed.headers["last-event-id"] == "1"
    assert resumed.at - dropped.at >= 0.29


def test_a_stream_that_ends_without_done_is_resumed(streamer: Streamer, scripted: Scripted) -> None:
    server = scripted(
        [
            Reply([b"retry: 0\n\n", sse(("1", "output", "x"), ("2", "output", "y"))]),
            Reply([sse(("3", "output", "z"), ("4", "done", "{}"))]),
        ]
    )
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert outcome.error is None
    assert outcome.text == "xyz"
    assert [r.headers.get("last-event-id") for r in server.requests] == [None, "2"]


def test_a_server_that_replays_from_the_start_repeats_nothing(
    streamer: Streamer, scripted: Scripted
) -> None:
    # this server ignores Last-Event-ID and always sends everything again
    events = [("1", "output", "a"), ("2", "output", "b"), ("3", "output", "c")]
    server = scripted(
        [
            Reply([b"retry: 0\n\n", sse(*events[:2])], end="drop"),
            Reply([sse(*events, ("4", "done", "{}"))]),
        ]
    )
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert [event.id for event in outcome.events] == ["1", "2", "3"]
    assert outcome.text == "abc"


def test_events_without_an_id_of_their_own_are_not_taken_for_repeats(
    streamer: Streamer, scripted: Scripted
) -> None:
    # The decoder carries the last id ("1") onto events that have none, as the
    # SSE spec says; the resumed connection's new events are not repeats for it.
    server = scripted(
        [
            Reply(
                [b"retry: 0\n\n", sse(("1", "output", "a")), b"event: logs\ndata: x\n\n"],
                end="drop",
            ),
            # resumed after "1": the event after it (x) again, then new ones without ids
            Reply(
                [
                    b"event: logs\ndata: x\n\nevent: output\ndata: b\n\n",
                    b"event: output\ndata: c\n\n",
                    sse(("2", "done", "{}")),
                ]
            ),
        ]
    )
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert outcome.error is None
    assert outcome.text == "abc"
    assert outcome.kinds("logs") == ["x"]
    assert [r.headers.get("last-event-id") for r in server.requests] == [None, "1"]


@pytest.mark.parametrize(
    ("event_id", "sent"),
    [
        ("é1", "é1"),  # UTF-8, as browsers send it
        ("a b", "a b"),
        ("a\x01b", None),  # no header can carry these: resumed without, repeats skipped
        ("x ", None),
        ("\x85x", "\x85x"),  # a space to Python, not to HTTP
    ],
)
def test_an_event_id_a_header_cannot_carry_as_is_never_breaks_the_resume(
    streamer: Streamer, scripted: Scripted, event_id: str, sent: str | None
) -> None:
    first = f"id: {event_id}\nevent: output\ndata: a\n\n".encode()
    server = scripted(
        [
            Reply([b"retry: 0\n\n", first], end="drop"),
            Reply([first, sse(("2", "output", "b"), ("3", "done", "{}"))]),  # starts over
        ]
    )
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert outcome.error is None
    assert outcome.text == "ab"
    header = server.requests[1].headers.get("last-event-id")
    assert (None if header is None else header.encode("latin-1").decode()) == sent


def test_transient_statuses_are_retried_within_the_bound(
    streamer: Streamer, scripted: Scripted
) -> None:
    server = scripted(
        [
            Reply([b"retry: 0\n\n", sse(("1", "output", "a"))], end="drop"),
            Reply(status=503, content_type="application/json", pieces=[b'{"detail": "busy"}']),
            Reply([sse(("2", "output", "b"), ("3", "done", "{}"))]),
        ]
    )
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert outcome.error is None
    assert outcome.text == "ab"
    assert [r.headers.get("last-event-id") for r in server.requests] == [None, "1", "1"]


def test_resumption_gives_up_after_max_reconnects_and_says_so(
    streamer: Streamer, scripted: Scripted
) -> None:
    server = scripted(
        [
            Reply([b"retry: 0\n\n", sse(("1", "output", "a"))], end="drop"),
            Reply(status=503, content_type="application/json", pieces=[b'{"detail": "busy"}']),
        ]
    )
    prediction = prediction_at(server.url, "brokenstreamprediction0000")
    outcome = streamer("stream_prediction", prediction, max_reconnects=3)
    assert outcome.text == "a"
    error = outcome.error
    assert isinstance(error, StreamInterrupted)
    assert isinstance(error, ReplicateError)
    assert error.prediction_id == "brokenstreamprediction0000"
    assert "brokenstreamprediction0000" in str(error)
    assert "could not be resumed after 3 attempts" in str(error)
    assert "busy" in str(error)
    assert error.status == 503
    assert error.last_event_id == "1"
    assert len(server.requests) == 4  # the first connection and 3 reconnections


def test_reconnection_attempts_reset_after_progress(streamer: Streamer, scripted: Scripted) -> None:
    # each connection brings one event then drops: five drops with max_reconnects=1 is fine
    replies = [
        Reply([b"retry: 0\n\n", sse((str(n), "output", str(n)))], end="drop") for n in range(1, 6)
    ]
    server = scripted([*replies, Reply([sse(("6", "done", "{}"))])])
    outcome = streamer("stream_prediction", prediction_at(server.url), max_reconnects=1)
    assert outcome.error is None
    assert outcome.text == "12345"
    assert len(server.requests) == 6


@pytest.mark.parametrize("status", [404, 410])
def test_a_stream_gone_on_reconnection_fails_at_once(
    streamer: Streamer, scripted: Scripted, status: int
) -> None:
    server = scripted(
        [
            Reply([b"retry: 0\n\n", sse(("1", "logs", "booting"))], end="drop"),
            Reply(status=status, content_type="text/plain", pieces=[b"no such stream"]),
        ]
    )
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert isinstance(outcome.error, StreamInterrupted)
    assert outcome.error.status == status
    assert outcome.error.attempts == 1
    assert len(server.requests) == 2


def test_an_answer_that_is_not_an_event_stream_is_an_error(
    streamer: Streamer, scripted: Scripted
) -> None:
    server = scripted([Reply([b"<html>captive portal</html>"], content_type="text/html")])
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert type(outcome.error) is ReplicateError
    assert "text/html" in str(outcome.error)


@pytest.mark.parametrize("model", ["hello-world", "fail"])
def test_a_server_that_never_sends_done_ends_with_the_predictions_status(
    streamer: Streamer, scripted: Scripted, server: LocalServer, model: str
) -> None:
    import attrs

    from generated.api.models import models_predictions_create
    from generated.models.model_prediction_request import ModelPredictionRequest
    from generated.models.model_prediction_request_input import ModelPredictionRequestInput

    from .conftest import make_client, wait_status

    with make_client(server) as client:
        body = ModelPredictionRequest(input=ModelPredictionRequestInput.from_dict({"text": "a"}))
        created = models_predictions_create.sync("replicate", model, client=client.api, body=body)
    wait_status(server, created.id, {"succeeded", "failed"})
    # events, then a clean end without done; the reconnection brings nothing at all
    sse_server = scripted([Reply([b"retry: 0\n\n", sse(("1", "output", "x"))]), Reply([])])
    urls = attrs.evolve(created.urls, stream=sse_server.url)
    outcome = streamer("stream_prediction", attrs.evolve(created, urls=urls))
    assert outcome.text == "x"
    assert len(sse_server.requests) == 2
    assert len(server.state.requests_to(f"/v1/predictions/{created.id}", "GET")) == 1
    if model == "fail":
        assert isinstance(outcome.error, ModelError)
        assert outcome.error.error == "Something went wrong"
    else:
        assert outcome.error is None


def test_a_stream_that_never_opens_says_so(streamer: Streamer) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as unused:
        port = unused.getsockname()[1]
    # nothing listens there any more: every connection is refused
    prediction = prediction_at(f"http://127.0.0.1:{port}/stream", "neveropenedprediction00000")
    outcome = streamer("stream_prediction", prediction, max_reconnects=1)
    error = outcome.error
    assert isinstance(error, StreamInterrupted)
    assert "prediction neveropenedprediction00000 could not be opened (2 attempts)" in str(error)
    assert "ConnectError" in str(error)
    assert error.status is None
    assert outcome.events == []


def test_run_returns_the_whole_text_when_the_stream_drops(server: LocalServer) -> None:
    from .conftest import make_client

    server.state.inject_fault("drop_stream", STREAM_PATH, after_events=2)
    prompt = "every token arrives once, " * 3  # 15 tokens, 0.1 s apart: outlasts wait=1
    with make_client(server) as client:
        output = client.run("replicate/stream-tokens", {"prompt": prompt, "interval": 10}, wait=1)
    assert output == prompt
    assert server.state.fired_faults  # the stream was followed, and dropped
