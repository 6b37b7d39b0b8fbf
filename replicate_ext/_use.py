"""`use()`: a model as a Python function, typed and checked by its version's schema.

A `ModelFunction` holds a model reference and reads the version's schema once,
on first need (`resolve_flow`: one request), so that making one at import time
costs nothing. From the schema it gets its signature (`inspect.signature`,
`help()`, notebooks), its docstring, and the checks an input passes before any
prediction is created. Running reuses the prediction flows `run()` runs
(`run_flow`, `create_flow`, `wait_flow`, `output_flow`), and streaming the event
flow `stream()` runs, so the output is shaped exactly as `run()` shapes it.

Each call is a flow driven by the client's driver, so the sync and async
functions differ only in that. The client is asked for at each call: the
module-level `use()` runs async functions on the event loop's own default
client, as the other module-level async functions do.
"""

from __future__ import annotations

import inspect
import json
import keyword
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine, Generator, Iterator
from typing import (
    TYPE_CHECKING,
    Any,
    Generic,
    Literal,
    Optional,
    ParamSpec,
    Protocol,
    Self,
    TypeVar,
    overload,
)

from ._context import Context, Deadline
from ._events import PredictionEvent, StreamHandle, StreamOptions, events_flow
from ._files import FileOutput
from ._flow import Emit, EventFlow, Flow, adrive_events, drive, drive_events
from ._jobs import cancel_flow, get_flow
from ._predictions import RunOptions, create_flow, output_flow, run_flow, wait_flow
from ._refs import Ref, parse_ref
from ._resolve import ResolvedModel, resolve_flow
from ._schema import (
    annotation,
    check_input,
    input_specs,
    model_doc,
    output_annotation,
    output_schema,
    python_name,
)

if TYPE_CHECKING:
    from generated.models.prediction import Prediction

    from ._client import AsyncClient, Client, _BaseClient  # noqa: F401 (named in strings)

__all__ = [
    "AsyncModelFunction",
    "AsyncModelRun",
    "AsyncOutputStream",
    "AsyncStreamingModelFunction",
    "ModelFunction",
    "ModelRun",
    "OutputStream",
    "use",
]

P = ParamSpec("P")
R = TypeVar("R")
ClientT = TypeVar("ClientT", bound="_BaseClient")

_JSON_PIECES = frozenset({"integer", "number", "boolean", "object", "array"})


class NamedModel(Protocol):
    """An object naming a model in its `name`, as the official client's `FunctionRef` does."""

    @property
    def name(self) -> str: ...


# -- what the schema gives a function ----------------------------------------------------------


class _Model:
    """A resolved model and what its schema says: signature, docstring, input checks."""

    __slots__ = ("doc", "found", "json_pieces", "signature", "specs")

    def __init__(self, found: ResolvedModel, streaming: bool) -> None:
        self.found = found
        schema = found.openapi_schema
        self.specs = input_specs(schema)
        self.signature = _signature(self.specs, schema, streaming)
        self.doc = model_doc(
            found.label, schema, description=found.description, version=found.version
        )
        output = output_schema(schema)
        items = output.get("items")
        piece = items.get("type") if output.get("type") == "array" and items else output.get("type")
        # Stream events carry text; pieces of other types arrive as JSON.
        self.json_pieces = piece in _JSON_PIECES

    def prepare(self, inputs: dict[str, Any], strict: bool) -> dict[str, Any]:
        """The input to send: checked (with `strict`), None for an optional input left out."""
        if self.specs is None:
            return inputs
        sent = {
            name: value
            for name, value in inputs.items()
            if not (value is None and name in self.specs and self.specs[name].optional)
        }
        if strict:
            check_input(self.specs, sent, model=self.found.label)
        return sent

    def prime(self, ctx: Context) -> None:
        """Tell `output_flow` what this schema says, so it does not fetch the schema again."""
        if self.found.openapi_schema is None:
            return
        if self.found.version is not None:
            ctx.concatenates[self.found.version] = self.found.concatenates
        if self.found.ref.kind == "model":
            # An official model's predictions may show the version as hidden: keyed by name.
            ctx.concatenates[self.found.label] = self.found.concatenates

    def piece(self, event: PredictionEvent) -> Any:
        """The output piece an `output` event carries: a `FileOutput`, text or a value."""
        if event.file is not None:
            return event.file
        if self.json_pieces:
            try:
                return json.loads(event.data)
            except ValueError:
                return event.data
        return event.data


