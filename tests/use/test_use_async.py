"""use() with an AsyncClient, and the module-level use(use_async=True)."""

from __future__ import annotations

import asyncio
import inspect
import re
import time

import pytest

import replicate_ext
from replicate_ext import (
    AsyncClient,
    AsyncModelRun,
    AsyncOutputStream,
    FileOutput,
    InputError,
    PredictionCanceled,
    PredictionTimeout,
    ReplicateError,
)
from replicate_ext.testing import LocalServer


async def until(predicate: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_an_async_function_is_awaited(async_client: AsyncClient) -> None:
    tokens = async_client.use("replicate/stream-tokens")
    assert await tokens(prompt="a b") == "a b"
    assert await async_client.use("replicate/split-words")(text="a b") == ["a", "b"]
    (image,) = await async_client.use("replicate/make-image")(width=2)
    assert isinstance(image, FileOutput)
    assert (await image.aread()).startswith(b"\x89PNG")
    assert "prompt" in inspect.signature(tokens).parameters
    assert (await tokens.openapi_schema())["components"]["schemas"]["Output"]["type"] == "array"


def test_an_async_function_is_a_coroutine_function(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Frameworks dispatch on this: a coroutine function is awaited, anything else called.
    hello = AsyncClient(server.token, base_url=server.base_url).use("replicate/hello-world")
    assert inspect.iscoroutinefunction(hello)
    assert asyncio.iscoroutinefunction(hello)
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    assert inspect.iscoroutinefunction(replicate_ext.use("replicate/hello-world", use_async=True))
    # an async iterator, not a coroutine; the sync function is neither
    streaming = replicate_ext.use("replicate/stream-tokens", streaming=True, use_async=True)
    assert not inspect.iscoroutinefunction(streaming)
    assert not inspect.iscoroutinefunction(replicate_ext.use("replicate/hello-world"))
    assert not server.state.requests  # asking needs no schema


async def test_async_bad_inputs_raise_before_any_prediction(
    async_client: AsyncClient, server: LocalServer
) -> None:
    with pytest.raises(InputError, match="input 'repeat' must be at most 100"):
        await async_client.use("replicate/stream-tokens")(prompt="a", repeat=101)
    with pytest.raises(InputError, match="did you mean 'prompt'"):
        await async_client.use("replicate/stream-tokens").create(prompt_="a")
    assert not server.state.creations


async def test_async_streaming_gives_an_async_iterator(async_client: AsyncClient) -> None:
    words = async_client.use("replicate/split-words", streaming=True)
    stream = words(text="one two three")
    assert isinstance(stream, AsyncOutputStream)
    async with stream:
        assert [piece async for piece in stream] == ["one", "two", "three"]
    # As code written for the official client does it: await, then iterate.
    assert [piece async for piece in await words(text="x")] == ["x"]
    images = async_client.use("replicate/make-image", streaming=True)(num_outputs=2)
    assert [type(image) async for image in images] == [FileOutput, FileOutput]
    with pytest.raises(InputError):
        async for _ in words(txt="x"):
            pass


async def test_async_create_handles(async_client: AsyncClient) -> None:
    run = await async_client.use("replicate/split-words").create(text="p q")
    assert isinstance(run, AsyncModelRun)
    assert await run.output() == ["p", "q"]
    assert run.status == "succeeded"
    assert "Splitting into 2 words" in run.logs
    assert (await run.reload()).status == "succeeded"
    sleeper = await async_client.use("replicate/sleep").create(seconds=3000)
    await sleeper.cancel()
    assert (await sleeper.wait()).status == "canceled"
    with pytest.raises(PredictionCanceled):
        await sleeper.output()
    streamed = await async_client.use("replicate/stream-tokens", streaming=True).create(prompt="a")
    assert [piece async for piece in await streamed.output()] == ["a"]


async def test_cancelling_the_task_names_the_prediction_its_creation_may_have_left(
    async_client: AsyncClient, server: LocalServer
) -> None:
    # Cancelled while the API holds the creation's answer (Prefer: wait): the id is
    # not known, and a prediction with this model and input may be another caller's.
    # It is named on the cancellation, not canceled.
    task = asyncio.create_task(async_client.use("replicate/sleep")(seconds=3000))
    await until(lambda: server.state.predictions)
    task.cancel()
    with pytest.raises(asyncio.CancelledError) as info:
        await task
    (prediction,) = server.state.predictions.values()
    assert prediction.id in " ".join(info.value.__notes__)
    assert prediction.status != "canceled"


async def _drain(stream: AsyncOutputStream) -> None:
    async with stream:
        async for _ in stream:
            pass


async def test_an_async_streaming_call_without_a_stream_cancels_its_prediction_on_an_error(
    async_client: AsyncClient, server: LocalServer
) -> None:
    polls = re.compile(r"/v1/predictions/[^/]+")
    server.state.inject_fault("status", polls, method="GET", status=401, times=None)
    sleep = async_client.use("replicate/sleep", streaming=True)
    with pytest.raises(ReplicateError):
        await _drain(sleep(seconds=1000))
    (prediction,) = server.state.predictions.values()
    assert server.state.requests_to(f"/v1/predictions/{prediction.id}/cancel", "POST")
    await until(lambda: prediction.status == "canceled")


async def test_an_async_streaming_call_is_held_to_its_timeout(
    async_client: AsyncClient, server: LocalServer
) -> None:
    tokens = async_client.use("replicate/stream-tokens", streaming=True, timeout=0.5)
    stream = tokens(prompt="t " * 100, interval=10)
    with pytest.raises(PredictionTimeout, match=r"within 0\.5 s"):
        await _drain(stream)
    (prediction,) = server.state.predictions.values()
    assert server.state.requests_to(f"/v1/predictions/{prediction.id}/cancel", "POST")
    await until(lambda: prediction.status == "canceled")


async def test_module_level_async_functions_use_the_loops_client(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    hello = replicate_ext.use("replicate/hello-world", use_async=True)
    assert await hello(text="loop") == "hello loop"
    tokens = replicate_ext.use("replicate/stream-tokens", streaming=True, use_async=True)
    assert [piece async for piece in tokens(prompt="m n")] == ["m ", "n"]
    await replicate_ext._default.default_async_client().aclose()
