"""Progress parsed from logs: the parser's cases, and callbacks over HTTP (local server)."""

from __future__ import annotations

import io
import sys
import time
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tqdm import tqdm

import replicate_ext
from generated.api.models import models_create
from generated.api.trainings import trainings_create, trainings_get
from generated.models.model_create_request import ModelCreateRequest
from generated.models.prediction import Prediction
from generated.models.training import Training
from generated.models.training_request import TrainingRequest
from generated.models.training_request_input import TrainingRequestInput
from replicate_ext import AsyncClient, Client, LogProgress, PredictionEvent, parse_progress
from replicate_ext._predictions import _Rebuilt
from replicate_ext.testing import LocalServer, version_id
from replicate_ext.testing._tqdm import tqdm_line

DOWNLOAD = " 45%|████▌     | 450M/1.00G [00:10<00:12, 45.0MB/s]"
SAMPLING = "Sampling:  46%|████▌     | 23/50 [00:02<00:03,  8.10it/s, loss=0.41]"


# -- parsing -------------------------------------------------------------------------------


def test_a_line_with_a_rate_gives_every_field() -> None:
    assert parse_progress(SAMPLING) == LogProgress(
        percentage=0.46,
        current=23,
        total=50,
        elapsed=2.0,
        remaining=3.0,
        rate=8.1,
        unit="it",
        description="Sampling",
        line=SAMPLING,
    )


def test_a_line_without_a_rate() -> None:
    first = parse_progress("  0%|          | 0/50 [00:00<?, ?it/s]")
    assert first is not None
    assert (first.percentage, first.current, first.total) == (0.0, 0, 50)
    assert (first.elapsed, first.remaining, first.rate) == (0.0, None, None)
    # A custom bar_format without the bracket: counts only.
    bare = parse_progress(" 46%|████▌     | 23/50")
    assert bare is not None
    assert (bare.current, bare.total, bare.elapsed, bare.remaining, bare.rate, bare.unit) == (
        23,
        50,
        None,
        None,
        None,
        None,
    )


def test_slow_steps_seconds_per_unit_and_scaled_counts() -> None:
    slow = parse_progress("  6%|▌         | 3/50 [1:23:20<21:45:33, 1666.67s/it]")
    assert slow is not None
    assert slow.elapsed == 5000.0
    assert slow.remaining == 21 * 3600 + 45 * 60 + 33
    assert slow.rate == pytest.approx(1 / 1666.67)
    download = parse_progress(DOWNLOAD)
    assert download is not None
    assert (download.current, download.total) == (450_000_000, 1_000_000_000)
    assert (download.rate, download.unit) == (45e6, "B")


def test_the_official_clients_fields_agree() -> None:
    # replicate 1.x's Prediction.progress: percentage as a fraction, current, total.
    found = parse_progress("Loading\n 46%|████▌     | 23/50 [00:02<00:03,  8.10it/s]\n")
    assert found is not None
    assert (found.percentage, found.current, found.total) == (0.46, 23, 50)
    assert f"{found.percentage:.0%}" == "46%"


def test_of_several_bars_the_last_one_counts() -> None:
    logs = "\n".join(
        [
            "Downloading weights",
            DOWNLOAD,
            "100%|██████████| 1.00G/1.00G [00:20<00:00, 50.0MB/s]",
            "Loaded in 20.1s",
            "  0%|          | 0/50 [00:00<?, ?it/s]",
            SAMPLING,
            "Saving image",  # later lines that are not progress leave the last bar in force
            "",
        ]
    )
    found = parse_progress(logs)
    assert found is not None
    assert (found.current, found.total, found.description) == (23, 50, "Sampling")


def test_updates_split_by_carriage_returns() -> None:
    updates = [tqdm.format_meter(n, 10, n * 0.5) for n in range(11)]
    logs = "Rendering image 1/1\n" + "".join("\r" + line for line in updates[:7])
    found = parse_progress(logs)
    assert found is not None
    assert (found.current, found.line) == (6, updates[6].strip())
    # The last update cut short (logs read while it was being written): the one before counts.
    assert parse_progress(logs + "\r 70%|███████   | 7/10 [00:03<0") == found
    # Windows line ends, and a bar closed with a newline.
    assert parse_progress(logs.replace("\n", "\r\n") + "\r\n") == found


