"""Micro-benchmark: CPU time per event of replicate_ext's SSE decoder.

Run: .venv/bin/python bench/sse_parse.py [n_events]. If httpx_sse is importable
it is measured on the same bytes for comparison (through httpx, like ours).
"""

from __future__ import annotations

import sys
import time

import httpx

from replicate_ext._sse import SSEDecoder, iter_sse

EVENT = b"event: output\nid: 1690000000000:%d\ndata: token %d\n\n"


def payload_chunks(n: int, size: int = 4096) -> list[bytes]:
    payload = b"".join(EVENT % (i, i) for i in range(n))
    return [payload[i : i + size] for i in range(0, len(payload), size)]


def best_of(fn, repeat: int = 5) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        count = fn()
        best = min(best, time.process_time() - start)
    return best, count


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    chunks = payload_chunks(n)

    def decoder_only() -> int:
        decoder = SSEDecoder()
        return sum(len(decoder.feed(chunk)) for chunk in chunks) + len(decoder.close())

    def response() -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=iter(chunks)
        )

    def via_httpx() -> int:
        return sum(1 for _ in iter_sse(response()))

    runs = {"replicate_ext decoder": decoder_only, "replicate_ext iter_sse": via_httpx}
    try:
        import httpx_sse
    except ImportError:
        pass
    else:
        runs["httpx-sse"] = lambda: sum(1 for _ in httpx_sse.EventSource(response()).iter_sse())
    for name, fn in runs.items():
        seconds, count = best_of(fn)
        assert count == n, (name, count)
        print(f"{name:24} {seconds / count * 1e6:6.2f} us/event")


if __name__ == "__main__":
    main()
