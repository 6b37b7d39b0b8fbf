"""OpenTelemetry spans over real HTTP against the local server, from the SDK's memory exporter."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.trace import SpanKind, StatusCode

from generated.api.models import models_create
from generated.models.model_create_request import ModelCreateRequest
from replicate_ext import AsyncClient, Client, ModelError, PredictionTimeout
from replicate_ext.testing import LocalServer, version_id

from .conftest import Spans

HELLO_VERSION = version_id("replicate/hello-world", 1)
TRAINABLE = f"replicate/trainable:{version_id('replicate/trainable', 1)}"


@pytest.fixture
def httpx_spans() -> Iterator[None]:
    """httpx's own OpenTelemetry instrumentation, for this test."""
    instrumentor = HTTPXClientInstrumentor()
    instrumentor.instrument()
    try:
        yield
    finally:
        instrumentor.uninstrument()


def test_a_run_is_one_client_span_with_the_prediction_it_made(
    client: Client, server: LocalServer, spans: Spans
) -> None:
    assert client.run("replicate/hello-world", input={"text": "Alice"}) == "hello Alice"
    (span,) = spans.ours()
    assert span.name == "run replicate/hello-world"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    attributes = dict(span.attributes or {})
    prediction = server.state.predictions[attributes["replicate.prediction.id"]]
    assert attributes["gen_ai.operation.name"] == "run"
    assert attributes["gen_ai.system"] == attributes["gen_ai.provider.name"] == "replicate"
    assert attributes["gen_ai.request.model"] == "replicate/hello-world"
    assert attributes["gen_ai.response.model"] == "replicate/hello-world"
    assert attributes["gen_ai.response.id"] == prediction.id
    assert attributes["replicate.prediction.status"] == "succeeded"
    assert attributes["replicate.prediction.version"] == prediction.version
    assert attributes["server.address"] == "127.0.0.1"
    assert attributes["server.port"] == int(server.base_url.rsplit(":", 1)[1].split("/")[0])
    # The prediction's own timings, as the API reported them.
    answer = client.predictions.get(prediction.id)
    assert attributes["replicate.prediction.predict_time"] == answer.metrics.predict_time
    queued = (answer.started_at - answer.created_at).total_seconds()
    assert attributes["replicate.prediction.queue_time"] == pytest.approx(queued)
    # Inputs and outputs are not recorded unless asked for.
    assert "replicate.input" not in attributes
    assert "replicate.output" not in attributes


def test_the_model_is_named_as_the_user_wrote_it(client: Client, spans: Spans) -> None:
    ref = f"replicate/hello-world:{HELLO_VERSION}"
    client.run(ref, input={"text": "Bob"})
    (span,) = spans.ours()
    assert span.name == f"run {ref}"
    assert span.attributes["gen_ai.request.model"] == ref
    assert span.attributes["replicate.prediction.version"] == HELLO_VERSION


def test_a_failed_model_marks_the_span_as_an_error_with_the_exception(
    client: Client, spans: Spans
) -> None:
    with pytest.raises(ModelError) as info:
        client.run("replicate/fail", input={"message": "out of memory"})
    (span,) = spans.ours()
    assert span.name == "run replicate/fail"
    assert span.status.status_code is StatusCode.ERROR
    assert "out of memory" in (span.status.description or "")
    assert span.attributes["error.type"] == "ModelError"
    assert span.attributes["replicate.prediction.status"] == "failed"
    assert span.attributes["replicate.prediction.id"] == info.value.prediction_id
    (event,) = [event for event in span.events if event.name == "exception"]
    assert event.attributes["exception.type"].endswith("ModelError")
    assert "out of memory" in event.attributes["exception.message"]


def test_a_timed_out_run_is_an_error_naming_its_prediction(client: Client, spans: Spans) -> None:
    with pytest.raises(PredictionTimeout) as info:
        client.run("replicate/sleep", input={"seconds": 60}, timeout=0.2)
    (span,) = spans.ours()
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "PredictionTimeout"
    assert span.attributes["replicate.prediction.id"] == info.value.prediction_id


