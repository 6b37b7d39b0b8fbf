"""Streams that start over and streams that end without `done`, as a real server may send them.

Nothing documents that Replicate honours `Last-Event-ID`, nor that every stream
ends with `done`. Over real HTTP against the local server (its `stream_restart`
and `stream_no_done` faults), then as a property of the flow itself: whatever
the ids look like and wherever the stream breaks and starts over, each event is
handed out once.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generated.client import Client as GeneratedClient
from replicate_ext._context import Context
from replicate_ext._events import StreamOptions, events_flow
from replicate_ext._files import Downloader
from replicate_ext._flow import Close, Emit, ReadChunk, Send, Sleep, Stream
from replicate_ext.testing import LocalServer

from .conftest import Reply, Streamer, make_client, prediction_at, sse

STREAM_PATH = re.compile(r"/v1/predictions/[^/]+/stream")
PROMPT = "one two three four five six"


def stream_requests(server: LocalServer) -> list[Any]:
    return [r for r in server.state.requests if STREAM_PATH.fullmatch(r.path)]


def test_a_stream_that_starts_over_hands_out_each_event_once(
    streamer: Streamer, server: LocalServer
) -> None:
    # Cut after 3 events, then a server that ignores Last-Event-ID and starts over.
    server.state.inject_fault("drop_stream", STREAM_PATH, after_events=3)
    server.state.inject_fault("stream_restart", STREAM_PATH, times=None)
    outcome = streamer("stream", "replicate/stream-tokens", {"prompt": PROMPT})
    assert outcome.error is None
    assert outcome.text == PROMPT
    ids = [event.id for event in outcome.events]
    assert len(ids) == len(set(ids))  # not "a b a b c"
    _, second = stream_requests(server)
    assert second.headers["last-event-id"] == ids[2]  # asked to resume; the server did not


def test_run_returns_the_whole_text_once_when_the_stream_starts_over(server: LocalServer) -> None:
    server.state.inject_fault("drop_stream", STREAM_PATH, after_events=2)
    server.state.inject_fault("stream_restart", STREAM_PATH, times=None)
    with make_client(server) as client:
        assert client.run("replicate/stream-tokens", {"prompt": PROMPT}) == PROMPT


@pytest.mark.parametrize("after_events", [0, 2])
def test_a_stream_without_done_ends_when_the_prediction_does(
    streamer: Streamer, server: LocalServer, after_events: int
) -> None:
    # Closed at the end (0), or after every two events (2), and never a done.
    server.state.inject_fault("stream_no_done", STREAM_PATH, after_events=after_events, times=None)
    outcome = streamer("stream", "replicate/stream-tokens", {"prompt": PROMPT})
    assert outcome.error is None
    assert outcome.text == PROMPT  # nothing lost: the rest was drained before ending
    # A connection with nothing new, then the prediction was asked how it ended.
    assert server.state.requests_to(f"/v1/predictions/{outcome.prediction_id}", "GET")
    assert len(stream_requests(server)) <= 6


def test_a_stream_that_replays_its_one_event_without_done_is_not_reopened_forever(
    streamer: Streamer, server: LocalServer
) -> None:
    # Every connection sends the first event again, then closes cleanly: never done.
    server.state.inject_fault("stream_no_done", STREAM_PATH, after_events=1, times=None)
    server.state.inject_fault("stream_restart", STREAM_PATH, times=None)
    outcome = streamer("stream", "replicate/stream-tokens", {"prompt": "only", "interval": 30})
    assert outcome.error is None
    assert [event.data for event in outcome.events if event.event == "logs"] == [
        "Generating 1 tokens"
    ]
    assert len(stream_requests(server)) <= 1 + 5  # bounded by max_reconnects
    job = server.state.predictions[outcome.prediction_id or ""]
    assert job.status == "succeeded"


def test_run_ends_when_the_stream_never_sends_done(server: LocalServer) -> None:
    server.state.inject_fault("stream_no_done", STREAM_PATH, after_events=1, times=None)
    server.state.inject_fault("stream_restart", STREAM_PATH, times=None)
    with make_client(server) as client:
        assert client.run("replicate/stream-tokens", {"prompt": "a b c", "interval": 5}) == "a b c"


# -- the property, on the flow itself ----------------------------------------------------------


def _context() -> Context:
    api = GeneratedClient(base_url="https://api.replicate.com/v1")
    unused = Downloader(lambda: httpx.Client(), lambda: httpx.AsyncClient())
    return Context(api=api, timeout=httpx.Timeout(5), poll_interval=0.01, downloader=unused)


def _prediction() -> Any:
    from generated.models import Prediction

    base = "https://api.replicate.com/v1/predictions/p1"
    return Prediction.from_dict(
        {
            "id": "p1",
            "version": "v" * 64,
            "status": "processing",
            "created_at": "2026-12-01T12:00:00Z",
            "urls": {"get": base, "cancel": base + "/cancel", "stream": base + "/stream"},
        }
    )


def _wire(events: list[tuple[str | None, str, str]]) -> bytes:
    out = b""
    for event_id, kind, data in events:
        head = f"id: {event_id}\n" if event_id is not None else ""
        out += f"{head}event: {kind}\ndata: {data}\n\n".encode()
    return out


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(max(cut, 0), len(data)) for cut in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points) if b > a]


ID_STYLES = {
    "replicate": lambda n: f"1690212292:{n}",
    "number": lambda n: str(n + 1),
    "opaque": lambda n: f"evt_{n * 7919 % 1000:03d}x",
    "none": lambda n: None,
    # Ids on some events only: the others carry the last one over, as the SSE spec says.
    "sparse": lambda n: f"1690212292:{n}" if n % 3 == 0 else None,
}


@given(
    count=st.integers(min_value=1, max_value=8),
    style=st.sampled_from(sorted(ID_STYLES)),
    breaks=st.lists(st.tuples(st.integers(0, 8), st.booleans(), st.booleans()), max_size=3),
    cuts=st.lists(st.integers(0, 400), max_size=6),
)
@settings(max_examples=200, deadline=None)
def test_a_stream_replayed_from_any_point_hands_out_each_event_once(
    count: int, style: str, breaks: list[tuple[int, bool, bool]], cuts: list[int]
) -> None:
    """Each connection breaks after some events (dropped, or closed without done).

    The next one resumes after the last id it was told, or starts over (a
    server ignoring Last-Event-ID; without ids there is nothing to resume
    from). Whatever happens, the events handed out are the stream's, each
    once, in order.
    """
    make_id = ID_STYLES[style]
    events = [(make_id(n), "output", f"t{n}") for n in range(count)]
    events.append((make_id(count), "done", "{}"))

    def resumed(position: int) -> int:
        """Where a server honouring Last-Event-ID resumes: after the last event with an id."""
        with_ids = [n for n, event in enumerate(events[:position]) if event[0] is not None]
        return with_ids[-1] + 1 if with_ids else 0

    connections: list[tuple[bytes, bool]] = []  # (what it sends, whether it ends by dropping)
    position = 0
    for after, restarts, drops in breaks:
        start = 0 if restarts else resumed(position)
        stop = min(max(after, start), count)
        connections.append((_wire(events[start:stop]), drops))
        position = max(position, stop)
    start = 0 if breaks and breaks[-1][1] else resumed(position)
    connections.append((_wire(events[start:]), False))

    flow = events_flow(_context(), _prediction(), StreamOptions(max_reconnects=len(connections)))
    handed: list[str] = []
    pending = iter(connections)
    answer: Any = None
    error: BaseException | None = None
    while True:
        try:
            op = flow.send(answer) if error is None else flow.throw(error)
        except StopIteration:
            break
        answer, error = None, None
        if isinstance(op, Emit):
            handed.append(op.event.data)
        elif isinstance(op, Send) and op.stream:
            data, drops = next(pending)
            response = httpx.Response(
                200,
                headers={"content-type": "text/event-stream"},
                request=httpx.Request("GET", op.request["url"]),
            )
            chunks = _chunks(data, cuts)
            if drops:
                chunks.append(b"<drop>")
            answer = Stream(response, iter(chunks))
        elif isinstance(op, Send):  # asked how it ended after a clean close: still running
            answer = httpx.Response(
                200,
                json=_prediction().to_dict(),
                request=httpx.Request("GET", op.request["url"]),
            )
        elif isinstance(op, ReadChunk):
            chunk = next(op.stream.chunks, b"")
            if chunk == b"<drop>":
                error = httpx.ReadError("connection dropped")
            else:
                answer = chunk
        else:
            assert isinstance(op, (Sleep, Close))
    assert handed == [f"t{n}" for n in range(count)]


def test_quiet_closes_of_a_booting_prediction_use_up_no_reconnects(
    streamer: Streamer, server: LocalServer, scripted: Any
) -> None:
    """An idle-timeout proxy closes the quiet stream of a cold boot cleanly, again and again.

    The API says the prediction is still starting each time: those closes are
    no failed attempts, so `max_reconnects=1` does not end the stream.
    """
    server.state.queue_delay = 60  # booting for the whole test
    with make_client(server) as client:
        booting = client.predictions.create(model="replicate/stream-tokens", input={"prompt": "a"})
    quiet = Reply([b"retry: 0\n\n"])  # no events, and a clean end
    proxy = scripted([quiet] * 4 + [Reply([sse(("1", "output", "a"), ("2", "done", "{}"))])])
    outcome = streamer("stream_prediction", prediction_at(proxy.url, booting.id), max_reconnects=1)
    assert outcome.error is None
    assert outcome.text == "a"
    assert len(proxy.requests) == 5
    asked = [r for r in server.state.requests if r.path == f"/v1/predictions/{booting.id}"]
    assert len(asked) == 4  # each quiet close: is it still alive?
