"""What every driver shares: the scenarios, written once against a small adapter.

A driver (``ours.py``, ``replicate_v1.py``, ``replicate_v2.py``) runs in the
virtualenv of the client it measures, in a fresh process per scenario:

    python bench/drivers/ours.py SCENARIO '{"n": 50, ...}'

It reads the server from ``BENCH_BASE_URL`` (ending in ``/v1``), ``BENCH_ORIGIN``
and ``BENCH_TOKEN``, and prints one line ``RESULT {json}`` on stdout. This module
uses the standard library only: it runs under every client's interpreter.

An adapter is an object with:

* ``make_sync()`` / ``make_async()``: a client (async: inside the running loop);
* ``run(client, ref, input)`` / ``await arun(client, ref, input)``: ``run()``'s output;
* ``await aclose(client)``;
* ``stream(client, ref, input)``: an iterator over the output tokens of a
  streaming model as the client's streaming API hands them out;
* ``stream_kind``: how it streams (``"sse"``, or ``"polling"``), or None if it
  cannot (then ``stream_missing`` says why); ``stream_note``: what to say about it;
* for many streams at once (scenario 8): ``make_async_streams(connections, http2)``,
  an async client with room for ``connections`` connections (HTTP/2 with prior
  knowledge if ``http2``), or None if the client cannot (then ``streams_missing``
  says why), and ``astream(client, ref, input)``, an async iterator over the output
  tokens; ``await aclose(client)`` closes that client too.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

HELLO = "replicate/hello-world"
HELLO_INPUT = {"text": "bench"}
HELLO_OUTPUT = "hello bench"


def env() -> tuple[str, str, str]:
    """The server's base URL (``.../v1``), origin and token."""
    return os.environ["BENCH_BASE_URL"], os.environ["BENCH_ORIGIN"], os.environ["BENCH_TOKEN"]


def emit(result: dict[str, Any]) -> None:
    sys.stdout.write("RESULT " + json.dumps(result) + "\n")
    sys.stdout.flush()


def _maxrss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _text(output: Any) -> str:
    """run()'s output for a text model, whatever shape the client returns it in."""
    if isinstance(output, str):
        return output
    if output is None:
        return ""
    try:
        return "".join(str(piece) for piece in output)
    except TypeError:
        return str(output)


