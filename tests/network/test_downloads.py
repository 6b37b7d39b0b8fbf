"""Output files are streamed from their host, a big JSON one too, never read whole first."""

from __future__ import annotations

import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from replicate_ext import AsyncClient, Client, FileOutput

from .conftest import Peer, ScriptedServer

CHUNK = 1 << 20  # bytes the server sends at a time
SIZE = 24 * CHUNK


class BigJSON:
    """Serves a 24 MiB JSON file, sending the rest only once the client has read a first part."""

    def __init__(self, chunked: bool) -> None:
        self.chunked = chunked
        self.first_part_read = threading.Event()
        self.progressive: list[bool] = []

    def __call__(self, peer: Peer) -> None:
        if peer.request() is None:
            return
        length = "Transfer-Encoding: chunked" if self.chunked else f"Content-Length: {SIZE}"
        peer.send(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}\r\n\r\n".encode())
        part = b"0," * (CHUNK // 2)  # made once: the test measures the client's memory
        for index in range(SIZE // CHUNK):
            if index == 1:
                # Read whole before it is handed over, the file never gets here in time.
                self.progressive.append(self.first_part_read.wait(timeout=5))
            peer.send(b"%x\r\n%s\r\n" % (len(part), part) if self.chunked else part)
        if self.chunked:
            peer.send(b"0\r\n\r\n")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_big_json_output_file_is_streamed_as_it_arrives(
    scripted: Callable[..., ScriptedServer], tmp_path: Path, chunked: bool
) -> None:
    big = BigJSON(chunked)
    host = scripted(big)
    with Client("r8_token", base_url="https://api.replicate.test/v1") as client:
        file = FileOutput(host.url("/outputs/words.json"), client._ctx.downloader)
        tracemalloc.start()
        try:
            received = 0
            for chunk in file.iter_bytes():
                received += len(chunk)
                big.first_part_read.set()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert received == SIZE
    assert big.progressive == [True]  # the client had a first part before the rest was sent
    assert peak < SIZE // 4  # a few chunks at a time, never the whole file


async def test_a_big_json_output_file_is_saved_streaming_async(
    scripted: Callable[..., ScriptedServer], tmp_path: Path
) -> None:
    big = BigJSON(chunked=False)
    host = scripted(big)
    async with AsyncClient("r8_token", base_url="https://api.replicate.test/v1") as client:
        file = FileOutput(host.url("/outputs/points.json"), client._ctx.downloader)
        received = 0
        async for chunk in file:
            received += len(chunk)
            big.first_part_read.set()
    assert received == SIZE
    assert big.progressive == [True]
