from __future__ import annotations

import asyncio
import logging
import re
import threading
from typing import Any

import httpx
import pytest

from generated.api.deployments import deployments_create
from generated.api.predictions import predictions_cancel
from generated.models.deployment_create_request import DeploymentCreateRequest
from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import ModelError, PredictionCanceled, PredictionTimeout
from replicate_ext._files import FileOutput
from replicate_ext._predictions import cancel_after, prefer_wait
from replicate_ext.testing import HELLO_WORLD_VERSION

SLOW = 1000  # the sleep model's seconds: 10 s at the fixture's speed, far beyond any test


def only_prediction(server) -> dict[str, Any]:
    (job,) = server.state.predictions.values()
    return job.to_json()


def creation_headers(server, path: str) -> dict[str, str]:
    (request,) = server.state.requests_to(path, "POST")
    return request.headers


# -- endpoints and headers --------------------------------------------------------------------


def test_official_model_runs_through_the_model_endpoint(client: Client, server) -> None:
    assert client.run("replicate/hello-world", {"text": "Alice"}) == "hello Alice"
    headers = creation_headers(server, "/v1/models/replicate/hello-world/predictions")
    assert headers["prefer"] == "wait"
    assert headers["authorization"] == f"Bearer {server.token}"
    assert headers["user-agent"].startswith("replicate-ext/")
    assert "cancel-after" not in headers
    # Prefer: wait gave the final state: no poll, no stream
    assert server.state.requests_to("/v1/predictions/*") == []


@pytest.mark.parametrize(
    "ref", [HELLO_WORLD_VERSION, f"replicate/hello-world:{HELLO_WORLD_VERSION}"]
)
async def test_versions_run_through_predictions(
    async_client: AsyncClient, server, ref: str
) -> None:
    assert await async_client.run(ref, {"text": "Bob"}) == "hello Bob"
    creation_headers(server, "/v1/predictions")
    assert only_prediction(server)["version"] == HELLO_WORLD_VERSION


def create_deployment(client: Client) -> str:
    created = deployments_create.sync_detailed(
        client=client.api,
        body=DeploymentCreateRequest(
            name="greeter",
            model="replicate/hello-world",
            version=HELLO_WORLD_VERSION,
            hardware="cpu",
            min_instances=0,
            max_instances=1,
        ),
    )
    assert created.status_code == 201, created.content
    return f"deployments/{created.parsed.owner}/greeter"  # type: ignore[union-attr]


def test_deployments_run_through_the_same_path(client: Client, server) -> None:
    ref = create_deployment(client)
    assert client.run(ref, {"text": "dep"}) == "hello dep"
    assert only_prediction(server)["deployment"] == ref.removeprefix("deployments/")


def test_prefer_wait_values() -> None:
    assert prefer_wait(True, None) == ("wait", 60.0)
    assert prefer_wait(5, None) == ("wait=5", 5.0)
    assert prefer_wait(0, None) == ("wait=1", 1.0)
    assert prefer_wait(500, None) == ("wait=60", 60.0)
    assert prefer_wait(True, 12.9) == ("wait=12", 12.0)
    assert prefer_wait(30, 4.5) == ("wait=4", 4.0)
    assert prefer_wait(30, 1.0) == ("wait=1", 1.0)
    assert prefer_wait(True, 0.5) == (None, 0.0)
    assert prefer_wait(False, None) == (None, 0.0)


def test_cancel_after_durations_never_go_below_the_apis_five_seconds() -> None:
    assert cancel_after(0.2) == "5s"
    assert cancel_after(4.01) == "5s"
    assert cancel_after(5.2) == "6s"
    assert cancel_after(30) == "30s"
    assert cancel_after(90.5) == "1m31s"
    assert cancel_after(5400) == "1h30m"
    assert cancel_after(1e12) == "2562047h47m16s"


def test_a_timeout_of_centuries_runs_with_the_longest_deadline_the_api_takes(
    client: Client,
) -> None:
    assert client.run("replicate/hello-world", input={"text": "x"}, timeout=1e12) == "hello x"