def latency(adapter: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Scenario 2: blocking run() of hello-world, one at a time; their wall and CPU time."""
    client = adapter.make_sync()
    start = time.perf_counter()
    output = adapter.run(client, HELLO, HELLO_INPUT)
    first = time.perf_counter() - start
    assert _text(output) == HELLO_OUTPUT, output
    samples = []
    cpu = time.process_time()
    for _ in range(params["n"]):
        start = time.perf_counter()
        adapter.run(client, HELLO, HELLO_INPUT)
        samples.append((time.perf_counter() - start) * 1000)
    cpu = time.process_time() - cpu
    return {
        "first_ms": first * 1000,
        "samples_ms": samples,
        "cpu_ms_per_run": cpu / params["n"] * 1000,
    }


def throughput(adapter: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Scenario 3: n runs of hello-world at a fixed concurrency, async where possible."""
    n, concurrency = params["n"], params["concurrency"]

    async def main() -> dict[str, Any]:
        client = adapter.make_async()
        # Warm up: lazy imports and the connection pool, outside the measurement.
        await asyncio.gather(
            *(adapter.arun(client, HELLO, HELLO_INPUT) for _ in range(min(n, concurrency)))
        )
        left = n
        failures = 0

        async def worker() -> None:
            nonlocal left, failures
            while left > 0:
                left -= 1
                output = await adapter.arun(client, HELLO, HELLO_INPUT)
                if _text(output) != HELLO_OUTPUT:
                    failures += 1

        cpu = time.process_time()
        wall = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        await adapter.aclose(client)
        return {
            "n": n,
            "failures": failures,
            "cpu_ms_per_prediction": cpu / n * 1000,
            "predictions_per_s": n / wall,
            "wall_s": wall,
        }

    return asyncio.run(main())


def completion(adapter: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Scenario 4: run() a slow model k times; when did each run() return (Unix time)?

    The harness pairs the return times with the server's ``completed_at``.
    """
    client = adapter.make_sync()
    # One quick run of the same model first: lazy imports and per-model caches are
    # then warm, so the numbers show the steady state (cold starts: scenario 1).
    adapter.run(client, params["ref"], params["warmup_input"])
    returns = []
    for _ in range(params["k"]):
        adapter.run(client, params["ref"], params["input"])
        returns.append(time.time())
    return {"returns": returns}


def requests(adapter: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Scenario 5: run() a slow model once; the harness counts requests on the server."""
    client = adapter.make_sync()
    start = time.perf_counter()
    output = adapter.run(client, params["ref"], params["input"])
    return {"wall_s": time.perf_counter() - start, "output": _text(output)[:80]}


def stream(adapter: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Scenario 6: time to first token, then client CPU per event over a long stream."""
    if adapter.stream_kind is None:
        return {"missing": adapter.stream_missing}
    client = adapter.make_sync()
    ttft = []
    for _ in range(params["ttft_runs"]):
        start = time.perf_counter()
        tokens = iter(adapter.stream(client, params["ref"], params["small_input"]))
        next(tokens)
        ttft.append((time.perf_counter() - start) * 1000)
        for _ in tokens:
            pass
    cpu = time.process_time()
    wall = time.perf_counter()
    events = 0
    for _ in adapter.stream(client, params["ref"], params["big_input"]):
        events += 1
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    return {
        "kind": adapter.stream_kind,
        "note": adapter.stream_note,
        "ttft_ms": ttft,
        "events": events,
        "cpu_us_per_event": cpu / max(events, 1) * 1e6,
        "wall_s": wall,
    }


def streams(adapter: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Scenario 8: many event streams at once in one process, async; CPU per event."""
    count, http2 = params["streams"], params.get("http2", False)
    client = None
    if getattr(adapter, "astream", None) is not None:
        client = adapter.make_async_streams(count + 4, http2)
    if client is None:
        return {"missing": adapter.streams_missing}

    async def main() -> dict[str, Any]:
        ref = params["ref"]
        # Warm up: lazy imports and one connection, outside the measurement.
        async for _ in adapter.astream(client, ref, params["small_input"]):
            pass
        counts = [0] * count

        async def one(index: int) -> None:
            async for _ in adapter.astream(client, ref, params["big_input"]):
                counts[index] += 1

        cpu = time.process_time()
        wall = time.perf_counter()
        await asyncio.gather(*(one(index) for index in range(count)))
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        versions = sorted(getattr(adapter, "http_versions", ()))
        await adapter.aclose(client)
        events = sum(counts)
        return {
            "streams": count,
            "events": events,
            "cpu_us_per_event": cpu / max(events, 1) * 1e6,
            "events_per_s": events / wall,
            "wall_s": wall,
            "http_versions": versions,
        }

    return asyncio.run(main())


def rss(adapter: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Scenario 7: peak RSS over a warmed-up baseline while running with big file inputs."""
    client = adapter.make_sync()
    assert _text(adapter.run(client, HELLO, HELLO_INPUT)) == HELLO_OUTPUT
    gc.collect()
    baseline = _maxrss_mb()
    paths = [Path(p) for p in params["files"]]
    start = time.perf_counter()
    output = adapter.run(client, "replicate/echo", {"files": paths})
    wall = time.perf_counter() - start
    peak = _maxrss_mb()
    sizes = [item.get("size") for item in output["files"]["files"]]
    expected = [path.stat().st_size for path in paths]
    assert sizes == expected, (sizes, expected)
    return {"baseline_mb": baseline, "over_baseline_mb": peak - baseline, "wall_s": wall}


SCENARIOS = {
    "latency": latency,
    "throughput": throughput,
    "completion": completion,
    "requests": requests,
    "stream": stream,
    "streams": streams,
    "rss": rss,
}


def main(adapter: Any) -> None:
    """Run the scenario named on the command line.

    With ``BENCH_PROFILE=path`` the scenario runs under a profiler and its report
    goes to ``path``: cProfile timed with CPU time (not wall time, which async
    waiting would dominate) for a ``.txt`` path, pyinstrument (installed in the
    driver's virtualenv) for a ``.pyi.txt`` path.
    """
    scenario, params = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    profile = os.environ.get("BENCH_PROFILE")
    if profile and not profile.endswith(".pyi.txt"):
        import cProfile
        import io
        import pstats

        cpu_profiler = cProfile.Profile(time.process_time)
        result = cpu_profiler.runcall(SCENARIOS[scenario], adapter, params)
        out = io.StringIO()
        stats = pstats.Stats(cpu_profiler, stream=out)
        stats.sort_stats("tottime").print_stats(45)
        stats.sort_stats("cumulative").print_stats(60)
        Path(profile).write_text(out.getvalue())
    elif profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        result = SCENARIOS[scenario](adapter, params)
        profiler.stop()
        Path(profile).write_text(profiler.output_text(unicode=True, show_all=False))
    else:
        result = SCENARIOS[scenario](adapter, params)
    emit(result)
