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
    Optional,
    ParamSpec,
    Protocol,
    Self,
    TypeVar,
)

from ._context import Context, Deadline
from ._events import PredictionEvent, StreamHandle, StreamOptions, events_flow
from ._files import FileOutput
from ._flow import Emit, EventFlow, Flow
from ._jobs import cancel_flow, get_flow
from ._predictions import (
    RunOptions,
    create_flow,
    output_flow,
    owned_by_the_call,
    result_flow,
    run_flow,
    wait_flow,
)
from ._refs import Ref, parse_ref
from ._resolve import ResolvedModel, resolve_flow
from ._schema import (
    annotation,
    check_input,
    files_in,
    input_specs,
    model_doc,
    output_annotation,
    output_schema,
    python_name,
)
from ._session import AsyncSession, Session
from ._telemetry import STREAMING

if TYPE_CHECKING:
    from generated.models.prediction import Prediction

    from ._files import Downloader


__all__ = [
    "AsyncModelFunction",
    "AsyncModelRun",
    "AsyncOutputStream",
    "AsyncStreamingModelFunction",
    "ModelFunction",
    "ModelRun",
    "OutputStream",
]

P = ParamSpec("P")
R = TypeVar("R")
SessionT = TypeVar("SessionT", bound="Session | AsyncSession")

_JSON_PIECES = frozenset({"integer", "number", "boolean", "object", "array"})


class NamedModel(Protocol):
    """An object naming a model in its `name`, as the official client's `FunctionRef` does."""

    @property
    def name(self) -> str: ...


# -- what the schema gives a function ----------------------------------------------------------


class _Model:
    """A resolved model and what its schema says: signature, docstring, input checks."""

    __slots__ = ("doc", "found", "json_pieces", "output", "piece_schema", "signature", "specs")

    def __init__(self, found: ResolvedModel, streaming: bool) -> None:
        self.found = found
        schema = found.openapi_schema
        self.specs = input_specs(schema)
        self.signature = _signature(self.specs, schema, streaming)
        self.doc = model_doc(
            found.label, schema, description=found.description, version=found.version
        )
        output = output_schema(schema)
        # Files are what it says are files; without it, any URL is (run()'s rule).
        self.output: dict[str, Any] | None = output or None
        items = output.get("items")
        piece = items if output.get("type") == "array" and isinstance(items, dict) else output
        self.piece_schema: dict[str, Any] | None = piece if output else None
        # Stream events carry text; pieces of other types arrive as JSON.
        self.json_pieces = piece.get("type") in _JSON_PIECES

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

    def piece(self, event: PredictionEvent, downloader: Downloader) -> Any:
        """The output piece an `output` event carries: a `FileOutput`, text or a value."""
        if self.piece_schema is None:
            return event.file if event.file is not None else event.data
        value: Any = event.data
        if self.json_pieces:
            try:
                value = json.loads(event.data)
            except ValueError:
                return event.data
        return self._files(value, self.piece_schema, downloader)

    def shape(self, output: Any, downloader: Downloader) -> Any:
        """A whole output, as `run()` returns it, with its files made as the schema says."""
        if self.output is None:
            return output  # `run()` already took every URL for a file
        return self._files(output, self.output, downloader)

    def _files(self, value: Any, schema: dict[str, Any], downloader: Downloader) -> Any:
        def make(url: str) -> FileOutput:
            return FileOutput(url, downloader)

        return files_in(value, schema, self.found.openapi_schema, make)


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


