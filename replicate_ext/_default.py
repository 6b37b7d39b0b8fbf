"""The default clients behind the module-level functions, built on first use.

`replicate_ext.run(...)` is `Client().run(...)` on one client per process
(configured from the environment); the async functions use one `AsyncClient`
per event loop, as httpx connections belong to the loop that opened them.
"""

from __future__ import annotations

import functools
import os
import threading
import weakref
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, TypeVar, overload

from ._client import AsyncClient, Client
from ._files import Downloader, FileOutput, set_default_downloader

if TYPE_CHECKING:
    from ._use import (
        AsyncModelFunction,
        AsyncStreamingModelFunction,
        ModelFunction,
        NamedModel,
        OutputStream,
    )

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_client: Client | None = None
_async_clients: weakref.WeakKeyDictionary[Any, AsyncClient] = weakref.WeakKeyDictionary()
_async_client: AsyncClient | None = None  # outside asyncio (trio)


def _new_lock_after_fork() -> None:
    # Another thread may have held it at the fork, and will not release it in the
    # child. The clients themselves drop their inherited connections (`_client`).
    global _lock
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock_after_fork)


def default_client() -> Client:
    """The process-wide `Client` the module-level functions use."""
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                _client = Client()
    return _client


def default_async_client() -> AsyncClient:
    """The `AsyncClient` the module-level async functions use in the running event loop."""
    global _async_client
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        if _async_client is None:
            _async_client = AsyncClient()
        return _async_client
    client = _async_clients.get(loop)
    if client is None:
        client = _async_clients[loop] = AsyncClient()
    return client


def default_downloader() -> Downloader:
    """Where a `FileOutput` made without a client downloads from."""
    return default_client()._ctx.downloader


# replicate_ext.FileOutput is exported from here, so that one made by hand
# downloads through the default client.
set_default_downloader(default_downloader)


def _on_default(method: Callable[Concatenate[Client, P], R]) -> Callable[P, R]:
    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        return method(default_client(), *args, **kwargs)

    return call


def _on_default_async(
    method: Callable[Concatenate[AsyncClient, P], Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, R]]:
    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        return await method(default_async_client(), *args, **kwargs)

    return call


def _on_default_async_sync(method: Callable[Concatenate[AsyncClient, P], R]) -> Callable[P, R]:
    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        return method(default_async_client(), *args, **kwargs)

    return call


run = _on_default(Client.run)
wait = _on_default(Client.wait)
stream = _on_default(Client.stream)
stream_prediction = _on_default(Client.stream_prediction)
paginate = _on_default(Client.paginate)
run_batch = _on_default(Client.run_batch)
train = _on_default(Client.train)

async_run = _on_default_async(AsyncClient.run)
async_wait = _on_default_async(AsyncClient.wait)
async_run_batch = _on_default_async(AsyncClient.run_batch)
async_train = _on_default_async(AsyncClient.train)
async_paginate = _on_default_async_sync(AsyncClient.paginate)
async_stream = _on_default_async_sync(AsyncClient.stream)
async_stream_prediction = _on_default_async_sync(AsyncClient.stream_prediction)

# -- use() on the default clients -------------------------------------------------------------