def test_a_stream_span_ends_when_the_stream_does(client: Client, spans: Spans) -> None:
    with client.stream("replicate/stream-tokens", input={"prompt": "one two three"}) as events:
        first = next(events)
        assert spans.ours() == []  # still going
        text = str(first) + "".join(map(str, events))
        (span,) = spans.ours()  # ended with the iteration, before the block
    assert text == "one two three"
    assert span.name == "stream replicate/stream-tokens"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert span.attributes["gen_ai.operation.name"] == "stream"
    assert span.attributes["replicate.prediction.id"] == events.prediction.id
    assert span.attributes["replicate.prediction.status"] == "succeeded"
    assert "replicate.stream.closed_early" not in span.attributes


def test_a_stream_left_early_ends_its_span_then(client: Client, spans: Spans) -> None:
    events = client.stream(
        "replicate/stream-tokens", input={"prompt": "a b c d e f g h"}, cancel_on_close=True
    )
    next(events)
    events.close()
    (span,) = spans.ours()
    assert span.attributes["replicate.stream.closed_early"] is True
    assert span.status.status_code is StatusCode.UNSET  # leaving is not a failure
    assert client.predictions.get(events.prediction.id).status == "canceled"


async def test_an_async_stream_left_early_ends_its_span_then(
    async_client: AsyncClient, spans: Spans
) -> None:
    async with async_client.stream("replicate/stream-tokens", {"prompt": "a b c d e f"}) as events:
        async for _ in events:
            break
        assert spans.ours() == []  # left, not yet closed
    (span,) = spans.ours()
    assert span.attributes["replicate.stream.closed_early"] is True
    assert span.status.status_code is StatusCode.UNSET


def test_a_stream_of_a_failing_model_is_an_error(client: Client, spans: Spans) -> None:
    events = client.stream("replicate/stream-tokens", input={"prompt": "a b", "fail_after": 1})
    with pytest.raises(ModelError):
        list(events)
    (span,) = spans.ours()
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "ModelError"
    assert span.attributes["replicate.prediction.status"] == "failed"


def test_a_training_is_traced_under_training_keys(
    client: Client, server: LocalServer, spans: Spans
) -> None:
    body = ModelCreateRequest.from_dict(
        {"owner": "test-user", "name": "tuned", "visibility": "private", "hardware": "cpu"}
    )
    assert models_create.sync_detailed(client=client.api, body=body).status_code == 201
    destination = "test-user/tuned"
    training = client.train(TRAINABLE, destination=destination, input={"steps": 2})
    (span,) = [span for span in spans.ours() if span.name.startswith("train ")]
    assert span.name == f"train {TRAINABLE}"
    attributes = dict(span.attributes or {})
    assert attributes["gen_ai.operation.name"] == "train"
    assert attributes["gen_ai.request.model"] == TRAINABLE
    assert attributes["replicate.training.id"] == training.id
    assert attributes["replicate.training.status"] == "succeeded"
    assert attributes["replicate.training.destination"] == destination
    assert attributes["replicate.training.version"] == training.version
    assert isinstance(attributes["replicate.training.predict_time"], float)
    assert "replicate.prediction.id" not in attributes


def test_waiting_is_a_span_and_a_canceled_prediction_an_error(client: Client, spans: Spans) -> None:
    prediction = client.predictions.create(model="replicate/sleep", input={"seconds": 60})
    client.predictions.cancel(prediction.id)
    waited = client.wait(prediction.id)
    (span,) = spans.ours()
    # The model comes from the answer: wait() was given an id.
    assert span.name == "wait replicate/sleep"
    assert "gen_ai.request.model" not in span.attributes
    assert span.attributes["gen_ai.response.model"] == "replicate/sleep"
    assert span.attributes["replicate.prediction.status"] == waited.status == "canceled"
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "PredictionCanceled"


def test_use_calls_are_spans(client: Client, spans: Spans) -> None:
    hello = client.use("replicate/hello-world")
    assert hello(text="Ada") == "hello Ada"
    words = client.use("replicate/split-words", streaming=True)
    assert list(words(text="a b")) == ["a", "b"]
    call, streamed = spans.ours()
    assert call.name == "use replicate/hello-world"
    assert call.attributes["replicate.use.streaming"] is False
    assert call.attributes["replicate.prediction.status"] == "succeeded"
    assert streamed.name == "use replicate/split-words"
    assert streamed.attributes["replicate.use.streaming"] is True
    assert streamed.attributes["replicate.prediction.status"] == "succeeded"