@pytest.mark.parametrize(
    "line",
    [
        "Loaded 23/50 shards (46%)",
        "| 46% | 23/50 |",
        "46% | 23/50",
        "progress 45%|",
        "45%|████▌     | 23/fifty",
        "100%|██████████| 50/50 [00:02<00:00, 17.61it/s] and then some",
        " 12%|█▏        | 6/50 [00:02<00:17,  2.55it/",
        "23it [00:02,  8.10it/s]",  # tqdm without a total: no percentage to report
        "accuracy: 46% | epoch 23/50",
        "50% off | today only | 1/2 price",
        "",
    ],
)
def test_lines_that_only_look_like_progress(line: str) -> None:
    assert parse_progress(line) is None
    assert parse_progress(f"{SAMPLING}\n{line}\n") == parse_progress(SAMPLING)


def test_percentages_over_100_are_kept_as_shown() -> None:
    found = parse_progress("120%|██████████| 60/50 [00:05<00:00, 12.00it/s]")
    assert found is not None
    assert (found.percentage, found.current, found.total) == (1.2, 60, 50)


def test_empty_or_missing_logs_have_no_progress() -> None:
    assert parse_progress("") is None
    assert parse_progress(None) is None
    assert parse_progress("\n\r\n   \n") is None
    assert parse_progress({"id": "p1"}) is None
    assert parse_progress({"logs": None}) is None
    unset = Prediction.from_dict(_prediction_json(logs=None))
    assert parse_progress(unset) is None
    del_logs = _prediction_json()
    del del_logs["logs"]
    assert parse_progress(Prediction.from_dict(del_logs)) is None  # logs UNSET


def test_generated_models_json_and_other_objects_are_accepted() -> None:
    body = _prediction_json(logs=f"Starting\n{SAMPLING}\n")
    expected = parse_progress(SAMPLING)
    assert parse_progress(Prediction.from_dict(body)) == expected
    assert parse_progress(body) == expected  # a webhook's JSON
    training = {**body, "output": None, "destination": "me/tuned"}
    assert parse_progress(Training.from_dict(training)) == expected

    class Job:
        logs = SAMPLING

    assert parse_progress(Job()) == expected


def test_anything_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="a training, their JSON or their logs, not int"):
        parse_progress(42)  # type: ignore[arg-type]


def test_long_logs_are_read_from_the_end() -> None:
    # The progress line near the end of 8 MB of logs is found without reading them all.
    logs = ("x" * 79 + "\n") * 100_000 + SAMPLING + "\n" + "done\n"
    started = time.perf_counter()
    for _ in range(100):
        found = parse_progress(logs)
    per_call = (time.perf_counter() - started) / 100
    assert found is not None
    assert found.current == 23
    assert per_call < 0.001


_TEXT = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12)


@given(
    total=st.integers(min_value=1, max_value=10**7),
    done=st.floats(min_value=0, max_value=1),
    elapsed=st.floats(min_value=0, max_value=10**6),
    unit_scale=st.booleans(),
    unit=st.sampled_from(["it", "B", "img", "step"]),
    prefix=st.none() | _TEXT,
    postfix=st.none() | _TEXT.map(lambda text: f"loss={text}"),
    ascii_bar=st.booleans(),
)
def test_whatever_tqdm_prints_reads_back(
    total: int,
    done: float,
    elapsed: float,
    unit_scale: bool,
    unit: str,
    prefix: str | None,
    postfix: str | None,
    ascii_bar: bool,
) -> None:
    current = int(total * done)
    line = tqdm.format_meter(
        current,
        total,
        elapsed,
        prefix=prefix or "",
        postfix=postfix,
        unit=unit,
        unit_scale=unit_scale,
        ascii=ascii_bar,
    )
    found = parse_progress(f"log line\r{line}\n")
    assert found is not None, line
    assert abs(found.percentage * 100 - current / total * 100) <= 0.5 + 1e-9
    # Scaled counts keep three significant digits.
    assert found.current == pytest.approx(current, rel=0.01, abs=0)
    assert found.total == pytest.approx(total, rel=0.01, abs=0)
    assert found.elapsed == int(elapsed)
    assert found.description == prefix
    assert found.unit == unit