@overload
def use(  # type: ignore[overload-overlap]
    ref: str | NamedModel,
    *,
    hint: Callable[P, R],
    streaming: Literal[False] = False,
    use_async: Literal[False] = False,
    strict: bool = True,
    timeout: float | None = None,
) -> ModelFunction[P, R]: ...
@overload
def use(
    ref: str | NamedModel,
    *,
    hint: Callable[P, Any],
    streaming: Literal[True],
    use_async: Literal[False] = False,
    strict: bool = True,
    timeout: float | None = None,
) -> ModelFunction[P, OutputStream]: ...
@overload
def use(  # type: ignore[overload-overlap]
    ref: str | NamedModel,
    *,
    hint: Callable[P, R],
    streaming: Literal[False] = False,
    use_async: Literal[True],
    strict: bool = True,
    timeout: float | None = None,
) -> AsyncModelFunction[P, R]: ...
@overload
def use(
    ref: str | NamedModel,
    *,
    hint: Callable[P, Any],
    streaming: Literal[True],
    use_async: Literal[True],
    strict: bool = True,
    timeout: float | None = None,
) -> AsyncStreamingModelFunction[P]: ...
@overload
def use(
    ref: str | NamedModel,
    *,
    streaming: Literal[False] = False,
    use_async: Literal[False] = False,
    strict: bool = True,
    timeout: float | None = None,
) -> ModelFunction[..., Any]: ...
@overload
def use(
    ref: str | NamedModel,
    *,
    streaming: Literal[True],
    use_async: Literal[False] = False,
    strict: bool = True,
    timeout: float | None = None,
) -> ModelFunction[..., OutputStream]: ...
@overload
def use(
    ref: str | NamedModel,
    *,
    streaming: Literal[False] = False,
    use_async: Literal[True],
    strict: bool = True,
    timeout: float | None = None,
) -> AsyncModelFunction[..., Any]: ...
@overload
def use(
    ref: str | NamedModel,
    *,
    streaming: Literal[True],
    use_async: Literal[True],
    strict: bool = True,
    timeout: float | None = None,
) -> AsyncStreamingModelFunction[...]: ...
@overload
def use(
    ref: str | NamedModel,
    *,
    hint: Callable[..., Any] | None = None,
    streaming: bool = False,
    use_async: bool = False,
    strict: bool = True,
    timeout: float | None = None,
) -> ModelFunction[..., Any] | AsyncModelFunction[..., Any] | AsyncStreamingModelFunction[...]: ...
def use(
    ref: str | NamedModel,
    *,
    hint: Callable[..., Any] | None = None,
    streaming: bool = False,
    use_async: bool = False,
    strict: bool = True,
    timeout: float | None = None,
) -> ModelFunction[..., Any] | AsyncModelFunction[..., Any] | AsyncStreamingModelFunction[...]:
    """A model as a Python function, e.g. ``hello = replicate_ext.use("replicate/hello-world")``.

    `ref` is ``owner/name`` (the latest version, looked up once; an official
    model runs by name), ``owner/name:version`` or ``deployments/owner/name``.
    Call the function with the model's inputs as keyword arguments: it runs
    the model and returns the output as `run()` shapes it (an iterator of
    text pieces joined into one string, other iterators as lists, files as
    `FileOutput`). ``function.create(...)`` starts a prediction and returns a
    handle (`ModelRun`) with `output()`, `wait()`, `cancel()`, `logs` and
    `prediction`.

    The version's schema is fetched once, at the first call (or the first
    look at its signature): ``inspect.signature()`` and ``help()`` show its
    inputs with their types, defaults and descriptions, and each call's input
    is checked against it before any prediction is created. A wrong name
    (with the closest one suggested), type, choice or bound, or a missing
    required input, raises `InputError` (a ValueError) naming the input;
    ``strict=False`` sends inputs unchecked. ``None`` for an optional input
    means leaving it out.

    With ``streaming=True`` a call gives the output's pieces as they are
    produced (an `OutputStream`; leaving it early cancels the prediction);
    with ``use_async=True`` the function is awaited, or with both, iterated
    with ``async for``. `timeout` (seconds) is a deadline for each prediction:
    it is canceled when it passes. `hint` is a function whose signature
    types the result for type checkers (as ``replicate-ext types`` writes
    them); it is never called.

    Runs on the default client; `Client.use` and `AsyncClient.use` run on yours.
    """
    from ._use import AsyncModelFunction, AsyncStreamingModelFunction, ModelFunction

    del hint  # for type checkers only
    if not use_async:
        return ModelFunction(
            ref,
            lambda: default_client()._session,
            streaming=streaming,
            strict=strict,
            timeout=timeout,
        )
    # Looked up at each call: the default async client is the running loop's.
    session = lambda: default_async_client()._session  # noqa: E731
    if streaming:
        return AsyncStreamingModelFunction(ref, session, strict=strict, timeout=timeout)
    return AsyncModelFunction(ref, session, strict=strict, timeout=timeout)


__all__ = [
    "FileOutput",
    "async_paginate",
    "async_run",
    "async_run_batch",
    "async_stream",
    "async_stream_prediction",
    "async_train",
    "async_wait",
    "default_async_client",
    "default_client",
    "paginate",
    "run",
    "run_batch",
    "stream",
    "stream_prediction",
    "train",
    "use",
    "wait",
]
