"""Driver for Replicate's official `replicate` 2.x pre-release, run with its own virtualenv."""

import os
import sys
import time

if __name__ == "__main__" and sys.argv[1:2] == ["import"]:
    start, start_cpu = time.perf_counter(), time.process_time()
    import replicate

    imported = time.perf_counter()
    client = replicate.Replicate(
        bearer_token=os.environ["BENCH_TOKEN"], base_url=os.environ["BENCH_BASE_URL"]
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

import warnings
from collections.abc import Iterator
from typing import Any

import _common


class ReplicateV2:
    # 2.x reads no event stream for predictions: its deprecated stream() wraps
    # use(..., streaming=True), whose iterator polls GET /predictions/{id}.
    stream_kind: str | None = "polling"
    stream_missing = ""
    stream_note = (
        "2.x has no SSE client for predictions: its stream() (deprecated) and "
        "use(streaming=True) poll GET /predictions/{id} every 0.5 s"
    )
    streams_missing = "no event stream (its stream() polls)"
    astream = None

    def __init__(self) -> None:
        self.base_url, self.origin, self.token = _common.env()
        # use() builds clients of its own from the environment.
        os.environ["REPLICATE_API_TOKEN"] = self.token
        os.environ["REPLICATE_BASE_URL"] = self.base_url

    def make_sync(self) -> Any:
        import replicate

        return replicate.Replicate(bearer_token=self.token, base_url=self.base_url)

    def make_async(self) -> Any:
        import replicate

        return replicate.AsyncReplicate(bearer_token=self.token, base_url=self.base_url)

    def run(self, client: Any, ref: str, input: dict[str, Any]) -> Any:
        return client.run(ref, input=input)

    async def arun(self, client: Any, ref: str, input: dict[str, Any]) -> Any:
        return await client.run(ref, input=input)

    async def aclose(self, client: Any) -> None:
        await client.close()

    def stream(self, client: Any, ref: str, input: dict[str, Any]) -> Iterator[str]:
        import replicate

        # Replicate.use() on a client object raises TypeError in 2.0.0b4 (it passes
        # the instance where a class is expected); the module-level use() works, with
        # clients configured from the environment.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            model = replicate.use(ref, streaming=True)
        for token in model(**input):
            yield str(token)


if __name__ == "__main__":
    _common.main(ReplicateV2())