def test_wait_seconds_is_sent_with_a_longer_read_timeout(server) -> None:
    # A read timeout of 0.5 s would fail while the server holds the answer 1 s.
    with Client(server.token, base_url=server.base_url, timeout=0.5, poll_interval=0.01) as client:
        prediction_output = client.run("replicate/sleep", {"seconds": 130}, wait=1)
    assert prediction_output == "slept for 130 seconds"
    assert creation_headers(server, "/v1/models/replicate/sleep/predictions")["prefer"] == "wait=1"


def test_wait_false_polls_without_prefer(client: Client, server) -> None:
    assert client.run("replicate/sleep", {"seconds": 20}, wait=False) == "slept for 20 seconds"
    assert "prefer" not in creation_headers(server, "/v1/models/replicate/sleep/predictions")
    prediction = only_prediction(server)
    assert len(server.state.requests_to(f"/v1/predictions/{prediction['id']}", "GET")) >= 1


def test_wait_must_be_bool_or_int(client: Client) -> None:
    with pytest.raises(TypeError, match="wait"):
        client.run("replicate/hello-world", {"text": "x"}, wait="yes")  # type: ignore[arg-type]


def test_webhook_options_are_sent(client: Client, server) -> None:
    client.run(
        "replicate/hello-world",
        {"text": "x"},
        webhook="https://example.com/hook",
        webhook_events_filter=["completed"],
    )
    (job,) = server.state.predictions.values()
    assert job.webhook == "https://example.com/hook"
    assert tuple(job.webhook_events_filter) == ("completed",)


# -- streams, progress, output shapes ---------------------------------------------------------


def test_streaming_text_follows_the_stream_and_is_concatenated(client: Client, server) -> None:
    updates: list[tuple[str, Any]] = []
    # Held 1 s by Prefer: wait=1, then the stream: tokens come every 0.4 s.
    output = client.run(
        "replicate/stream-tokens",
        {"prompt": "one two three", "interval": 40},
        wait=1,
        progress=lambda p: updates.append((p.status, list(p.output or []))),
    )
    assert output == "one two three"
    prediction = only_prediction(server)
    assert len(server.state.requests_to(f"/v1/predictions/{prediction['id']}/stream", "GET")) == 1
    # no polling delay: the stream's done event, then one GET for the final state
    assert len(server.state.requests_to(f"/v1/predictions/{prediction['id']}", "GET")) == 1
    assert updates[0][0] in ("starting", "processing")
    assert updates[-1] == ("succeeded", ["one ", "two ", "three"])
    assert ("processing", ["one ", "two ", "three"]) in updates  # the last piece, from the stream


async def test_version_schema_is_fetched_once_per_version(
    async_client: AsyncClient, server
) -> None:
    for _ in range(2):
        assert await async_client.run("replicate/stream-tokens", {"prompt": "a b"}) == "a b"
    assert len(server.state.requests_to("/v1/models/replicate/stream-tokens/versions/*")) == 1


def test_iterators_of_files_stay_lists(client: Client) -> None:
    output = client.run("replicate/make-image", {"num_outputs": 2}, use_file_output=False)
    assert isinstance(output, list)
    assert len(output) == 2
    assert all(isinstance(url, str) and url.startswith("http") for url in output)


def test_nested_urls_become_file_outputs(client: Client) -> None:
    output = client.run(
        "replicate/echo", {"tags": ["https://example.com/a.png", "plain"], "text": "t"}
    )
    assert isinstance(output["input"]["tags"][0], FileOutput)
    assert output["input"]["tags"][1] == "plain"
    assert output["input"]["text"] == "t"


def test_stream_dropped_midway_falls_back_to_polling(client: Client, server) -> None:
    server.state.inject_fault("drop_stream", "/v1/predictions/*", after_events=1)
    output = client.run("replicate/stream-tokens", {"prompt": "x y z", "interval": 30}, wait=False)
    assert output == "x y z"
    assert server.state.fired_faults


def test_progress_sees_logs_of_a_polled_prediction(client: Client) -> None:
    seen: list[str] = []
    client.run(
        "replicate/sleep", {"seconds": 30}, wait=False, progress=lambda p: seen.append(p.status)
    )
    assert seen[0] == "starting"
    assert seen[-1] == "succeeded"


# -- failures and cancellation ----------------------------------------------------------------


