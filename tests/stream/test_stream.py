"""stream() against the local server: events, errors, file outputs, existing predictions."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest

from replicate_ext import StreamInterrupted
from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import ModelError, PredictionCanceled, ReplicateError
from replicate_ext._events import PredictionEvent
from replicate_ext._files import FileOutput
from replicate_ext._sse import ServerSentEvent
from replicate_ext._stream import AsyncEventStream
from replicate_ext.testing import LocalServer

from .conftest import Streamer, add_streaming_model, make_client, wait_status

STREAM_PATH = re.compile(r"/v1/predictions/[^/]+/stream")


def stream_requests(server: LocalServer) -> list[Any]:
    return [r for r in server.state.requests if STREAM_PATH.fullmatch(r.path)]


def test_output_and_logs_arrive_in_order_and_join_to_the_text(
    streamer: Streamer, server: LocalServer
) -> None:
    outcome = streamer("stream", "replicate/stream-tokens", {"prompt": "alpha beta gamma"})
    assert outcome.error is None
    assert outcome.kinds("output") == ["alpha ", "beta ", "gamma"]
    assert outcome.kinds("logs") == ["Generating 3 tokens", "Generation finished"]
    assert outcome.text == "alpha beta gamma"
    # done ends the iteration without being given; ids are the server's, in order
    assert [event.event for event in outcome.events] == ["logs", *["output"] * 3, "logs"]
    ids = [event.id or "" for event in outcome.events]
    prefix = ids[0].partition(":")[0]
    assert ids == [f"{prefix}:{n}" for n in range(5)]  # shaped like Replicate's
    assert all(isinstance(event, ServerSentEvent) for event in outcome.events)
    assert str(outcome.events[0]) == ""  # logs are not output
    (request,) = server.state.requests_to(f"/v1/predictions/{outcome.prediction_id}/stream")
    assert request.headers["accept"] == "text/event-stream"
    assert request.headers["cache-control"] == "no-store"
    assert "last-event-id" not in request.headers
    # no Prefer: wait on creation, so the stream starts while the model runs
    (created,) = server.state.requests_to("/v1/models/replicate/stream-tokens/predictions")
    assert "prefer" not in created.headers


def test_data_over_several_lines_is_joined(streamer: Streamer) -> None:
    prompt = "first line\nsecond\n\nthird"
    outcome = streamer("stream", "replicate/stream-tokens", {"prompt": prompt})
    assert outcome.text == prompt
    assert any("\n" in piece for piece in outcome.kinds("output"))


def test_a_model_that_does_not_stream_is_a_clear_error(
    streamer: Streamer, server: LocalServer
) -> None:
    outcome = streamer("stream", "replicate/hello-world", {"text": "x"})
    assert type(outcome.error) is ReplicateError
    assert outcome.prediction_id is not None
    assert f"prediction {outcome.prediction_id} has no stream URL" in str(outcome.error)
    assert "does not stream" in str(outcome.error)
    assert outcome.error.prediction_id == outcome.prediction_id  # type: ignore[attr-defined]
    assert outcome.events == []
    assert stream_requests(server) == []


def test_error_event_raises_model_error_after_the_events_before_it(
    streamer: Streamer, server: LocalServer
) -> None:
    from replicate_ext.testing import ModelError as Fail

    async def breaks(ctx: Any) -> None:
        await ctx.log("warming up")
        await ctx.emit("one ")
        await ctx.emit("two ")
        raise Fail("out of tokens")

    version = add_streaming_model(server, "breaks", breaks)
    outcome = streamer("stream", version, {"prompt": "x"})
    assert outcome.kinds("output") == ["one ", "two "]
    assert isinstance(outcome.error, ModelError)
    assert outcome.error.error == "out of tokens"
    assert outcome.error.prediction_id == outcome.prediction_id
    assert outcome.error.logs == "warming up\n"
    assert outcome.error.prediction is not None
    assert outcome.error.prediction.status == "failed"


def test_done_with_reason_canceled_raises_prediction_canceled(
    streamer: Streamer, server: LocalServer
) -> None:
    async def waits(ctx: Any) -> None:
        await ctx.emit("first ")
        await ctx.sleep(3000)  # 30 s at the fixture speed: canceled long before

    version = add_streaming_model(server, "waits", waits)
    canceler = httpx.Client(headers={"Authorization": f"Bearer {server.token}"})

    def cancel_once_started() -> None:
        def started() -> str | None:
            found = [job.id for job in server.state.predictions.values() if len(job.events) >= 1]
            return found[0] if found else None

        prediction_id = server.state.wait_until(started, timeout=5)
        canceler.post(f"{server.base_url}/predictions/{prediction_id}/cancel")

    import threading

    thread = threading.Thread(target=cancel_once_started)
    thread.start()
    try:
        outcome = streamer("stream", version, {"prompt": "x"})
    finally:
        thread.join(10)
        canceler.close()
    assert outcome.kinds("output") == ["first "]
    assert isinstance(outcome.error, PredictionCanceled)
    assert outcome.error.prediction_id == outcome.prediction_id


def test_http_error_opening_the_stream_has_its_status(
    streamer: Streamer, server: LocalServer
) -> None:
    server.state.inject_fault("status", STREAM_PATH, status=403, times=None)
    outcome = streamer("stream", "replicate/stream-tokens", {"prompt": "a b"})
    assert type(outcome.error) is ReplicateError  # not a resumption failure: it never opened
    assert outcome.error.status == 403
    assert "403" in str(outcome.error)
    assert len(stream_requests(server)) == 1
    # The prediction stream() made keeps running: the error names it, to fetch or cancel.
    (prediction_id,) = server.state.predictions
    assert outcome.error.prediction_id == prediction_id  # type: ignore[attr-defined]
    assert f"(while streaming prediction {prediction_id})" in outcome.error.__notes__


def test_file_outputs_become_file_outputs(client: Client) -> None:
    with client.stream("replicate/make-image", {"num_outputs": 2, "color": "blue"}) as events:
        outputs = [event for event in events if event.event == "output"]
        assert len(outputs) == 2
        for event in outputs:
            assert isinstance(event.file, FileOutput)
            assert event.file.url == event.data == str(event)
            assert event.file.read().startswith(b"\x89PNG\r\n\x1a\n")


async def test_file_outputs_become_file_outputs_async(async_client: AsyncClient) -> None:
    events = async_client.stream("replicate/make-image", {"num_outputs": 2})
    async with events:
        got = [event async for event in events]
    files = [event.file for event in got if event.event == "output"]
    assert len(files) == 2
    for file in files:
        assert isinstance(file, FileOutput)
        assert (await file.aread()).startswith(b"\x89PNG\r\n\x1a\n")
    assert all(event.file is None for event in got if event.event == "logs")


def test_file_outputs_stay_text_without_use_file_output(streamer: Streamer) -> None:
    outcome = streamer("stream", "replicate/make-image", {}, use_file_output=False)
    (output,) = [event for event in outcome.events if event.event == "output"]
    assert output.file is None
    assert output.data.endswith("/out-0.png")


def test_streaming_an_existing_prediction_by_object_or_id(
    streamer: Streamer, client: Client
) -> None:
    from generated.api.models import models_predictions_create
    from generated.models.model_prediction_request import ModelPredictionRequest
    from generated.models.model_prediction_request_input import ModelPredictionRequestInput

    body = ModelPredictionRequest(input=ModelPredictionRequestInput.from_dict({"prompt": "p q"}))
    created = models_predictions_create.sync(
        "replicate", "stream-tokens", client=client.api, body=body
    )
    by_object = streamer("stream_prediction", created)
    by_id = streamer("stream_prediction", created.id)
    assert by_object.text == by_id.text == "p q"
    assert by_object.events == by_id.events
    # resuming from a known event id gives only what follows it
    later = streamer("stream_prediction", created.id, last_event_id=by_object.events[1].id)
    assert later.events == by_object.events[2:]


def test_prediction_is_known_once_the_stream_opens(client: Client) -> None:
    events = client.stream("replicate/stream-tokens", {"prompt": "a"})
    assert events.prediction is None  # nothing is sent before the first next()
    with events:
        first = next(events)
        assert events.prediction is not None
        assert events.prediction.model == "replicate/stream-tokens"
        assert events.prediction.id in repr(events)
        rest = list(events)
    assert "".join(map(str, [first, *rest])) == "a"


def test_bad_arguments_fail_at_the_call(client: Client) -> None:
    with pytest.raises(ValueError, match="max_reconnects"):
        client.stream("replicate/stream-tokens", max_reconnects=-1)
    with pytest.raises(ValueError, match="not a ref"):
        client.stream("not a ref at all!")
    with pytest.raises(ValueError, match="webhook"):
        client.stream("replicate/stream-tokens", webhook="ftp://example.com/hook")
    with pytest.raises(ValueError, match="webhook_events_filter"):
        client.stream("replicate/stream-tokens", webhook_events_filter=["sometimes"])


async def test_async_stream_can_be_awaited_like_replicates_own_client(
    async_client: AsyncClient,
) -> None:
    events = await async_client.stream("replicate/stream-tokens", {"prompt": "x y"})
    assert isinstance(events, AsyncEventStream)
    async with events:
        text = "".join([str(event) async for event in events])
    assert text == "x y"


def test_run_returns_the_whole_text_where_stream_gives_pieces(
    client: Client, streamer: Streamer
) -> None:
    prompt = "the whole story"
    assert client.run("replicate/stream-tokens", {"prompt": prompt}) == prompt
    outcome = streamer("stream", "replicate/stream-tokens", {"prompt": prompt})
    assert outcome.kinds("output") == ["the ", "whole ", "story"]


async def test_async_run_returns_the_whole_text(async_client: AsyncClient) -> None:
    output = await async_client.run("replicate/stream-tokens", {"prompt": "one two"})
    assert output == "one two"


def test_events_compare_and_print_like_server_sent_events() -> None:
    event = PredictionEvent("output", "hi", "3")
    assert str(event) == "hi"
    assert event == PredictionEvent("output", "hi", "3")
    assert str(PredictionEvent("logs", "log line")) == ""


async def test_resumption_failure_names_the_prediction(
    async_client: AsyncClient, server: LocalServer
) -> None:
    # the stream drops after 1 event, then every reconnection is refused for good
    server.state.inject_fault("drop_stream", STREAM_PATH, after_events=1)
    server.state.inject_fault("status", STREAM_PATH, status=404, times=None)
    got: list[PredictionEvent] = []
    events = async_client.stream("replicate/stream-tokens", {"prompt": "a b c"})

    async def consume() -> None:
        async with events:
            async for event in events:
                got.append(event)

    with pytest.raises(StreamInterrupted) as caught:
        await consume()
    assert events.prediction is not None
    error = caught.value
    assert error.prediction_id == events.prediction.id
    assert events.prediction.id in str(error)
    assert "could not be resumed" in str(error)
    assert error.status == 404
    assert [event.id for event in got] == [error.last_event_id]
    await asyncio.to_thread(wait_status, server, events.prediction.id, {"succeeded"})


def _created(client: Client, model: str, input: dict[str, Any]) -> Any:
    from generated.api.models import models_predictions_create
    from generated.models.model_prediction_request import ModelPredictionRequest
    from generated.models.model_prediction_request_input import ModelPredictionRequestInput

    body = ModelPredictionRequest(input=ModelPredictionRequestInput.from_dict(input))
    return models_predictions_create.sync("replicate", model, client=client.api, body=body)


def test_follow_events_flow_runs_under_the_plain_drivers(
    client: Client, server: LocalServer
) -> None:
    # what run()'s wait can use: the same flow, events to a callback, under _flow.drive
    from replicate_ext._events import follow_events_flow
    from replicate_ext._flow import drive
    from replicate_ext.testing import ModelError as Fail

    async def breaks(ctx: Any) -> None:
        await ctx.emit("partial ")
        raise Fail("broken")

    http = client._sync_http()
    got: list[PredictionEvent] = []
    created = _created(client, "stream-tokens", {"prompt": "u v"})
    assert drive(follow_events_flow(client._ctx, created, got.append), http) is True
    assert "".join(map(str, got)) == "u v"
    # the stream's end, not a failure to follow it: the caller then fetches the prediction
    version = add_streaming_model(server, "breaks-too", breaks)
    failing = client.api.get_httpx_client().post(
        "/predictions", json={"version": version, "input": {"prompt": "x"}}
    )
    from generated.models.prediction import Prediction

    failed = Prediction.from_dict(failing.json())
    assert drive(follow_events_flow(client._ctx, failed), http) is True
    # no stream to follow
    plain = _created(client, "hello-world", {"text": "a"})
    assert drive(follow_events_flow(client._ctx, plain), http) is False


def test_follow_events_flow_lets_a_tick_stop_it(client: Client, scripted: Any) -> None:
    from replicate_ext._events import follow_events_flow
    from replicate_ext._flow import drive

    from .conftest import Reply, prediction_at, sse

    held = scripted([Reply([sse(("1", "output", "a"))], end="hold")])
    got: list[PredictionEvent] = []

    class Late(ReplicateError):
        pass

    def tick() -> None:
        if got:  # the read after the first event
            raise Late("deadline")

    flow = follow_events_flow(client._ctx, prediction_at(held.url), got.append, tick=tick)
    with pytest.raises(Late):  # a ReplicateError of the caller's, not taken as a stream failure
        drive(flow, client._sync_http())
    assert held.hung_up.wait(5)


def test_webhook_options_reach_the_prediction(client: Client, server: LocalServer) -> None:
    hook = f"{server.origin}/hooks/stream"
    with client.stream(
        "replicate/stream-tokens",
        {"prompt": "w"},
        webhook=hook,
        webhook_events_filter=["completed"],
    ) as events:
        assert "".join(map(str, events)) == "w"
        assert events.prediction is not None
        job = server.state.predictions[events.prediction.id]
    assert job.webhook == hook
    assert tuple(job.webhook_events_filter) == ("completed",)


async def test_concurrent_streams_on_one_client_stay_apart(async_client: AsyncClient) -> None:
    async def text(prompt: str) -> str:
        events = async_client.stream("replicate/stream-tokens", {"prompt": prompt})
        async with events:
            return "".join([str(event) async for event in events])

    prompts = ["one two three", "four five", "six seven eight nine"]
    assert await asyncio.gather(*(text(prompt) for prompt in prompts)) == prompts


async def test_follow_events_flow_awaits_an_async_callback(
    async_client: AsyncClient, server: LocalServer
) -> None:
    from replicate_ext._events import follow_events_flow
    from replicate_ext._flow import adrive

    with make_client(server) as client:
        created = _created(client, "stream-tokens", {"prompt": "async pieces"})
    got: list[str] = []

    async def on_event(event: PredictionEvent) -> None:
        await asyncio.sleep(0)  # a real await inside the callback
        got.append(str(event))

    flow = follow_events_flow(async_client._ctx, created, on_event)
    assert await adrive(flow, async_client._async_http()) is True
    assert "".join(got) == "async pieces"


def test_forwarding_kwargs_match_the_functions() -> None:
    import inspect

    from replicate_ext import _stream

    def keyword_only(function: Any) -> set[str]:
        parameters = inspect.signature(function).parameters.values()
        return {p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}

    assert keyword_only(_stream.new_stream_flow) == set(_stream.StreamKwargs.__annotations__)
    assert keyword_only(_stream.prediction_stream_flow) == set(
        _stream.StreamPredictionKwargs.__annotations__
    )
