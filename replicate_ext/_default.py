"""The default clients behind the module-level functions, built on first use.

`replicate_ext.run(...)` is `Client().run(...)` on one client per process
(configured from the environment); the async functions use one `AsyncClient`
per event loop, as httpx connections belong to the loop that opened them. A
loop's client is closed as the loop ends (`asyncio.run()` returning), so that
a script, task or view calling `asyncio.run()` again and again leaves no
socket or loop behind.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import AsyncGenerator, Callable, Coroutine
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
# asyncio loop -> its client, and what closes the client as the loop ends. Not
# weak: a client's connections keep its loop alive; the loop's end removes both.
_async_clients: dict[Any, AsyncClient] = {}
_closers: dict[Any, AsyncGenerator[None, None]] = {}
_async_client: AsyncClient | None = None  # outside asyncio (trio)
_users_client = False  # `_client` was handed over by set_default_client: never ours to close
_users_async_client: AsyncClient | None = None  # set_default_client's, in every loop


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
    if _users_async_client is not None:
        return _users_async_client
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        if _async_client is None:
            _async_client = AsyncClient()
        return _async_client
    client = _async_clients.get(loop)
    if client is None:
        with _lock:
            _forget_closed_loops()
            client = _async_clients[loop] = AsyncClient()
            _close_at_the_end_of(loop, client)
    return client


def _close_at_the_end_of(loop: Any, client: AsyncClient) -> None:
    """Close `client` as `loop` ends: when it finalizes its async generators.

    asyncio has no hook for a loop's end, but `asyncio.run()` (and `Runner`,
    and pytest-asyncio) close the async generators begun in the loop before
    closing it: this one, begun here, closes the client there, while the loop
    can still run the closing.
    """

    async def until_the_loop_ends() -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            _async_clients.pop(loop, None)
            _closers.pop(loop, None)
            if not loop.is_closed():
                with contextlib.suppress(Exception):  # the loop is ending: nobody to tell
                    await client.aclose()

    closer = until_the_loop_ends()
    _closers[loop] = closer
    # Begun at once, on the running loop (which registers it), without awaiting:
    # nothing runs before its `yield`.
    with contextlib.suppress(StopIteration):
        closer.asend(None).send(None)


def _forget_closed_loops() -> None:
    # A loop closed without finalizing its async generators (by hand, not by
    # asyncio.run()): its client's connections can only be dropped.
    for loop in [loop for loop in _async_clients if loop.is_closed()]:
        del _async_clients[loop]
        closer = _closers.pop(loop, None)
        if closer is not None:
            with contextlib.suppress(StopIteration, RuntimeError):
                closer.aclose().send(None)  # ends at once: the loop is closed


def set_default_client(client: Client | AsyncClient | None = None) -> None:
    """Make the module-level functions use `client`, or with None, forget the default clients.

    A `Client` serves `replicate_ext.run()` and the other sync functions; an
    `AsyncClient` serves `async_run()` and the other async ones, in whichever
    event loop they are awaited (an httpx async client belongs to one loop:
    await them in the loop that uses it). A client handed over stays yours
    to close. `set_default_client()` (None) closes the clients the module
    built for itself and forgets every default, handed over or not: the next
    call builds new ones from the environment as it is then
    (`REPLICATE_API_TOKEN`, `REPLICATE_BASE_URL`), which is what a test that
    changed the environment wants (the pytest fixture `replicate_env` does
    both).
    """
    global _client, _users_client, _async_client, _users_async_client
    if client is not None and not isinstance(client, (Client, AsyncClient)):
        raise TypeError(
            f"set_default_client takes a Client or an AsyncClient, not {type(client).__name__}"
        )
    with _lock:
        if isinstance(client, Client):
            previous, ours = _client, not _users_client
            _client, _users_client = client, True
        elif isinstance(client, AsyncClient):
            previous, ours = None, False
            _users_async_client = client
        else:
            previous, ours = _client, not _users_client
            _client, _users_client = None, False
            # Async clients are closed by awaiting, in their own loop: dropped here
            # (a loop still running closes its client as it ends, through its closer).
            _async_client, _users_async_client = None, None
            _async_clients.clear()
    if previous is not None and ours and previous is not client:
        previous.close()


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
    "set_default_client",
    "stream",
    "stream_prediction",
    "train",
    "use",
    "wait",
]
