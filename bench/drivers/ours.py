"""Driver for replicate_ext (this project), run with the project's virtualenv."""

import os
import sys
import time

if __name__ == "__main__" and sys.argv[1:2] == ["import"]:
    # Scenario 1, first thing in a fresh process: import, then have a client ready.
    start, start_cpu = time.perf_counter(), time.process_time()
    import replicate_ext

    imported = time.perf_counter()
    try:
        Client = replicate_ext.Client
    except AttributeError:  # before the lazy exports landed
        from replicate_ext._client import Client
    client = Client(api_token=os.environ["BENCH_TOKEN"], base_url=os.environ["BENCH_BASE_URL"])
    ready, ready_cpu = time.perf_counter(), time.process_time()
    client.run("replicate/hello-world", {"text": "cold"})
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


class Ours:
    stream_kind: str | None = "sse"
    stream_missing = ""
    stream_note = ""
    streams_missing = ""

    def __init__(self) -> None:
        self.base_url, self.origin, self.token = _common.env()
        self.http_versions: set[str] = set()
        self._own_http: Any = None

    def make_sync(self) -> Any:
        from replicate_ext._client import Client

        return Client(api_token=self.token, base_url=self.base_url)

    def make_async(self) -> Any:
        from replicate_ext._client import AsyncClient

        return AsyncClient(api_token=self.token, base_url=self.base_url)

    def run(self, client: Any, ref: str, input: dict[str, Any]) -> Any:
        return client.run(ref, input)

    async def arun(self, client: Any, ref: str, input: dict[str, Any]) -> Any:
        return await client.run(ref, input)

    def make_async_streams(self, connections: int, http2: bool) -> Any:
        # Through http_client=, as a user wanting more connections (or HTTP/2) would.
        import httpx

        from replicate_ext._client import AsyncClient

        async def note_version(response: httpx.Response) -> None:
            self.http_versions.add(response.http_version)

        self._own_http = httpx.AsyncClient(
            http1=not http2,
            http2=http2,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=20),
            event_hooks={"response": [note_version]},
        )
        return AsyncClient(api_token=self.token, base_url=self.base_url, http_client=self._own_http)

    async def aclose(self, client: Any) -> None:
        await client.aclose()
        if self._own_http is not None:
            await self._own_http.aclose()

    async def astream(self, client: Any, ref: str, input: dict[str, Any]) -> AsyncIterator[str]:
        async with client.stream(ref, input) as events:
            async for event in events:
                if event.event == "output":
                    yield event.data

    def stream(self, client: Any, ref: str, input: dict[str, Any]) -> Iterator[str]:
        if os.environ.get("BENCH_OURS_STREAM") == "decoder":
            # For comparison: the SSE decoder alone, without stream()'s layers.
            yield from self._stream_fallback(client, ref, input)
            return
        events = client.stream(ref, input)
        with events:
            for event in events:
                if event.event == "output":
                    yield event.data

    def _stream_fallback(self, client: Any, ref: str, input: dict[str, Any]) -> Iterator[str]:
        # Until Client.stream lands: create the prediction, then read its stream with
        # the project's SSE decoder over the client's own connection pool.
        from replicate_ext._sse import iter_sse

        self.stream_note = (
            "ours measured as creation plus replicate_ext._sse.iter_sse over the "
            "client's connection, not stream()"
        )
        http = client._sync_http()
        created = http.post(f"/models/{ref}/predictions", json={"input": input})
        created.raise_for_status()
        url = created.json()["urls"]["stream"]
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
        with http.stream("GET", url, headers=headers) as response:
            for event in iter_sse(response):
                if event.event == "output":
                    yield event.data
                elif event.event == "done":
                    return


if __name__ == "__main__":
    _common.main(Ours())