def _signature(specs: Any, schema: Any, streaming: bool) -> inspect.Signature:
    returns: Any = "OutputStream" if streaming else output_annotation(schema)
    if specs is None:
        return inspect.Signature(
            [inspect.Parameter("inputs", inspect.Parameter.VAR_KEYWORD, annotation=Any)],
            return_annotation=returns,
        )
    parameters: list[inspect.Parameter] = []
    odd_names = False
    for spec in specs.values():
        if not spec.name.isidentifier() or keyword.iskeyword(spec.name):
            odd_names = True  # still accepted, through **inputs
            continue
        kind = annotation(spec)
        if spec.required:
            default: Any = inspect.Parameter.empty
        elif spec.has_default:
            default = spec.default
        else:
            default, kind = None, Optional[kind]  # noqa: UP045 (built at run time)
        parameters.append(
            inspect.Parameter(
                spec.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind
            )
        )
    if odd_names:
        rest = "inputs" if "inputs" not in specs else "other_inputs"
        parameters.append(inspect.Parameter(rest, inspect.Parameter.VAR_KEYWORD, annotation=Any))
    return inspect.Signature(parameters, return_annotation=returns)


def _no_positional(name: str, args: tuple[Any, ...]) -> None:
    if args:
        raise TypeError(
            f"{name}() takes keyword arguments only, one per model input "
            f"(got {len(args)} positional)"
        )


# -- the functions -------------------------------------------------------------------------------


class _ModelDoc:
    """`__doc__`: the class's own on the class, the model's (read from its schema) on a function."""

    def __init__(self, doc: str) -> None:
        self.doc = doc

    def __get__(self, function: _Function[Any] | None, owner: type) -> str:
        if function is None:
            return self.doc
        try:
            return function._loaded().doc
        except Exception as error:  # noqa: BLE001 (tools read __doc__ in passing: never fail them)
            return f"Run {function.ref}. (Its schema could not be read: {error})"


class _Function(Generic[ClientT]):
    """What the sync and async functions share: the reference, the schema, the flows."""

    def __init__(
        self,
        ref: str | NamedModel,
        client: Callable[[], ClientT],
        *,
        strict: bool = True,
        timeout: float | None = None,
    ) -> None:
        name = ref if isinstance(ref, str) else getattr(ref, "name", None)
        if not isinstance(name, str):
            raise TypeError(
                f"use() takes a model reference like 'owner/name', not {type(ref).__name__}"
            )
        parsed = parse_ref(name)
        if parsed.owner is None:
            raise ValueError(
                f"use() needs the model's name, to read its schema: write "
                f"'owner/name:{parsed.version}' rather than the bare version id"
            )
        RunOptions(timeout=timeout)  # checked now, not at the first call
        self.ref = name
        self.strict = strict
        self.timeout = timeout
        self._parsed: Ref = parsed
        self._client = client
        self._model: _Model | None = None
        self._lock = threading.Lock()
        self.__name__ = self.__qualname__ = python_name(str(parsed.name))

    _streaming = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.ref}>"

    @property
    def __signature__(self) -> inspect.Signature:
        """The model's inputs as keyword-only parameters (read from its schema on first use)."""
        return self._loaded().signature

    def __get__(self, instance: object, owner: type | None = None) -> Self:
        # Never bound, as a class attribute (like a staticmethod); being a descriptor
        # also makes help() and pydoc show it as a function, signature first.
        return self

    def _loaded(self) -> _Model:
        """The model, its schema fetched with blocking I/O if no call has fetched it yet."""
        if self._model is None:
            client = self._client()
            with self._lock:
                if self._model is None:
                    drive(self._load_flow(client._ctx), client._sync_http())
        assert self._model is not None
        return self._model

    def _load_flow(self, ctx: Context) -> Flow[_Model]:
        if self._model is None:
            found = yield from resolve_flow(ctx, self._parsed)
            self._model = _Model(found, self._streaming)
        return self._model

    def _call_flow(self, ctx: Context, inputs: dict[str, Any]) -> Flow[Any]:
        model = yield from self._load_flow(ctx)
        sent = model.prepare(inputs, self.strict)
        model.prime(ctx)
        options = RunOptions(timeout=self.timeout)
        return (yield from run_flow(ctx, model.found.ref, sent, options))

    def _create_flow(
        self, ctx: Context, inputs: dict[str, Any], deadline: Deadline
    ) -> Flow[Prediction]:
        model = yield from self._load_flow(ctx)
        sent = model.prepare(inputs, self.strict)
        model.prime(ctx)
        options = RunOptions(wait=False)
        return (yield from create_flow(ctx, model.found.ref, sent, options, deadline))

    def _stream_flow(self, ctx: Context, inputs: dict[str, Any], handle: StreamHandle) -> EventFlow:
        deadline = Deadline(self.timeout)  # the server cancels at it (Cancel-After)
        prediction = yield from self._create_flow(ctx, inputs, deadline)
        # The call owns the prediction: leaving the stream early cancels it.
        yield from _pieces_flow(ctx, prediction, handle, cancel_on_close=True)

    def _piece(self, event: PredictionEvent) -> Any:
        assert self._model is not None  # loaded before the first event
        return self._model.piece(event)


