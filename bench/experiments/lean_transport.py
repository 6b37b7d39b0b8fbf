"""Experiment: how much of scenario 3's CPU is httpx's default async transport?

A prototype ``httpx.AsyncBaseTransport`` (HTTP/1.1 with h11 over asyncio
streams, a LIFO list of idle connections per origin, whole bodies buffered) under
our ``AsyncClient``, against httpx's ``AsyncHTTPTransport``, on the scenario 3
workload. It is NOT production code: no TLS, no timeouts, no streamed bodies, no
connection limit, minimal error handling. It only measures what the pool and the
layers between httpx and the socket cost.

    .venv/bin/python bench/server.py   # prints base_url and token on its first line
    BENCH_BASE_URL=... BENCH_ORIGIN=... BENCH_TOKEN=... \\
        bench/.venvs/replicate-ext/bin/python bench/experiments/lean_transport.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import h11
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "drivers"))

import _common
import ours


class LeanTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio streams with h11; idle connections kept per origin, LIFO."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, int], list[Any]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.host, request.url.port or 80)
        idle = self._idle.setdefault(key, [])
        reader, writer = idle.pop() if idle else await asyncio.open_connection(*key)
        connection = h11.Connection(h11.CLIENT)
        body = await request.aread()
        head = h11.Request(
            method=request.method, target=request.url.raw_path, headers=list(request.headers.raw)
        )
        out = connection.send(head) or b""
        if body:
            out += connection.send(h11.Data(data=body)) or b""
        out += connection.send(h11.EndOfMessage()) or b""
        writer.write(out)
        response: Any = None
        chunks: list[bytes] = []
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                connection.receive_data(await reader.read(65536))
            elif isinstance(event, h11.Response):
                response = event
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                break
        if connection.our_state is h11.DONE and connection.their_state is h11.DONE:
            idle.append((reader, writer))
        else:
            writer.close()
        return httpx.Response(
            response.status_code,
            headers=list(response.headers),
            content=b"".join(chunks),
            request=request,
        )

    async def aclose(self) -> None:
        for connections in self._idle.values():
            for _, writer in connections:
                writer.close()
        self._idle.clear()


class WithTransport(ours.Ours):
    def __init__(self, lean: bool) -> None:
        super().__init__()
        self.lean = lean

    def make_async(self) -> Any:
        from replicate_ext._client import AsyncClient

        transport = LeanTransport() if self.lean else None
        return AsyncClient(api_token=self.token, base_url=self.base_url, transport=transport)


def main() -> None:
    params = {"n": 1000, "concurrency": 64}
    for _ in range(2):
        for lean in (False, True):
            result = _common.throughput(WithTransport(lean), params)
            name = "lean prototype" if lean else "httpx default "
            print(
                f"{name}: {result['cpu_ms_per_prediction']:.2f} ms CPU per prediction, "
                f"{result['predictions_per_s']:.0f} predictions/s, "
                f"{result['failures']} failures"
            )


if __name__ == "__main__":
    main()
