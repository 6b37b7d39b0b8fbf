"""`Client` and `AsyncClient`: configuration, connections, and the high-level calls.

Both share everything but the driver: the flows their methods run are built
once, here in `_BaseClient` (from `_predictions` and `_pagination`), and run
with blocking or async I/O. Making a client is cheap: httpx, `generated` and
the flows are imported, and connections opened, on first use.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar, Unpack, overload

from ._checks import (
    cancel_after_seconds,
    clean_token,
    positive_seconds,
    timeout_option,
    token_problem,
)
from ._version import __version__

if TYPE_CHECKING:
    import httpx

    from generated.client import Client as GeneratedClient
    from generated.models.file import File
    from generated.models.paginated_models import PaginatedModels
    from generated.models.prediction import Prediction
    from generated.models.training import Training

    from ._batch import BatchOptions, BatchResult, SharedLimiters
    from ._context import Context
    from ._files import FileEncoding, PendingUpload
    from ._flow import Flow
    from ._http import BearerAuth
    from ._pagination import AsyncPages, ListOperation, Pages
    from ._predictions import Progress, TrainingProgress
    from ._retry import RetryPolicy
    from ._session import AsyncSession, Session
    from ._stream import (
        AsyncEventStream,
        EventStream,
        StreamKwargs,
        StreamPredictionKwargs,
    )
    from ._use import (
        AsyncModelFunction,
        AsyncStreamingModelFunction,
        ModelFunction,
        NamedModel,
        OutputStream,
    )

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")
PageT = TypeVar("PageT")

DEFAULT_BASE_URL = "https://api.replicate.com/v1"


class _Default(float):
    """A default number of seconds, told apart from the same number given on purpose."""

    __slots__ = ()


DEFAULT_TIMEOUT: float = _Default(60.0)
DEFAULT_MAX_RETRIES = 3
USER_AGENT = f"replicate-ext/{__version__}"


class _BaseClient:
    _transport_kind = "BaseTransport"  # the httpx class a `transport` must be
    _http_client_kind = "Client"  # the httpx class an `http_client` must be

    def __init__(
        self,
        api_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        poll_interval: float = 0.5,
        user_agent: str | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
    ) -> None:
        if transport is not None:
            import httpx  # already loaded by whoever made the transport

            if not isinstance(transport, getattr(httpx, self._transport_kind)):
                name = type(self).__name__
                raise TypeError(f"{name} needs an httpx.{self._transport_kind} as its transport")
        base = base_url or os.environ.get("REPLICATE_BASE_URL") or DEFAULT_BASE_URL
        self.base_url = base.rstrip("/")
        if http_client is not None:
            timeout = self._take_http_client(http_client, transport, timeout)
        timeout_option(timeout)
        positive_seconds("poll_interval", poll_interval)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a whole number from 0, not {max_retries!r}")
        token = clean_token(
            os.environ.get("REPLICATE_API_TOKEN") if api_token is None else api_token
        )
        self.max_retries = max_retries
        self.poll_interval = poll_interval
        self._token = token
        self._timeout_option = timeout
        self._headers = {"User-Agent": f"{user_agent} {USER_AGENT}" if user_agent else USER_AGENT}
        self._transport = transport
        self._http_client = http_client
        self._lock = threading.Lock()  # the httpx clients are made on first use
        self._sync: httpx.Client | None = None
        self._async: httpx.AsyncClient | None = None
        self._borrowed: httpx.Client | httpx.AsyncClient | None = None  # on the user's transports
        self._api: GeneratedClient | None = None
        self._policy: RetryPolicy | None = None
        self._auth_cache: BearerAuth | None = None
        self._timeout_cache: httpx.Timeout | None = None
        self._context: Context | None = None
        self._session_cache: Session | AsyncSession | None = None
        self._limiters_cache: SharedLimiters | None = None
        self._webhook_secret: str | None = None
        _clients.add(self)

    def _take_http_client(self, http_client: Any, transport: Any, timeout: Any) -> Any:
        """Check a user's own httpx client before any request; the timeout to use with it.

        Our `timeout`, when given, applies; otherwise the client's own, unless
        it is httpx's default (5 s, too short for `Prefer: wait`), then ours.
        """
        import httpx  # already loaded by whoever made the client

        name, kind = type(self).__name__, self._http_client_kind
        if not isinstance(http_client, getattr(httpx, kind)):
            given = f"{type(http_client).__module__}.{type(http_client).__qualname__}"
            raise TypeError(f"{name} needs an httpx.{kind} as its http_client, not {given}")
        if transport is not None:
            raise TypeError(
                "give either transport= or http_client=, not both: "
                f"a transport goes into the httpx client (httpx.{kind}(transport=...))"
            )
        if http_client.is_closed:
            raise ValueError("http_client is closed: give an open one")
        own_base = str(http_client.base_url).rstrip("/")
        if own_base and own_base != self.base_url:
            raise ValueError(
                f"http_client has its own base_url ({own_base}), not this client's "
                f"({self.base_url}): give it as {name}(base_url=...) instead"
            )
        if isinstance(timeout, _Default) and http_client.timeout != httpx.Timeout(5.0):
            return http_client.timeout
        return timeout

    def _forget_connections(self) -> None:
        """In a child process after fork(): drop the parent's connections, untouched.

        They are the parent's sockets too. Closing them here could write to them
        (an HTTP/2 GOAWAY, a TLS close alert in the async stack) behind the
        parent's back; dropped, they are only released by this process once
        garbage collected. The next request opens fresh connections.
        """
        self._lock = threading.Lock()  # another thread may have held it at the fork
        self._sync = None
        self._async = None
        self._borrowed = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # -- lazily built parts --------------------------------------------------------------------

    @property
    def api(self) -> GeneratedClient:
        """The generated client, ready for typed calls through this client's connections.

        For example `predictions_get.sync(client=client.api, prediction_id=...)`
        (with `generated.api.predictions.predictions_get`); the calls get this
        client's authentication, retries and timeouts.
        """
        if self._api is None:
            from ._http import Api

            self._api = Api(self.base_url, self._sync_http, self._async_http)
        return self._api

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeouts of each request, as an `httpx.Timeout`."""
        if self._timeout_cache is None:
            from ._http import make_timeout

            self._timeout_cache = make_timeout(self._timeout_option)
        return self._timeout_cache

    @property
    def _retry_policy(self) -> RetryPolicy:
        if self._policy is None:
            from ._retry import RetryPolicy

            self._policy = RetryPolicy(self.max_retries)
        return self._policy

    @_retry_policy.setter
    def _retry_policy(self, policy: RetryPolicy) -> None:
        self._policy = policy  # tests set a quick one, before the first request

    @property
    def _auth(self) -> BearerAuth:
        if self._auth_cache is None:
            from ._http import BearerAuth

            self._auth_cache = BearerAuth(self._token, token_problem(self._token), self.base_url)
        return self._auth_cache

    @property
    def _ctx(self) -> Context:
        if self._context is None:
            from ._context import Context
            from ._files import Downloader

            self._context = Context(
                api=self.api,
                timeout=self.timeout,
                poll_interval=self.poll_interval,
                downloader=Downloader(self._sync_http, self._async_http),
                base_url=self.base_url,
            )
        return self._context

    def _http_options(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "auth": self._auth,
            "headers": self._headers,
            "timeout": self.timeout,
        }

    def _sync_http(self) -> httpx.Client:
        if self._sync is None:
            with self._lock:
                if self._sync is None:
                    from ._http import adopt_sync, sync_http

                    options = self._http_options()
                    user = self._http_client
                    if user is not None and self._http_client_kind == "Client":
                        auth = options.pop("auth")
                        self._sync = adopt_sync(user, self._retry_policy, auth, options)  # type: ignore[arg-type]
                        self._borrowed = self._sync
                    else:
                        self._sync = sync_http(self._sync_transport(), self._retry_policy, options)
        return self._sync

    def _async_http(self) -> httpx.AsyncClient:
        if self._async is None:
            with self._lock:
                if self._async is None:
                    from ._http import adopt_async, async_http

                    options = self._http_options()
                    user = self._http_client
                    if user is not None and self._http_client_kind == "AsyncClient":
                        auth = options.pop("auth")
                        self._async = adopt_async(user, self._retry_policy, auth, options)  # type: ignore[arg-type]
                        self._borrowed = self._async
                    else:
                        self._async = async_http(
                            self._async_transport(), self._retry_policy, options
                        )
        return self._async

    @property
    def _limiters(self) -> SharedLimiters:
        if self._limiters_cache is None:
            from ._batch import SharedLimiters

            with self._lock:
                if self._limiters_cache is None:
                    self._limiters_cache = SharedLimiters()
        return self._limiters_cache

    def _batch_http(self, connections: int) -> httpx.AsyncClient:
        """An async httpx client configured like this client's, for a sync batch's own loop.

        Connections belong to the loop that opened them, so the sync batch
        cannot borrow the client's async pool; this one lives as long as the
        batch.
        """
        from ._http import async_http, make_limits

        return async_http(
            self._async_transport(),
            self._retry_policy,
            self._http_options(),
            make_limits(connections),
        )

    def _sync_transport(self) -> Any:
        # A sync transport for the sync side: `Client`'s own; `AsyncClient`'s is
        # async, unless it serves both (`MockTransport`).
        import httpx

        return self._transport if isinstance(self._transport, httpx.BaseTransport) else None

    def _async_transport(self) -> Any:
        import httpx

        return self._transport if isinstance(self._transport, httpx.AsyncBaseTransport) else None

    # -- the flows behind the methods, the same for both clients -------------------------------

    def _run_flow(
        self,
        ref: str,
        input: Mapping[str, Any] | None,
        wait: bool | int,
        timeout: float | None,
        webhook: str | None,
        webhook_events_filter: Sequence[str] | None,
        use_file_output: bool,
        file_encoding: FileEncoding,
        progress: Progress | None,
    ) -> Flow[Any]:
        from ._predictions import RunOptions, run_flow
        from ._refs import parse_ref

        options = RunOptions(
            wait, timeout, webhook, webhook_events_filter, use_file_output, file_encoding, progress
        )
        return run_flow(self._ctx, parse_ref(ref), input, options)

    def _wait_flow(
        self,
        prediction: Prediction | Training | str,
        timeout: float | None,
        progress: Any,
        training: bool,
    ) -> Flow[Any]:
        from ._jobs import PREDICTION, TRAINING
        from ._predictions import wait_for_flow

        kind = TRAINING if training else PREDICTION
        return wait_for_flow(self._ctx, prediction, timeout=timeout, progress=progress, kind=kind)

    def _train_flow(
        self,
        ref: str,
        destination: str,
        input: Mapping[str, Any],
        webhook: str | None,
        webhook_events_filter: Sequence[str] | None,
        file_encoding: FileEncoding,
        timeout: float | None = None,
        progress: TrainingProgress | None = None,
        wait: bool = True,
    ) -> Flow[Training]:
        from ._trainings import (
            TrainOptions,
            create_training_flow,
            destination_name,
            train_flow,
            training_ref,
        )

        # Checked here, before the flow runs: a bad call fails before any request.
        target, destination = training_ref(ref), destination_name(destination)
        options = TrainOptions(webhook, webhook_events_filter, file_encoding, timeout, progress)
        start = train_flow if wait else create_training_flow
        return start(self._ctx, target, destination, input, options)

    def _training_flow(self, action: Literal["get", "cancel"], training_id: str) -> Flow[Training]:
        from ._jobs import TRAINING, by_id_flow

        return by_id_flow(self._ctx, TRAINING, action, training_id)

    def _create_flow(
        self,
        ref: str,
        input: Mapping[str, Any] | None,
        webhook: str | None,
        webhook_events_filter: Sequence[str] | None,
        file_encoding: FileEncoding,
        cancel_after: float | None,
    ) -> Flow[Prediction]:
        from ._context import Deadline
        from ._predictions import RunOptions, create_flow
        from ._refs import parse_ref

        options = RunOptions(False, None, webhook, webhook_events_filter, True, file_encoding)
        # Checked here, before anything is sent: the API takes 5 s at the least.
        seconds = None if cancel_after is None else cancel_after_seconds(cancel_after)
        deadline = Deadline(seconds, "cancel_after")
        return create_flow(self._ctx, parse_ref(ref), input, options, deadline)

    def _get_flow(self, prediction_id: str) -> Flow[Prediction]:
        from ._jobs import get_flow

        return get_flow(self._ctx, prediction_id)

    def _cancel_flow(self, prediction_id: str) -> Flow[Prediction]:
        from ._jobs import cancel_flow

        return cancel_flow(self._ctx, prediction_id)

    def _upload_flow(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        filename: str | None,
        content_type: str | None,
        metadata: dict[str, Any] | None,
    ) -> Flow[File]:
        from ._predictions import upload_flow

        return upload_flow(self._ctx, _upload_source(file, filename, content_type), metadata)

    def _secret_flow(self) -> Flow[str]:
        from generated.api.webhooks import webhooks_default_secret_get

        from ._context import parse
        from ._flow import Send

        response = yield Send(webhooks_default_secret_get._get_kwargs())
        return str(parse(self._ctx, webhooks_default_secret_get, response).key)

    def _list_request(self, operation: Any, params: dict[str, Any]) -> dict[str, Any]:
        return operation._get_kwargs(**params)  # type: ignore[no-any-return]

    def _search(self, query: str) -> tuple[Any, dict[str, Any]]:
        from generated.api.models import models_list

        from ._pagination import search_request

        return models_list, search_request(query)


