from __future__ import annotations

from collections.abc import AsyncIterator

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate_ext._sse import ServerSentEvent, SSEDecoder, aiter_sse, iter_sse

E = ServerSentEvent


def decode(*chunks: bytes, decoder: SSEDecoder | None = None) -> list[ServerSentEvent]:
    decoder = SSEDecoder() if decoder is None else decoder
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events + decoder.close()


def decode_bytewise(stream: bytes) -> list[ServerSentEvent]:
    return decode(*(stream[i : i + 1] for i in range(len(stream))))


REPLICATE_STREAM = (
    b": keep-alive\n\n"
    b"event: output\nid: 1690212292:0\ndata: Once upon\n\n"
    b"event: output\nid: 1690212292:1\ndata:  a time\n\n"
    b"event: logs\nid: 1690212292:2\ndata: step 1/2\ndata: step 2/2\n\n"
    b"event: output\nid: 1690212292:3\ndata: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n\n"
    b"event: done\nid: 1690212292:4\ndata: {}\n\n"
)
REPLICATE_EVENTS = [
    E("output", "Once upon", "1690212292:0"),
    E("output", " a time", "1690212292:1"),
    E("logs", "step 1/2\nstep 2/2", "1690212292:2"),
    E("output", "café € 😀", "1690212292:3"),
    E("done", "{}", "1690212292:4"),
]


def test_replicate_stream() -> None:
    assert decode(REPLICATE_STREAM) == REPLICATE_EVENTS