def test_a_batch_is_the_parent_of_one_span_per_input(client: Client, spans: Spans) -> None:
    results = client.run_batch("replicate/hello-world", [{"text": "a"}, {}, {"text": "c"}])
    assert [result.ok for result in results] == [True, False, True]
    batch = spans.named("batch replicate/hello-world")
    assert batch.kind is SpanKind.INTERNAL
    assert batch.attributes["replicate.batch.size"] == 3
    assert batch.attributes["replicate.batch.failed"] == 1
    assert batch.status.status_code is StatusCode.UNSET  # one input failing is not the batch
    items = sorted(spans.children(batch), key=lambda s: s.attributes["replicate.batch.index"])
    assert [item.name for item in items] == ["run replicate/hello-world"] * 3
    assert [item.status.status_code for item in items] == [
        StatusCode.UNSET,
        StatusCode.ERROR,
        StatusCode.UNSET,
    ]
    assert items[0].attributes["replicate.prediction.id"] == results[0].prediction_id
    assert items[1].attributes["error.type"] == "ReplicateError"  # a 422: nothing created


async def test_an_async_batch_is_the_parent_of_its_inputs(
    async_client: AsyncClient, spans: Spans
) -> None:
    await async_client.run_batch("replicate/hello-world", [{"text": "a"}, {"text": "b"}])
    batch = spans.named("batch replicate/hello-world")
    assert len(spans.children(batch)) == 2


async def test_async_runs_and_streams_are_spans_of_their_own(
    async_client: AsyncClient, spans: Spans
) -> None:
    outputs = await asyncio.gather(
        *(async_client.run("replicate/hello-world", input={"text": n}) for n in "ab")
    )
    assert outputs == ["hello a", "hello b"]
    pieces = [
        str(e) async for e in async_client.stream("replicate/stream-tokens", {"prompt": "x y"})
    ]
    assert "".join(pieces) == "x y"
    runs = [s for s in spans.ours() if s.name == "run replicate/hello-world"]
    # Each task kept its own prediction.
    assert len({s.attributes["replicate.prediction.id"] for s in runs}) == 2
    stream = spans.named("stream replicate/stream-tokens")
    assert stream.attributes["replicate.prediction.status"] == "succeeded"


def test_a_span_of_the_application_is_the_parent(client: Client, spans: Spans) -> None:
    tracer = trace.get_tracer("app")
    with tracer.start_as_current_span("handle request") as outer:
        client.run("replicate/hello-world", input={"text": "x"})
        list(client.stream("replicate/stream-tokens", input={"prompt": "y"}))
    for span in spans.ours():
        assert span.parent is not None
        assert span.parent.span_id == outer.get_span_context().span_id


def test_httpx_spans_nest_beneath_ours(client: Client, spans: Spans, httpx_spans: None) -> None:
    client.run("replicate/hello-world", input={"text": "x"})
    list(client.stream("replicate/stream-tokens", input={"prompt": "y"}))
    run = spans.named("run replicate/hello-world")
    stream = spans.named("stream replicate/stream-tokens")
    assert [s.name for s in spans.children(run)] == ["POST"]
    assert sorted(s.name for s in spans.children(stream)) == ["GET", "POST"]  # create, events
    # Only ours and httpx's: nothing of ours duplicates an HTTP span.
    assert len(spans.all()) == 5


def test_inputs_and_outputs_are_recorded_cut_when_asked_for(
    client: Client, spans: Spans, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
    client.run("replicate/hello-world", input={"text": "Alice"})
    long = "x" * 10_000
    client.run("replicate/hello-world", input={"text": long})
    list(client.stream("replicate/stream-tokens", input={"prompt": "one two"}))
    short, cut, streamed = spans.ours()
    assert short.attributes["replicate.input"] == '{"text": "Alice"}'
    assert short.attributes["replicate.output"] == '"hello Alice"'
    assert len(cut.attributes["replicate.input"]) == 4096 + 1
    assert cut.attributes["replicate.input"].endswith("x…")
    assert cut.attributes["replicate.output"].startswith('"hello xxx')
    assert streamed.attributes["replicate.output"] == '"one two"'