def _pieces_flow(
    ctx: Context, prediction: Prediction, handle: StreamHandle, *, cancel_on_close: bool
) -> EventFlow:
    """Emit the prediction's output pieces: from its stream, or at its end when it has none."""
    if isinstance(prediction.urls.stream, str):
        options = StreamOptions(cancel_on_close=cancel_on_close)
        yield from events_flow(ctx, prediction, options, handle)
        return
    handle.prediction = prediction
    final = yield from wait_flow(ctx, prediction, deadline=Deadline(None))
    handle.prediction = final
    output = yield from output_flow(ctx, final, True)
    if output is None:
        return
    for item in output if isinstance(output, list) else [output]:
        if isinstance(item, FileOutput):
            event = PredictionEvent("output", item.url, file=item)
        else:
            event = PredictionEvent("output", item if isinstance(item, str) else json.dumps(item))
        yield Emit(event)


class ModelFunction(_Function["Client"], Generic[P, R]):
    """A model as a function: call it with the model's inputs as keyword arguments.

    Made by `use()` or `Client.use()`. Calling it runs the model and returns
    its output as `run()` shapes it (text pieces joined, files as
    `FileOutput`s); made with ``streaming=True``, it returns an `OutputStream`
    of the pieces instead. `create()` starts a prediction and returns a
    `ModelRun`. The model's schema is read once, on first need:
    `inspect.signature()` and `help()` show its inputs, and each input is
    checked against it before any prediction is created (`InputError`).
    """

    __doc__ = _ModelDoc(__doc__ or "")

    def __init__(
        self,
        ref: str | NamedModel,
        client: Callable[[], Client],
        *,
        streaming: bool = False,
        strict: bool = True,
        timeout: float | None = None,
    ) -> None:
        super().__init__(ref, client, strict=strict, timeout=timeout)
        self._streaming = streaming

    def __call__(self, *args: P.args, **inputs: P.kwargs) -> R:
        _no_positional(self.__name__, args)
        client = self._client()
        if self._streaming:
            # Checked now, so that a bad input fails here, not at the first piece.
            model = client._drive(self._load_flow(client._ctx))
            model.prepare(dict(inputs), self.strict)
            handle = StreamHandle()
            flow = self._stream_flow(client._ctx, dict(inputs), handle)
            stream = OutputStream(drive_events(flow, client._sync_http()), handle, self._piece)
            return stream  # type: ignore[return-value]
        return client._drive(self._call_flow(client._ctx, dict(inputs)))  # type: ignore[no-any-return]

    def create(self, *args: P.args, **inputs: P.kwargs) -> ModelRun[R]:
        """Start a prediction (the input checked first) and return its `ModelRun`, at once."""
        _no_positional(f"{self.__name__}.create", args)
        client = self._client()
        deadline = Deadline(self.timeout)
        prediction = client._drive(self._create_flow(client._ctx, dict(inputs), deadline))
        return ModelRun(self, client, prediction, deadline)

    def openapi_schema(self) -> dict[str, Any]:
        """The version's OpenAPI schema (`components.schemas.Input`, `Output`), fetched once."""
        return dict(self._loaded().found.openapi_schema or {})


class AsyncModelFunction(_Function["AsyncClient"], Generic[P, R]):
    """The async twin of `ModelFunction`: ``await`` a call, or ``await create()``.

    Made by ``use(..., use_async=True)`` or `AsyncClient.use()`. Cancelling
    the awaiting task cancels the prediction.
    """

    __doc__ = _ModelDoc(__doc__ or "")

    def __call__(self, *args: P.args, **inputs: P.kwargs) -> Coroutine[Any, Any, R]:
        _no_positional(self.__name__, args)
        return self._call(dict(inputs))

    async def _call(self, inputs: dict[str, Any]) -> R:
        client = self._client()
        return await client._drive(self._call_flow(client._ctx, inputs))

    async def create(self, *args: P.args, **inputs: P.kwargs) -> AsyncModelRun[R]:
        """Start a prediction (the input checked first) and return its `AsyncModelRun`."""
        _no_positional(f"{self.__name__}.create", args)
        client = self._client()
        deadline = Deadline(self.timeout)
        prediction = await client._drive(self._create_flow(client._ctx, dict(inputs), deadline))
        return AsyncModelRun(self, client, prediction, deadline)

    async def openapi_schema(self) -> dict[str, Any]:
        """The version's OpenAPI schema, fetched once."""
        client = self._client()
        model = await client._drive(self._load_flow(client._ctx))
        return dict(model.found.openapi_schema or {})


