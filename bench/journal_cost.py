"""What a batch journal costs per input, measured alone (no server, no HTTP).

A journaled input writes three lines (``send``, ``id``, ``done``); a send line
must be on disk (fsynced) before its creation request goes out, and the batch
writes those of the next `concurrency` inputs together, under one fsync.
Opening a journal hashes every input once. This times exactly that, with the
journal in this folder (a real disk, not a RAM disk), the way a batch at
concurrency 16 does it, in two shapes:

* ``all at once``: creations as fast as they can go;
* ``at 6000/min``: one creation every 10 ms, the batch row of `make bench`;

and, for comparison, the same at 6000/min with an fsync for every creation
(``fsync each``), what the journal would cost without writing ahead.
CPU is the process's (all threads, the kernel's work for them included),
less that of the same shape run without a journal.

    python bench/journal_cost.py            # 2,000 inputs per shape
    python bench/journal_cost.py --inputs 10000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import anyio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replicate_ext._journal import Journal  # noqa: E402

OUTPUT = "hello input 123"


BLOCK = 16  # the batch's concurrency: send lines written ahead together
marks: dict[int, int] = {}  # block -> the journal's mark once its send lines are written


async def one_input(journal: Journal | None, index: int, each: bool) -> None:
    if journal is None:  # the same shape without a journal: the baseline
        await anyio.lowlevel.checkpoint()
        return
    if each:
        mark = journal.sending([index])
    else:
        if index % BLOCK == 0:
            marks[index // BLOCK] = journal.sending(range(index, index + BLOCK))
        mark = marks[index // BLOCK]
    await journal.sync(through=mark)
    journal.created(index, f"prediction{index:026d}")
    journal.finished(index, f"prediction{index:026d}", OUTPUT)


async def shape(journal: Journal | None, count: int, name: str) -> None:
    async with anyio.create_task_group() as group:
        began = time.monotonic()
        for index in range(count):
            if name != "all at once":
                await anyio.sleep_until(began + index * 0.01)
            group.start_soon(one_input, journal, index, name == "fsync each")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=2000, help="inputs per shape (2000)")
    args = parser.parse_args()
    inputs = [{"text": f"input {i}"} for i in range(args.inputs)]
    print(f"{args.inputs} inputs per shape; the journal in {Path(__file__).parent}")
    for name in ("all at once", "at 6000/min", "fsync each"):
        baseline = time.process_time()
        anyio.run(shape, None, len(inputs), name)
        baseline = time.process_time() - baseline
        with tempfile.TemporaryDirectory(dir=Path(__file__).parent) as folder:
            path = os.path.join(folder, "batch.journal")
            cpu, wall = time.process_time(), time.perf_counter()
            journal = Journal.open(path, "replicate/hello-world", inputs)
            opened_cpu = time.process_time() - cpu
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            anyio.run(shape, journal, len(inputs), name)
            journal.close()
            cpu = time.process_time() - started_cpu - baseline
            wall = time.perf_counter() - started_wall
            size = os.path.getsize(path)
            # Reading it back (what a resumed batch does first).
            read_cpu = time.process_time()
            Journal.open(path, "replicate/hello-world", inputs).close()
            read_cpu = time.process_time() - read_cpu
        per = 1e6 / args.inputs
        print(
            f"{name:>14}: CPU {cpu * per:6.0f} µs/input, wall {wall * per:6.0f} µs/input "
            f"(open {opened_cpu * per:4.1f} µs, read back {read_cpu * per:4.1f} µs per input), "
            f"{size / args.inputs:.0f} bytes/input"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
