"""BodyReader: HTTP/1.1 response-body framing (Content-Length, chunked, until close)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate_ext._body import BodyError, BodyReader

MAX_LINE = 16384  # _body._MAX_LINE: the longest chunk-size or trailer line still awaiting its CRLF


def feed_all(reader: BodyReader, *pieces: bytes) -> bytes:
    """Feed `pieces` one after another and return the body bytes they produced, joined."""
    return b"".join(reader.feed(piece) for piece in pieces)


def bytewise(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    """`data` cut at the (sorted, possibly repeated) offsets in `cuts`; empty pieces included."""
    bounds = [0, *sorted(cuts), len(data)]
    return [data[start:stop] for start, stop in pairwise(bounds)]


def chunked(
    *payloads: bytes,
    extensions: list[bytes] | None = None,
    trailers: list[bytes] | None = None,
    upper: bool = False,
) -> bytes:
    """`payloads` in the chunked transfer coding, ending with the last chunk and trailer section."""
    extensions = extensions or [b""] * len(payloads)
    out = []
    for payload, extension in zip(payloads, extensions, strict=True):
        size = f"{len(payload):X}" if upper else f"{len(payload):x}"
        out.append(size.encode() + extension + b"\r\n" + payload + b"\r\n")
    out.append(b"0\r\n")
    out.extend(line + b"\r\n" for line in trailers or [])
    out.append(b"\r\n")
    return b"".join(out)


def chunked_reader() -> BodyReader:
    return BodyReader(chunked=True)


# -- Content-Length -----------------------------------------------------------


def test_length_exact_body_in_one_feed() -> None:
    reader = BodyReader(length=5)
    assert reader.feed(b"hello") == b"hello"
    assert reader.done
    assert not reader.extra
    assert not reader.until_close


def test_length_body_split_across_feeds() -> None:
    reader = BodyReader(length=11)
    assert reader.feed(b"hel") == b"hel"
    assert not reader.done
    assert reader.feed(b"lo wo") == b"lo wo"
    assert not reader.done
    assert reader.feed(b"rld") == b"rld"
    assert reader.done


def test_length_bytewise() -> None:
    reader = BodyReader(length=5)
    for byte in bytewise(b"hello")[:-1]:
        assert reader.feed(byte) == byte
        assert not reader.done
    assert reader.feed(b"o") == b"o"
    assert reader.done


def test_length_empty_feed_returns_nothing_and_changes_nothing() -> None:
    reader = BodyReader(length=3)
    assert reader.feed(b"") == b""
    assert not reader.done
    assert reader.feed(b"abc") == b"abc"
    assert reader.done


def test_zero_length_is_done_immediately() -> None:
    reader = BodyReader(length=0)
    assert reader.done
    assert not reader.until_close
    assert not reader.extra
    assert reader.end() == b""


def test_bytes_beyond_the_length_set_extra_and_are_not_returned() -> None:
    reader = BodyReader(length=5)
    assert reader.feed(b"helloHTTP/1.1 200 OK\r\n") == b"hello"
    assert reader.done
    assert reader.extra


def test_bytes_after_a_finished_length_body_set_extra() -> None:
    reader = BodyReader(length=5)
    assert reader.feed(b"hello") == b"hello"
    assert not reader.extra
    assert reader.feed(b"X") == b""
    assert reader.extra


def test_empty_feed_after_the_end_is_not_extra() -> None:
    reader = BodyReader(length=5)
    reader.feed(b"hello")
    assert reader.feed(b"") == b""
    assert not reader.extra


def test_extra_stays_set_once_seen() -> None:
    reader = BodyReader(length=1)
    reader.feed(b"ab")
    assert reader.extra
    reader.feed(b"")
    assert reader.extra


def test_bytes_after_a_zero_length_body_set_extra() -> None:
    reader = BodyReader(length=0)
    assert reader.feed(b"junk") == b""
    assert reader.extra


def test_end_before_the_length_raises() -> None:
    reader = BodyReader(length=10)
    reader.feed(b"short")
    with pytest.raises(BodyError, match="closed the connection before the end"):
        reader.end()


def test_end_with_nothing_received_raises() -> None:
    with pytest.raises(BodyError):
        BodyReader(length=1).end()


def test_end_after_the_whole_length_is_fine() -> None:
    reader = BodyReader(length=5)
    reader.feed(b"hello")
    assert reader.end() == b""
    assert reader.done


# -- read until close ---------------------------------------------------------


def test_until_close_returns_everything() -> None:
    reader = BodyReader()
    assert reader.until_close
    assert reader.feed(b"abc") == b"abc"
    assert reader.feed(b"") == b""
    assert reader.feed(b"\r\n0\r\n\r\n") == b"\r\n0\r\n\r\n"  # no framing is interpreted
    assert not reader.done
    assert not reader.extra


def test_until_close_end_finishes_the_body() -> None:
    reader = BodyReader()
    reader.feed(b"abc")
    assert reader.end() == b""
    assert reader.done
    assert not reader.until_close


def test_until_close_with_an_empty_body() -> None:
    reader = BodyReader()
    assert reader.end() == b""
    assert reader.done


def test_length_none_and_not_chunked_is_until_close() -> None:
    assert BodyReader(length=None, chunked=False).until_close


def test_chunked_wins_over_a_length() -> None:
    # RFC 9112 §6.3: Transfer-Encoding overrides Content-Length.
    reader = BodyReader(length=3, chunked=True)
    assert not reader.until_close
    assert reader.feed(chunked(b"hello")) == b"hello"
    assert reader.done


def test_length_and_chunked_readers_are_not_until_close() -> None:
    assert not BodyReader(length=5).until_close
    assert not chunked_reader().until_close


# -- chunked: well-formed bodies ----------------------------------------------


def test_chunked_single_chunk() -> None:
    reader = chunked_reader()
    assert reader.feed(b"5\r\nhello\r\n0\r\n\r\n") == b"hello"
    assert reader.done
    assert not reader.extra
    assert reader.end() == b""


def test_chunked_empty_body() -> None:
    reader = chunked_reader()
    assert reader.feed(b"0\r\n\r\n") == b""
    assert reader.done


def test_chunked_many_chunks_in_one_feed_are_joined() -> None:
    reader = chunked_reader()
    body = chunked(b"Once", b" upon", b" a", b" time")
    assert reader.feed(body) == b"Once upon a time"
    assert reader.done


def test_chunked_chunk_data_may_contain_crlf_and_digits() -> None:
    reader = chunked_reader()
    assert reader.feed(chunked(b"\r\n0\r\n\r\n")) == b"\r\n0\r\n\r\n"
    assert reader.done


def test_chunked_chunk_split_across_feeds_is_returned_as_it_arrives() -> None:
    reader = chunked_reader()
    assert reader.feed(b"a\r\n01234") == b"01234"
    assert reader.feed(b"567") == b"567"
    assert reader.feed(b"89\r") == b"89"
    assert reader.feed(b"\n0\r\n") == b""
    assert not reader.done
    assert reader.feed(b"\r\n") == b""
    assert reader.done


def test_chunked_size_line_split_across_feeds() -> None:
    reader = chunked_reader()
    assert reader.feed(b"1") == b""
    assert reader.feed(b"0") == b""
    assert reader.feed(b"\r") == b""
    assert reader.feed(b"\n" + b"x" * 16) == b"x" * 16
    assert reader.feed(b"\r\n0\r\n\r\n") == b""
    assert reader.done


def test_chunked_empty_feed_changes_nothing() -> None:
    reader = chunked_reader()
    assert reader.feed(b"") == b""
    assert reader.feed(b"3\r\nab") == b"ab"
    assert reader.feed(b"") == b""
    assert reader.feed(b"c\r\n0\r\n\r\n") == b"c"
    assert reader.done


@pytest.mark.parametrize("size", [b"1a", b"1A", b"01a", b"001A", b"000000000000001a"])
def test_chunked_size_hex_in_any_case(size: bytes) -> None:
    payload = bytes(range(26))
    reader = chunked_reader()
    assert reader.feed(size + b"\r\n" + payload + b"\r\n0\r\n\r\n") == payload
    assert reader.done


def test_chunked_sixteen_hex_digits_are_accepted() -> None:
    reader = chunked_reader()
    assert reader.feed(b"0000000000000003\r\nabc\r\n0000000000000000\r\n\r\n") == b"abc"
    assert reader.done


def test_chunked_large_size_waits_for_its_data() -> None:
    reader = chunked_reader()
    assert reader.feed(b"FFFFFFFFFFFFFFFF\r\nabc") == b"abc"
    assert not reader.done


@pytest.mark.parametrize(
    "extension",
    [
        b";name=value",
        b";name",
        b';name="quoted; value"',
        b";a=1;b=2",
        b" ;name=value",
        b"\t;name=value",
    ],
)
def test_chunked_extensions_are_ignored(extension: bytes) -> None:
    reader = chunked_reader()
    body = b"5" + extension + b"\r\nhello\r\n0" + extension + b"\r\n\r\n"
    assert reader.feed(body) == b"hello"
    assert reader.done


@pytest.mark.parametrize("whitespace", [b" ", b"\t", b"  \t "])
def test_chunked_whitespace_after_size(whitespace: bytes) -> None:
    reader = chunked_reader()
    assert reader.feed(b"5" + whitespace + b"\r\nhello\r\n0" + whitespace + b"\r\n\r\n") == b"hello"
    assert reader.done


def test_chunked_trailers_after_the_last_chunk() -> None:
    reader = chunked_reader()
    assert reader.feed(b"5\r\nhello\r\n0\r\n") == b"hello"
    assert not reader.done
    assert reader.feed(b"Checksum: abc\r\n") == b""
    assert not reader.done
    assert reader.feed(b"X-Other: 1\r\n") == b""
    assert not reader.done
    assert reader.feed(b"\r\n") == b""
    assert reader.done
    assert not reader.extra


def test_chunked_trailers_in_one_feed() -> None:
    reader = chunked_reader()
    body = chunked(b"hello", trailers=[b"Checksum: abc", b"X-Other: 1"])
    assert reader.feed(body) == b"hello"
    assert reader.done


def test_chunked_not_done_until_the_final_crlf() -> None:
    body = chunked(b"hello", trailers=[b"Checksum: abc"])
    reader = chunked_reader()
    assert reader.feed(body[:-1]) == b"hello"
    assert not reader.done
    assert reader.feed(body[-1:]) == b""
    assert reader.done


def test_chunked_bytes_after_the_final_chunk_set_extra() -> None:
    reader = chunked_reader()
    assert reader.feed(chunked(b"hello") + b"HTTP/1.1 200 OK\r\n") == b"hello"
    assert reader.done
    assert reader.extra


def test_chunked_bytes_in_a_later_feed_set_extra() -> None:
    reader = chunked_reader()
    reader.feed(chunked(b"hello"))
    assert not reader.extra
    assert reader.feed(b"H") == b""
    assert reader.extra


def test_chunked_empty_feed_after_the_end_is_not_extra() -> None:
    reader = chunked_reader()
    reader.feed(chunked(b"hello"))
    assert reader.feed(b"") == b""
    assert not reader.extra


def test_chunked_long_line_within_the_limit_is_fine() -> None:
    reader = chunked_reader()
    extension = b";x=" + b"a" * (MAX_LINE - 4)  # "5" + extension is exactly MAX_LINE bytes
    for piece in (b"5", extension):
        assert reader.feed(piece) == b""
    assert reader.feed(b"\r\nhello\r\n0\r\n\r\n") == b"hello"
    assert reader.done


def test_chunked_long_trailer_within_the_limit_is_fine() -> None:
    reader = chunked_reader()
    reader.feed(b"0\r\n")
    assert reader.feed(b"X: " + b"a" * (MAX_LINE - 3)) == b""
    assert reader.feed(b"\r\n\r\n") == b""
    assert reader.done


# -- chunked: broken framing --------------------------------------------------


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (b"0x5", b"0x5"),
        (b"+5", b"+5"),
        (b"-1", b"-1"),
        (b"5_0", b"5_0"),
        (b"", b""),
        (b"g", b"g"),
        (b"5z", b"5z"),
        (b"hello", b"hello"),
        (b"1 2", b"1 2"),
        (b"\xef\xbc\x95", b"\xef\xbc\x95"),  # a full-width digit five
        (b"1" * 17, b"1" * 17),
        (b"0" * 17, b"0" * 17),
        (b"f" * 40, b"f" * 20),  # the message shows at most 20 bytes
    ],
)
def test_chunked_malformed_size_is_rejected(size: bytes, shown: bytes) -> None:
    reader = chunked_reader()
    with pytest.raises(BodyError, match="bad chunk size") as caught:
        reader.feed(size + b"\r\nhello\r\n0\r\n\r\n")
    assert repr(shown) in str(caught.value)


def test_chunked_malformed_size_in_a_later_chunk_is_rejected() -> None:
    reader = chunked_reader()
    assert reader.feed(b"5\r\nhello\r\n") == b"hello"
    with pytest.raises(BodyError, match=r"bad chunk size b'0x1'"):
        reader.feed(b"0x1\r\n!\r\n0\r\n\r\n")


def test_chunked_extension_without_a_size_is_rejected() -> None:
    with pytest.raises(BodyError, match=r"bad chunk size b''"):
        chunked_reader().feed(b";name=value\r\n")


def test_chunked_bare_lf_after_size_is_rejected() -> None:
    with pytest.raises(BodyError, match="bad chunk size"):
        chunked_reader().feed(b"5\nhello\r\n0\r\n\r\n")


def test_chunked_data_longer_than_its_size_is_rejected() -> None:
    with pytest.raises(BodyError, match="longer than its size says"):
        chunked_reader().feed(b"5\r\nhello!\r\n0\r\n\r\n")


def test_chunked_missing_crlf_after_data_is_rejected() -> None:
    with pytest.raises(BodyError, match="longer than its size says"):
        chunked_reader().feed(b"5\r\nhello0\r\n\r\n")


def test_chunked_lf_only_after_data_is_rejected() -> None:
    with pytest.raises(BodyError, match="longer than its size says"):
        chunked_reader().feed(b"5\r\nhello\n0\r\n\r\n")


def test_chunked_missing_crlf_after_data_is_rejected_across_feeds() -> None:
    reader = chunked_reader()
    assert reader.feed(b"5\r\nhello") == b"hello"
    assert reader.feed(b"\r") == b""  # one byte is not enough to judge
    with pytest.raises(BodyError, match="longer than its size says"):
        reader.feed(b"X")


def test_chunked_overlong_size_line_is_rejected() -> None:
    reader = chunked_reader()
    assert reader.feed(b"5;" + b"a" * (MAX_LINE - 2)) == b""  # exactly at the limit: wait
    with pytest.raises(BodyError, match="too long"):
        reader.feed(b"a")


def test_chunked_overlong_size_line_in_one_feed_is_rejected() -> None:
    with pytest.raises(BodyError, match="too long"):
        chunked_reader().feed(b"5;" + b"a" * 20000)


def test_chunked_overlong_size_line_in_small_feeds_is_rejected() -> None:
    reader = chunked_reader()
    piece = b"a" * 1024
    assert reader.feed(b"5;") == b""
    for _ in range(MAX_LINE // len(piece) - 1):  # 2 + 15 * 1024 = 15362 bytes buffered
        assert reader.feed(piece) == b""
    assert reader.feed(piece[:-2]) == b""  # 16384 bytes buffered: still waiting for the CRLF
    with pytest.raises(BodyError, match="too long"):
        reader.feed(b"a")


def test_chunked_overlong_trailer_line_is_rejected() -> None:
    reader = chunked_reader()
    reader.feed(b"0\r\n")
    with pytest.raises(BodyError, match="too long"):
        reader.feed(b"X: " + b"a" * MAX_LINE)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"5",
        b"5;ext",
        b"5\r",
        b"5\r\n",
        b"5\r\nhel",
        b"5\r\nhello",
        b"5\r\nhello\r",
        b"5\r\nhello\r\n",
        b"5\r\nhello\r\n0",
        b"5\r\nhello\r\n0\r\n",
        b"5\r\nhello\r\n0\r\nX: y",
        b"5\r\nhello\r\n0\r\nX: y\r\n",
        b"5\r\nhello\r\n0\r\n\r",
    ],
)
def test_chunked_body_cut_short_raises_on_end(body: bytes) -> None:
    reader = chunked_reader()
    reader.feed(body)
    assert not reader.done
    with pytest.raises(BodyError, match="closed the connection before the end"):
        reader.end()


# -- properties -----------------------------------------------------------------

payload_lists = st.lists(st.binary(min_size=1, max_size=40), max_size=8)
extension_bytes = st.sampled_from(
    [b"", b";a", b";name=value", b';q="x;y"', b" ;n=1", b"\t", b" ", b";a=1;b=2"]
)
trailer_lines = st.lists(
    st.sampled_from([b"Checksum: abc", b"X-Trailer: 1", b"Expires: never", b"A:"]), max_size=3
)


@st.composite
def chunked_bodies(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """An encoded chunked body and the payload it carries."""
    payloads = draw(payload_lists)
    extensions = draw(st.lists(extension_bytes, min_size=len(payloads), max_size=len(payloads)))
    trailers = draw(trailer_lines)
    upper = draw(st.booleans())
    encoded = chunked(*payloads, extensions=extensions, trailers=trailers, upper=upper)
    return encoded, b"".join(payloads)


def check_split_feeding(reader: BodyReader, pieces: list[bytes], expected: bytes) -> None:
    """Feeding `pieces` yields `expected`, and `done` turns True exactly at the last byte."""
    total = sum(len(piece) for piece in pieces)
    received = 0
    out = []
    for piece in pieces:
        out.append(reader.feed(piece))
        received += len(piece)
        assert reader.done == (received == total), (received, total)
    assert b"".join(out) == expected
    assert not reader.extra
    assert reader.end() == b""


@settings(max_examples=200, deadline=None)
@given(chunked_bodies(), st.data())
def test_chunked_any_split_yields_the_payloads(
    body: tuple[bytes, bytes], data: st.DataObject
) -> None:
    encoded, payload = body
    cuts = data.draw(st.lists(st.integers(0, len(encoded)), max_size=12), label="cuts")
    check_split_feeding(chunked_reader(), split_at(encoded, cuts), payload)


@settings(max_examples=200, deadline=None)
@given(chunked_bodies())
def test_chunked_bytewise_feeding_yields_the_payloads(body: tuple[bytes, bytes]) -> None:
    encoded, payload = body
    check_split_feeding(chunked_reader(), bytewise(encoded), payload)


@settings(max_examples=200, deadline=None)
@given(chunked_bodies(), st.data())
def test_chunked_cut_anywhere_raises_on_end(body: tuple[bytes, bytes], data: st.DataObject) -> None:
    encoded, payload = body
    cut = data.draw(st.integers(0, len(encoded) - 1), label="cut")
    reader = chunked_reader()
    out = reader.feed(encoded[:cut])
    assert payload.startswith(out)
    assert not reader.done
    with pytest.raises(BodyError):
        reader.end()


@settings(max_examples=200, deadline=None)
@given(chunked_bodies(), st.binary(min_size=1, max_size=20), st.data())
def test_chunked_bytes_after_the_end_set_extra_and_are_not_returned(
    body: tuple[bytes, bytes], after: bytes, data: st.DataObject
) -> None:
    encoded, payload = body
    stream = encoded + after
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=6), label="cuts")
    reader = chunked_reader()
    assert feed_all(reader, *split_at(stream, cuts)) == payload
    assert reader.done
    assert reader.extra


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.data())
def test_length_any_split_yields_the_body(body: bytes, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=12), label="cuts")
    reader = BodyReader(length=len(body))
    if not body:
        assert reader.done
    check_split_feeding(reader, split_at(body, cuts), body)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=100))
def test_length_bytewise_feeding_yields_the_body(body: bytes) -> None:
    check_split_feeding(BodyReader(length=len(body)), bytewise(body), body)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=100), st.binary(min_size=1, max_size=20), st.data())
def test_length_bytes_beyond_set_extra_and_are_not_returned(
    body: bytes, after: bytes, data: st.DataObject
) -> None:
    stream = body + after
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=6), label="cuts")
    reader = BodyReader(length=len(body))
    assert feed_all(reader, *split_at(stream, cuts)) == body
    assert reader.done
    assert reader.extra


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=100), st.data())
def test_length_cut_short_raises_on_end(body: bytes, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(body) - 1), label="cut")
    reader = BodyReader(length=len(body))
    assert reader.feed(body[:cut]) == body[:cut]
    assert not reader.done
    with pytest.raises(BodyError):
        reader.end()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.data())
def test_until_close_any_split_yields_everything(body: bytes, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=12), label="cuts")
    reader = BodyReader()
    assert feed_all(reader, *split_at(body, cuts)) == body
    assert not reader.done
    assert reader.end() == b""
    assert reader.done
    assert not reader.extra
