"""Event parsing at the stream() level: awkward chunks over real HTTP, and any chunking at all."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replicate_ext import _events
from replicate_ext._client import Client

from .conftest import Reply, ScriptedServer, Streamer, prediction_at

Scripted = Callable[[list[Reply]], ScriptedServer]


def bytewise(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


def test_awkward_chunks_over_http(streamer: Streamer, scripted: Scripted) -> None:
    llama = "caf\u00e9 \U0001f999"
    first = (
        b"\xef\xbb\xbf"  # a BOM, then a comment line, CRLF line ends
        + b": hello\r\nid: 1\r\nevent: output\r\ndata: "
        + llama.encode()
        + b"\r\n\r\n"
        # CR line ends, and data over two lines
        + b"id: 2\revent: logs\rdata: line one\rdata: line two\r\r"
        # LF line ends, no space after the colon, an unknown field, a retry hint
        + b"id: 3\nevent: output\nfoo: bar\ndata:no-space\nretry: 0\n\n"
    )
    second = b"id: 4\nevent: output\ndata:  two spaces\n\nid: 5\nevent: done\ndata: {}\n\n"
    # every byte its own HTTP chunk: splits inside the BOM, the llama, "data" and CR LF
    server = scripted([Reply(bytewise(first)), Reply(bytewise(second))])
    outcome = streamer("stream_prediction", prediction_at(server.url))
    assert outcome.error is None
    assert [(e.event, e.data, e.id, e.retry) for e in outcome.events] == [
        ("output", llama, "1", None),
        ("logs", "line one\nline two", "2", None),
        ("output", "no-space", "3", 0),
        ("output", " two spaces", "4", None),
    ]
    # the first connection ended without done: resumed after the last event
    assert [r.headers.get("last-event-id") for r in server.requests] == [None, "3"]


# -- any chunking -----------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\r\x00"),
    max_size=12,
)
EVENT = st.tuples(
    st.sampled_from(["output", "logs", "custom"]),
    TEXT,
    st.none() | st.integers(0, 99_999),
    st.booleans(),  # a comment before it
)


def encode(events: list[tuple[str, str, int | None, bool]], newline: str, bom: bool) -> bytes:
    """A valid stream of `events` (ids 1..n) and a final done, with the given line ends."""
    lines: list[str] = []
    for index, (kind, data, retry, comment) in enumerate(events, 1):
        if comment:
            lines.append(": keep-alive")
        lines += [f"id: {index}", f"event: {kind}"]
        lines += [f"data: {part}" for part in data.split("\n")]
        if retry is not None:
            lines.append(f"retry: {retry}")
        lines.append("")
    lines += [f"id: {len(events) + 1}", "event: done", "data: {}", "", ""]
    return ("\ufeff" if bom else "").encode() + newline.join(lines).encode()


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(body), *(cut % (len(body) + 1) for cut in cuts)})
    return [body[a:b] for a, b in itertools.pairwise(points) if b > a]


def expected(events: list[tuple[str, str, int | None, bool]]) -> list[tuple[Any, ...]]:
    return [(kind, data, str(i), retry) for i, (kind, data, retry, _) in enumerate(events, 1)]


class MockApi:
    """One in-memory API for all examples: creation answers a prediction, GET the stream."""

    def __init__(self) -> None:
        self.chunks_for: Callable[[httpx.Request], Iterator[bytes]] = lambda request: iter(())
        transport = httpx.MockTransport(self.handle)
        self.client = Client(
            "token", base_url="https://api.test/v1", transport=transport, max_retries=0
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json=MOCK_PREDICTION)
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=self.chunks_for(request)
        )

    def events(self, chunks_for: Callable[[httpx.Request], Iterator[bytes]]) -> list[Any]:
        self.chunks_for = chunks_for
        with self.client.stream("replicate/stream-tokens", use_file_output=False) as events:
            return list(events)


MOCK_PREDICTION = {
    "id": "mockprediction000000000000",
    "model": "replicate/stream-tokens",
    "version": "a" * 64,
    "input": {},
    "status": "starting",
    "created_at": "2024-03-01T12:00:00Z",
    "urls": {
        "get": "https://api.test/v1/predictions/mockprediction000000000000",
        "cancel": "https://api.test/v1/predictions/mockprediction000000000000/cancel",
        "stream": "https://stream.test/v1/streams/mock",
    },
}
MOCK = MockApi()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(EVENT, max_size=6),
    newline=st.sampled_from(["\n", "\r", "\r\n"]),
    bom=st.booleans(),
    cuts=st.lists(st.integers(min_value=0), max_size=30),
)
def test_any_chunking_yields_the_same_events(
    events: list[tuple[str, str, int | None, bool]], newline: str, bom: bool, cuts: list[int]
) -> None:
    chunks = split(encode(events, newline, bom), cuts)
    got = MOCK.events(lambda request: iter(chunks))
    assert [(e.event, e.data, e.id, e.retry) for e in got] == expected(events)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(EVENT, min_size=1, max_size=6),
    newline=st.sampled_from(["\n", "\r\n"]),
    cut=st.integers(min_value=0),
    cuts=st.lists(st.integers(min_value=0), max_size=10),
)
def test_a_drop_at_any_byte_loses_and_repeats_nothing(
    events: list[tuple[str, str, int | None, bool]], newline: str, cut: int, cuts: list[int]
) -> None:
    plain = [(kind, data, None, comment) for kind, data, _, comment in events]
    body = encode(plain, newline, bom=False)
    cut %= len(body)
    connections: list[str | None] = []

    def chunks_for(request: httpx.Request) -> Iterator[bytes]:
        last = request.headers.get("last-event-id")
        connections.append(last)
        if len(connections) == 1:
            yield from split(body[:cut], cuts)
            raise httpx.RemoteProtocolError("peer closed connection")
        # the server resumes after the last event the client saw
        rest = plain[int(last or 0) :]
        resumed = encode(rest, newline, bom=False)
        yield _renumber(resumed, int(last or 0))

    with mock.patch.object(_events, "RECONNECT_DELAY", 0.0):
        got = MOCK.events(chunks_for)
    assert [(e.event, e.data, e.id) for e in got] == [x[:3] for x in expected(plain)]
    # one connection when the cut only lost the end of the last line after done
    assert 1 <= len(connections) <= 2


def _renumber(body: bytes, offset: int) -> bytes:
    # encode() numbers from 1; shift the ids of a resumed tail to their real values
    out = []
    for line in body.decode().splitlines(keepends=True):
        if line.startswith("id: "):
            ending = line[len(line.rstrip("\r\n")) :]
            line = f"id: {int(line[4:].rstrip()) + offset}{ending}"
        out.append(line)
    return "".join(out).encode()
