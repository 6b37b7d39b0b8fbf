"""Faults a paid prediction has to survive, injected into the local server.

Each scenario asserts what the user gets (the right output, or one clear error),
that one `run()` never creates two predictions (counted on the server), that a
prediction the client gives up on is canceled on the server, and, through the
`leaks` fixture behind every client, that no connection or thread is left open.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import (
    APIConnectionError,
    APITimeoutError,
    CreationFateUnknown,
    NotFoundError,
    PredictionTimeout,
    RateLimitError,
    ReplicateError,
)
from replicate_ext._files import FileOutput
from replicate_ext._retry import RetryPolicy
from replicate_ext.testing import LocalServer

from ._proxy import Proxy, cut_inside_first_event, cut_whole_answer, stall_answer
from .conftest import SCALE, FaultLog, Leaks, attempt

pytestmark = [pytest.mark.fault, pytest.mark.timeout(30)]

HELLO = "/v1/models/replicate/hello-world/predictions"
SLEEP = "/v1/models/replicate/sleep/predictions"
STREAM = "/v1/models/replicate/stream-tokens/predictions"
POLL = re.compile(r"/v1/predictions/[a-z0-9]+")
STREAM_URL = re.compile(r"/v1/predictions/[a-z0-9]+/stream")
PROMPT = "the quick brown fox jumps over the lazy dog"
# Held 1 s by Prefer: wait=1, then followed on its stream: tokens every 0.3 s.
STREAMED = {"prompt": "one two three four", "interval": 30}
STREAMED_TEXT = "one two three four"
LONG = 1000  # the sleep model's seconds: 10 s at the fixture's speed, beyond any test


def creations(server: LocalServer) -> int:
    """Predictions created (the server also counts files and other creations)."""
    return sum(n for route, n in server.state.creations.items() if route.endswith("/predictions"))


def only_prediction(server: LocalServer) -> dict[str, Any]:
    (job,) = server.state.predictions.values()
    return job.to_json()


def status_becomes(server: LocalServer, status: str) -> None:
    server.state.wait_until(lambda: only_prediction(server)["status"] == status, timeout=10)


def cancels(server: LocalServer) -> int:
    return len(server.state.requests_to("/v1/predictions/*", "POST"))


# -- 429 storms ----------------------------------------------------------------------------


@pytest.mark.parametrize("retry_after", [0.02, None], ids=["retry-after", "no-retry-after"])
def test_429_storm_on_creation_is_waited_out(
    server: LocalServer, make_client: Callable[..., Client], retry_after: float | None
) -> None:
    server.state.inject_fault("429", HELLO, times=3, retry_after=retry_after)
    started = time.monotonic()
    assert make_client().run("replicate/hello-world", {"text": "storm"}) == "hello storm"
    if retry_after is not None:
        assert time.monotonic() - started >= 3 * retry_after  # Retry-After was honoured
    assert len(server.state.requests_to(HELLO)) == 4
    assert creations(server) == 1


async def test_429_storm_outlasting_the_retries_is_one_rate_limit_error(
    server: LocalServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    server.state.inject_fault("429", HELLO, times=None, retry_after=0.01)
    with pytest.raises(RateLimitError, match="throttled") as info:
        await make_async_client(max_retries=3).run("replicate/hello-world", {"text": "x"})
    assert info.value.status == 429
    assert len(server.state.requests_to(HELLO)) == 4
    assert creations(server) == 0
    assert server.state.requests_to("/v1/predictions*") == []  # nothing to cancel


def test_a_retry_after_beyond_the_cap_is_answered_not_waited_for(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("429", HELLO, times=None, retry_after=3600)
    started = time.monotonic()
    with pytest.raises(RateLimitError):
        make_client().run("replicate/hello-world", {"text": "x"})
    assert time.monotonic() - started < 5
    assert len(server.state.requests_to(HELLO)) == 1
    assert creations(server) == 0


async def test_rate_limited_crowd_each_gets_its_own_output_once(
    server: LocalServer, make_async_client: Callable[..., AsyncClient], fault_log: FaultLog
) -> None:
    # Replicate's real limiter in the server: a burst of 3 creations, then 1 per 0.1 s
    # (Retry-After: 1); polls limited too.
    server.state.set_rate_limit("creations", 600, burst=3)
    server.state.set_rate_limit("others", 6000, burst=5)
    client = make_async_client(max_retries=5)
    crowd = 6
    outputs = await asyncio.gather(
        *(client.run("replicate/hello-world", {"text": f"n{i}"}, wait=False) for i in range(crowd))
    )
    assert outputs == [f"hello n{i}" for i in range(crowd)]
    assert creations(server) == crowd
    throttled = (
        len(server.state.requests_to("*"))
        - crowd
        - len(server.state.requests_to("/v1/predictions/*", "GET"))
    )
    assert throttled >= crowd - 3  # the burst let 3 through; every other one was throttled
    fault_log.add("429", throttled)


# -- 500/502/503 bursts --------------------------------------------------------------------


def burst(server: LocalServer, path: str | re.Pattern[str], method: str = "GET") -> None:
    for status in (500, 502, 503):
        server.state.inject_fault("status", path, method=method, status=status)


def test_5xx_bursts_while_polling_are_retried(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    burst(server, POLL)
    output = make_client().run("replicate/sleep", {"seconds": 5}, wait=False)
    assert output == "slept for 5 seconds"
    assert len(server.state.fired_faults) == 3
    assert creations(server) == 1


async def test_5xx_bursts_while_polling_are_retried_async(
    server: LocalServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    burst(server, POLL)
    output = await make_async_client().run("replicate/sleep", {"seconds": 5}, wait=False)
    assert output == "slept for 5 seconds"
    assert len(server.state.fired_faults) == 3
    assert creations(server) == 1


def test_5xx_on_the_event_stream_falls_back_to_polling(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("status", STREAM_URL, status=502, times=None)
    output = make_client().run("replicate/stream-tokens", STREAMED, wait=1)
    assert output == STREAMED_TEXT
    assert server.state.fired_faults
    assert creations(server) == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_on_creation_is_one_error_and_never_resent(
    server: LocalServer, make_client: Callable[..., Client], status: int
) -> None:
    server.state.inject_fault("status", HELLO, status=status)
    with pytest.raises(CreationFateUnknown) as info:
        make_client().run("replicate/hello-world", {"text": "x"})
    # A 5xx does not say whether the API acted: the error says that it is unknown.
    assert info.value.status == status
    assert isinstance(info.value.__cause__, ReplicateError)
    assert str(info.value.__cause__).startswith(str(status))
    assert str(info.value.__cause__) in str(info.value)
    assert info.value.candidates == ()
    assert len(server.state.requests_to(HELLO)) == 1
    assert creations(server) == 0


def test_5xx_storm_while_polling_gives_up_and_cancels(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("status", POLL, method="GET", status=503, times=None)
    with pytest.raises(ReplicateError) as info:
        make_client().run("replicate/sleep", {"seconds": LONG}, wait=False)
    assert info.value.status == 503
    assert creations(server) == 1
    status_becomes(server, "canceled")
    assert cancels(server) == 1


# -- connections dropped mid-response ------------------------------------------------------


def test_dropped_polls_are_retried(server: LocalServer, make_client: Callable[..., Client]) -> None:
    server.state.inject_fault("drop", POLL, method="GET", times=3)
    assert make_client().run("replicate/sleep", {"seconds": 5}, wait=False) == "slept for 5 seconds"
    assert len(server.state.fired_faults) == 3
    assert creations(server) == 1


async def test_dropped_polls_are_retried_async(
    server: LocalServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    server.state.inject_fault("drop", POLL, method="GET", times=3)
    output = await make_async_client().run("replicate/sleep", {"seconds": 5}, wait=False)
    assert output == "slept for 5 seconds"
    assert len(server.state.fired_faults) == 3
    assert creations(server) == 1


def test_dropped_creation_is_one_error_and_never_resent(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("drop", HELLO)
    with pytest.raises(CreationFateUnknown) as info:
        make_client().run("replicate/hello-world", {"text": "x"})
    assert isinstance(info.value.__cause__, APIConnectionError)
    assert len(server.state.requests_to(HELLO)) == 1
    assert creations(server) == 0
    assert cancels(server) == 0


def test_dropped_polls_outlasting_the_retries_cancel_the_prediction(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("drop", POLL, method="GET", times=None)
    with pytest.raises(APIConnectionError):
        make_client().run("replicate/sleep", {"seconds": LONG}, wait=False)
    status_becomes(server, "canceled")
    assert creations(server) == 1


def test_dropped_output_download_is_retried_and_saves_whole(
    server: LocalServer, make_client: Callable[..., Client], tmp_path: Any
) -> None:
    (image,) = make_client().run("replicate/make-image", {"width": 16})
    assert isinstance(image, FileOutput)
    server.state.inject_fault("drop", "/delivery/*", times=2)
    saved = image.save(tmp_path / "out.png")
    assert saved.read_bytes().startswith(b"\x89PNG")
    assert len(server.state.fired_faults) == 2


def test_a_download_that_keeps_failing_leaves_no_partial_file(
    server: LocalServer, make_client: Callable[..., Client], tmp_path: Any
) -> None:
    (image,) = make_client().run("replicate/make-image", {"width": 16})
    server.state.inject_fault("drop", "/delivery/*", times=None)
    with pytest.raises(APIConnectionError):
        image.save(tmp_path / "out.png")
    assert list(tmp_path.iterdir()) == []


# -- slow answers past the timeout ---------------------------------------------------------


def test_slow_polls_past_the_read_timeout_are_retried(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("slow", POLL, method="GET", delay=0.6, times=2)
    client = make_client(timeout=0.25)
    assert client.run("replicate/sleep", {"seconds": 5}, wait=False) == "slept for 5 seconds"
    assert len(server.state.fired_faults) == 2
    assert creations(server) == 1


def test_polls_that_stay_slow_end_in_one_timeout_and_a_cancel(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("slow", POLL, method="GET", delay=0.6, times=None)
    client = make_client(timeout=0.2, max_retries=1)
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        client.run("replicate/sleep", {"seconds": LONG}, wait=False)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert time.monotonic() - started < 3
    status_becomes(server, "canceled")
    assert creations(server) == 1


def test_run_timeout_cancels_and_raises_promptly(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    started = time.monotonic()
    with pytest.raises(PredictionTimeout) as info:
        make_client().run("replicate/sleep", {"seconds": LONG}, timeout=0.3)
    assert time.monotonic() - started < 3
    assert info.value.prediction_id == only_prediction(server)["id"]
    status_becomes(server, "canceled")
    assert creations(server) == 1


async def test_abandoned_task_cancels_the_prediction(
    server: LocalServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    client = make_async_client()
    known = asyncio.Event()
    run = client.run("replicate/sleep", {"seconds": LONG}, progress=lambda p: known.set())
    task = asyncio.create_task(run)
    await known.wait()  # given up once its creation answered
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    status_becomes(server, "canceled")
    assert creations(server) == 1


async def test_a_task_abandoned_during_its_held_creation_names_what_it_may_leave(
    server: LocalServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    client = make_async_client()
    with pytest.raises(TimeoutError) as info:
        await asyncio.wait_for(client.run("replicate/sleep", {"seconds": LONG}), 0.3)
    # The answer, and with it the id, was still held (Prefer: wait): the prediction
    # could be a lookalike of another caller's. Named on the interruption, not canceled.
    job = only_prediction(server)
    cancelled = info.value.__cause__ or info.value.__context__
    assert cancelled is not None
    assert job["id"] in " ".join(cancelled.__notes__)
    assert cancels(server) == 0
    assert creations(server) == 1


# -- the output's shape, looked up after the prediction finished --------------------------

VERSION_LOOKUP = re.compile(r"/v1/models/replicate/stream-tokens/versions/[0-9a-f]{64}")


def test_a_failing_version_lookup_still_gives_the_text(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("status", VERSION_LOOKUP, status=503, times=None)
    output = make_client().run("replicate/stream-tokens", {"prompt": PROMPT})
    assert output == PROMPT


def test_a_dropped_version_lookup_does_not_lose_a_finished_result(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("drop", VERSION_LOOKUP, times=None)
    client = make_client()
    output, error = attempt(lambda: client.run("replicate/stream-tokens", {"prompt": PROMPT}))
    if error is None:
        assert output in (PROMPT, PROMPT.split(" "))
    else:
        prediction_id = only_prediction(server)["id"]
        assert getattr(error, "prediction_id", None) == prediction_id, "result lost"


# -- uploads -------------------------------------------------------------------------------------


def test_throttled_uploads_are_resent_whole_and_stored_once(
    server: LocalServer, make_client: Callable[..., Client], tmp_path: Any
) -> None:
    import hashlib

    data = bytes(range(256)) * 2048  # 512 KiB: uploaded, not a data URL
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    server.state.inject_fault("429", "/v1/files", method="POST", times=2, retry_after=0.01)
    output = make_client().run("replicate/echo", {"file": path}, use_file_output=False)
    assert output["files"]["file"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(server.state.files) == 1
    assert len(server.state.requests_to("/v1/files", "POST")) == 3
    assert creations(server) == 1


@pytest.mark.parametrize("kind", ["status", "drop"])
def test_a_failed_upload_is_not_resent_and_creates_nothing(
    server: LocalServer, make_client: Callable[..., Client], tmp_path: Any, kind: str
) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(b"x" * (300 * 1024))
    server.state.inject_fault(kind, "/v1/files", method="POST", status=502)
    with pytest.raises(ReplicateError):
        make_client().run("replicate/echo", {"file": path})
    assert len(server.state.requests_to("/v1/files", "POST")) == 1
    assert server.state.files == {}
    assert creations(server) == 0


# -- a crowd under mixed faults ------------------------------------------------------------------


async def test_a_crowd_of_runs_under_mixed_faults_each_gets_its_own_output_once(
    server: LocalServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    server.state.inject_fault("429", HELLO, times=6, retry_after=0.01)
    server.state.inject_fault("drop", POLL, method="GET", times=4)
    server.state.inject_fault("status", POLL, method="GET", status=502, times=4)
    server.state.inject_fault("slow", POLL, method="GET", delay=0.05, times=4)
    client = make_async_client(max_retries=6)
    crowd = 12 * SCALE
    outputs = await asyncio.gather(
        *(client.run("replicate/hello-world", {"text": f"c{i}"}, wait=False) for i in range(crowd))
    )
    assert outputs == [f"hello c{i}" for i in range(crowd)]
    assert creations(server) == crowd
    assert len(server.state.requests_to(HELLO)) == crowd + 6
    assert len(server.state.fired_faults) == 18


def test_wait_rides_out_faults_on_a_prediction_made_elsewhere(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    created = httpx.post(
        f"{server.base_url}/models/replicate/sleep/predictions",
        json={"input": {"seconds": 5}},
        headers={"Authorization": f"Bearer {server.token}"},
    ).json()
    burst(server, POLL)
    server.state.inject_fault("drop", POLL, method="GET", times=2)
    done = make_client(max_retries=5).wait(created["id"])
    assert done.status == "succeeded"
    assert done.output == "slept for 5 seconds"
    assert len(server.state.fired_faults) == 5
    assert cancels(server) == 0


# -- event streams cut -----------------------------------------------------------------------


def test_stream_cut_between_events_falls_back_and_loses_nothing(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("drop_stream", STREAM_URL, after_events=2)
    seen: list[Any] = []
    output = make_client().run("replicate/stream-tokens", STREAMED, wait=1, progress=seen.append)
    assert output == STREAMED_TEXT
    assert len(server.state.fired_faults) == 1
    assert creations(server) == 1


@pytest.fixture
def proxied(server: LocalServer, leaks: Leaks) -> Iterator[Proxy]:
    """A proxy in front of the server; the server's URLs (streams, files) point at it."""
    host, port = server.state.origin.removeprefix("http://").split(":")
    original = server.state.origin
    with Proxy((host, int(port))) as proxy:
        server.state.set_origin(proxy.origin)
        try:
            yield proxy
        finally:
            server.state.set_origin(original)


