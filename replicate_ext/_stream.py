"""A prediction's events for the caller: `EventStream` and `AsyncEventStream`.

The events come from one I/O-free flow (`_events.events_flow`), run by
`_flow.drive_events` or `adrive_events`; the flows here create the prediction
first (`Client.stream`) or find it (`Client.stream_prediction`).

``run()`` versus ``stream()``: ``run()`` waits for the prediction to finish and
returns its whole output: a language model's pieces joined into one string, a
list of files, ... ``stream()`` gives the pieces as they are produced, as
`PredictionEvent`s (with the model's logs between them); for a language model,
``"".join(map(str, events))`` is the string ``run()`` would have returned.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from ._checks import job_reference
from ._context import Context, Deadline
from ._events import (
    DEFAULT_MAX_RECONNECTS,
    PredictionEvent,
    StreamHandle,
    StreamOptions,
    events_flow,
)
from ._files import FileEncoding
from ._flow import EventFlow
from ._jobs import get_flow
from ._predictions import RunOptions, create_flow
from ._refs import Ref, parse_ref

if TYPE_CHECKING:
    from generated.models.prediction import Prediction

__all__ = [
    "AsyncEventStream",
    "EventStream",
    "StreamKwargs",
    "StreamPredictionKwargs",
    "create_and_stream_flow",
    "existing_flow",
    "new_stream_flow",
    "prediction_stream_flow",
]


def create_and_stream_flow(
    ctx: Context,
    ref: Ref,
    input: Mapping[str, Any] | None,
    run_options: RunOptions,
    options: StreamOptions,
    handle: StreamHandle,
) -> EventFlow:
    """Create the prediction, then stream its events."""
    prediction = yield from create_flow(ctx, ref, dict(input or {}), run_options, Deadline(None))
    yield from events_flow(ctx, prediction, options, handle)


def existing_flow(
    ctx: Context, prediction: Prediction | str, options: StreamOptions, handle: StreamHandle
) -> EventFlow:
    """Stream the events of a prediction (fetched first, given its id)."""
    if isinstance(prediction, str):
        prediction = yield from get_flow(ctx, prediction)
    yield from events_flow(ctx, prediction, options, handle)


# -- what callers get ------------------------------------------------------------------------


class EventStream(Iterator[PredictionEvent]):
    """The events of a prediction, as they come: iterate over it, ideally in a ``with`` block.

    The connection opens at the first ``next()`` (creating the prediction
    first, for `stream()`), and closes as soon as the iteration stops:
    at the end, at ``break`` or an exception (``with`` and `close()` make that
    immediate; a plain ``for`` relies on the iterator being garbage collected,
    which CPython does at once unless something else holds it).
    """

    __slots__ = ("_events", "_handle")

    def __init__(
        self, events: Generator[PredictionEvent, None, None], handle: StreamHandle
    ) -> None:
        self._events = events
        self._handle = handle

    @property
    def prediction(self) -> Prediction | None:
        """The prediction streamed, as it was when the stream opened; None before that."""
        return self._handle.prediction

    def __iter__(self) -> EventStream:
        return self

    def __next__(self) -> PredictionEvent:
        return next(self._events)

    def close(self) -> None:
        """Stop: close the connection (and cancel the prediction, with ``cancel_on_close``)."""
        self._events.close()

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        prediction = self._handle.prediction
        return f"<EventStream {prediction.id if prediction is not None else '(not started)'}>"


class AsyncEventStream(AsyncIterator[PredictionEvent]):
    """The async twin of `EventStream`: ``async for``, ideally in an ``async with`` block.

    Cancelling the task that iterates closes the connection (and cancels the
    prediction, with ``cancel_on_close``). For code written for Replicate's
    own client, ``await`` on it is allowed and gives the stream itself.
    """

    __slots__ = ("_events", "_handle")

    def __init__(self, events: AsyncGenerator[PredictionEvent, None], handle: StreamHandle) -> None:
        self._events = events
        self._handle = handle

    @property
    def prediction(self) -> Prediction | None:
        """The prediction streamed, as it was when the stream opened; None before that."""
        return self._handle.prediction

    def __aiter__(self) -> AsyncEventStream:
        return self

    async def __anext__(self) -> PredictionEvent:
        return await anext(self._events)

    async def aclose(self) -> None:
        """Stop: close the connection (and cancel the prediction, with ``cancel_on_close``)."""
        await self._events.aclose()

    async def __aenter__(self) -> AsyncEventStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __await__(self) -> Generator[Any, None, AsyncEventStream]:
        return self._itself().__await__()

    async def _itself(self) -> AsyncEventStream:
        return self

    def __repr__(self) -> str:
        prediction = self._handle.prediction
        return f"<AsyncEventStream {prediction.id if prediction is not None else '(not started)'}>"


class StreamKwargs(TypedDict, total=False):
    """The keyword options of `stream`, for methods that forward them."""

    webhook: str | None
    webhook_events_filter: Sequence[str] | None
    use_file_output: bool
    cancel_on_close: bool
    file_encoding: FileEncoding
    max_reconnects: int


class StreamPredictionKwargs(TypedDict, total=False):
    """The keyword options of `stream_prediction`, for methods that forward them."""

    use_file_output: bool
    cancel_on_close: bool
    last_event_id: str | None
    max_reconnects: int


def new_stream_flow(
    ctx: Context,
    ref: str,
    input: Mapping[str, Any] | None,
    *,
    webhook: str | None = None,
    webhook_events_filter: Sequence[str] | None = None,
    use_file_output: bool = True,
    cancel_on_close: bool = False,
    file_encoding: FileEncoding = "auto",
    max_reconnects: int = DEFAULT_MAX_RECONNECTS,
) -> tuple[EventFlow, StreamHandle]:
    """The flow behind `Client.stream`, every option checked before anything is sent."""
    # wait=False: no Prefer header, so the API answers at once and the stream starts early.
    run_options = RunOptions(
        wait=False,
        webhook=webhook,
        webhook_events_filter=webhook_events_filter,
        file_encoding=file_encoding,
    )
    options = StreamOptions(
        use_file_output=use_file_output,
        cancel_on_close=cancel_on_close,
        max_reconnects=max_reconnects,
    )
    handle = StreamHandle()
    flow = create_and_stream_flow(ctx, parse_ref(ref), input, run_options, options, handle)
    return flow, handle


def prediction_stream_flow(
    ctx: Context,
    prediction: Prediction | str,
    *,
    use_file_output: bool = True,
    cancel_on_close: bool = False,
    last_event_id: str | None = None,
    max_reconnects: int = DEFAULT_MAX_RECONNECTS,
) -> tuple[EventFlow, StreamHandle]:
    """The flow behind `Client.stream_prediction`, its options checked."""
    job_reference("prediction", prediction)
    options = StreamOptions(
        use_file_output=use_file_output,
        cancel_on_close=cancel_on_close,
        max_reconnects=max_reconnects,
        last_event_id=last_event_id,
    )
    handle = StreamHandle()
    return existing_flow(ctx, prediction, options, handle), handle
