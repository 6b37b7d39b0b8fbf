"""Batch throughput: does a 10,000-input batch run at the configured rate, not slower?

Starts the local server (`python -m replicate_ext.testing`) in a process of its
own, with its own rate limit off and model delays divided by `--speed`, then
runs one batch of `--inputs` hello-world inputs through `run_batch` (or
`async_run_batch` with `--async`) with a journal (`--no-journal` for none)
and prints the throughput next to the configured rate, with the client's CPU
time per prediction.

    python bench/batch_bench.py                 # 10,000 inputs at 6000/min: ~100 s
    python bench/batch_bench.py --quick         # 1,000 inputs at 12,000/min: ~5 s
    python bench/batch_bench.py --rate 0        # no limiter: the client's own ceiling
    python bench/batch_bench.py --rate 0 --no-journal   # ... and what the journal costs

The limiter lets `burst` creations through at once (one second's worth), so the
expected time is `(inputs - burst) / rate`; "of rate" compares the steady rate
(between the 10th and 90th percentile of completions) with the configured one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replicate_ext import (  # noqa: E402
    AsyncClient,
    BatchProgress,
    BatchResult,
    Client,
    RateLimiter,
)


@contextmanager
def local_server(speed: float) -> Iterator[tuple[str, str]]:
    """(base URL, token) of a local server running in a child process."""
    command = [sys.executable, "-m", "replicate_ext.testing", "--port", "0", "--speed", str(speed)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert process.stdout is not None
        base_url = token = None
        for line in process.stdout:
            if match := re.match(r"Replicate-compatible server: (\S+)", line):
                base_url = match.group(1)
            elif match := re.match(r"Token: (\S+)", line):
                token = match.group(1)
            if base_url and token:
                break
        if not (base_url and token):
            raise RuntimeError("the local server did not start")
        yield base_url, token
    finally:
        process.terminate()
        process.wait(timeout=10)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="batch size (10000)")
    parser.add_argument(
        "--rate", type=float, default=6000, help="creations per minute; 0 for no limit (6000)"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="inputs in flight (16)")
    parser.add_argument("--speed", type=float, default=1000, help="server speed factor (1000)")
    parser.add_argument("--async", dest="use_async", action="store_true", help="async_run_batch")
    parser.add_argument(
        "--no-journal", dest="journal", action="store_false", help="run without a journal"
    )
    parser.add_argument(
        "--quick", action="store_true", help="1,000 inputs at 12,000/min (about 5 s)"
    )
    args = parser.parse_args()
    if args.quick:
        args.inputs, args.rate = 1000, 12_000
    return args


def run(
    args: argparse.Namespace, base_url: str, token: str, journal: str | None
) -> tuple[list[BatchResult], list[float]]:
    inputs = [{"text": f"input {i}"} for i in range(args.inputs)]
    limiter = RateLimiter(args.rate) if args.rate > 0 else None
    finished: list[float] = []

    def progress(update: BatchProgress) -> None:
        finished.append(time.perf_counter())

    options: dict[str, Any] = {
        "concurrency": args.concurrency,
        "rate_limit": limiter,
        "progress": progress,
        "journal": journal,
    }
    if args.use_async:

        async def main() -> list[BatchResult]:
            async with AsyncClient(token, base_url=base_url) as client:
                return await client.run_batch("replicate/hello-world", inputs, **options)

        return asyncio.run(main()), finished
    with Client(token, base_url=base_url) as client:
        return client.run_batch("replicate/hello-world", inputs, **options), finished


def main() -> int:
    args = parse_args()
    # The journal on the disk the bench runs from, not a RAM disk: its fsyncs are real.
    folder_in = Path(__file__).resolve().parent
    with (
        local_server(args.speed) as (base_url, token),
        tempfile.TemporaryDirectory(dir=folder_in) as folder,
    ):
        # Warm up (imports, connections) outside the measurement.
        with Client(token, base_url=base_url) as client:
            client.run_batch("replicate/hello-world", [{"text": "warm"}] * 8, rate_limit=None)
        journal = os.path.join(folder, "batch.journal") if args.journal else None
        cpu, wall = time.process_time(), time.perf_counter()
        results, finished = run(args, base_url, token, journal)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    failed = sum(not r.ok for r in results)
    rate = args.rate / 60
    burst = RateLimiter(args.rate).burst if args.rate > 0 else 0
    low, high = finished[len(finished) // 10], finished[(len(finished) * 9) // 10]
    steady = (len(finished) * 8 // 10) / (high - low) if high > low else float("inf")
    rows = [
        (
            "machine",
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        ),
        (
            "variant",
            "async_run_batch" if args.use_async else "run_batch (engine on a worker thread)",
        ),
        ("inputs", f"{len(results)} ({failed} failed)"),
        ("journal", "on" if args.journal else "off"),
        ("concurrency", str(args.concurrency)),
        ("configured rate", f"{args.rate:g}/min = {rate:g}/s" if rate else "no limit"),
        ("expected time", f"{(len(results) - burst) / rate:.1f} s" if rate else "-"),
        ("elapsed", f"{wall:.1f} s"),
        ("throughput", f"{len(results) / wall:.1f} predictions/s"),
        (
            "steady rate (p10-p90)",
            f"{steady:.1f}/s" + (f" = {steady / rate:.1%} of rate" if rate else ""),
        ),
        ("client CPU", f"{cpu:.2f} s = {cpu / len(results) * 1000:.2f} ms per prediction"),
    ]
    errors = Counter(f"{type(r.error).__name__}: {r.error}" for r in results if r.error)
    rows += [("error", f"{count} x {text}") for text, count in errors.most_common(5)]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
