"""Server-sent events: an incremental, I/O-free decoder for ``text/event-stream``.

The decoder follows the WHATWG HTML "interpreting an event stream" rules. It is
fed bytes exactly as they come off the network, in chunks split anywhere, and
returns the events completed so far. ``iter_sse``/``aiter_sse`` connect it to a
streaming ``httpx.Response``.
"""

from __future__ import annotations

import codecs
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    import httpx

__all__ = ["SSEDecoder", "ServerSentEvent", "aiter_sse", "iter_sse"]


@attrs.frozen
class ServerSentEvent:
    """One dispatched event.

    ``id`` is the stream's last event id at dispatch time (it carries over from
    earlier events, as in browsers); ``own_id`` says whether the event's own
    block set it (an ``id`` field), rather than an earlier event. ``retry`` is
    the reconnection time in milliseconds when the event's own block carried a
    valid ``retry`` field.
    """

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None
    # Not compared: the same event, whichever block named its id.
    own_id: bool = attrs.field(
        default=attrs.Factory(lambda event: event.id is not None, takes_self=True),
        kw_only=True,
        eq=False,
    )

    def __str__(self) -> str:
        # Lets callers print or join a prediction's stream and see only its output.
        return self.data if self.event == "output" else ""


class SSEDecoder:
    """Incremental ``text/event-stream`` decoder.

    Feed it raw bytes with :meth:`feed`; call :meth:`close` at the end of each
    connection. :attr:`last_event_id` and :attr:`retry` survive :meth:`close`,
    so one decoder can follow a stream across reconnections.
    """

    __slots__ = (
        "_buffer",
        "_data",
        "_decoder",
        "_event",
        "_event_retry",
        "_id_buffer",
        "_id_field",
        "_last_event_id",
        "_retry",
        "_skip_lf",
    )

    def __init__(self) -> None:
        self._last_event_id: str | None = None
        self._retry: int | None = None
        self._reset()

    def _reset(self) -> None:
        # utf-8-sig strips one leading BOM, even when it is split across chunks.
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self._buffer: list[str] = []  # pieces of the current, unfinished line
        self._skip_lf = False  # the previous chunk ended with CR: a leading LF ends no line
        self._data: list[str] = []
        self._event = ""
        self._event_retry: int | None = None
        self._id_buffer = self._last_event_id
        self._id_field = False  # the current block has an id field

    @property
    def last_event_id(self) -> str | None:
        """The id to send as ``Last-Event-ID`` when resuming (``None``/``""``: send none)."""
        return self._last_event_id

    @property
    def retry(self) -> int | None:
        """The last valid reconnection time hint from the server, in milliseconds."""
        return self._retry

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode one chunk of the stream and return the events it completed."""
        text = self._decoder.decode(chunk)
        if self._skip_lf and text:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
        if not text:
            return []
        if "\n" not in text and "\r" not in text:
            # Collect the pieces of a long line and join them once, not per chunk,
            # so a multi-megabyte line arriving in small chunks stays linear.
            self._buffer.append(text)
            return []
        if self._buffer:
            self._buffer.append(text)
            text = "".join(self._buffer)
            self._buffer = []
        if "\r" in text:
            # A CR closing this chunk already ends its line; remember to ignore the
            # LF that may open the next chunk, so CRLF split in two stays one end.
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        rest = lines.pop()
        if rest:
            self._buffer.append(rest)
        return self._process(lines)

    def close(self) -> list[ServerSentEvent]:
        """End the current connection; the decoder is then ready for the next one.

        :meth:`feed` returns each event as soon as its blank line arrives, so
        all that is left here is an incomplete event (no blank line after it),
        which the HTML spec says to discard, along with any unterminated last
        line. The result is therefore always empty; it is a list for symmetry
        with :meth:`feed`. :attr:`last_event_id` and :attr:`retry` are kept,
        for resuming.
        """
        # Flushing the UTF-8 decoder could only add U+FFFD to the dropped line.
        self._reset()
        return []

    def _process(self, lines: list[str]) -> list[ServerSentEvent]:
        # State lives in locals for the loop: this is the hot path.
        events: list[ServerSentEvent] = []
        data = self._data
        event = self._event
        event_retry = self._event_retry
        id_buffer = self._id_buffer
        id_field = self._id_field
        for line in lines:
            if not line:
                self._last_event_id = id_buffer
                if data:
                    events.append(
                        ServerSentEvent(
                            event or "message",
                            "\n".join(data),
                            id_buffer,
                            event_retry,
                            own_id=id_field,
                        )
                    )
                    data = []
                event = ""
                event_retry = None
                id_field = False
                continue
            # Nearly every line is "name: value"; splitting at ": " strips the one
            # optional space for free. Fall back when the first colon is elsewhere.
            name, sep, value = line.partition(": ")
            if not sep or ":" in name:
                name, _, value = line.partition(":")
            if name == "data":
                data.append(value)
            elif name == "event":
                event = value
            elif name == "id" and "\0" not in value:
                id_buffer = value
                id_field = True
            # The length cap keeps int() from raising on a megabyte of digits.
            elif name == "retry" and value.isdigit() and value.isascii() and len(value) < 100:
                event_retry = self._retry = int(value)
            # Anything else, comments (empty name) included, is ignored.
        self._data = data
        self._event = event
        self._event_retry = event_retry
        self._id_buffer = id_buffer
        self._id_field = id_field
        return events


def iter_sse(
    response: httpx.Response, decoder: SSEDecoder | None = None
) -> Iterator[ServerSentEvent]:
    """Yield the events of a streaming ``httpx.Response`` (opened with ``stream=True``).

    Pass the previous connection's ``decoder`` when resuming, to keep its
    :attr:`~SSEDecoder.last_event_id` and :attr:`~SSEDecoder.retry`.
    """
    decoder = SSEDecoder() if decoder is None else decoder
    for chunk in response.iter_bytes():
        yield from decoder.feed(chunk)
    yield from decoder.close()


async def aiter_sse(
    response: httpx.Response, decoder: SSEDecoder | None = None
) -> AsyncIterator[ServerSentEvent]:
    """Async twin of :func:`iter_sse`."""
    decoder = SSEDecoder() if decoder is None else decoder
    async for chunk in response.aiter_bytes():
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.close():
        yield event