@given(
    total=st.integers(min_value=1, max_value=5000),
    done=st.floats(min_value=0, max_value=1),
    elapsed=st.floats(min_value=0, max_value=10**5),
    description=st.none() | st.sampled_from(["Training", "Sampling"]),
)
def test_the_local_servers_lines_are_tqdms(
    total: int, done: float, elapsed: float, description: str | None
) -> None:
    step = int(total * done)
    ours = tqdm_line(step, total, elapsed, description=description, postfix="loss=0.5")
    assert ours == tqdm.format_meter(
        step, total, elapsed, prefix=description or "", postfix="loss=0.5"
    )


def _prediction_json(logs: str | None = "") -> dict[str, Any]:
    return {
        "id": "p1",
        "model": "replicate/make-image",
        "version": "v" * 64,
        "input": {},
        "logs": logs,
        "status": "processing",
        "created_at": "2024-01-01T00:00:00Z",
        "urls": {"get": "https://api.test/p1", "cancel": "https://api.test/p1/cancel"},
    }


# -- over HTTP -------------------------------------------------------------------------------

STEPS = 4
SLOW_STEP = 20  # nominal seconds: 0.2 s each at the fixture's speed 100


def _currents(seen: list[LogProgress | None]) -> list[int]:
    return [found.current for found in seen if found is not None]


def test_a_progress_callback_gets_every_step_in_order(client: Client) -> None:
    prediction = client.predictions.create(
        model="replicate/make-image",
        input={"num_inference_steps": STEPS, "step_interval": SLOW_STEP},
    )
    seen: list[LogProgress | None] = []
    done = client.wait(prediction, progress=lambda p: seen.append(parse_progress(p)))
    assert done.status == "succeeded"
    currents = _currents(seen)
    # Followed on the event stream, one callback per log line: every step.
    assert sorted(set(currents)) == list(range(STEPS + 1))
    assert currents == sorted(currents)  # never backwards, even as the stream replays
    last = seen[-1]
    assert last is not None
    assert (last.percentage, last.current, last.total, last.remaining) == (1.0, STEPS, STEPS, 0.0)
    assert (last.rate, last.unit) == (pytest.approx(1 / SLOW_STEP), "it")


def test_progress_never_goes_back_when_the_stream_replays_the_run(client: Client) -> None:
    # Held 1 s on creation (Prefer: wait=1), the prediction comes back mid-run with
    # logs; the event stream followed next starts over from the first line.
    seen: list[LogProgress | None] = []
    client.run(
        "replicate/make-image",
        {"num_inference_steps": 2, "step_interval": 60},
        wait=1,
        progress=lambda p: seen.append(parse_progress(p)),
    )
    currents = _currents(seen)
    assert currents[0] >= 1  # what the creation's answer showed
    assert currents == sorted(currents)
    assert currents[-1] == 2


def test_run_hands_parsed_progress_to_callbacks(client: Client) -> None:
    seen: list[LogProgress | None] = []
    output = client.run(
        "replicate/make-image",
        {"num_inference_steps": 3, "num_outputs": 2},
        progress=lambda p: seen.append(parse_progress(p)),
    )
    assert len(output) == 2
    final = seen[-1]
    assert final is not None
    assert (final.current, final.total) == (3, 3)


def test_carriage_return_updates_read_from_a_fetched_prediction(client: Client) -> None:
    prediction = client.predictions.create(
        model="replicate/make-image",
        input={"num_inference_steps": 5, "progress_style": "carriage-return"},
    )
    done = client.wait(prediction)
    assert isinstance(done.logs, str)
    assert "\r" in done.logs  # the logs keep tqdm's redraws as written
    fetched = client.predictions.get(done.id)
    found = parse_progress(fetched)
    assert found is not None
    assert (found.current, found.total, found.percentage) == (5, 5, 1.0)


