"""Benchmark replicate_ext against Replicate's official Python clients, side by side.

    .venv/bin/python bench/run.py            # full run, writes bench/RESULTS.md
    .venv/bin/python bench/run.py --quick    # < 2 minutes, writes bench/RESULTS-quick.md
    .venv/bin/python bench/run.py --tiny --clients ours --output /tmp/r.md  # smoke test

Every client runs from a virtualenv of its own under ``bench/.venvs/``, made on
first use: ``replicate==1.0.7``, the ``replicate==2.0.0b4`` pre-release, and
ours as an editable install of this checkout with its runtime dependencies only
(remade when pyproject.toml changes); a fourth, ours with ``h2`` and hypercorn,
runs the HTTP/2 rows of scenario 8 and their server. The local server
(``replicate_ext.testing``) runs in a process of its own (``bench/server.py``)
with model delays divided by a large factor. Every measurement runs a driver
(``bench/drivers/<client>.py``) in a fresh process of the client's virtualenv;
the clients take turns within each round, in an order that rotates from round
to round, so that machine noise falls on all of them alike. The table shows
the median over rounds (or over all samples, for latencies) and, in brackets,
the spread (min-max). A full run also writes every driver's raw result to
``bench/RESULTS.json`` and appends ``bench/ANALYSIS.md`` (the profile findings,
written by hand) to the report.

To profile one scenario, run its driver by hand with ``BENCH_PROFILE=/tmp/p.txt``
(see ``bench/drivers/_common.py``) against ``bench/server.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DRIVERS = BENCH / "drivers"
VENVS = BENCH / ".venvs"
ANALYSIS = BENCH / "ANALYSIS.md"
FAST = 1e6  # server speed factor for the scenarios that want no model delay
STREAM_SPEED = 1e4  # server speed factor while streaming (stream-tokens caps `interval`)
STREAM_PACE = 1e-4  # seconds between two tokens of the long stream
STREAMS_SPEED = 100.0  # server speed factor for the many-streams scenario
STREAMS_PACE = 0.02  # seconds between two tokens of each of the many streams (50 tokens/s)


@dataclass(frozen=True)
class ClientSpec:
    key: str
    label: str
    driver: str
    requirement: str  # what pip installs into the client's own virtualenv
    venv_name: str
    base: str  # what the client wants as base URL: "v1" (ends in /v1) or "origin"
    python_override: str | None = None

    @property
    def venv(self) -> Path:
        return VENVS / self.venv_name

    @property
    def python(self) -> Path:
        if self.python_override:
            return Path(self.python_override)
        return self.venv / "bin" / "python"

    @property
    def package(self) -> str:
        return "replicate-ext" if self.ours else "replicate"

    @property
    def ours(self) -> bool:
        return self.key.startswith("ours")


# Ours runs from a virtualenv of its own too, with an editable install of this
# checkout and its runtime dependencies only: the project's .venv also holds the
# dev and cli extras, and httpx imports click and rich for its own command line
# when they are installed, which would slow down our import for no user's reason.
CLIENTS = (
    ClientSpec("ours", "replicate_ext (ours)", "ours.py", f"-e {ROOT}", "replicate-ext", "v1"),
    ClientSpec(
        "v1", "replicate 1.0.7", "replicate_v1.py", "replicate==1.0.7", "replicate-1.0.7", "origin"
    ),
    ClientSpec(
        "v2",
        "replicate 2.0.0b4",
        "replicate_v2.py",
        "replicate==2.0.0b4",
        "replicate-2.0.0b4",
        "v1",
    ),
)
# Ours once more, with h2 (httpx imports it whenever it is installed, so not in the
# main virtualenv) and hypercorn, whose python also runs the HTTP/2 server.
OURS_HTTP2 = ClientSpec(
    "ours_h2",
    "replicate_ext (ours), HTTP/2",
    "ours.py",
    f"-e {ROOT}[server] h2 hypercorn",
    "replicate-ext-h2",
    "v1",
)


@dataclass(frozen=True)
class Mode:
    name: str
    import_rounds: int
    latency_rounds: int
    latency_n: int
    throughput_rounds: int
    throughput_n: int
    concurrency: int
    completion_rounds: int
    completion_k: int
    completion_seconds: float
    requests_rounds: int
    requests_seconds: float
    stream_rounds: int
    stream_events: int
    ttft_runs: int
    rss_rounds: int
    rss_mb: int
    streams_rounds: int
    streams_count: int
    streams_events: int  # per stream
    slow_speed: float  # server speed for the slow-model scenarios (model seconds are scaled)


MODES = {
    "full": Mode(
        "full", 15, 5, 200, 2, 2000, 64, 2, 2, 3.0, 1, 10.0, 1, 100_000, 5, 2, 200, 2, 200, 250, 1.0
    ),
    "quick": Mode(
        "quick", 3, 2, 50, 2, 200, 64, 1, 1, 1.0, 1, 2.0, 1, 10_000, 3, 1, 20, 1, 200, 50, 1.0
    ),
    "tiny": Mode("tiny", 1, 1, 3, 1, 20, 4, 1, 1, 0.1, 1, 0.1, 1, 200, 1, 1, 2, 1, 4, 5, 10.0),
}


# -- setup --------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def installed_version(client: ClientSpec, package: str | None = None) -> str | None:
    if not client.python.exists():
        return None
    code = f"import importlib.metadata as m; print(m.version({package or client.package!r}))"
    done = subprocess.run([client.python, "-c", code], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_venv(client: ClientSpec) -> None:
    """Install a client into its own virtualenv, once (again when pyproject.toml changes)."""
    if client.python_override:
        return
    stamp = client.venv / ".bench-installed"
    wanted = client.requirement
    if client.ours:
        wanted += f" {(ROOT / 'pyproject.toml').stat().st_mtime_ns}"
    if client.python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return
    log(f"installing {client.requirement} into {client.venv.relative_to(ROOT)}")
    VENVS.mkdir(parents=True, exist_ok=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--clear", client.venv], check=True)
    pip = [client.python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *client.requirement.split()], check=True)
    stamp.write_text(wanted)


# -- the server -----------------------------------------------------------------------------


class Server:
    """bench/server.py in its own process, steered over its stdin and stdout."""

    def __init__(self, python: Path, http2: bool = False) -> None:
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w+", prefix="bench-server-", suffix=".log"
        )
        self.process = subprocess.Popen(
            [python, BENCH / "server.py", "--speed", str(FAST), *(["--http2"] * http2)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            cwd=ROOT,
        )
        line = self._readline()
        info = json.loads(line)
        self.base_url: str = info["base_url"]
        self.origin: str = info["origin"]
        self.token: str = info["token"]
        self.patched_pump: bool = info.get("linear_pump_patch", False)

    def _readline(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.log.seek(0)
            raise RuntimeError(f"the benchmark server died:\n{self.log.read()[-3000:]}")
        return line

    def call(self, op: str, **fields: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self._readline())
        if "error" in answer:
            raise RuntimeError(f"server {op}: {answer['error']}")
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            try:
                self.process.stdin.write('{"op": "quit"}\n')
                self.process.stdin.flush()
                self.process.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self.log.close()


# -- running drivers ------------------------------------------------------------------------


class DriverError(RuntimeError):
    pass


def run_driver(
    client: ClientSpec, server: Server, scenario: str, params: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run one scenario in a fresh process of the client's virtualenv; its RESULT."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPLICATE_")}
    env.update(
        BENCH_BASE_URL=server.base_url,
        BENCH_ORIGIN=server.origin,
        BENCH_TOKEN=server.token,
        REPLICATE_API_TOKEN=server.token,
        REPLICATE_BASE_URL=server.origin if client.base == "origin" else server.base_url,
    )
    env.pop("PYTHONPATH", None)
    # pip compiled the official clients' bytecode when it installed them; ours is an
    # editable checkout, whose bytecode the untimed first run writes, unless told not to.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [str(client.python), str(DRIVERS / client.driver), scenario]
    if params is not None:
        command.append(json.dumps(params))
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900, cwd=ROOT)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT ") :])
            return result
    tail = (done.stderr or done.stdout)[-2000:]
    raise DriverError(f"{client.key} {scenario} exited {done.returncode}:\n{tail}")


def rounds(
    clients: tuple[ClientSpec, ...], count: int, body: Callable[[ClientSpec, int], None]
) -> None:
    """`count` rounds; every client once per round, starting one further each round."""
    for index in range(count):
        shift = index % len(clients)
        for client in clients[shift:] + clients[:shift]:
            body(client, index)


# -- measurements ----------------------------------------------------------------------------


@dataclass
class Metric:
    """One row of the table: per client, the values (per round or per sample)."""

    key: str
    label: str
    unit: str
    lower_is_better: bool = True
    digits: int = 1
    values: dict[str, list[float]] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # client -> why n/a
    excluded: dict[str, str] = field(default_factory=dict)  # client -> why not "best official"
    versus: str | None = None  # the metric whose best official client the ratio uses

    def add(self, client: str, *values: float) -> None:
        self.values.setdefault(client, []).extend(values)

    def median(self, client: str) -> float | None:
        values = self.values.get(client)
        return statistics.median(values) if values else None


class Bench:
    def __init__(
        self,
        mode: Mode,
        clients: tuple[ClientSpec, ...],
        server: Server,
        http2: ClientSpec | None = None,
    ) -> None:
        self.mode = mode
        self.clients = clients
        self.server = server
        self.http2 = http2  # ours for the HTTP/2 rows, or None to leave them out
        self.metrics: dict[str, Metric] = {}
        self.notes: list[str] = []
        self.errors: list[str] = []
        self.details: dict[str, Any] = {}
        self.raw: list[dict[str, Any]] = []  # every driver's result, in order

    def metric(self, key: str, label: str, unit: str, **options: Any) -> Metric:
        if key not in self.metrics:
            self.metrics[key] = Metric(key, label, unit, **options)
        return self.metrics[key]

    def driver(
        self,
        client: ClientSpec,
        scenario: str,
        params: dict[str, Any] | None = None,
        server: Server | None = None,
    ) -> Any:
        try:
            result = run_driver(client, server or self.server, scenario, params)
            self.raw.append({"client": client.key, "scenario": scenario, "result": result})
            return result
        except (DriverError, subprocess.TimeoutExpired) as error:
            message = f"{client.label}, {scenario}: {error}"
            log("ERROR " + message)
            self.errors.append(message)
            return None

    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    # 1
    def imports(self) -> None:
        bare = self.metric("import", "1. `import` of the package", "ms")
        ready = self.metric("import_ready", "1. `import` + construct a client", "ms")
        ready_cpu = self.metric("import_ready_cpu", "1. `import` + construct a client, CPU", "ms")
        cold = self.metric(
            "cold_start", "1. cold start: `import` to the output of a first `run()`", "ms"
        )
        # httpx alone, in our virtualenv, just before ours in every round: the floor
        # our cold start is held against (bench/drivers/bare_httpx.py).
        floor = self.metric(
            "cold_httpx",
            "1. bare httpx (ours' virtualenv): `import httpx`, `httpx.Client()`, the one request",
            "ms",
        )
        share = self.metric(
            "cold_own_share", "1. our own share of the cold start (ours minus bare httpx)", "ms"
        )
        ours = next((c for c in self.clients if c.key == "ours"), None)
        bare_httpx = None if ours is None else dataclasses.replace(ours, driver="bare_httpx.py")
        if self.mode.name != "tiny":
            for client in self.clients:  # compile bytecode before timing
                self.driver(client, "import")

        def one(client: ClientSpec, _: int) -> None:
            floor_ms = None
            if client is ours and bare_httpx is not None:
                measured = self.driver(bare_httpx, "import")
                if measured:
                    floor_ms = measured["cold_run_ms"]
                    floor.add("ours", floor_ms)
            result = self.driver(client, "import")
            if result:
                bare.add(client.key, result["import_ms"])
                ready.add(client.key, result["ready_ms"])
                ready_cpu.add(client.key, result["ready_cpu_ms"])
                cold.add(client.key, result["cold_run_ms"])
                if floor_ms is not None:
                    share.add("ours", result["cold_run_ms"] - floor_ms)

        rounds(self.clients, self.mode.import_rounds, one)

    # 2
    def latency(self) -> None:
        warm = self.metric("latency", "2. blocking `run()` of hello-world, warm", "ms", digits=2)
        cpu = self.metric(
            "latency_cpu",
            "2. client CPU per blocking `run()`, warm, one after another",
            "ms",
            digits=3,
        )
        first = self.metric("latency_first", "2. first `run()` in a fresh process", "ms")
        self.server.call("speed", value=FAST)

        def one(client: ClientSpec, _: int) -> None:
            self.server.call("reset")
            result = self.driver(client, "latency", {"n": self.mode.latency_n})
            if result:
                warm.add(client.key, *result["samples_ms"])
                cpu.add(client.key, result["cpu_ms_per_run"])
                first.add(client.key, result["first_ms"])

        rounds(self.clients, self.mode.latency_rounds, one)

    # 3
    def throughput(self) -> None:
        n, concurrency = self.mode.throughput_n, self.mode.concurrency
        cpu = self.metric(
            "cpu_per_prediction",
            f"3. client CPU per prediction ({n} runs, concurrency {concurrency}, async)",
            "ms",
            digits=2,
        )
        rate = self.metric(
            "predictions_per_s", "3. predictions per second", "/s", lower_is_better=False, digits=0
        )
        self.server.call("speed", value=FAST)

        def one(client: ClientSpec, _: int) -> None:
            self.server.call("reset")
            result = self.driver(client, "throughput", {"n": n, "concurrency": concurrency})
            if result:
                if result["failures"]:
                    self.errors.append(f"{client.label}: {result['failures']} wrong outputs")
                cpu.add(client.key, result["cpu_ms_per_prediction"])
                rate.add(client.key, result["predictions_per_s"])

        rounds(self.clients, self.mode.throughput_rounds, one)

    # 4
    def completion(self) -> None:
        seconds, speed = self.mode.completion_seconds, self.mode.slow_speed
        variants = {
            "completion_poll": (
                f"4. completion-to-return, {seconds:g} s model without stream URL",
                "replicate/sleep",
                {"seconds": seconds * speed},
                {"seconds": 0},
            ),
            "completion_stream": (
                f"4. completion-to-return, {seconds:g} s model with a stream URL",
                "replicate/stream-tokens",
                {"prompt": "done", "interval": seconds * speed},
                {"prompt": "warm", "interval": 0},
            ),
        }
        self.server.call("speed", value=speed)
        for key, (label, ref, model_input, warmup) in variants.items():
            metric = self.metric(key, label, "ms")
            params = {
                "k": self.mode.completion_k,
                "ref": ref,
                "input": model_input,
                "warmup_input": warmup,
            }
            rounds(
                self.clients,
                self.mode.completion_rounds,
                lambda client, _, m=metric, p=params: self._completion_once(client, m, p),
            )
        self.server.call("speed", value=FAST)

    def _completion_once(self, client: ClientSpec, metric: Metric, params: dict[str, Any]) -> None:
        self.server.call("reset")
        result = self.driver(client, "completion", params)
        if not result:
            return
        predictions = self.server.call("predictions")["predictions"]
        # The last k predictions are the measured ones (the first is the warm-up).
        done = [p["completed_at"] for p in predictions][-len(result["returns"]) :]
        if len(predictions) != len(result["returns"]) + 1 or None in done:
            self.errors.append(f"{client.label}, {metric.key}: predictions {predictions}")
            return
        lags = [(ret - at) * 1000 for ret, at in zip(result["returns"], done, strict=True)]
        metric.add(client.key, *lags)

    # 5
    def requests(self) -> None:
        seconds, speed = self.mode.requests_seconds, self.mode.slow_speed
        metric = self.metric(
            "requests", f"5. HTTP requests per `run()` of a {seconds:g} s model", "", digits=0
        )
        self.server.call("speed", value=speed)
        routes: dict[str, Any] = {}

        def one(client: ClientSpec, _: int) -> None:
            self.server.call("reset")
            params = {"ref": "replicate/sleep", "input": {"seconds": seconds * speed}}
            result = self.driver(client, "requests", params)
            if result:
                counted = self.server.call("requests")
                metric.add(client.key, counted["count"])
                routes[client.key] = counted["routes"]

        rounds(self.clients, self.mode.requests_rounds, one)
        self.details["requests_routes"] = routes
        self.server.call("speed", value=FAST)

    # 6
    def stream(self) -> None:
        events = self.mode.stream_events
        cpu = self.metric(
            "stream_cpu", f"6. client CPU per streamed event ({events:,} events)", "µs", digits=2
        )
        ttft = self.metric("ttft", "6. time to first token", "ms", digits=1)
        rate = self.metric(
            "stream_rate", "6. events delivered per second", "/s", lower_is_better=False, digits=0
        )
        words = min(events, 1000)
        # The model emits a token every STREAM_PACE seconds (`interval` is divided by
        # the server's speed), so each event reaches the client in a read of its own,
        # as tokens of a language model do, whichever client is faster: how many
        # events share a read does not depend on the client under test.
        params = {
            "ref": "replicate/stream-tokens",
            "ttft_runs": self.mode.ttft_runs,
            "small_input": {"prompt": "one two three four five", "interval": 0},
            "big_input": {
                "prompt": " ".join(["tok"] * words),
                "repeat": max(1, events // words),
                "interval": STREAM_PACE * STREAM_SPEED,
            },
        }
        self.server.call("speed", value=STREAM_SPEED)

        def one(client: ClientSpec, _: int) -> None:
            self.server.call("reset")
            result = self.driver(client, "stream", params)
            if not result:
                return
            if "missing" in result:
                cpu.missing[client.key] = ttft.missing[client.key] = result["missing"]
                return
            if result["events"] != events:
                self.errors.append(f"{client.label}: {result['events']} events, not {events}")
            cpu.add(client.key, result["cpu_us_per_event"])
            ttft.add(client.key, *result["ttft_ms"])
            rate.add(client.key, result["events"] / result["wall_s"])
            if result["kind"] != "sse":
                why = f"{result['kind']}, not an event stream"
                cpu.excluded[client.key] = ttft.excluded[client.key] = why
            self.note(result.get("note", ""))

        rounds(self.clients, self.mode.stream_rounds, one)
        self.server.call("speed", value=FAST)

    # 8
    def streams(self) -> None:
        count, each = self.mode.streams_count, self.mode.streams_events
        label = f"8. {count} streams at once ({count * each:,} events, async)"
        cpu = self.metric("streams_cpu", f"{label}: client CPU per event", "µs", digits=1)
        rate = self.metric(
            "streams_rate", f"{label}: events per second", "/s", lower_is_better=False, digits=0
        )
        words = min(each, 100)
        params = {
            "streams": count,
            "ref": "replicate/stream-tokens",
            "small_input": {"prompt": "one two three", "interval": 0},
            # Every stream emits a token every STREAMS_PACE seconds, a language
            # model's pace: the server has to serve count / STREAMS_PACE events a
            # second in all.
            "big_input": {
                "prompt": " ".join(["tok"] * words),
                "repeat": max(1, each // words),
                "interval": STREAMS_PACE * STREAMS_SPEED,
            },
        }
        expected = count * words * max(1, each // words)

        def record(client: ClientSpec, result: Any, cpu: Metric, rate: Metric) -> None:
            if not result:
                return
            if "missing" in result:
                cpu.missing[client.key] = rate.missing[client.key] = result["missing"]
                return
            if result["events"] != expected:
                self.errors.append(f"{client.label}: {result['events']} events, not {expected}")
            cpu.add(client.key, result["cpu_us_per_event"])
            rate.add(client.key, result["events_per_s"])

        def one(client: ClientSpec, _: int) -> None:
            self.server.call("reset")
            record(client, self.driver(client, "streams", params), cpu, rate)

        self.server.call("speed", value=STREAMS_SPEED)
        rounds(self.clients, self.mode.streams_rounds, one)
        self.server.call("speed", value=FAST)
        ours = next((c for c in self.clients if c.key == "ours"), None)
        if self.http2 is None or ours is None:
            return
        cpu2 = self.metric(
            "streams_h2_cpu",
            f"{label}: client CPU per event, ours over HTTP/2 (hypercorn)",
            "µs",
            digits=1,
            versus="streams_cpu",
        )
        rate2 = self.metric(
            "streams_h2_rate",
            f"{label}: events per second, ours over HTTP/2 (hypercorn)",
            "/s",
            lower_is_better=False,
            digits=0,
            versus="streams_rate",
        )
        server = Server(self.http2.python, http2=True)
        try:
            server.call("speed", value=STREAMS_SPEED)
            for _ in range(self.mode.streams_rounds):
                server.call("reset")
                result = self.driver(self.http2, "streams", {**params, "http2": True}, server)
                if result and result.get("http_versions") != ["HTTP/2"]:
                    self.errors.append(f"HTTP/2 row spoke {result.get('http_versions')}")
                # In the column of ours: the row says it is HTTP/2.
                record(ours, result, cpu2, rate2)
        finally:
            server.close()

    # 7
    def rss(self, workdir: Path) -> None:
        total = self.mode.rss_mb
        metric = self.metric(
            "rss", f"7. peak RSS over baseline, {total} MB of file input", "MB", digits=1
        )
        # Two files of half the size each: the API caps one upload at 100 MiB.
        half = total * 1_000_000 // 2
        files = []
        for index in range(2):
            path = workdir / f"input-{index}.bin"
            with path.open("wb") as out:
                block = os.urandom(1 << 20)
                left = half
                while left > 0:
                    out.write(block[: min(left, len(block))])
                    left -= len(block)
            files.append(str(path))
        self.server.call("speed", value=FAST)

        def one(client: ClientSpec, _: int) -> None:
            self.server.call("reset")
            result = self.driver(client, "rss", {"files": files})
            if result:
                metric.add(client.key, result["over_baseline_mb"])

        rounds(self.clients, self.mode.rss_rounds, one)
        self.server.call("reset")


# -- the report -------------------------------------------------------------------------------

TARGETS: dict[str, tuple[str, Callable[[float | None, float | None], bool | None]]] = {
    # key: (target text, check(ours median, ratio to best official))
    "import_ready": ("ratio <= 0.7", lambda ours, ratio: None if ratio is None else ratio <= 0.7),
    "cold_start": ("ratio <= 0.8", lambda ours, ratio: None if ratio is None else ratio <= 0.8),
    "cold_own_share": ("<= 15 ms", lambda ours, ratio: None if ours is None else ours <= 15),
    "latency_cpu": ("ratio <= 1.0", lambda ours, ratio: None if ratio is None else ratio <= 1.0),
    "cpu_per_prediction": (
        "ratio <= 1.0",
        lambda ours, ratio: None if ratio is None else ratio <= 1.0,
    ),
    "stream_cpu": ("ratio <= 1.0", lambda ours, ratio: None if ratio is None else ratio <= 1.0),
    "streams_cpu": ("ratio <= 1.0", lambda ours, ratio: None if ratio is None else ratio <= 1.0),
    "completion_stream": ("< 20 ms", lambda ours, ratio: None if ours is None else ours < 20),
    "requests": ("<= 3", lambda ours, ratio: None if ours is None else ours <= 3),
    "rss": ("< 64 MB", lambda ours, ratio: None if ours is None else ours < 64),
}


def fmt(value: float | None, digits: int) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def cell(metric: Metric, client: str) -> str:
    if client in metric.missing:
        return "n/a"
    values = metric.values.get(client)
    if not values:
        return "n/a"
    median = fmt(statistics.median(values), metric.digits)
    if len(values) > 1 and min(values) != max(values):
        median += f" ({fmt(min(values), metric.digits)}–{fmt(max(values), metric.digits)})"
    if client in metric.excluded:
        median += " †"
    return median


def best_official(metric: Metric, clients: tuple[ClientSpec, ...]) -> float | None:
    medians = [
        m
        for c in clients
        if not c.ours and c.key not in metric.excluded and c.key not in metric.missing
        for m in [metric.median(c.key)]
        if m is not None
    ]
    if not medians:
        return None
    return min(medians) if metric.lower_is_better else max(medians)


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores{memory}",
        f"- OS: {platform.system()} {platform.release()}",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
    ]


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min) at the end"


def report(bench: Bench, started: float, versions: dict[str, str | None]) -> str:
    clients = bench.clients
    officials = [c for c in clients if not c.ours]
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")  # noqa: UP017
    lines = [
        "# Benchmark: replicate_ext against the official clients",
        "",
        f"Mode `{bench.mode.name}`, run {now}, took {time.monotonic() - started:.0f} s "
        "(`make bench`; `make bench-quick` for the quick mode).",
        "",
        *machine(),
        "- Clients, each in a virtualenv of its own under `bench/.venvs/`: "
        + ", ".join(versions.get(c.key) or c.label for c in clients),
        "- Server: `replicate_ext.testing` in its own process (`bench/server.py`), loopback "
        "HTTP/1.1 (uvicorn, h11); model delays divided by 10^6 except in scenarios 4 and 5 "
        "(real seconds) and 8 (divided by 100). The HTTP/2 rows: the same application "
        "under hypercorn, HTTP/2 with prior knowledge, no TLS.",
        f"- Load: {load_average()}",
        "",
        "Median over rounds (latencies and TTFT: over all samples), spread (min–max) in "
        "brackets. Ratio: ours / best official client (for predictions per second, "
        "higher is better).",
        "",
    ]
    header = ["Metric", *(c.label for c in clients)]
    if officials and any(c.key == "ours" for c in clients):
        header += ["ours / best official", "target", "met?"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    verdicts: list[str] = []
    for metric in bench.metrics.values():
        unit = f" ({metric.unit})" if metric.unit else ""
        row = [metric.label + unit, *(cell(metric, c.key) for c in clients)]
        if len(header) > len(clients) + 1:
            ours = metric.median("ours")
            best = best_official(bench.metrics.get(metric.versus or "", metric), clients)
            ratio = ours / best if ours is not None and best else None
            target, check = TARGETS.get(metric.key, ("", lambda o, r: None))
            met = check(ours, ratio) if target else None
            verdict = "" if met is None else ("met" if met else "**missed**")
            if target and met is None:
                verdict = "n/a"
            row += [fmt(ratio, 2), target, verdict]
            if target:
                verdicts.append(f"- {metric.label}: target {target}: {verdict or 'n/a'}")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    if any(m.excluded for m in bench.metrics.values()):
        lines += [
            "† not an event stream (polling): shown, but not counted as the best official "
            "client for the streaming ratios.",
            "",
        ]
    if verdicts:
        lines += ["## Targets", "", *verdicts, ""]
    routes = bench.details.get("requests_routes")
    if routes:
        lines += ["## Requests per `run()` of the slow model, by route", ""]
        for client in clients:
            if client.key in routes:
                shown = ", ".join(f"`{r}` × {n}" for r, n in sorted(routes[client.key].items()))
                lines.append(f"- {client.label}: {shown}")
        lines.append("")
    lines += [
        "## How each number is taken",
        "",
        "1. Wall clock inside a fresh process from before `import` to after it, and to "
        "after constructing a client (replicate_ext defers httpx and its generated "
        "client to the first request), and to the output of a first `run()` of hello-world "
        "(cold start). Bytecode is compiled by an untimed first run.",
        "2. Sequential blocking `run()` calls on one client after one untimed call; the "
        "first call (connection, lazy imports) is shown separately.",
        "3. The async client (every client has one), a fixed number of workers sharing "
        "the runs, after a warm-up of one run per worker; `time.process_time()` of the "
        "driver process (all threads) over the runs, divided by their number.",
        "4. The driver notes `time.time()` as `run()` returns; the server's "
        "`completed_at` for the same prediction is subtracted (same machine, same clock). "
        "Each process first runs the same model once, quickly, so lazy imports and "
        "per-model caches are warm. `run()` asks for `Prefer: wait` in every client.",
        "5. Every request the server received during one `run()` (default options).",
        "6. `process_time()` over one stream of `stream-tokens`, divided by its output "
        f"events. The model emits a token every {STREAM_PACE * 1000:g} ms (then waits "
        "for the event loop), so nearly every event reaches the client in a read of its "
        "own, "
        "as tokens of a language model do, for every client alike. TTFT: from the call "
        "to the first output token, short prompt, no delay.",
        "7. `ru_maxrss` after the run minus `ru_maxrss` after imports and one warm-up "
        "run; the input is two files of half the size each (`Path`s, for the `echo` "
        "model's `files`), since the API caps a single upload at 100 MiB.",
        f"8. {bench.mode.streams_count} `stream-tokens` predictions streamed at once by one "
        "async client in one process (an `asyncio.gather` of the client's async streaming "
        f"call), each emitting a token every {STREAMS_PACE * 1000:g} ms (50 tokens a second, "
        "a language model's pace), after one untimed stream; `process_time()` over all of "
        "them, divided by their output events, and the events delivered per second. Every "
        "client gets room for as many connections as streams (ours through `http_client=`, "
        "1.x through `transport=`, both with `httpx.Limits`); HTTP/2: ours with "
        "`http_client=httpx.AsyncClient(http1=False, http2=True)`, one connection. Its "
        "ratio is to the best official client over HTTP/1.1 (none of them is measured over "
        "HTTP/2). The server, one Python process on the same cores, is the bottleneck for "
        "events per second.",
        "",
    ]
    if bench.server.patched_pump:
        bench.note(
            "The local server's SSE pump rescans the whole event list on every wake-up "
            "(O(n^2) in events); `bench/server.py` swaps in an equivalent linear pump so "
            "that 100,000-event streams measure the clients, not the server."
        )
    if bench.notes:
        lines += ["## Notes", "", *(f"- {note}" for note in bench.notes), ""]
    if bench.errors:
        lines += ["## Errors", "", *(f"- {e}" for e in bench.errors), ""]
    if ANALYSIS.exists() and bench.mode.name == "full":
        lines += [ANALYSIS.read_text().rstrip(), ""]
    return "\n".join(lines)


SCENARIO_NAMES = (
    "import",
    "latency",
    "throughput",
    "completion",
    "requests",
    "stream",
    "rss",
    "streams",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="fewer rounds, smaller sizes")
    group.add_argument("--tiny", action="store_true", help="smallest run, for the smoke test")
    parser.add_argument(
        "--clients",
        default=",".join(c.key for c in CLIENTS),
        help="comma-separated: ours,v1,v2 (default: all)",
    )
    parser.add_argument(
        "--only", default=",".join(SCENARIO_NAMES), help="comma-separated scenarios"
    )
    parser.add_argument("--output", type=Path, help="where to write the Markdown report")
    parser.add_argument(
        "--no-http2", action="store_true", help="leave out the HTTP/2 rows of scenario 8"
    )
    parser.add_argument(
        "--ours-in-this-python",
        action="store_true",
        help="run our client with this interpreter instead of its own virtualenv "
        "(the default in --tiny mode)",
    )
    args = parser.parse_args(argv)
    mode = MODES["quick" if args.quick else "tiny" if args.tiny else "full"]
    wanted = args.clients.split(",")
    clients = tuple(c for c in CLIENTS if c.key in wanted)
    if args.ours_in_this_python or mode.name == "tiny":
        clients = tuple(
            dataclasses.replace(c, python_override=sys.executable) if c.key == "ours" else c
            for c in clients
        )
    if not clients:
        parser.error(f"no known client in {args.clients!r}")
    output = args.output or (
        BENCH / ("RESULTS.md" if mode.name == "full" else f"RESULTS-{mode.name}.md")
    )
    started = time.monotonic()
    for client in clients:
        ensure_venv(client)
    versions = {
        c.key: f"{c.package} {installed_version(c)} (httpx {installed_version(c, 'httpx')})"
        + (" in the harness's interpreter" if c.python_override else "")
        for c in clients
    }
    only = args.only.split(",")
    http2, why_not = None, ""
    if args.no_http2 or "streams" not in only or not any(c.key == "ours" for c in clients):
        pass
    elif mode.name == "tiny":
        # No virtualenv to make in the smoke test: the HTTP/2 rows only if this
        # interpreter has what they need.
        here = dataclasses.replace(OURS_HTTP2, python_override=sys.executable)
        if installed_version(here, "hypercorn") and installed_version(here, "h2"):
            http2 = here
        else:
            why_not = "hypercorn and h2 are not installed in this interpreter"
    else:
        try:
            ensure_venv(OURS_HTTP2)
            http2 = OURS_HTTP2
        except subprocess.CalledProcessError as error:
            why_not = f"installing {OURS_HTTP2.requirement} failed ({error})"
    server = Server(Path(sys.executable))
    bench = Bench(mode, clients, server, http2)
    if why_not:
        bench.note(f"HTTP/2 rows of scenario 8 left out: {why_not}.")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
            steps: list[tuple[str, Callable[[], None]]] = [
                ("import", bench.imports),
                ("latency", bench.latency),
                ("throughput", bench.throughput),
                ("completion", bench.completion),
                ("requests", bench.requests),
                ("stream", bench.stream),
                ("rss", lambda: bench.rss(Path(workdir))),
                ("streams", bench.streams),
            ]
            for name, step in steps:
                if name in only:
                    log(f"[{time.monotonic() - started:5.0f} s] {name}")
                    step()
    finally:
        server.close()
    text = report(bench, started, versions)
    print(text)
    output.write_text(text + "\n")
    raw = output.with_suffix(".json")
    raw.write_text(json.dumps({"mode": mode.name, "runs": bench.raw}, indent=1) + "\n")
    log(f"wrote {output} and {raw.name} (every driver's result)")
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
