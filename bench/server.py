"""The benchmark's local server: `replicate_ext.testing.LocalServer` in a process of its own.

The clients under test run in other processes and talk HTTP to it. The harness
(`bench/run.py`) starts this script and steers it over a side channel, its
stdin and stdout: one JSON command per line in, one JSON answer per line out.
The first line out is ``{"base_url": ..., "origin": ..., "token": ...}``.

Commands (``{"op": ...}``):

* ``reset``: forget predictions, files and recorded requests.
* ``speed`` (``value``): divide every model delay by ``value`` from now on.
* ``requests``: how many requests arrived since the last reset, by route and by
  User-Agent.
* ``predictions``: every prediction since the last reset, oldest first, with
  ``created_at`` and ``completed_at`` as Unix times.
* ``quit``.

The replicate_ext.testing server has no endpoint to read its counters from
another process yet; this side channel stands in for one.

With ``--http2`` the same application runs under hypercorn instead of uvicorn
(uvicorn speaks HTTP/1.1 only): plain-text HTTP/2 with prior knowledge
(``httpx.AsyncClient(http1=False, http2=True)``) as well as HTTP/1.1, on one
port. `bench/run.py` runs it from a virtualenv of its own that has hypercorn
(``bench/.venvs/replicate-ext-h2``), since the project's does not.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import threading
from collections import Counter
from typing import Any

from replicate_ext.testing import LocalServer
from replicate_ext.testing import _sse as server_sse
from replicate_ext.testing._app import create_app
from replicate_ext.testing._server import bind_socket, origin_of

_ID = re.compile(r"/[a-z0-9]{26}(?=/|$)")


def _route(method: str, path: str) -> str:
    return f"{method} {_ID.sub('/{id}', path)}"


class Http2Server(LocalServer):
    """`LocalServer`'s application and state under hypercorn, which speaks HTTP/2 too."""

    def start(self) -> Http2Server:
        from hypercorn.asyncio import serve
        from hypercorn.config import Config

        sock = bind_socket(self._host, self._port)
        self._socket = sock
        self.state.set_origin(origin_of(sock))
        config = Config()
        # hypercorn closes the descriptor it is given: give it a copy of ours.
        config.bind = [f"fd://{os.dup(sock.fileno())}"]
        config.accesslog = None
        config.errorlog = None
        config.graceful_timeout = 2
        # Every stream of a 200-stream run on one connection.
        config.h2_max_concurrent_streams = 1000
        loop = asyncio.new_event_loop()
        stop = asyncio.Event()
        ready = threading.Event()

        async def main() -> None:
            loop.call_soon(ready.set)
            await serve(create_app(self.state), config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]

        def stop_serving() -> None:
            # Open event streams would otherwise hold the graceful shutdown.
            self.state.closing = True
            self._touches = [
                loop.create_task(job.touch()) for job in list(self.state.predictions.values())
            ]
            stop.set()

        self._stop_serving = lambda: loop.call_soon_threadsafe(stop_serving)
        self._thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
        self._thread.start()
        ready.wait()
        # The application's lifespan startup hands the state its loop.
        for _ in range(1000):
            if self.state.loop is not None:
                break
            threading.Event().wait(0.01)
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._stop_serving()
            self._thread.join(timeout=15)
        if self._socket is not None:
            self._socket.close()
        self._thread = None
        self._socket = None


def _on_loop(server: LocalServer, make: Any) -> Any:
    loop = server.state.loop
    assert loop is not None

    async def call() -> Any:
        return make()

    return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout=30)


def _predictions(server: LocalServer) -> list[dict[str, Any]]:
    def read() -> list[dict[str, Any]]:
        return [
            {
                "id": job.id,
                "status": job.status,
                "created_at": job.created_at.timestamp(),
                "completed_at": job.completed_at.timestamp() if job.completed_at else None,
            }
            for job in server.state.predictions.values()
        ]

    result: list[dict[str, Any]] = _on_loop(server, read)
    return result


def _requests(server: LocalServer) -> dict[str, Any]:
    recorded = server.state.requests
    return {
        "count": len(recorded),
        "routes": dict(Counter(_route(r.method, r.path) for r in recorded)),
        "agents": dict(Counter(r.headers.get("user-agent", "") for r in recorded)),
    }


def _linear_pump() -> bool:
    """Make the server's event stream linear in the number of events, if it is not yet.

    `EventStream._pump` in replicate_ext.testing rescans the prediction's whole event
    list (``[e for e in job.events if e.id > self.cursor]``) every time it wakes up,
    so a stream of n events costs O(n^2): 100,000 events take many minutes of server
    CPU and the clients would mostly wait. Event ids are 1, 2, 3... (the list index
    plus one), so the events after the cursor are a slice. Same behaviour otherwise;
    applied only while the rescan is there.
    """
    import inspect

    if "e.id > self.cursor" not in inspect.getsource(server_sse.EventStream._pump):
        return False

    async def _pump(self: Any, send: Any, disconnected: asyncio.Event) -> bool:
        sent = 0
        job = self.job
        while not disconnected.is_set():
            for event in job.events[max(0, self.cursor) :]:
                if self.drop_after is not None and sent >= self.drop_after:
                    return False
                body = server_sse.encode_event(event)
                await send({"type": "http.response.body", "body": body, "more_body": True})
                self.cursor = event.id
                sent += 1
                if event.event == "done":
                    return True
            if self.state.closing:
                return True
            idle = False
            async with job.changed:
                if job.events and job.events[-1].id > self.cursor:
                    continue
                try:
                    await asyncio.wait_for(job.changed.wait(), self.state.keepalive_interval)
                except TimeoutError:
                    idle = True
            if idle:
                keepalive = server_sse.KEEPALIVE
                await send({"type": "http.response.body", "body": keepalive, "more_body": True})
        return True

    server_sse.EventStream._pump = _pump  # type: ignore[method-assign]
    return True


def handle(server: LocalServer, command: dict[str, Any]) -> dict[str, Any]:
    op = command.get("op")
    if op == "reset":
        server.reset()
        return {"ok": True}
    if op == "speed":
        server.state.speed = float(command["value"])
        return {"ok": True}
    if op == "requests":
        return _requests(server)
    if op == "predictions":
        return {"predictions": _predictions(server)}
    return {"error": f"unknown op {op!r}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speed", type=float, default=1e6)
    parser.add_argument("--token", default="r8_benchmark-token")
    parser.add_argument("--http2", action="store_true", help="serve with hypercorn (HTTP/2)")
    args = parser.parse_args()
    # Keep-alives far apart: a benchmark stream never idles that long.
    patched = _linear_pump()
    kind = Http2Server if args.http2 else LocalServer
    server = kind(token=args.token, speed=args.speed, keepalive_interval=3600)
    server.start()
    out = sys.stdout
    try:
        out.write(
            json.dumps(
                {
                    "base_url": server.base_url,
                    "origin": server.origin,
                    "token": server.token,
                    "linear_pump_patch": patched,
                }
            )
            + "\n"
        )
        out.flush()
        for line in sys.stdin:
            if not line.strip():
                continue
            command = json.loads(line)
            if command.get("op") == "quit":
                break
            try:
                answer = handle(server, command)
            except Exception as error:
                answer = {"error": f"{type(error).__name__}: {error}"}
            out.write(json.dumps(answer) + "\n")
            out.flush()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