_clients: weakref.WeakSet[_BaseClient] = weakref.WeakSet()


def _forget_connections_after_fork() -> None:
    for client in list(_clients):
        client._forget_connections()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_forget_connections_after_fork)


def _upload_source(
    file: str | os.PathLike[str] | bytes | IO[bytes], filename: str | None, content_type: str | None
) -> PendingUpload:
    """The pending upload for `upload_file`, checked like a file input."""
    from pathlib import Path

    from ._files import encode_input, guess_content_type

    source: Any = Path(file) if isinstance(file, (str, os.PathLike)) else file
    _, uploads = encode_input({"file": source}, "upload")
    if not uploads:
        raise TypeError(
            f"upload_file() takes a path, bytes or a binary file, not {type(file).__name__}"
        )
    upload = uploads[0]
    if filename is not None:
        upload.filename = filename
        upload.content_type = guess_content_type(filename)
    if content_type is not None:
        upload.content_type = content_type
    return upload


def _check_sync_callback(progress: Callable[..., object] | None) -> None:
    if progress is not None:
        import inspect

        if inspect.iscoroutinefunction(progress):
            raise TypeError("progress is an async function: use AsyncClient, or a plain function")


class Client(_BaseClient):
    """A client for Replicate's HTTP API.

    `api_token` defaults to `REPLICATE_API_TOKEN` and `base_url` to
    `REPLICATE_BASE_URL` or https://api.replicate.com/v1; a missing token fails
    at the first request. `timeout` (seconds, an `httpx.Timeout`, or None for
    none) applies to each request; connecting gets at most 10 s of it.
    `max_retries` bounds retries of failed requests that are safe to repeat;
    `poll_interval` is the delay between polls of a prediction that has no
    event stream. Proxies named by HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and
    NO_PROXY are used as httpx uses them.

    `http_client` is an `httpx.Client` of your own (TLS, proxies, limits,
    HTTP/2, event hooks, headers): requests go through its connections and
    settings, with this client's authentication (sent to `base_url` only),
    retries and, unless it set its own, timeout. It stays yours: `close()`
    leaves it open. `transport` instead replaces httpx's network transport
    (e.g. `httpx.MockTransport` in tests; the environment's proxies still
    apply to an `httpx.HTTPTransport`).

    Use it as a context manager, or `close()` it, to release its connections.
    It may be shared by threads, and survives `os.fork()`: a child process
    opens connections of its own (but those of an `http_client` are its owner's
    business).
    """

    @property
    def _session(self) -> Session:
        if self._session_cache is None:
            from ._session import Session

            self._session_cache = Session(self._ctx, self._sync_http)
        return self._session_cache  # type: ignore[return-value]

    def _drive(self, flow: Flow[T]) -> T:
        return self._session.run(flow)

    def close(self) -> None:
        """Close the connections (an `http_client` given is left open: it is yours to close)."""
        if self._sync is not None and self._sync is not self._borrowed:
            self._sync.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def run(
        self,
        ref: str,
        input: Mapping[str, Any] | None = None,
        *,
        wait: bool | int = True,
        timeout: float | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        use_file_output: bool = True,
        file_encoding: FileEncoding = "auto",
        progress: Progress | None = None,
    ) -> Any:
        """Run a model and return its output.

        `ref` is `owner/name` (an official model), `owner/name:version`, a
        64-character version id, or `deployments/owner/name`. File inputs
        (paths, bytes, binary files) anywhere in `input` are sent as data URLs
        up to 256 KB and uploaded above that (`file_encoding="upload"` or
        `"data_uri"` forces one way). `wait=True` asks the API to hold the
        answer until the prediction finishes (`wait=n`: up to n seconds, 1 to
        60), then follows its event stream or polls; `wait=False` polls only.
        `timeout` is a deadline for the whole run: the prediction is canceled
        and `PredictionTimeout` raised when it passes. `progress(prediction)`
        is called on every update; `parse_progress(prediction)` reads the
        step count a model logs.

        Returns the output, with file URLs as `FileOutput`s (unless
        `use_file_output=False`) and text streamed in pieces joined into one
        string. Raises `ModelError` if the prediction failed and
        `PredictionCanceled` if it was canceled. An interruption (Ctrl-C)
        cancels the prediction before propagating.
        """
        _check_sync_callback(progress)
        flow = self._run_flow(
            ref,
            input,
            wait,
            timeout,
            webhook,
            webhook_events_filter,
            use_file_output,
            file_encoding,
            progress,
        )
        return self._drive(flow)

    @overload
    def wait(
        self,
        prediction: Training,
        *,
        timeout: float | None = None,
        progress: TrainingProgress | None = None,
    ) -> Training: ...

    @overload
    def wait(
        self,
        prediction: str,
        *,
        training: Literal[True],
        timeout: float | None = None,
        progress: TrainingProgress | None = None,
    ) -> Training: ...

    @overload
    def wait(
        self,
        prediction: Prediction | str,
        *,
        training: Literal[False] = False,
        timeout: float | None = None,
        progress: Progress | None = None,
    ) -> Prediction: ...

    def wait(
        self,
        prediction: Prediction | Training | str,
        *,
        training: bool = False,
        timeout: float | None = None,
        progress: Any = None,
    ) -> Prediction | Training:
        """Wait for a prediction or a training (or the one with this id) to finish; return it.

        Follows a prediction's event stream when it has one, else polls (as
        for trainings, which have none). Returns it in its terminal state,
        whatever that is. An id is a prediction's, or with `training=True` a
        training's. On `timeout` seconds, or an interruption, it is canceled
        and `PredictionTimeout` (or the interruption) raised.
        """
        _check_sync_callback(progress)
        return self._drive(self._wait_flow(prediction, timeout, progress, training))  # type: ignore[no-any-return]

    def create_prediction(
        self,
        ref: str,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        file_encoding: FileEncoding = "auto",
        cancel_after: float | None = None,
    ) -> Prediction:
        """Start a prediction without waiting for it; `wait()` for it later.

        Takes the references and file inputs `run()` does. `cancel_after`
        (seconds, 5 at least: the API's minimum) makes the server cancel it if
        it has not finished by then.
        """
        flow = self._create_flow(
            ref, input, webhook, webhook_events_filter, file_encoding, cancel_after
        )
        return self._drive(flow)

    def create_training(
        self,
        ref: str,
        *,
        destination: str,
        input: Mapping[str, Any],
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        file_encoding: FileEncoding = "auto",
    ) -> Training:
        """Start fine-tuning the version `ref` (`owner/name:version`) without waiting for it.

        `destination` (`owner/name`) is a model of yours that receives the new
        version; `input` holds the inputs of the model's `train()`, file inputs
        (a zip of images, say) encoded as `run()` encodes them: uploaded,
        streamed, above 256 KB; files over 100 MiB must be passed as URLs.
        Raises `NotFoundError` if the destination does not exist. `wait()` for
        the training later, or use `train()`.
        """
        flow = self._train_flow(
            ref, destination, input, webhook, webhook_events_filter, file_encoding, wait=False
        )
        return self._drive(flow)

    def train(
        self,
        ref: str,
        *,
        destination: str,
        input: Mapping[str, Any],
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        file_encoding: FileEncoding = "auto",
        timeout: float | None = None,
        progress: TrainingProgress | None = None,
    ) -> Training:
        """Fine-tune the version `ref` into `destination` and return the training once it succeeds.

        Takes the arguments of `create_training()`, then waits as `run()` does:
        `timeout` is a deadline for the whole training (kept by the client, as
        trainings have no `Cancel-After`), past which it is canceled and
        `PredictionTimeout` raised; `progress(training)` is called on every
        update (`parse_progress(training)` reads the steps it logs). Raises
        `ModelError` if it failed and `PredictionCanceled` if it was canceled;
        Ctrl-C, or any error while waiting, cancels it first.
        `trained_ref(training)` names the new version, for `run()`.
        """
        _check_sync_callback(progress)
        flow = self._train_flow(
            ref,
            destination,
            input,
            webhook,
            webhook_events_filter,
            file_encoding,
            timeout,
            progress,
        )
        return self._drive(flow)

    def get_training(self, training_id: str) -> Training:
        """Fetch a training's current state."""
        return self._drive(self._training_flow("get", training_id))

    def cancel_training(self, training_id: str) -> Training:
        """Cancel a training and return it."""
        return self._drive(self._training_flow("cancel", training_id))

    def stream(
        self,
        ref: str,
        input: Mapping[str, Any] | None = None,
        **options: Unpack[StreamKwargs],
    ) -> EventStream:
        """Run a model and iterate over its output events as they are produced.

        ``with client.stream(ref, input) as events: for event in events: ...``
        gives `PredictionEvent`s: ``output`` (a piece of text, or a file URL,
        also as ``event.file`` unless ``use_file_output=False``) and ``logs``;
        ``str(event)`` is the output text, so ``"".join(map(str, events))`` is
        the whole text. It ends after the ``done`` event, which is not given.
        `ref`, `input`, `webhook`, `webhook_events_filter` and `file_encoding`
        are as for `run()`.

        Raises `ModelError` when the model fails (after the events before the
        failure), `PredictionCanceled` when the prediction is canceled, and
        `ReplicateError` when the model does not stream or opening its stream
        gets an HTTP error (`status`). A dropped connection is resumed where it
        broke off (``Last-Event-ID``, honouring the server's ``retry`` hint),
        with no event lost or repeated, even from a server that starts over;
        after `max_reconnects` attempts in a row without a new event,
        `StreamInterrupted` names the prediction. With `cancel_on_close`,
        stopping early (``break``, an exception, closing or dropping the
        stream, Ctrl-C) also cancels the prediction. `run()` instead returns
        the whole output at the end.
        """
        from ._stream import EventStream, new_stream_flow

        flow, handle = new_stream_flow(self._ctx, ref, input, **options)
        return EventStream(self._session.events(flow), handle)

    def stream_prediction(
        self, prediction: Prediction | str, **options: Unpack[StreamPredictionKwargs]
    ) -> EventStream:
        """Iterate over the events of an existing prediction (or the one with this id).

        As `stream()`, for a prediction created elsewhere (`create_prediction`,
        a webhook, another process). The server replays the events from the
        start, or from after `last_event_id` (e.g. a browser's
        ``Last-Event-ID`` when relaying the stream to it).
        """
        from ._stream import EventStream, prediction_stream_flow

        flow, handle = prediction_stream_flow(self._ctx, prediction, **options)
        return EventStream(self._session.events(flow), handle)

    def get_prediction(self, prediction_id: str) -> Prediction:
        """Fetch a prediction's current state."""
        return self._drive(self._get_flow(prediction_id))

    def cancel_prediction(self, prediction_id: str) -> Prediction:
        """Cancel a prediction and return it."""
        return self._drive(self._cancel_flow(prediction_id))

    def paginate(self, operation: ListOperation[PageT], /, **params: Any) -> Pages[PageT]:
        """The pages of a generated list operation, fetched lazily, following `next`.

        `operation` is a module such as `generated.api.predictions.predictions_list`;
        `params` are its arguments. `.items()` iterates over every item instead.
        """
        from ._pagination import Pages

        request = self._list_request(operation, params)
        return Pages(self._ctx, operation, request, self._drive)  # type: ignore[arg-type]

    def search_models(self, query: str) -> Pages[PaginatedModels]:
        """The pages of models matching `query` (QUERY /models); `.items()` for the models."""
        from ._pagination import Pages

        return Pages(self._ctx, *self._search(query), self._drive)

    def run_batch(
        self,
        ref: str,
        inputs: Iterable[Mapping[str, Any]],
        /,
        **options: Unpack[BatchOptions],
    ) -> list[BatchResult]:
        """Run the model `ref` once per input, `concurrency` at a time; results in input order.

        Each input goes as in `run()` (`ref` forms, file inputs, `wait`,
        `use_file_output`, `webhook`); `timeout` is each input's deadline, counted
        from when it starts, its wait for a creation slot included. Throughput is
        about `min(rate, concurrency / model seconds)`: raise `concurrency` for
        slow models.

        `rate_limit` spaces creation requests: creations per minute, a
        `RateLimiter` (share one between batches that use the same API token), or
        None for no client-side limit; the default is Replicate's 600 a minute.
        Batches of one client running side by side at the same rate share one
        bucket, since the limit is the account's. A 429 from the API holds every
        creation of the batch for its `Retry-After`, then the creation is sent
        again.

        An input that fails does not stop the others: its `BatchResult` carries the
        error. `progress(BatchProgress)` is called in this thread each time an
        input finishes, with the counts so far and that input's result (write
        results out there to keep them through an interruption).

        Ctrl-C, or an exception raised by `progress`, cancels every prediction the
        batch started and has not seen finish, then propagates. A creation request
        sent within the last second gets that second to answer, so that its
        prediction is canceled too; one abandoned earlier is found in the
        account's recent predictions by its input and canceled.

        `journal` (a file path) makes the batch resumable: every step of every
        input is recorded there before anything depends on it, and running the
        same batch again with the same journal, after a crash, a kill or
        Ctrl-C, picks up where it stopped. Results the journal holds are reused
        (`BatchResult.reused`; `progress` reports them first), predictions it
        names are waited for, and creations sent without their answer are found
        among the account's recent predictions (same model, exactly the same
        input, not already an input's) and adopted, never created twice nor
        canceled; inputs that got no prediction (refused, interrupted) run
        again. A journal made for another model or other inputs raises
        ValueError; `restart=True` starts it over (canceling the predictions it
        was still waiting for). With a journal, a creation still waiting for its
        answer when Ctrl-C comes is left to the next run, which adopts it.

        `output_dir` saves each input's output files there as soon as its
        prediction succeeds, atomically, as ``<index>-<name>``; the output then
        holds `Path`s where the URLs were (Replicate deletes the files an hour
        after a prediction ends). With a journal, saved files are never
        downloaded again.
        """
        from ._batch import run_batch

        return run_batch(self._ctx, self._batch_http, self._limiters, ref, inputs, **options)

    def upload_file(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        content_type: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> File:
        """Upload a file (a path, bytes or a binary file), streamed, and return it.

        Pass its `urls.get` as a model input. Files are kept 24 hours.
        """
        return self._drive(self._upload_flow(file, filename, content_type, metadata))

    def get_webhook_secret(self) -> str:
        """The account's default webhook signing secret (`whsec_...`), fetched once."""
        if self._webhook_secret is None:
            self._webhook_secret = self._drive(self._secret_flow())
        return self._webhook_secret

    def validate_webhook(
        self,
        headers: Any,
        body: bytes | str,
        secret: str | None = None,
        *,
        tolerance: float | None = 300,
    ) -> bool:
        """Whether a webhook request is authentic; the secret defaults to the account's."""
        from ._webhooks import validate_webhook

        secret = secret or self.get_webhook_secret()
        return validate_webhook(headers, body, secret, tolerance=tolerance)

    def verify_webhook(
        self,
        headers: Any,
        body: bytes | str,
        secret: str | None = None,
        *,
        tolerance: float | None = 300,
    ) -> None:
        """Raise `WebhookVerificationError` unless a webhook request is authentic."""
        from ._webhooks import verify_webhook

        verify_webhook(headers, body, secret or self.get_webhook_secret(), tolerance=tolerance)

    @overload
    def use(
        self,
        ref: str | NamedModel,
        *,
        hint: Callable[P, R],
        streaming: Literal[False] = False,
        strict: bool = True,
        timeout: float | None = None,
    ) -> ModelFunction[P, R]: ...
    @overload
    def use(
        self,
        ref: str | NamedModel,
        *,
        hint: Callable[P, Any],
        streaming: Literal[True],
        strict: bool = True,
        timeout: float | None = None,
    ) -> ModelFunction[P, OutputStream]: ...
    @overload
    def use(
        self,
        ref: str | NamedModel,
        *,
        streaming: Literal[False] = False,
        strict: bool = True,
        timeout: float | None = None,
    ) -> ModelFunction[..., Any]: ...
    @overload
    def use(
        self,
        ref: str | NamedModel,
        *,
        streaming: Literal[True],
        strict: bool = True,
        timeout: float | None = None,
    ) -> ModelFunction[..., OutputStream]: ...
    def use(
        self,
        ref: str | NamedModel,
        *,
        hint: Callable[..., Any] | None = None,
        streaming: bool = False,
        strict: bool = True,
        timeout: float | None = None,
    ) -> ModelFunction[..., Any]:
        """A model as a Python function running on this client; see `replicate_ext.use`."""
        from ._use import ModelFunction

        session = self._session
        return ModelFunction(
            ref, lambda: session, streaming=streaming, strict=strict, timeout=timeout
        )


class AsyncClient(_BaseClient):
    """The async twin of `Client`: the same options, and the same methods to await.

    `http_client` is an `httpx.AsyncClient` of your own. Use it as an async
    context manager, or `await aclose()` it.
    """

    _transport_kind = "AsyncBaseTransport"
    _http_client_kind = "AsyncClient"

    @property
    def _session(self) -> AsyncSession:
        if self._session_cache is None:
            from ._session import AsyncSession

            self._session_cache = AsyncSession(self._ctx, self._sync_http, self._async_http)
        return self._session_cache  # type: ignore[return-value]

    async def _drive(self, flow: Flow[T]) -> T:
        return await self._session.run(flow)

    async def aclose(self) -> None:
        """Close the connections (an `http_client` given is left open: it is yours to close)."""
        if self._async is not None and self._async is not self._borrowed:
            await self._async.aclose()
        if self._sync is not None:
            self._sync.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def run(
        self,
        ref: str,
        input: Mapping[str, Any] | None = None,
        *,
        wait: bool | int = True,
        timeout: float | None = None,  # noqa: ASYNC109 (a deadline for the prediction, not the call)
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        use_file_output: bool = True,
        file_encoding: FileEncoding = "auto",
        progress: Progress | None = None,
    ) -> Any:
        """Run a model and return its output; see `Client.run`.

        `progress` may be an async function. Cancelling the task cancels the
        prediction before propagating.
        """
        flow = self._run_flow(
            ref,
            input,
            wait,
            timeout,
            webhook,
            webhook_events_filter,
            use_file_output,
            file_encoding,
            progress,
        )
        return await self._drive(flow)

    @overload
    async def wait(
        self,
        prediction: Training,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 (a deadline for the training)
        progress: TrainingProgress | None = None,
    ) -> Training: ...

    @overload
    async def wait(
        self,
        prediction: str,
        *,
        training: Literal[True],
        timeout: float | None = None,  # noqa: ASYNC109 (a deadline for the training)
        progress: TrainingProgress | None = None,
    ) -> Training: ...

    @overload
    async def wait(
        self,
        prediction: Prediction | str,
        *,
        training: Literal[False] = False,
        timeout: float | None = None,  # noqa: ASYNC109 (a deadline for the prediction)
        progress: Progress | None = None,
    ) -> Prediction: ...

    async def wait(
        self,
        prediction: Prediction | Training | str,
        *,
        training: bool = False,
        timeout: float | None = None,  # noqa: ASYNC109 (a deadline for the prediction)
        progress: Any = None,
    ) -> Prediction | Training:
        """Wait for a prediction or a training to finish; see `Client.wait`."""
        return await self._drive(self._wait_flow(prediction, timeout, progress, training))

    async def create_prediction(
        self,
        ref: str,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        file_encoding: FileEncoding = "auto",
        cancel_after: float | None = None,
    ) -> Prediction:
        """Start a prediction without waiting for it; see `Client.create_prediction`."""
        flow = self._create_flow(
            ref, input, webhook, webhook_events_filter, file_encoding, cancel_after
        )
        return await self._drive(flow)

    async def create_training(
        self,
        ref: str,
        *,
        destination: str,
        input: Mapping[str, Any],
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        file_encoding: FileEncoding = "auto",
    ) -> Training:
        """Start a training without waiting for it; see `Client.create_training`."""
        flow = self._train_flow(
            ref, destination, input, webhook, webhook_events_filter, file_encoding, wait=False
        )
        return await self._drive(flow)

    async def train(
        self,
        ref: str,
        *,
        destination: str,
        input: Mapping[str, Any],
        webhook: str | None = None,
        webhook_events_filter: Sequence[str] | None = None,
        file_encoding: FileEncoding = "auto",
        timeout: float | None = None,  # noqa: ASYNC109 (a deadline for the training)
        progress: TrainingProgress | None = None,
    ) -> Training:
        """Fine-tune a version and return the training once it succeeds; see `Client.train`.

        `progress` may be an async function. Cancelling the task cancels the
        training before propagating.
        """
        flow = self._train_flow(
            ref,
            destination,
            input,
            webhook,
            webhook_events_filter,
            file_encoding,
            timeout,
            progress,
        )
        return await self._drive(flow)

    async def get_training(self, training_id: str) -> Training:
        """Fetch a training's current state."""
        return await self._drive(self._training_flow("get", training_id))

    async def cancel_training(self, training_id: str) -> Training:
        """Cancel a training and return it."""
        return await self._drive(self._training_flow("cancel", training_id))

    def stream(
        self,
        ref: str,
        input: Mapping[str, Any] | None = None,
        **options: Unpack[StreamKwargs],
    ) -> AsyncEventStream:
        """Run a model and iterate (``async for``) over its output events; see `Client.stream`.

        Cancelling the iterating task closes the connection (and, with
        `cancel_on_close`, cancels the prediction).
        """
        from ._stream import AsyncEventStream, new_stream_flow

        flow, handle = new_stream_flow(self._ctx, ref, input, **options)
        return AsyncEventStream(self._session.events(flow), handle)

    def stream_prediction(
        self, prediction: Prediction | str, **options: Unpack[StreamPredictionKwargs]
    ) -> AsyncEventStream:
        """Iterate (``async for``) over a prediction's events; see `Client.stream_prediction`."""
        from ._stream import AsyncEventStream, prediction_stream_flow

        flow, handle = prediction_stream_flow(self._ctx, prediction, **options)
        return AsyncEventStream(self._session.events(flow), handle)

    async def get_prediction(self, prediction_id: str) -> Prediction:
        """Fetch a prediction's current state."""
        return await self._drive(self._get_flow(prediction_id))

    async def cancel_prediction(self, prediction_id: str) -> Prediction:
        """Cancel a prediction and return it."""
        return await self._drive(self._cancel_flow(prediction_id))

    def paginate(self, operation: ListOperation[PageT], /, **params: Any) -> AsyncPages[PageT]:
        """The pages of a generated list operation, for `async for`; see `Client.paginate`."""
        from ._pagination import AsyncPages

        request = self._list_request(operation, params)
        return AsyncPages(self._ctx, operation, request, self._drive)  # type: ignore[arg-type]

    def search_models(self, query: str) -> AsyncPages[PaginatedModels]:
        """The pages of models matching `query`, for `async for`; `.items()` for the models."""
        from ._pagination import AsyncPages

        return AsyncPages(self._ctx, *self._search(query), self._drive)

    async def run_batch(
        self,
        ref: str,
        inputs: Iterable[Mapping[str, Any]],
        /,
        **options: Unpack[BatchOptions],
    ) -> list[BatchResult]:
        """Run the model `ref` once per input; see `Client.run_batch`.

        Cancelling the task cancels the predictions the batch started and have
        not finished, then propagates. `progress` is called on the event loop.
        The client's connection pool (100 connections unless its transport says
        otherwise) caps the requests in flight, whatever `concurrency` says.
        """
        from ._batch import async_run_batch

        return await async_run_batch(self._session, self._limiters, ref, inputs, **options)

    async def upload_file(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        content_type: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> File:
        """Upload a file and return it; see `Client.upload_file`."""
        return await self._drive(self._upload_flow(file, filename, content_type, metadata))

    async def get_webhook_secret(self) -> str:
        """The account's default webhook signing secret (`whsec_...`), fetched once."""
        if self._webhook_secret is None:
            self._webhook_secret = await self._drive(self._secret_flow())
        return self._webhook_secret

    async def validate_webhook(
        self,
        headers: Any,
        body: bytes | str,
        secret: str | None = None,
        *,
        tolerance: float | None = 300,
    ) -> bool:
        """Whether a webhook request is authentic; the secret defaults to the account's."""
        from ._webhooks import validate_webhook

        secret = secret or await self.get_webhook_secret()
        return validate_webhook(headers, body, secret, tolerance=tolerance)

    async def verify_webhook(
        self,
        headers: Any,
        body: bytes | str,
        secret: str | None = None,
        *,
        tolerance: float | None = 300,
    ) -> None:
        """Raise `WebhookVerificationError` unless a webhook request is authentic."""
        from ._webhooks import verify_webhook

        verify_webhook(
            headers, body, secret or await self.get_webhook_secret(), tolerance=tolerance
        )

    @overload
    def use(
        self,
        ref: str | NamedModel,
        *,
        hint: Callable[P, R],
        streaming: Literal[False] = False,
        strict: bool = True,
        timeout: float | None = None,
    ) -> AsyncModelFunction[P, R]: ...
    @overload
    def use(
        self,
        ref: str | NamedModel,
        *,
        hint: Callable[P, Any],
        streaming: Literal[True],
        strict: bool = True,
        timeout: float | None = None,
    ) -> AsyncStreamingModelFunction[P]: ...
    @overload
    def use(
        self,
        ref: str | NamedModel,
        *,
        streaming: Literal[False] = False,
        strict: bool = True,
        timeout: float | None = None,
    ) -> AsyncModelFunction[..., Any]: ...
    @overload
    def use(
        self,
        ref: str | NamedModel,
        *,
        streaming: Literal[True],
        strict: bool = True,
        timeout: float | None = None,
    ) -> AsyncStreamingModelFunction[...]: ...
    def use(
        self,
        ref: str | NamedModel,
        *,
        hint: Callable[..., Any] | None = None,
        streaming: bool = False,
        strict: bool = True,
        timeout: float | None = None,
    ) -> AsyncModelFunction[..., Any] | AsyncStreamingModelFunction[...]:
        """A model as an async Python function on this client; see `replicate_ext.use`."""
        from ._use import AsyncModelFunction, AsyncStreamingModelFunction

        if streaming:
            return AsyncStreamingModelFunction(
                ref, lambda: self._session, strict=strict, timeout=timeout
            )
        return AsyncModelFunction(ref, lambda: self._session, strict=strict, timeout=timeout)


__all__ = ["AsyncClient", "Client"]