def test_event_is_frozen() -> None:
    event = E("output", "x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.data = "y"  # type: ignore[misc]
    assert not hasattr(event, "__dict__")


def test_str_is_data_for_output_only() -> None:
    assert str(E("output", "hello")) == "hello"
    assert [str(e) for e in REPLICATE_EVENTS] == ["Once upon", " a time", "", "café € 😀", ""]
    assert str(E("message", "x")) == ""
    assert str(E("error", '{"detail": "boom"}')) == ""


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"])
def test_line_endings(eol: bytes) -> None:
    stream = REPLICATE_STREAM.replace(b"\n", eol)
    assert decode(stream) == REPLICATE_EVENTS
    assert decode_bytewise(stream) == REPLICATE_EVENTS


def test_mixed_line_endings() -> None:
    stream = b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r"
    assert decode(stream) == [E(data="a\nb\nc"), E(data="d")]


def test_every_split_point() -> None:
    for eol in (b"\n", b"\r\n", b"\r"):
        stream = REPLICATE_STREAM.replace(b"\n", eol)
        for i in range(len(stream) + 1):
            assert decode(stream[:i], stream[i:]) == REPLICATE_EVENTS, (eol, i)


def test_every_pair_of_split_points() -> None:
    stream = b"event: output\r\nid: 7\r\ndata: \xe2\x82\xac\r\n\r\n"
    for i in range(len(stream) + 1):
        for j in range(i, len(stream) + 1):
            assert decode(stream[:i], stream[i:j], stream[j:]) == [E("output", "€", "7")]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    # Were the LF a second line end, it would be a blank line dispatching "a" early.
    assert decode(b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n") == [E(data="a\nb")]


def test_cr_dispatches_without_waiting_for_next_chunk() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r\r") == [E(data="a")]
    assert decoder.feed(b"\ndata: b\r\r") == [E(data="b")]


def test_skipped_lf_only_applies_right_after_cr() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"") == []
    # The LF still pairs with the CR: only one line end, no dispatch yet.
    assert decoder.feed(b"\n") == []
    assert decoder.feed(b"\n") == [E(data="a")]


def test_split_inside_utf8_character() -> None:
    for char in ("é", "€", "😀"):
        raw = char.encode()
        for i in range(1, len(raw)):
            stream = b"data: " + raw[:i], raw[i:] + b"\n\n"
            assert decode(*stream) == [E(data=char)]


def test_invalid_utf8_is_replaced() -> None:
    assert decode(b"data: \xff\xfe ok\n\n") == [E(data="\ufffd\ufffd ok")]


def test_split_inside_field_name() -> None:
    assert decode(b"ev", b"ent: output\nda", b"ta: x\ni", b"d: 1\n\n") == [E("output", "x", "1")]


def test_comments_are_ignored() -> None:
    stream = b":\n: ping\n:data: x\ndata: y\n:\n\n"
    assert decode(stream) == [E(data="y")]
    assert decode(b": keep-alive\n\n: again\n\n") == []


def test_bom_stripped_at_start_only() -> None:
    assert decode(b"\xef\xbb\xbfdata: a\n\n") == [E(data="a")]
    assert decode(b"\xef", b"\xbb", b"\xbfdata: a\n\n") == [E(data="a")]
    # A second BOM makes the field name "\ufeffdata", which is unknown.
    assert decode(b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n") == [E(data="b")]
    assert decode(b"data: a\n\n\xef\xbb\xbfdata: b\n\n") == [E(data="a")]
    # Inside a value it is just data.
    assert decode(b"data: \xef\xbb\xbfa\n\n") == [E(data="\ufeffa")]


def test_field_value_parsing() -> None:
    assert decode(b"data:x\n\n") == [E(data="x")]
    assert decode(b"data: x\n\n") == [E(data="x")]
    assert decode(b"data:  x \n\n") == [E(data=" x ")]
    assert decode(b"data:x: y\n\n") == [E(data="x: y")]
    assert decode(b"data: x: y\n\n") == [E(data="x: y")]
    assert decode(b"data\n\n") == [E(data="")]
    assert decode(b"data\ndata\n\n") == [E(data="\n")]
    assert decode(b"data:\n\n") == [E(data="")]
    assert decode(b"DATA: x\n\n") == []
    assert decode(b"data : x\n\n") == []


def test_multiline_data() -> None:
    assert decode(b"data: a\ndata:\ndata: b\n\n") == [E(data="a\n\nb")]


def test_unicode_line_separators_are_data() -> None:
    # str.splitlines (as used by httpx's iter_lines) would split on all of these.
    weird = "a\x0bb\x0cc\x1cd\x1de\x1ef\x85g\u2028h\u2029i"
    assert decode(f"data: {weird}\n\n".encode()) == [E(data=weird)]


def test_event_type() -> None:
    assert decode(b"event: logs\ndata: x\n\ndata: y\n\n") == [E("logs", "x"), E("message", "y")]
    assert decode(b"event:\ndata: x\n\n") == [E("message", "x")]
    assert decode(b"event: a\nevent: b\ndata: x\n\n") == [E("b", "x")]


def test_empty_data_is_not_dispatched_but_updates_id() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event: output\nid: 5\n\n") == []
    assert decoder.last_event_id == "5"
    # The event type was reset with the discarded event.
    assert decoder.feed(b"data: x\n\n") == [E("message", "x", "5")]


def test_id_persists_and_can_be_reset() -> None:
    decoder = SSEDecoder()
    assert decoder.last_event_id is None
    assert decoder.feed(b"data: a\n\n") == [E(data="a", id=None)]
    assert decoder.feed(b"id: 1\ndata: b\n\ndata: c\n\n") == [
        E(data="b", id="1"),
        E(data="c", id="1"),
    ]
    assert decoder.feed(b"id\ndata: d\n\n") == [E(data="d", id="")]
    assert decoder.last_event_id == ""


def test_id_takes_effect_at_dispatch() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n") == [E(data="a", id="1")]
    assert decoder.last_event_id == "1"
    # The stream ends mid-event: that event and its id are dropped.
    assert decoder.close() == []
    assert decoder.last_event_id == "1"
    assert decoder.feed(b"data: c\n\n") == [E(data="c", id="1")]


def test_id_with_nul_is_ignored() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n") == [
        E(data="a", id="1"),
        E(data="b", id="1"),
    ]
    assert decoder.last_event_id == "1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(b"0", 0), (b"3000", 3000), (b"007", 7), (b"1" * 30, int("1" * 30))],
)
def test_retry_valid(value: bytes, expected: int) -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: " + value + b"\ndata: x\n\n") == [E(data="x", retry=expected)]
    assert decoder.retry == expected


@pytest.mark.parametrize(
    "value",
    [b"", b"-1", b"+1", b" 1", b"1 ", b"1.5", b"1_000", b"1e3", b"abc", "١٢".encode(), b"9" * 5000],
)
def test_retry_invalid_is_ignored(value: bytes) -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: 10\n\nretry: " + value + b"\ndata: x\n\n") == [E(data="x")]
    assert decoder.retry == 10


def test_retry_applies_without_data_and_persists() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: 1500\n\n") == []
    assert decoder.retry == 1500
    assert decoder.feed(b"data: x\n\n") == [E(data="x", retry=None)]
    assert decoder.retry == 1500


def test_unknown_fields_are_ignored() -> None:
    assert decode(b"foo: bar\ndata: x\nbaz\n\n") == [E(data="x")]


def test_stream_ending_without_blank_line_is_discarded() -> None:
    assert decode(b"data: a\n\ndata: b\n") == [E(data="a")]
    assert decode(b"data: a\n\ndata: b") == [E(data="a")]
    assert decode(b"data: a\n\ndata: \xe2\x82") == [E(data="a")]