def test_failed_prediction_raises_model_error(client: Client) -> None:
    with pytest.raises(ModelError) as info:
        client.run("replicate/fail", {"message": "kaput"})
    assert info.value.error == "kaput"
    assert info.value.logs


async def test_failed_prediction_raises_model_error_async(async_client: AsyncClient) -> None:
    with pytest.raises(ModelError, match="kaput"):
        await async_client.run("replicate/fail", {"message": "kaput"}, wait=False)


def test_canceled_elsewhere_raises_prediction_canceled(client: Client, server) -> None:
    def cancel_it(prediction) -> None:
        if prediction.status == "starting":
            predictions_cancel.sync_detailed(client=client.api, prediction_id=prediction.id)

    with pytest.raises(PredictionCanceled) as info:
        client.run("replicate/sleep", {"seconds": SLOW}, wait=False, progress=cancel_it)
    assert only_prediction(server)["status"] == "canceled"
    assert info.value.prediction_id == only_prediction(server)["id"]


def test_timeout_cancels_and_raises(client: Client, server) -> None:
    with pytest.raises(PredictionTimeout) as info:
        client.run("replicate/sleep", {"seconds": SLOW}, timeout=0.3)
    prediction = only_prediction(server)
    assert info.value.prediction_id == prediction["id"]
    assert prediction["status"] == "canceled"
    headers = creation_headers(server, "/v1/models/replicate/sleep/predictions")
    # The API's minimum; the client canceled at its own deadline, long before.
    assert headers["cancel-after"] == "5s"
    assert "prefer" not in headers  # under a second: no holding the answer


async def test_timeout_cancels_and_raises_async(async_client: AsyncClient, server) -> None:
    with pytest.raises(PredictionTimeout):
        await async_client.run("replicate/sleep", {"seconds": SLOW}, timeout=1.2)
    assert only_prediction(server)["status"] == "canceled"
    headers = creation_headers(server, "/v1/models/replicate/sleep/predictions")
    assert headers["prefer"] == "wait=1"
    assert headers["cancel-after"] == "5s"


STREAMING_FOR_SECONDS = {"prompt": "t " * 100, "interval": 10}  # tokens for some 10 s


def test_a_timeout_while_following_the_stream_cancels_and_raises(client: Client, server) -> None:
    # Held a second by Prefer: wait, then followed on its event stream past the deadline.
    with pytest.raises(PredictionTimeout) as info:
        client.run("replicate/stream-tokens", STREAMING_FOR_SECONDS, wait=1, timeout=1.5)
    prediction = only_prediction(server)
    assert info.value.prediction_id == prediction["id"]
    assert server.state.requests_to(f"/v1/predictions/{prediction['id']}/stream", "GET")
    cancels = server.state.requests_to(f"/v1/predictions/{prediction['id']}/cancel", "POST")
    assert len(cancels) == 1
    assert prediction["status"] == "canceled"


async def test_a_timeout_while_following_the_stream_cancels_and_raises_async(
    async_client: AsyncClient, server
) -> None:
    with pytest.raises(PredictionTimeout):
        await async_client.run(
            "replicate/stream-tokens", STREAMING_FOR_SECONDS, wait=1, timeout=1.5
        )
    prediction = only_prediction(server)
    assert server.state.requests_to(f"/v1/predictions/{prediction['id']}/stream", "GET")
    cancels = server.state.requests_to(f"/v1/predictions/{prediction['id']}/cancel", "POST")
    assert len(cancels) == 1
    assert prediction["status"] == "canceled"


def test_keyboard_interrupt_cancels_the_prediction(client: Client, server, caplog) -> None:
    def interrupt(prediction) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), caplog.at_level(logging.DEBUG, "replicate_ext"):
        client.run("replicate/sleep", {"seconds": SLOW}, wait=False, progress=interrupt)
    assert only_prediction(server)["status"] == "canceled"
    assert (
        f"canceling prediction {only_prediction(server)['id']} after KeyboardInterrupt()"
        in caplog.text
    )


CANCELS = re.compile(r"/v1/predictions/[^/]+/cancel")


