"""Driver for Replicate's official `replicate` 1.x, run with its own virtualenv."""

import os
import sys
import time

if __name__ == "__main__" and sys.argv[1:2] == ["import"]:
    start, start_cpu = time.perf_counter(), time.process_time()
    import replicate

    imported = time.perf_counter()
    client = replicate.Client(
        api_token=os.environ["BENCH_TOKEN"], base_url=os.environ["BENCH_ORIGIN"]
    )
    ready, ready_cpu = time.perf_counter(), time.process_time()
    client.run("replicate/hello-world", input={"text": "cold"})
    cold = time.perf_counter()
    import json

    result = {
        "import_ms": (imported - start) * 1000,
        "ready_ms": (ready - start) * 1000,
        "ready_cpu_ms": (ready_cpu - start_cpu) * 1000,
        "cold_run_ms": (cold - start) * 1000,
    }
    print("RESULT " + json.dumps(result), flush=True)
    sys.exit(0)

from collections.abc import AsyncIterator, Iterator
from typing import Any

import _common


class ReplicateV1:
    stream_kind: str | None = "sse"
    stream_missing = ""
    stream_note = ""
    streams_missing = "HTTP/2 not measured for the official clients"

    def __init__(self) -> None:
        # 1.x takes the origin: its paths start with /v1.
        self.base_url, self.origin, self.token = _common.env()

    def make_sync(self) -> Any:
        import replicate

        return replicate.Client(api_token=self.token, base_url=self.origin)

    make_async = make_sync  # one client object serves both; it opens an AsyncClient lazily

    def run(self, client: Any, ref: str, input: dict[str, Any]) -> Any:
        return client.run(ref, input=input)

    async def arun(self, client: Any, ref: str, input: dict[str, Any]) -> Any:
        return await client.async_run(ref, input=input)

    async def aclose(self, client: Any) -> None:
        # 1.x has no public close; release its pool like a careful user would.
        await client._async_client.aclose()

    def make_async_streams(self, connections: int, http2: bool) -> Any:
        if http2:
            return None
        import httpx
        import replicate

        # 1.x hands its keyword arguments to httpx; limits go with the transport it wraps.
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=20)
        return replicate.Client(
            api_token=self.token,
            base_url=self.origin,
            transport=httpx.AsyncHTTPTransport(limits=limits),
        )

    async def astream(self, client: Any, ref: str, input: dict[str, Any]) -> AsyncIterator[str]:
        async for event in await client.async_stream(ref, input=input):
            if event.event.value == "output":
                yield event.data

    def stream(self, client: Any, ref: str, input: dict[str, Any]) -> Iterator[str]:
        for event in client.stream(ref, input=input):
            if event.event.value == "output":
                yield event.data


if __name__ == "__main__":
    _common.main(ReplicateV1())