def proxy_client(proxy: Proxy, make: Callable[..., Any], **kwargs: Any) -> Any:
    return make(base_url=proxy.origin + "/v1", **kwargs)


def test_stream_cut_mid_event_falls_back_and_loses_nothing(
    server: LocalServer, proxied: Proxy, make_client: Callable[..., Client], fault_log: FaultLog
) -> None:
    proxied.cut_response_when(cut_inside_first_event(), request=r"GET /v1/predictions/\w+/stream ")
    client = proxy_client(proxied, make_client)
    output = client.run("replicate/stream-tokens", STREAMED, wait=1)
    assert output == STREAMED_TEXT
    assert proxied.cuts == 1
    fault_log.add("stream_cut_mid_event")
    assert [r for r in server.state.requests if STREAM_URL.fullmatch(r.path)]
    assert creations(server) == 1


def stream_requests(server: LocalServer) -> list[Any]:
    return [r for r in server.state.requests if STREAM_URL.fullmatch(r.path)]


def test_stream_cut_mid_event_resumes_without_loss_or_repeats(
    server: LocalServer, proxied: Proxy, make_client: Callable[..., Client], fault_log: FaultLog
) -> None:
    proxied.cut_response_when(cut_inside_first_event(), request=r"GET /v1/predictions/\w+/stream ")
    client = proxy_client(proxied, make_client)
    with client.stream("replicate/stream-tokens", {"prompt": PROMPT}) as events:
        pieces = [str(event) for event in events if event.event == "output"]
    assert "".join(pieces) == PROMPT
    assert proxied.cuts == 1
    fault_log.add("stream_cut_mid_event")
    first, second = stream_requests(server)
    assert "last-event-id" not in first.headers
    assert second.headers["last-event-id"]
    assert creations(server) == 1