def test_a_timeout_whose_cancel_fails_says_so_instead_of_claiming_it(
    client: Client, server, caplog
) -> None:
    server.state.inject_fault("status", CANCELS, times=None)
    prediction = client.predictions.create(model="replicate/sleep", input={"seconds": SLOW})
    with pytest.raises(PredictionTimeout) as info, caplog.at_level(logging.WARNING):
        client.wait(prediction, timeout=0.5)
    # Still running, and billed: the error must not say it was canceled.
    assert server.state.prediction(prediction.id)["status"] in ("starting", "processing")
    assert info.value.canceled is False
    assert "was canceled" not in str(info.value)
    assert "canceling it failed (HTTP 503)" in str(info.value)
    assert f"client.predictions.cancel('{prediction.id}')" in str(info.value)
    assert f"prediction {prediction.id}: canceling it failed" in caplog.text


async def test_a_timeout_whose_cancel_fails_says_so_async(
    async_client: AsyncClient, server
) -> None:
    server.state.inject_fault("status", CANCELS, times=None)
    with pytest.raises(PredictionTimeout) as info:
        await async_client.run("replicate/sleep", {"seconds": SLOW}, wait=False, timeout=0.5)
    assert only_prediction(server)["status"] in ("starting", "processing")
    assert info.value.canceled is False
    assert "was canceled" not in str(info.value)


def test_an_interruption_whose_cancel_fails_carries_a_note(client: Client, server) -> None:
    server.state.inject_fault("status", CANCELS, times=None)

    def interrupt(prediction) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as info:
        client.run("replicate/sleep", {"seconds": SLOW}, wait=False, progress=interrupt)
    prediction_id = only_prediction(server)["id"]
    notes = getattr(info.value, "__notes__", [])
    assert any(f"client.predictions.cancel('{prediction_id}')" in note for note in notes)


async def test_task_cancellation_cancels_the_prediction(async_client: AsyncClient, server) -> None:
    known = asyncio.Event()
    task = asyncio.create_task(
        async_client.run(
            "replicate/sleep", {"seconds": SLOW}, wait=False, progress=lambda p: known.set()
        )
    )
    await known.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert only_prediction(server)["status"] == "canceled"


async def test_task_cancellation_during_the_held_creation_names_what_it_may_leave(
    async_client: AsyncClient, server
) -> None:
    # Prefer: wait holds the answer, and with it the id: the prediction on the
    # server may be this run's or a lookalike of another caller's. It is named,
    # not canceled; the Cancel-After sent with a timeout ends it on the server.
    task = asyncio.create_task(async_client.run("replicate/sleep", {"seconds": SLOW}, timeout=120))
    await asyncio.to_thread(server.state.wait_until, lambda: server.state.predictions)
    task.cancel()
    with pytest.raises(asyncio.CancelledError) as info:
        await task
    prediction = only_prediction(server)
    assert prediction["status"] in ("starting", "processing")
    notes = " ".join(info.value.__notes__)
    assert prediction["id"] in notes
    assert "none was canceled" in notes
    assert "Cancel-After ends it within 2m" in notes
    assert prediction["deadline"] is not None


async def test_repeated_task_cancellation_still_cancels(async_client: AsyncClient, server) -> None:
    server.state.inject_fault("slow", "/v1/predictions/*", method="POST", delay=0.2)
    known = asyncio.Event()
    task = asyncio.create_task(
        async_client.run(
            "replicate/sleep", {"seconds": SLOW}, wait=False, progress=lambda p: known.set()
        )
    )
    await known.wait()
    task.cancel()
    await asyncio.to_thread(
        server.state.wait_until,
        lambda: [r for r in server.state.requests if r.path.endswith("/cancel")],
    )
    task.cancel()  # again, while the cancel request is under way
    with pytest.raises(asyncio.CancelledError):
        await task
    assert server.state.wait_until(lambda: only_prediction(server)["status"] == "canceled")


def test_interrupt_from_another_thread_style_signal(client: Client, server) -> None:
    # An exception raised inside the driver (as Ctrl-C would be) also cancels.
    calls = 0

    def interrupt_on_second_update(prediction) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.run(
            "replicate/sleep", {"seconds": SLOW}, wait=False, progress=interrupt_on_second_update
        )
    assert only_prediction(server)["status"] == "canceled"
    assert threading.active_count() >= 1