async def test_an_async_callback_gets_parsed_progress(async_client: AsyncClient) -> None:
    seen: list[LogProgress | None] = []

    async def progress(prediction: Prediction) -> None:
        seen.append(parse_progress(prediction))

    prediction = await async_client.predictions.create(
        model="replicate/make-image",
        input={
            "num_inference_steps": STEPS,
            "step_interval": SLOW_STEP,
            "progress_style": "carriage-return",
        },
    )
    done = await async_client.wait(prediction, progress=progress)
    assert done.status == "succeeded"
    currents = _currents(seen)
    assert sorted(set(currents)) == list(range(STEPS + 1))
    assert currents == sorted(currents)


def test_a_training_reports_progress_the_same_way(client: Client, server: LocalServer) -> None:
    created_model = models_create.sync(
        client=client.api,
        body=ModelCreateRequest.from_dict(
            {"owner": "test-user", "name": "tuned", "visibility": "private", "hardware": "cpu"}
        ),
    )
    assert created_model is not None
    training = trainings_create.sync(
        "replicate",
        "trainable",
        version_id("replicate/trainable", 1),
        client=client.api,
        body=TrainingRequest(
            destination="test-user/tuned", input=TrainingRequestInput.from_dict({"steps": 3})
        ),
    )
    assert isinstance(training, Training), training
    server.state.wait_until(lambda: server.state.trainings[training.id].terminal)
    finished = trainings_get.sync(training.id, client=client.api)
    assert isinstance(finished, Training)
    found = parse_progress(finished)
    assert found is not None
    assert (found.current, found.total, found.description) == (3, 3, "Training")
    assert found.line.endswith("loss=0.3333]")


def test_the_public_names() -> None:
    assert replicate_ext.parse_progress is parse_progress
    assert replicate_ext.LogProgress is LogProgress


# -- nested bars, and the cost of a call -----------------------------------------------------


def _nested_tqdm_output() -> tuple[str, list[tuple[str, int, int]]]:
    """What tqdm prints for a bar nested in another, and the bar drawn last at each update."""
    buffer = io.StringIO()
    cuts: list[tuple[str, int, int]] = []  # (logs so far, current, total) of the last drawn
    outer = tqdm(total=2, desc="outer", file=buffer, mininterval=0, ascii=False)
    for _ in range(2):
        inner = tqdm(total=3, desc="inner", file=buffer, mininterval=0, leave=False)
        for step in range(1, 4):
            inner.update(1)
            cuts.append((buffer.getvalue(), step, 3))
        inner.close()
        outer.update(1)
        cuts.append((buffer.getvalue(), outer.n, 2))
    outer.close()
    return buffer.getvalue(), cuts


def test_of_nested_tqdm_bars_the_one_drawn_last_counts() -> None:
    logs, cuts = _nested_tqdm_output()
    assert "\x1b[A" in logs  # tqdm moves the cursor up to redraw the outer bar
    for so_far, current, total in cuts:
        found = parse_progress(so_far)
        assert found is not None, repr(so_far[-120:])
        assert (found.current, found.total) == (current, total), repr(so_far[-120:])
        assert found.description == ("inner" if total == 3 else "outer")
        assert "\x1b" not in found.line
    final = parse_progress(logs)
    assert final is not None
    assert (final.description, final.current, final.total) == ("outer", 2, 2)


def _lines_run(call: Any) -> int:
    """Python lines executed by `call()`: work counted, not timed."""
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


