"""Decoding an HTTP/1.1 response body's framing: a known length, chunks, or up to the close.

h11 parses our transports' response heads; the bodies go through this instead,
because a language model's stream is thousands of tiny chunks and h11's event
machinery cost more per chunk than everything else on the way to the caller.
No I/O: `feed` takes bytes as they arrive and returns the body bytes they
complete; `end` is called when the connection closes.
"""

from __future__ import annotations

import re

_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_MAX_LINE = 16384  # a chunk-size or trailer line longer than this is not a server we understand

_LENGTH, _CLOSE, _SIZE, _DATA, _DATA_END, _TRAILER, _DONE = range(7)


class BodyError(Exception):
    """The server broke HTTP/1.1 framing (or closed the connection before the body's end)."""


class BodyReader:
    """The framing of one response body.

    `length` is the Content-Length, `chunked` says Transfer-Encoding: chunked,
    and neither means the body runs until the server closes the connection.
    """

    __slots__ = ("_buffer", "_remaining", "_state", "extra")

    def __init__(self, *, length: int | None = None, chunked: bool = False) -> None:
        self._buffer = b""
        self._remaining = 0
        self.extra = False  # bytes arrived after the body's end: the connection cannot be reused
        if chunked:
            self._state = _SIZE
        elif length is None:
            self._state = _CLOSE
        elif length > 0:
            self._state, self._remaining = _LENGTH, length
        else:
            self._state = _DONE

    @property
    def done(self) -> bool:
        """The whole body has arrived."""
        return self._state == _DONE

    @property
    def until_close(self) -> bool:
        """The body ends only when the connection does (so it cannot be reused)."""
        return self._state == _CLOSE

    def feed(self, data: bytes) -> bytes:
        """The body bytes that `data` (the next bytes off the connection) completes."""
        state = self._state
        if state == _LENGTH:
            if len(data) < self._remaining:
                self._remaining -= len(data)
                return data
            piece, rest = data[: self._remaining], data[self._remaining :]
            self._remaining = 0
            self._state = _DONE
            self.extra = bool(rest)
            return piece
        if state == _CLOSE:
            return data
        if state == _DONE:
            self.extra = self.extra or bool(data)
            return b""
        return self._chunks(self._buffer + data if self._buffer else data)

    def end(self) -> bytes:
        """The connection closed: the rest of a read-to-close body, or an error if one was cut."""
        if self._state == _CLOSE:
            self._state = _DONE
            return b""
        if self._state != _DONE:
            raise BodyError("the server closed the connection before the end of the body")
        return b""

    def _chunks(self, buffer: bytes) -> bytes:
        pieces: list[bytes] = []
        position = 0
        size = len(buffer)
        state = self._state
        while position < size:
            if state == _DATA:
                stop = position + self._remaining
                if stop > size:
                    pieces.append(buffer[position:])
                    self._remaining -= size - position
                    position = size
                    break
                pieces.append(buffer[position:stop])
                position, state = stop, _DATA_END
            elif state == _DATA_END:
                if size - position < 2:
                    break
                if buffer[position : position + 2] != b"\r\n":
                    raise BodyError("a chunk of the body is longer than its size says")
                position, state = position + 2, _SIZE
            elif state == _SIZE:
                line_end = buffer.find(b"\r\n", position)
                if line_end < 0:
                    _check_line(size - position)
                    break
                line = buffer[position:line_end].split(b";", 1)[0].strip(b" \t")
                if not _HEX.fullmatch(line):
                    raise BodyError(f"bad chunk size {line[:20]!r} in the body")
                self._remaining = int(line, 16)
                position = line_end + 2
                state = _DATA if self._remaining else _TRAILER
            elif state == _TRAILER:
                line_end = buffer.find(b"\r\n", position)
                if line_end < 0:
                    _check_line(size - position)
                    break
                empty = line_end == position
                position = line_end + 2
                if empty:
                    state = _DONE
            else:  # _DONE
                self.extra = True
                position = size
        self._state = state
        self._buffer = buffer[position:]
        if len(pieces) == 1:
            return pieces[0]
        return b"".join(pieces)


def _check_line(length: int) -> None:
    if length > _MAX_LINE:
        raise BodyError("a chunk-size or trailer line of the body is too long")