def test_close_resets_for_a_new_connection() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: 5\nid: 9\ndata: a\n\nevent: logs\ndata: partial") == [
        E(data="a", id="9", retry=5)
    ]
    decoder.close()
    # A fresh connection may start with its own BOM; the half event is gone.
    assert decoder.feed(b"\xef\xbb\xbfdata: b\n\n") == [E(data="b", id="9")]
    assert (decoder.last_event_id, decoder.retry) == ("9", 5)


def test_close_forgets_pending_cr() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    decoder.close()
    assert decoder.feed(b"\ndata: b\n\n") == [E(data="b")]


def _response(chunks: list[bytes]) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=chunks)


def test_iter_sse() -> None:
    chunks = [REPLICATE_STREAM[i : i + 7] for i in range(0, len(REPLICATE_STREAM), 7)]
    assert list(iter_sse(_response(chunks))) == REPLICATE_EVENTS


def test_iter_sse_shares_decoder_state() -> None:
    decoder = SSEDecoder()
    assert list(iter_sse(_response([b"id: 4\ndata: a\n\ndata: half"]), decoder)) == [
        E(data="a", id="4")
    ]
    assert decoder.last_event_id == "4"


async def test_aiter_sse() -> None:
    async def body() -> AsyncIterator[bytes]:
        for i in range(0, len(REPLICATE_STREAM), 5):
            yield REPLICATE_STREAM[i : i + 5]

    response = httpx.Response(200, content=body())
    assert [event async for event in aiter_sse(response)] == REPLICATE_EVENTS


# Property: chunking never changes the events.

_names = st.text(
    alphabet=st.characters(blacklist_characters="\r\n:\ufeff", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=8,
)
# Any text, including astral characters, U+2028 and lone NULs, but no CR/LF.
_line = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)),
    max_size=12,
)
_event = st.tuples(
    st.none() | _names,
    st.lists(_line, min_size=1, max_size=4),
    st.none() | _line.filter(lambda s: "\0" not in s),
    st.none() | st.integers(min_value=0, max_value=10**6),
)


@st.composite
def serialized_streams(draw: st.DrawFn) -> tuple[bytes, list[ServerSentEvent]]:
    events = draw(st.lists(_event, max_size=6))
    bom = draw(st.booleans())
    eols = st.sampled_from(["\n", "\r\n", "\r"])
    comment = st.none() | _line.map(lambda s: ":" + s)
    out: list[str] = ["\ufeff"] if bom else []
    expected: list[ServerSentEvent] = []
    last_id: str | None = None

    def emit(line: str) -> None:
        for text in (line, draw(comment)):
            if text is None:
                continue
            eol = draw(eols)
            if not text and out and out[-1][-1:] == "\r" and eol == "\n":
                eol = "\r"  # CR, then an empty line ended by LF, would read as one CRLF
            out.append(text + eol)

    for event, lines, id_, retry in events:
        if event is not None:
            emit(f"event: {event}")
        if id_ is not None:
            emit(f"id: {id_}" if id_[:1] == " " or draw(st.booleans()) else f"id:{id_}")
            last_id = id_
        if retry is not None:
            emit(f"retry: {retry}")
        for line in lines:
            # Without the optional space, a value's own leading space would be eaten.
            emit(f"data: {line}" if line[:1] == " " or draw(st.booleans()) else f"data:{line}")
        emit("")
        expected.append(ServerSentEvent(event or "message", "\n".join(lines), last_id, retry))
    return "".join(out).encode(), expected


@settings(max_examples=200, deadline=None)
@given(serialized_streams(), st.data())
def test_any_chunking_yields_the_same_events(
    stream_and_events: tuple[bytes, list[ServerSentEvent]], data: st.DataObject
) -> None:
    stream, expected = stream_and_events
    assert decode(stream) == expected
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=12)))
    chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    assert decode(*chunks) == expected


@settings(max_examples=30, deadline=None)
@given(serialized_streams())
def test_bytewise_feeding_yields_the_same_events(
    stream_and_events: tuple[bytes, list[ServerSentEvent]],
) -> None:
    stream, expected = stream_and_events
    assert decode_bytewise(stream) == expected


@pytest.mark.timeout(10)
def test_long_line_in_small_chunks_is_linear() -> None:
    # Re-joining the buffered line on every chunk would take minutes here.
    size, step = 16 * 2**20, 1024
    stream = b"data: " + b"x" * size + b"\n\n"
    decoder = SSEDecoder()
    events = [e for i in range(0, len(stream), step) for e in decoder.feed(stream[i : i + step])]
    assert len(events) == 1
    assert len(events[0].data) == size