class InterruptOnCreation(httpx.BaseTransport):
    """Sends requests, but a creation's answer is lost to a KeyboardInterrupt (as by Ctrl-C)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.armed = True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if self.armed and request.method == "POST" and request.url.path.endswith("/predictions"):
            self.armed = False
            response.close()
            raise KeyboardInterrupt
        return response


def test_interrupt_before_the_creation_answer_names_the_lookalikes(server, caplog) -> None:
    transport = InterruptOnCreation()
    with Client(server.token, base_url=server.base_url, transport=transport) as client:
        with pytest.raises(KeyboardInterrupt) as info, caplog.at_level(logging.WARNING):
            client.run("replicate/sleep", {"seconds": SLOW}, wait=1)
        client.run("replicate/hello-world", {"text": "other"}, wait=False)  # not a lookalike
    statuses = {
        job.to_json()["model"]: job.to_json()["status"] for job in server.state.predictions.values()
    }
    # Made, but unproven ours: left running, and named on the interruption and in the log.
    assert statuses == {"replicate/sleep": "processing", "replicate/hello-world": "succeeded"}
    (sleeping,) = [j.id for j in server.state.predictions.values() if j.status == "processing"]
    assert sleeping in " ".join(info.value.__notes__)
    assert sleeping in caplog.text
    assert not server.state.requests_to("/v1/predictions/*/cancel", "POST")


async def test_async_progress_callbacks_are_awaited(async_client: AsyncClient) -> None:
    seen: list[str] = []

    async def progress(prediction) -> None:
        await asyncio.sleep(0)
        seen.append(prediction.status)

    await async_client.run("replicate/sleep", {"seconds": 10}, wait=False, progress=progress)
    assert seen[0] == "starting"
    assert seen[-1] == "succeeded"


def test_async_progress_is_refused_by_the_sync_client(client: Client, server) -> None:
    async def progress(prediction) -> None:
        pass

    with pytest.raises(TypeError, match="AsyncClient"):
        client.run("replicate/hello-world", {"text": "x"}, progress=progress)
    assert server.state.requests == []


@pytest.mark.parametrize("kind", ["status", "drop"])
def test_a_failed_version_lookup_does_not_lose_the_result(
    client: Client, server, kind: str
) -> None:
    lookup = "/v1/models/replicate/stream-tokens/versions/*"
    server.state.inject_fault(kind, lookup, times=None)
    assert client.run("replicate/stream-tokens", {"prompt": "a b c"}) == "a b c"  # a fair guess
    server.state.clear_faults()
    asked = len(server.state.requests_to(lookup))
    assert client.run("replicate/stream-tokens", {"prompt": "a b c"}) == "a b c"
    # the guess was not cached: the second run asked again
    assert len(server.state.requests_to(lookup)) == asked + 1


def test_a_failed_lookup_keeps_lists_of_files(client: Client, server) -> None:
    server.state.inject_fault("status", "/v1/models/replicate/make-image/versions/*", times=None)
    output = client.run("replicate/make-image", {"num_outputs": 2})
    assert isinstance(output, list)
    assert all(isinstance(item, FileOutput) for item in output)


@pytest.mark.parametrize("wait", [0, -1])
def test_wait_below_one_second_is_refused_before_any_request(
    client: Client, server, wait: int
) -> None:
    before = len(server.state.requests)
    with pytest.raises(ValueError, match="wait must be"):
        client.run("replicate/hello-world", {"text": "x"}, wait=wait)
    assert len(server.state.requests) == before


def test_wait_above_sixty_is_capped(client: Client, server) -> None:
    assert client.run("replicate/hello-world", {"text": "x"}, wait=3600) == "hello x"
    (creation,) = server.state.requests_to("/v1/models/replicate/hello-world/predictions", "POST")
    assert creation.headers["prefer"] == "wait=60"


@pytest.mark.parametrize("seconds", [0.5, 4.9])
def test_cancel_after_under_the_apis_five_seconds_is_refused_before_any_request(
    client: Client, server, seconds: float
) -> None:
    with pytest.raises(ValueError, match="at least 5 seconds"):
        client.predictions.create(
            model="replicate/hello-world", input={"text": "x"}, cancel_after=seconds
        )
    assert server.state.requests == []