class AsyncStreamingModelFunction(_Function["AsyncClient"], Generic[P]):
    """A model as an async function that streams: ``async for piece in function(...)``.

    Made by ``use(..., streaming=True, use_async=True)``. A call returns an
    `AsyncOutputStream` at once; the input is checked and the prediction
    created at the first ``async for`` step (or on ``await``, which code
    written for the official client does).
    """

    __doc__ = _ModelDoc(__doc__ or "")
    _streaming = True

    def __call__(self, *args: P.args, **inputs: P.kwargs) -> AsyncOutputStream:
        _no_positional(self.__name__, args)
        client = self._client()
        handle = StreamHandle()
        flow = self._stream_flow(client._ctx, dict(inputs), handle)
        return AsyncOutputStream(adrive_events(flow, client._async_http()), handle, self._piece)

    async def create(self, *args: P.args, **inputs: P.kwargs) -> AsyncModelRun[AsyncOutputStream]:
        """Start a prediction and return its `AsyncModelRun`; its `output()` streams."""
        _no_positional(f"{self.__name__}.create", args)
        client = self._client()
        deadline = Deadline(self.timeout)
        prediction = await client._drive(self._create_flow(client._ctx, dict(inputs), deadline))
        return AsyncModelRun(self, client, prediction, deadline)

    async def openapi_schema(self) -> dict[str, Any]:
        """The version's OpenAPI schema, fetched once."""
        client = self._client()
        model = await client._drive(self._load_flow(client._ctx))
        return dict(model.found.openapi_schema or {})


# -- handles on a started prediction -------------------------------------------------------------


class _RunBase(Generic[ClientT]):
    def __init__(
        self,
        function: _Function[ClientT],
        client: ClientT,
        prediction: Prediction,
        deadline: Deadline,
    ) -> None:
        self._function = function
        self._client = client
        self._prediction = prediction
        self._deadline = deadline

    @property
    def prediction(self) -> Prediction:
        """The prediction as last seen (at creation, or by the last wait, reload or cancel)."""
        return self._prediction

    @property
    def id(self) -> str:
        """The prediction's id."""
        return self._prediction.id

    @property
    def status(self) -> str:
        """The prediction's status as last seen."""
        return str(self._prediction.status)

    @property
    def logs(self) -> str:
        """The prediction's logs as last seen ("" before any); `reload()` brings them up to date."""
        logs = self._prediction.logs
        return logs if isinstance(logs, str) else ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} of {self._function.ref}: {self.status}>"

    def _stream(self, handle: StreamHandle) -> EventFlow:
        return _pieces_flow(self._client._ctx, self._prediction, handle, cancel_on_close=False)


class ModelRun(_RunBase["Client"], Generic[R]):
    """A prediction started by `ModelFunction.create()`.

    `output()` waits and returns the output (an `OutputStream` for a streaming
    function); `wait()`, `reload()` and `cancel()` return the `Prediction`
    and keep it as `prediction`; `logs` and `status` are as last seen.
    """

    def wait(self) -> Prediction:
        """Wait for the prediction to finish and return it (canceled on Ctrl-C or the timeout)."""
        ctx = self._client._ctx
        flow = wait_flow(ctx, self._prediction, deadline=self._deadline)
        self._prediction = self._client._drive(flow)
        return self._prediction

    def output(self) -> R:
        """Wait, then return the output as the function's call does (or stream it)."""
        if self._function._streaming:
            handle = StreamHandle()
            events = drive_events(self._stream(handle), self._client._sync_http())
            return OutputStream(events, handle, self._function._piece)  # type: ignore[return-value]
        prediction = self.wait()
        return self._client._drive(output_flow(self._client._ctx, prediction, True))  # type: ignore[no-any-return]

    def reload(self) -> Prediction:
        """Fetch the prediction's current state (status, logs, output so far)."""
        self._prediction = self._client._drive(get_flow(self._client._ctx, self.id))
        return self._prediction

    def cancel(self) -> Prediction:
        """Cancel the prediction and return it."""
        self._prediction = self._client._drive(cancel_flow(self._client._ctx, self.id))
        return self._prediction