class _Scanned(str):
    """Logs that count the characters `find` and `rfind` are asked to look through."""

    scanned = 0

    def _span(self, start: int | None, end: int | None) -> int:
        low = 0 if start is None else start
        high = len(self) if end is None else end
        return max(0, high - low)

    def find(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        type(self).scanned += self._span(start, end)
        return super().find(sub, start, end)

    def rfind(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        type(self).scanned += self._span(start, end)
        return super().rfind(sub, start, end)


def _wget(redraws: int) -> str:
    # wget-style: one line redrawn with carriage returns, a "%" in each redraw, no tqdm bar.
    return "".join(
        f"\r{n % 100:3d}%[{'=' * (n % 40):<40}] {n * 1.3:8.1f}K  1.2MB/s    eta {n % 60}s"
        for n in range(redraws)
    )


@pytest.mark.parametrize(
    "make",
    [
        _wget,
        lambda n: "".join(f"step {i}: loss 5% lower, |grad| 0.{i}\n" for i in range(n)),
        lambda n: SAMPLING + "\n" + "".join(f"\r{i % 100}%| not a bar {i}" for i in range(n)),
    ],
    ids=["one-long-redrawn-line", "percentages-without-bars", "broken-bars"],
)
def test_a_call_costs_the_same_for_long_logs_as_for_short_ones(make: Any) -> None:
    short, long = make(5_000), make(100_000)  # both longer than the window searched
    assert len(short) > 70_000  # beyond the 64 KiB looked through
    assert len(long) > 15 * len(short)
    _Scanned.scanned = 0
    short_lines = _lines_run(lambda: parse_progress(_Scanned(short)))
    short_scanned = _Scanned.scanned
    _Scanned.scanned = 0
    long_lines = _lines_run(lambda: parse_progress(_Scanned(long)))
    long_scanned = _Scanned.scanned
    assert parse_progress(long) is None
    # Bounded by the search window, not by the length of the logs.
    assert long_lines <= short_lines * 1.5 + 100
    assert long_scanned <= short_scanned * 1.5 + 10_000


def test_a_bar_followed_by_64_kib_of_other_logs_has_ended() -> None:
    assert parse_progress(SAMPLING + "\n" + "x" * 1000 + "\n") is not None
    assert parse_progress(SAMPLING + "\n" + ("x" * 99 + "\n") * 700) is None


# -- progress callbacks see the run as it goes ---------------------------------------------


# Longer than the creation's short hold (1 s): the steps after it come while it runs.
LONG_RUN = {"num_inference_steps": 5, "step_interval": 30}


def test_run_with_a_callback_shows_the_steps_as_they_come(
    client: Client, server: LocalServer
) -> None:
    seen: list[tuple[str, LogProgress | None]] = []
    client.run(
        "replicate/make-image",
        LONG_RUN,
        progress=lambda p: seen.append((p.status, parse_progress(p))),
    )
    # Not one call at the end: the steps while it ran, in order.
    assert seen[0][0] in ("starting", "processing")
    running = [found.current for status, found in seen if status == "processing" and found]
    assert len(set(running)) >= 2
    assert running == sorted(running)
    last = seen[-1][1]
    assert last is not None
    assert last.current == 5
    (creation,) = server.state.requests_to("/v1/models/replicate/make-image/predictions", "POST")
    assert creation.headers["prefer"] == "wait=1"


def test_run_with_a_callback_still_takes_one_request_for_a_fast_model(
    client: Client, server: LocalServer
) -> None:
    seen: list[str] = []
    assert (
        client.run("replicate/hello-world", {"text": "a"}, progress=lambda p: seen.append(p.status))
        == "hello a"
    )
    assert seen == ["succeeded"]
    assert server.state.requests_to("/v1/predictions/*") == []  # answered within the hold


async def test_async_run_with_a_callback_shows_the_steps_as_they_come(
    async_client: AsyncClient,
) -> None:
    seen: list[LogProgress | None] = []

    async def progress(prediction: Prediction) -> None:
        seen.append(parse_progress(prediction))

    await async_client.run("replicate/make-image", LONG_RUN, progress=progress)
    currents = _currents(seen)
    assert len(set(currents)) >= 3
    assert currents == sorted(currents)


def test_train_with_a_callback_shows_the_steps_as_they_come(
    client: Client, server: LocalServer
) -> None:
    models_create.sync(
        client=client.api,
        body=ModelCreateRequest.from_dict(
            {"owner": "test-user", "name": "tuned", "visibility": "private", "hardware": "cpu"}
        ),
    )
    seen: list[tuple[str, LogProgress | None]] = []
    client.train(
        f"replicate/trainable:{version_id('replicate/trainable', 1)}",
        destination="test-user/tuned",
        input={"steps": 4, "step_interval": 20},
        progress=lambda t: seen.append((t.status, parse_progress(t))),
    )
    running = [found.current for status, found in seen if status == "processing" and found]
    assert len(set(running)) >= 3
    assert running == sorted(running)


def test_wait_says_processing_once_the_stream_brings_logs(client: Client) -> None:
    prediction = client.predictions.create(
        model="replicate/stream-tokens", input={"prompt": "one two three", "interval": 10}
    )
    assert prediction.status == "starting"
    seen: list[tuple[str, bool]] = []
    client.wait(prediction, progress=lambda p: seen.append((p.status, bool(p.logs))))
    with_logs = [status for status, has_logs in seen if has_logs]
    assert with_logs
    assert "starting" not in with_logs
    assert with_logs[-1] == "succeeded"


class _OneChunkStreams(httpx.BaseTransport):
    """A real transport that hands each event stream's whole body over in one piece."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.headers.get("accept") != "text/event-stream":
            return response
        try:
            body = b"".join(response.stream)  # type: ignore[union-attr]
        finally:
            response.close()
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-length", "transfer-encoding")
        ]
        return httpx.Response(response.status_code, headers=headers, content=body)

    def close(self) -> None:
        self.inner.close()


def test_a_burst_of_log_lines_reaches_the_callback_in_a_few_calls(server: LocalServer) -> None:
    # 3,000 log lines that arrive together cost a few calls, not one per line (each
    # of which joined the whole logs again: quadratic).
    lines = 3_000

    async def chatty(ctx: Any) -> None:
        for index in range(lines):
            await ctx.log(f"line {index}")
        await ctx.emit("done")

    server.state.add_model("test-user/chatty", chatty, streaming=True)
    client = Client(server.token, base_url=server.base_url, transport=_OneChunkStreams())
    with client:
        prediction = client.predictions.create(model="test-user/chatty", input={})
        server.state.wait_until(lambda: server.state.predictions[prediction.id].terminal)
        handed: list[int] = []
        done = client.wait(prediction, progress=lambda p: handed.append(len(p.logs or "")))
    assert done.status == "succeeded"
    assert len(handed) <= 3
    assert sum(handed) <= 3 * len(done.logs or "")
    assert handed[-1] >= len(f"line {lines - 1}") * lines  # every line, in the end


def test_log_lines_arriving_one_by_one_are_joined_a_bounded_number_of_times() -> None:
    # Each line on its own read, all within REPORT_INTERVAL: the logs are joined for
    # a callback only when they grew by an eighth, so the joining stays linear.
    prediction = Prediction.from_dict(_prediction_json(logs=None))
    rebuilt = _Rebuilt(prediction, clock=lambda: 0.0)
    handed: list[int] = []
    drained = 0
    for index in range(20_000):
        rebuilt.add(PredictionEvent("logs", f"line {index}"))
        for _ in rebuilt.report(lambda p: handed.append(len(p.logs))):
            drained += 1  # a plain callback asks for nothing to be awaited
    for _ in rebuilt.final(lambda p: handed.append(len(p.logs))):
        drained += 1
    final = len(prediction.logs)
    assert final == sum(len(f"line {i}") for i in range(20_000)) + 19_999
    assert handed[-1] == final
    assert sum(handed) <= 10 * final
    assert drained == 0


@pytest.mark.parametrize("error", [KeyboardInterrupt, replicate_ext.ReplicateError])
def test_a_callback_that_raises_while_the_stream_is_followed_stops_the_run(
    client: Client, server: LocalServer, error: type[BaseException]
) -> None:
    calls = 0

    def progress(prediction: Prediction) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise error("enough")

    with pytest.raises(error, match="enough"):
        client.run(
            "replicate/stream-tokens",
            {"prompt": "a b c d e f g h", "interval": 30},
            progress=progress,
        )
    (job,) = server.state.predictions.values()
    server.state.wait_until(lambda: job.status == "canceled")  # run() owned it
    assert calls == 3