async def test_stream_cut_between_events_twice_resumes_async(
    server: LocalServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    server.state.inject_fault("drop_stream", STREAM_URL, after_events=2, times=2)
    client = make_async_client()
    async with client.stream("replicate/stream-tokens", {"prompt": PROMPT}) as events:
        pieces = [str(event) async for event in events if event.event == "output"]
    assert "".join(pieces) == PROMPT
    assert len(server.state.fired_faults) == 2
    assert len(stream_requests(server)) == 3
    assert creations(server) == 1


def test_a_stream_slower_than_the_read_timeout_is_reopened(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("slow", STREAM_URL, delay=0.8)
    client = make_client(timeout=0.3)
    with client.stream("replicate/stream-tokens", {"prompt": PROMPT}) as events:
        pieces = [str(event) for event in events if event.event == "output"]
    assert "".join(pieces) == PROMPT
    assert len(server.state.fired_faults) == 1
    assert len(stream_requests(server)) == 2
    assert creations(server) == 1


def test_a_stream_left_early_cancels_the_prediction(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    slow = {"prompt": PROMPT, "interval": 60}  # 0.6 s a token: runs for seconds
    with client.stream("replicate/stream-tokens", slow, cancel_on_close=True) as events:
        first = next(event for event in events if event.event == "logs")
    assert first.data.startswith("Generating")
    status_becomes(server, "canceled")
    assert creations(server) == 1


# -- the API restarting while a prediction runs --------------------------------------------


class _RestartOnce:
    """A progress hook that takes the API down on the first update of a running prediction."""

    def __init__(self, proxy: Proxy) -> None:
        self.proxy = proxy
        self.prediction_id: str | None = None

    def __call__(self, prediction: Any) -> None:
        if self.prediction_id is None and prediction.status not in ("succeeded", "failed"):
            self.prediction_id = prediction.id
            self.proxy.down()


def bring_back_on_retry(client: Client | AsyncClient, proxy: Proxy) -> None:
    """Bring the API back when the client first waits to retry (no sleeping for it)."""
    http = client._sync_http() if isinstance(client, Client) else client._async_http()
    transport: Any = http._transport

    def wake(_: float) -> None:
        if proxy._listener is None:
            proxy.up()

    if isinstance(client, Client):
        transport._sleep = wake
    else:

        async def awake(delay: float) -> None:
            wake(delay)

        transport._sleep = awake


def test_api_restart_while_a_prediction_runs(
    server: LocalServer, proxied: Proxy, make_client: Callable[..., Client], fault_log: FaultLog
) -> None:
    client = proxy_client(proxied, make_client)
    bring_back_on_retry(client, proxied)
    restart = _RestartOnce(proxied)
    output = client.run("replicate/sleep", {"seconds": 20}, wait=False, progress=restart)
    assert output == "slept for 20 seconds"
    assert restart.prediction_id == only_prediction(server)["id"]
    assert proxied.restarts == 1
    fault_log.add("restart")
    assert creations(server) == 1


async def test_api_restart_while_a_prediction_runs_async(
    server: LocalServer,
    proxied: Proxy,
    make_async_client: Callable[..., AsyncClient],
    fault_log: FaultLog,
) -> None:
    client = proxy_client(proxied, make_async_client)
    bring_back_on_retry(client, proxied)
    restart = _RestartOnce(proxied)
    output = await client.run("replicate/sleep", {"seconds": 20}, wait=False, progress=restart)
    assert output == "slept for 20 seconds"
    assert proxied.restarts == 1
    fault_log.add("restart")
    assert creations(server) == 1


def test_an_outage_longer_than_the_retries_is_one_error_and_the_deadline_cancels(
    server: LocalServer, proxied: Proxy, make_client: Callable[..., Client], fault_log: FaultLog
) -> None:
    client = proxy_client(proxied, make_client)
    restart = _RestartOnce(proxied)
    with pytest.raises(APIConnectionError) as info:
        client.run("replicate/sleep", {"seconds": LONG}, wait=False, timeout=1.0, progress=restart)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    fault_log.add("restart")
    # The error names the prediction it left, so its result is not lost...
    assert restart.prediction_id is not None
    assert info.value.prediction_id == restart.prediction_id
    assert restart.prediction_id in "".join(info.value.__notes__)
    proxied.up()
    # ...and as the client could not reach the API to cancel, Cancel-After does it.
    status_becomes(server, "canceled")
    assert cancels(server) == 0
    assert creations(server) == 1


def test_a_lost_creation_answer_is_one_error_naming_the_prediction(
    server: LocalServer, proxied: Proxy, make_client: Callable[..., Client], fault_log: FaultLog
) -> None:
    # The server creates the prediction, the answer never arrives: the client must
    # not create another, and must not leave the one it made unseen. It cannot
    # prove that prediction its own (another caller may have sent the same input),
    # so it names it, and the Cancel-After sent with the timeout ends it.
    client = proxy_client(proxied, make_client)
    proxied.cut_response_when(cut_whole_answer(), request=f"POST {SLEEP} ")
    with pytest.raises(CreationFateUnknown) as info:
        client.run("replicate/sleep", {"seconds": LONG}, wait=False, timeout=60)
    fault_log.add("answer_lost")
    assert creations(server) == 1
    job = only_prediction(server)
    assert info.value.candidates == (job["id"],)
    assert info.value.cancel_after == "1m"
    assert isinstance(info.value.__cause__, APIConnectionError)
    assert cancels(server) == 0
    assert job["deadline"] is not None  # the server ends it then
    assert job["status"] in ("starting", "processing")


def test_a_creation_answered_too_late_is_one_error_naming_the_prediction(
    server: LocalServer, proxied: Proxy, make_client: Callable[..., Client], fault_log: FaultLog
) -> None:
    # The server acts on the creation but its answer stalls past the read timeout:
    # a creation is never resent, and the prediction it made is named.
    client = proxy_client(proxied, make_client, timeout=0.3)
    proxied.cut_response_when(stall_answer(), request=f"POST {SLEEP} ")
    with pytest.raises(CreationFateUnknown) as info:
        client.run("replicate/sleep", {"seconds": LONG}, wait=False)
    fault_log.add("slow")
    assert isinstance(info.value.__cause__, APITimeoutError)
    assert len(server.state.requests_to(SLEEP)) == 1
    assert creations(server) == 1
    assert info.value.candidates == (only_prediction(server)["id"],)
    assert cancels(server) == 0


async def test_a_task_abandoned_while_its_creation_is_unanswered_names_the_prediction(
    server: LocalServer,
    proxied: Proxy,
    make_async_client: Callable[..., AsyncClient],
    fault_log: FaultLog,
) -> None:
    # The creation reached the server, its answer is held back, and the caller gives
    # up: the prediction the creation made is named on the cancellation.
    client = proxy_client(proxied, make_async_client)
    proxied.cut_response_when(stall_answer(), request=f"POST {SLEEP} ")
    task = asyncio.create_task(client.run("replicate/sleep", {"seconds": LONG}, wait=False))
    await asyncio.to_thread(server.state.wait_until, lambda: creations(server) == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError) as info:
        await task
    fault_log.add("answer_lost")
    assert only_prediction(server)["id"] in " ".join(info.value.__notes__)
    assert cancels(server) == 0
    assert creations(server) == 1


def test_server_restart_that_loses_state_is_one_clear_error(
    fault_log: FaultLog, leaks: Leaks
) -> None:
    # A full restart (state lost) of a server of our own, on the same port.
    first = LocalServer(speed=100).start()
    port = int(first.origin.rsplit(":", 1)[1])
    second: LocalServer | None = None
    client = Client(first.token, base_url=first.base_url, poll_interval=0.01)
    client._retry_policy = RetryPolicy(backoff_base=0.002, backoff_max=0.02)
    leaks.clients.append(client)

    def restart(prediction: Any) -> None:
        nonlocal second
        if second is None:
            first.stop()
            second = LocalServer(token=first.token, port=port, speed=100).start()

    try:
        with pytest.raises(NotFoundError, match="not found"):
            client.run("replicate/sleep", {"seconds": LONG}, wait=False, progress=restart)
        assert second is not None
        fault_log.add("restart")
        assert creations(first) == 1
        assert creations(second) == 0
        assert second.state.requests_to("/v1/predictions/*", "GET")
    finally:
        client.close()
        first.stop()
        if second is not None:
            second.stop()