class AsyncModelRun(_RunBase["AsyncClient"], Generic[R]):
    """The async twin of `ModelRun`: ``await`` its methods."""

    async def wait(self) -> Prediction:
        """Wait for the prediction to finish and return it; see `ModelRun.wait`."""
        ctx = self._client._ctx
        flow = wait_flow(ctx, self._prediction, deadline=self._deadline)
        self._prediction = await self._client._drive(flow)
        return self._prediction

    async def output(self) -> R:
        """Wait, then return the output (or, for a streaming function, its stream)."""
        if self._function._streaming:
            handle = StreamHandle()
            events = adrive_events(self._stream(handle), self._client._async_http())
            return AsyncOutputStream(events, handle, self._function._piece)  # type: ignore[return-value]
        prediction = await self.wait()
        return await self._client._drive(output_flow(self._client._ctx, prediction, True))

    async def reload(self) -> Prediction:
        """Fetch the prediction's current state."""
        self._prediction = await self._client._drive(get_flow(self._client._ctx, self.id))
        return self._prediction

    async def cancel(self) -> Prediction:
        """Cancel the prediction and return it."""
        self._prediction = await self._client._drive(cancel_flow(self._client._ctx, self.id))
        return self._prediction


# -- the pieces of a streaming function ----------------------------------------------------------


class OutputStream(Iterator[Any]):
    """A model's output pieces as it produces them: text, `FileOutput`s or values.

    Iterate over it, ideally in a ``with`` block: leaving early closes the
    connection (and, for a call's own prediction, cancels it). A model
    without an event stream gives its output's items when it finishes.
    Raises `ModelError` or `PredictionCanceled` as `run()` does.
    """

    __slots__ = ("_events", "_handle", "_piece")

    def __init__(
        self,
        events: Generator[PredictionEvent, None, None],
        handle: StreamHandle,
        piece: Callable[[PredictionEvent], Any],
    ) -> None:
        self._events = events
        self._handle = handle
        self._piece = piece

    @property
    def prediction(self) -> Prediction | None:
        """The prediction streamed, as it was when the stream opened; None before that."""
        return self._handle.prediction

    def __iter__(self) -> OutputStream:
        return self

    def __next__(self) -> Any:
        for event in self._events:
            if event.event == "output":
                return self._piece(event)
        raise StopIteration

    def close(self) -> None:
        """Stop: close the connection (cancelling the prediction a call started)."""
        self._events.close()

    def __enter__(self) -> OutputStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        prediction = self._handle.prediction
        return f"<OutputStream {prediction.id if prediction is not None else '(not started)'}>"


class AsyncOutputStream(AsyncIterator[Any]):
    """The async twin of `OutputStream`: ``async for``, ideally in ``async with``.

    ``await`` on it gives the stream itself, so that code written for the
    official client (``async for piece in await function(...)``) works as is.
    """

    __slots__ = ("_events", "_handle", "_piece")

    def __init__(
        self,
        events: AsyncGenerator[PredictionEvent, None],
        handle: StreamHandle,
        piece: Callable[[PredictionEvent], Any],
    ) -> None:
        self._events = events
        self._handle = handle
        self._piece = piece

    @property
    def prediction(self) -> Prediction | None:
        """The prediction streamed, as it was when the stream opened; None before that."""
        return self._handle.prediction

    def __aiter__(self) -> AsyncOutputStream:
        return self

    async def __anext__(self) -> Any:
        async for event in self._events:
            if event.event == "output":
                return self._piece(event)
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Stop: close the connection (cancelling the prediction a call started)."""
        await self._events.aclose()

    async def __aenter__(self) -> AsyncOutputStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __await__(self) -> Generator[Any, None, AsyncOutputStream]:
        return self._itself().__await__()

    async def _itself(self) -> AsyncOutputStream:
        return self

    def __repr__(self) -> str:
        prediction = self._handle.prediction
        name = prediction.id if prediction is not None else "(not started)"
        return f"<AsyncOutputStream {name}>"


# -- use() ---------------------------------------------------------------------------------------


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
    from ._default import default_async_client, default_client

    del hint  # for type checkers only
    if not use_async:
        return ModelFunction(
            ref, default_client, streaming=streaming, strict=strict, timeout=timeout
        )
    if streaming:
        return AsyncStreamingModelFunction(
            ref, default_async_client, strict=strict, timeout=timeout
        )
    return AsyncModelFunction(ref, default_async_client, strict=strict, timeout=timeout)