class _Function(Generic[SessionT]):
    """What the sync and async functions share: the reference, the schema, the flows."""

    def __init__(
        self,
        ref: str | NamedModel,
        session: Callable[[], SessionT],
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
        self._session: Callable[[], SessionT] = session  # the client's, at each call
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
            session = self._session()
            with self._lock:
                if self._model is None:
                    session.blocking(self._load_flow(session.ctx))
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
        options = RunOptions(timeout=self.timeout, use_file_output=model.output is None)
        output = yield from run_flow(ctx, model.found.ref, sent, options)
        return model.shape(output, ctx.downloader)

    def _create_flow(
        self, ctx: Context, inputs: dict[str, Any], deadline: Deadline
    ) -> Flow[Prediction]:
        model = yield from self._load_flow(ctx)
        sent = model.prepare(inputs, self.strict)
        model.prime(ctx)
        options = RunOptions(wait=False)
        return (yield from create_flow(ctx, model.found.ref, sent, options, deadline))

    def _stream_flow(self, ctx: Context, inputs: dict[str, Any], handle: StreamHandle) -> EventFlow:
        deadline = Deadline(self.timeout)  # the server cancels at it too (Cancel-After)
        prediction = yield from self._create_flow(ctx, inputs, deadline)
        # The call owns the prediction: leaving the stream early cancels it.
        assert self._model is not None  # loaded by _create_flow
        by_rule = self._model.output is None
        yield from _pieces_flow(ctx, prediction, handle, deadline, by_rule, cancel_on_close=True)

    def _pieces(self, ctx: Context) -> Callable[[PredictionEvent], Any]:
        """What reads an output event into a piece, on the files of `ctx`."""

        def piece(event: PredictionEvent) -> Any:
            assert self._model is not None  # loaded before the first event
            return self._model.piece(event, ctx.downloader)

        return piece

    def _output_flow(self, ctx: Context, prediction: Prediction) -> Flow[Any]:
        """The output of a prediction this function started, as a call returns it."""
        model = yield from self._load_flow(ctx)
        output = yield from output_flow(ctx, prediction, model.output is None)
        return model.shape(output, ctx.downloader)

    def _unit(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """A call as a unit of work (`_telemetry`): ``use``, the model as the user wrote it."""
        return {"input": inputs, "attributes": {STREAMING: self._streaming}}


def _pieces_flow(
    ctx: Context,
    prediction: Prediction,
    handle: StreamHandle,
    deadline: Deadline,
    use_file_output: bool,
    *,
    cancel_on_close: bool,
) -> EventFlow:
    """Emit the prediction's output pieces: from its stream, or at its end when it has none.

    Reaching the `deadline` cancels the prediction and raises `PredictionTimeout`.
    `use_file_output`: make every URL a file (for a version without an output
    schema; with one, the pieces are read by it).
    """
    if isinstance(prediction.urls.stream, str):
        options = StreamOptions(
            use_file_output=use_file_output, cancel_on_close=cancel_on_close, deadline=deadline
        )
        yield from events_flow(ctx, prediction, options, handle)
        return
    handle.prediction = prediction
    # The call's own prediction (`cancel_on_close`): an error ends it too, as in run().
    if cancel_on_close:
        final = yield from wait_flow(
            ctx, prediction, deadline=deadline, cancel_on=owned_by_the_call
        )
    else:
        final = yield from wait_flow(ctx, prediction, deadline=deadline)
    handle.prediction = final
    shaping = RunOptions(timeout=deadline.timeout, use_file_output=use_file_output)
    output = yield from result_flow(ctx, final, deadline, shaping)
    if output is None:
        return
    for item in output if isinstance(output, list) else [output]:
        if isinstance(item, FileOutput):
            event = PredictionEvent("output", item.url, file=item)
        else:
            event = PredictionEvent("output", item if isinstance(item, str) else json.dumps(item))
        yield Emit(event)


class ModelFunction(_Function[Session], Generic[P, R]):
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
        session: Callable[[], Session],
        *,
        streaming: bool = False,
        strict: bool = True,
        timeout: float | None = None,
    ) -> None:
        super().__init__(ref, session, strict=strict, timeout=timeout)
        self._streaming = streaming

    def __call__(self, *args: P.args, **inputs: P.kwargs) -> R:
        _no_positional(self.__name__, args)
        session = self._session()
        if self._streaming:
            # Checked now, so that a bad input fails here, not at the first piece.
            model = session.run(self._load_flow(session.ctx))
            model.prepare(dict(inputs), self.strict)
            handle = StreamHandle()
            flow = self._stream_flow(session.ctx, dict(inputs), handle)
            events = session.events(flow, "use", self.ref, **self._unit(inputs))
            return OutputStream(events, handle, self._pieces(session.ctx))  # type: ignore[return-value]
        call = self._call_flow(session.ctx, dict(inputs))
        return session.run(call, "use", self.ref, **self._unit(inputs))  # type: ignore[no-any-return]

    def create(self, *args: P.args, **inputs: P.kwargs) -> ModelRun[R]:
        """Start a prediction (the input checked first) and return its `ModelRun`, at once."""
        _no_positional(f"{self.__name__}.create", args)
        session = self._session()
        deadline = Deadline(self.timeout)
        prediction = session.run(self._create_flow(session.ctx, dict(inputs), deadline))
        return ModelRun(self, session, prediction, deadline)

    def openapi_schema(self) -> dict[str, Any]:
        """The version's OpenAPI schema (`components.schemas.Input`, `Output`), fetched once."""
        return dict(self._loaded().found.openapi_schema or {})


async def _a_coroutine_function(*args: Any, **inputs: Any) -> Any:
    """Never called: its code marks `AsyncModelFunction` as a coroutine function."""


class AsyncModelFunction(_Function[AsyncSession], Generic[P, R]):
    """The async twin of `ModelFunction`: ``await`` a call, or ``await create()``.

    Made by ``use(..., use_async=True)`` or `AsyncClient.use()`. Cancelling
    the awaiting task cancels the prediction. `inspect.iscoroutinefunction`
    says it is a coroutine function, as frameworks that dispatch on it need.
    """

    __doc__ = _ModelDoc(__doc__ or "")
    # inspect.iscoroutinefunction() reads the code flags of any callable that
    # looks like a function (a name, code, defaults): this code object's say
    # "coroutine". A call is one: it returns a coroutine, and checks its
    # arguments before (so it cannot itself be an ``async def``).
    __code__ = _a_coroutine_function.__code__
    __defaults__ = None
    __kwdefaults__ = None

    def __call__(self, *args: P.args, **inputs: P.kwargs) -> Coroutine[Any, Any, R]:
        _no_positional(self.__name__, args)
        return self._call(dict(inputs))

    async def _call(self, inputs: dict[str, Any]) -> R:
        session = self._session()
        flow = self._call_flow(session.ctx, inputs)
        output: R = await session.run(flow, "use", self.ref, **self._unit(inputs))
        return output

    async def create(self, *args: P.args, **inputs: P.kwargs) -> AsyncModelRun[R]:
        """Start a prediction (the input checked first) and return its `AsyncModelRun`."""
        _no_positional(f"{self.__name__}.create", args)
        session = self._session()
        deadline = Deadline(self.timeout)
        prediction = await session.run(self._create_flow(session.ctx, dict(inputs), deadline))
        return AsyncModelRun(self, session, prediction, deadline)

    async def openapi_schema(self) -> dict[str, Any]:
        """The version's OpenAPI schema, fetched once."""
        session = self._session()
        model = await session.run(self._load_flow(session.ctx))
        return dict(model.found.openapi_schema or {})


class AsyncStreamingModelFunction(_Function[AsyncSession], Generic[P]):
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
        session = self._session()
        handle = StreamHandle()
        flow = self._stream_flow(session.ctx, dict(inputs), handle)
        events = session.events(flow, "use", self.ref, **self._unit(inputs))
        return AsyncOutputStream(events, handle, self._pieces(session.ctx))

    async def create(self, *args: P.args, **inputs: P.kwargs) -> AsyncModelRun[AsyncOutputStream]:
        """Start a prediction and return its `AsyncModelRun`; its `output()` streams."""
        _no_positional(f"{self.__name__}.create", args)
        session = self._session()
        deadline = Deadline(self.timeout)
        prediction = await session.run(self._create_flow(session.ctx, dict(inputs), deadline))
        return AsyncModelRun(self, session, prediction, deadline)

    async def openapi_schema(self) -> dict[str, Any]:
        """The version's OpenAPI schema, fetched once."""
        session = self._session()
        model = await session.run(self._load_flow(session.ctx))
        return dict(model.found.openapi_schema or {})


# -- handles on a started prediction -------------------------------------------------------------


class _RunBase(Generic[SessionT]):
    def __init__(
        self,
        function: _Function[SessionT],
        session: SessionT,
        prediction: Prediction,
        deadline: Deadline,
    ) -> None:
        self._function: _Function[SessionT] = function
        self._session: SessionT = session
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
        ctx, deadline = self._session.ctx, self._deadline
        by_rule = self._function._model is None or self._function._model.output is None
        return _pieces_flow(ctx, self._prediction, handle, deadline, by_rule, cancel_on_close=False)

    def _unit(self) -> dict[str, Any]:
        """Waiting for (or streaming) the prediction as a unit of work (`_telemetry`)."""
        return {"model": self._function.ref, "job": self._prediction}


class ModelRun(_RunBase[Session], Generic[R]):
    """A prediction started by `ModelFunction.create()`.

    `output()` waits and returns the output (an `OutputStream` for a streaming
    function); `wait()`, `reload()` and `cancel()` return the `Prediction`
    and keep it as `prediction`; `logs` and `status` are as last seen.
    """

    def wait(self) -> Prediction:
        """Wait for the prediction to finish and return it (canceled on Ctrl-C or the timeout)."""
        ctx = self._session.ctx
        flow = wait_flow(ctx, self._prediction, deadline=self._deadline)
        self._prediction = self._session.run(flow, "wait", **self._unit())
        return self._prediction

    def output(self) -> R:
        """Wait, then return the output as the function's call does (or stream it)."""
        if self._function._streaming:
            handle = StreamHandle()
            events = self._session.events(self._stream(handle), "stream", **self._unit())
            pieces = self._function._pieces(self._session.ctx)
            return OutputStream(events, handle, pieces)  # type: ignore[return-value]
        prediction = self.wait()
        return self._session.run(self._function._output_flow(self._session.ctx, prediction))  # type: ignore[no-any-return]

    def reload(self) -> Prediction:
        """Fetch the prediction's current state (status, logs, output so far)."""
        self._prediction = self._session.run(get_flow(self._session.ctx, self.id))
        return self._prediction

    def cancel(self) -> Prediction:
        """Cancel the prediction and return it."""
        self._prediction = self._session.run(cancel_flow(self._session.ctx, self.id))
        return self._prediction


class AsyncModelRun(_RunBase[AsyncSession], Generic[R]):
    """The async twin of `ModelRun`: ``await`` its methods."""

    async def wait(self) -> Prediction:
        """Wait for the prediction to finish and return it; see `ModelRun.wait`."""
        ctx = self._session.ctx
        flow = wait_flow(ctx, self._prediction, deadline=self._deadline)
        self._prediction = await self._session.run(flow, "wait", **self._unit())
        return self._prediction

    async def output(self) -> R:
        """Wait, then return the output (or, for a streaming function, its stream)."""
        if self._function._streaming:
            handle = StreamHandle()
            events = self._session.events(self._stream(handle), "stream", **self._unit())
            pieces = self._function._pieces(self._session.ctx)
            return AsyncOutputStream(events, handle, pieces)  # type: ignore[return-value]
        prediction = await self.wait()
        flow = self._function._output_flow(self._session.ctx, prediction)
        output: R = await self._session.run(flow)
        return output

    async def reload(self) -> Prediction:
        """Fetch the prediction's current state."""
        self._prediction = await self._session.run(get_flow(self._session.ctx, self.id))
        return self._prediction

    async def cancel(self) -> Prediction:
        """Cancel the prediction and return it."""
        self._prediction = await self._session.run(cancel_flow(self._session.ctx, self.id))
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
