"""`Client` and `AsyncClient`: configuration, connections, the resources and the verbs.

Both share everything but the driver: the flows their methods run are built
once, here in `_BaseClient` (from `_predictions`, `_resources` and
`_pagination`), and run with blocking or async I/O. The API's operations are
the generated resources mixed in (`client.models.get(...)`, from
`generated.resources`), each resource made on first use; the verbs (`run`,
`stream`, `wait`, `train`, ...) are written here. Making a client is cheap:
httpx, the generated operations and the flows are imported, and connections
opened, on first use.
"""

from __future__ import annotations

import os
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    ParamSpec,
    Self,
    TypedDict,
    TypeVar,
    Unpack,
    overload,
)

from generated.resources import AsyncRawResources, AsyncResources, RawResources, Resources

from ._checks import (
    base_url_option,
    clean_token,
    positive_seconds,
    timeout_option,
    token_problem,
)
from ._version import __version__

if TYPE_CHECKING:
    import httpx

    from generated.client import Client as GeneratedClient
    from generated.models.prediction import Prediction
    from generated.models.training import Training
    from generated.models.webhook_secret import WebhookSecret
    from generated.resources._base import RawResponse

    from ._batch import BatchOptions, BatchResult, SharedLimiters
    from ._context import Context
    from ._files import FileEncoding
    from ._flow import Flow
    from ._http import BearerAuth
    from ._pagination import AsyncPages, ListOperation, Pages
    from ._predictions import Progress, TrainingProgress
    from ._requester import AsyncRequester, Requester
    from ._resources import (
        AsyncFilesResource,
        AsyncModelsResource,
        AsyncPredictionsResource,
        AsyncTrainingsResource,
        FilesResource,
        ModelsResource,
        PredictionsResource,
        TrainingsResource,
    )
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


class ClientOptions(TypedDict, total=False):
    """What `with_options()` may change: the options of the same names of `Client`."""

    timeout: float | httpx.Timeout | None
    max_retries: int
    poll_interval: float


class _BaseClient:
    _transport_kind = "BaseTransport"  # the httpx class a `transport` must be
    _http_client_kind = "Client"  # the httpx class an `http_client` must be
    _parent: _BaseClient | None = None  # from with_options(): whose connections it shares

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
        source = "base_url" if base_url else "REPLICATE_BASE_URL"
        base = base_url or os.environ.get("REPLICATE_BASE_URL") or DEFAULT_BASE_URL
        self.base_url = base_url_option(base, source)
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
        self._token_given = api_token is not None  # else a Cog prediction's token comes first
        self._timeout_option = timeout
        self._headers = {"User-Agent": f"{user_agent} {USER_AGENT}" if user_agent else USER_AGENT}
        self._transport = transport
        self._forked: Literal["used", "unused"] | None = None  # in a child, before renewing it
        self._http_client = http_client
        self._lock = threading.Lock()  # the httpx clients are made on first use
        self._sync: httpx.Client | None = None
        self._async: httpx.AsyncClient | None = None
        self._async_loop: Any = None  # the asyncio loop `_async`'s connections belong to
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
        garbage collected. The next request opens fresh connections, on a
        renewed copy of a `transport` given (`_given_transport`). Nothing is
        imported here: another thread may have held an import lock at the fork.
        """
        self._lock = threading.Lock()  # another thread may have held it at the fork
        if self._transport is not None:
            used = self._sync is not None or self._async is not None
            self._forked = "used" if used or self._forked == "used" else "unused"
        self._sync = None
        self._async = None
        self._async_loop = None
        self._borrowed = None

    def _given_transport(self) -> Any:
        """The `transport` given; in a child process after fork(), a copy without connections.

        One this client cannot rebuild (neither httpx's network transport nor
        a `MockTransport`), if it sent requests before the fork, is refused
        with a RuntimeError saying what to do, at every request: sharing the
        parent's connections would mix up both processes' answers.
        """
        if self._forked is not None:
            from ._http import renewed

            self._transport = renewed(self._transport, unknown_ok=self._forked == "unused")
            self._forked = None
        return self._transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def with_options(self, **options: Unpack[ClientOptions]) -> Self:
        """A client like this one with other `timeout`, `max_retries` or `poll_interval`.

        It shares this client's connections (closing it leaves them open:
        they are this client's to close), and this client is unchanged:
        ``client.with_options(timeout=5).models.get("owner/name")``.
        """
        unknown = sorted(set(options) - set(ClientOptions.__annotations__))
        if unknown:
            raise TypeError(
                f"with_options() takes timeout, max_retries and poll_interval, not {unknown}"
            )
        derived = type(self).__new__(type(self))
        _BaseClient.__init__(
            derived,
            self._token,
            base_url=self.base_url,
            timeout=options.get("timeout", self._timeout_option),
            max_retries=options.get("max_retries", self.max_retries),
            poll_interval=options.get("poll_interval", self.poll_interval),
        )
        derived._headers = self._headers
        derived._parent = self._parent or self  # the pool's owner, however deep the chain
        return derived

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

            if self._parent is not None:  # its backoff, our budget
                self._policy = self._parent._retry_policy._replace(max_retries=self.max_retries)
            else:
                self._policy = RetryPolicy(self.max_retries)
        return self._policy

    @_retry_policy.setter
    def _retry_policy(self, policy: RetryPolicy) -> None:
        self._policy = policy  # tests set a quick one, before the first request

    @property
    def _auth(self) -> BearerAuth:
        if self._auth_cache is None:
            from ._http import BearerAuth

            self._auth_cache = BearerAuth(
                self._token,
                token_problem(self._token),
                self.base_url,
                explicit=self._token_given,
            )
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
                    from ._http import adopt_sync, derive, sync_http

                    options = self._http_options()
                    user = self._http_client
                    if self._parent is not None:
                        parent = self._parent._sync_http()
                        self._sync = derive(parent, self._retry_policy, self.timeout)
                    elif user is not None and self._http_client_kind == "Client":
                        auth = options.pop("auth")
                        self._sync = adopt_sync(user, self._retry_policy, auth, options)  # type: ignore[arg-type]
                        self._borrowed = self._sync
                    else:
                        self._sync = sync_http(self._sync_transport(), self._retry_policy, options)
        return self._sync

    def _async_http(self) -> httpx.AsyncClient:
        loop = _running_loop()
        if loop is not self._async_loop and loop is not None:
            self._enter_loop(loop)
        if self._async is None:
            with self._lock:
                if self._async is None:
                    from ._http import adopt_async, async_http, derive

                    options = self._http_options()
                    user = self._http_client
                    if self._parent is not None:
                        parent = self._parent._async_http()
                        self._async = derive(parent, self._retry_policy, self.timeout)
                    elif user is not None and self._http_client_kind == "AsyncClient":
                        auth = options.pop("auth")
                        self._async = adopt_async(user, self._retry_policy, auth, options)  # type: ignore[arg-type]
                        self._borrowed = self._async
                    else:
                        self._async = async_http(
                            self._async_transport(), self._retry_policy, options
                        )
        return self._async

    def _enter_loop(self, loop: Any) -> None:
        """Use the async connections from `loop`, another asyncio loop than theirs.

        Connections belong to the loop that opened them. Those of a loop that
        no longer runs (each `asyncio.run()` makes a new one) are dropped, not
        closed (that needs their loop), and fresh ones opened, on a renewed
        copy of an httpx transport given. A loop still running in another
        thread keeps them: sharing is refused with a RuntimeError.
        """
        with self._lock:
            old = self._async_loop
            if old is not None and old is not loop and self._async is not None:
                if old.is_running():
                    raise RuntimeError(
                        f"this {type(self).__name__} is in use by an event loop running in "
                        "another thread, and its connections belong to that loop: make one "
                        "client per event loop"
                    )
                if self._transport is not None:
                    from ._http import renewed

                    self._transport = renewed(self._given_transport(), unknown_ok=True)
                self._async = None
            self._async_loop = loop

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

        transport = self._given_transport()
        return transport if isinstance(transport, httpx.BaseTransport) else None

    def _async_transport(self) -> Any:
        import httpx

        transport = self._given_transport()
        return transport if isinstance(transport, httpx.AsyncBaseTransport) else None

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
        strict: bool = True,
    ) -> Flow[Training]:
        from ._resources import training_flow

        return training_flow(
            self._ctx,
            ref,
            destination,
            input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            file_encoding=file_encoding,
            timeout=timeout,
            progress=progress,
            wait=wait,
            strict=strict,
        )

    def _list_request(self, operation: Any, params: dict[str, Any]) -> dict[str, Any]:
        return operation._get_kwargs(**params)  # type: ignore[no-any-return]


def _model_of(job: object) -> str | None:
    """The model a prediction names (`owner/name`), if any: what a wait or stream is about."""
    model = getattr(job, "model", None)
    return model if isinstance(model, str) else None


def _running_loop() -> Any:
    # Without asyncio imported, no asyncio loop can be running (trio, or sync code).
    asyncio = sys.modules.get("asyncio")
    return None if asyncio is None else asyncio._get_running_loop()


_clients: weakref.WeakSet[_BaseClient] = weakref.WeakSet()


def _forget_connections_after_fork() -> None:
    _release_after_fork()
    for client in list(_clients):
        client._forget_connections()


_held_across_fork: list[Any] = []  # the locks `_finish_imports_before_fork` took


def _release_after_fork() -> None:
    while _held_across_fork:
        _held_across_fork.pop().release()


# What a client's first requests import, beyond `replicate_ext` and this module:
# the HTTP stack, the flows of the calls, the generated operations they send and
# the models of their answers. Each is a lazy import in some request's path.
_REQUEST_MODULES = (
    "httpx",
    "httpcore",  # imported by httpx's transports when they are made
    "certifi",
    "encodings.idna",  # asked for by the resolver, for the first host name looked up
    "generated.client",
    "generated.api.predictions.predictions_create",
    "generated.api.predictions.predictions_get",
    "generated.api.predictions.predictions_cancel",
    "generated.api.predictions.predictions_list",
    "generated.api.models.models_predictions_create",
    "generated.api.models.models_versions_get",
    "generated.api.models.models_get",
    "generated.api.deployments.deployments_predictions_create",
    "generated.api.files.files_create",
    "generated.models.prediction",
    "generated.models.prediction_input_type_0",
    "generated.models.prediction_urls",
    "generated.models.metrics",
    "generated.models.prediction_request",
    "generated.models.prediction_request_input",
    "generated.models.model_prediction_request",
    "generated.models.model_prediction_request_input",
    "generated.models.model_version",
    "generated.models.model_version_openapi_schema_type_0",
    "generated.models.file",
    "generated.models.file_checksums",
    "generated.models.file_metadata",
    "generated.models.file_urls",
    "encodings.utf_8_sig",  # asked for by the event-stream decoder
    "generated.resources._base",
    "generated.resources.files",
    "generated.resources.models",
    "generated.resources.predictions",
    "generated.resources.trainings",
    "replicate_ext._http",
    "replicate_ext._session",
    "replicate_ext._pagination",
    "replicate_ext._requester",
    "replicate_ext._resources",
    "replicate_ext._predictions",
    "replicate_ext._schema",  # for the output of a streaming model
    "replicate_ext._events",
    "replicate_ext._stream",
)
_ASYNC_REQUEST_MODULES = ("anyio", "anyio._backends._asyncio", "httpcore._backends.anyio")


def _finish_imports_before_fork() -> None:
    """Before a fork, with a client made: finish the imports its first requests make.

    A thread in the middle of one at the fork would leave its module's import
    lock held in the child for ever, and the child's first request, importing
    the same module, would hang; the same for a TLS context being made (its
    lock is held until the fork is done). Importing it here waits for that thread to
    finish, so the child inherits the modules whole. It costs nothing to a
    process without clients, and a process that forks workers imports in the
    parent what each of them would import anyway.
    """
    if not _clients or not any(name in sys.modules for name in _REQUEST_MODULES):
        # No request has begun (it imports some of them first, and a module is in
        # sys.modules from the start of its import): no thread is in the middle of
        # a request's imports. Importing here would register other modules' fork
        # hooks half-way through the fork (logging's would release a lock it never
        # took).
        return
    import importlib

    names = list(_REQUEST_MODULES)
    if any(isinstance(client, AsyncClient) for client in list(_clients)):
        names += _ASYNC_REQUEST_MODULES
    for name in names:
        # Asked even when in sys.modules: a module being imported is there already,
        # half made; importing it waits for it (a few microseconds once made).
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 (never fail a fork; the child imports it)
            continue
    # And no TLS context half made (OpenSSL's locks held) while the process forks.
    from ._http import tls_lock

    tls_lock.acquire()
    _held_across_fork.append(tls_lock)


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(
        before=_finish_imports_before_fork,
        after_in_parent=_release_after_fork,
        after_in_child=_forget_connections_after_fork,
    )


def _signing_key(raw: RawResponse[WebhookSecret]) -> str:
    """The key of a webhook secret answer: the schema does not require it, verifying does."""
    key = raw.parse().key
    if not isinstance(key, str):
        from generated.errors import ParseError

        from ._errors import ResponseParseError

        response = getattr(raw, "http_response", None)  # our APIResponse carries it
        raise ResponseParseError(ParseError("WebhookSecret", "key", "missing"), response)
    return key


def _check_sync_callback(progress: Callable[..., object] | None) -> None:
    if progress is not None:
        import inspect

        if inspect.iscoroutinefunction(progress):
            raise TypeError("progress is an async function: use AsyncClient, or a plain function")


class Client(_BaseClient, Resources):
    """A client for Replicate's HTTP API.

    `api_token` defaults to `REPLICATE_API_TOKEN` and `base_url` to
    `REPLICATE_BASE_URL` or https://api.replicate.com/v1 (an http(s) URL: one
    without a path means `/v1` there, one without a scheme is a ValueError at
    once); a missing token fails at the first request. `timeout` (seconds, an
    `httpx.Timeout`, or None for none) applies to each request; connecting
    gets at most 10 s of it.
    `max_retries` bounds retries of failed requests that are safe to repeat;
    `poll_interval` is the delay between polls of a prediction that has no
    event stream. Proxies named by HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and
    NO_PROXY are used as httpx uses them.

    `http_client` is an `httpx.Client` of your own (TLS, proxies, limits,
    HTTP/2, event hooks, headers): requests go through its connections and
    settings, with this client's authentication (sent to `base_url` only,
    as is an `Authorization` header of its own), retries and, unless it set
    its own, timeout. It stays yours: `close()` leaves it open. `transport`
    instead replaces httpx's network transport, used as given, the
    environment's proxies left out as httpx does (an `httpx.HTTPTransport`
    with its own proxy, TLS, `uds`; `httpx.MockTransport` in tests).

    Inside a Cog model, the token of the prediction being served comes
    before `REPLICATE_API_TOKEN` (an `api_token` given comes first).

    Use it as a context manager, or `close()` it, to release its connections.
    It may be shared by threads, and survives `os.fork()`: a child process
    opens connections of its own, on a copy of an `httpx.HTTPTransport`
    given (but those of an `http_client` are its owner's business).
    """

    @property
    def _session(self) -> Session:
        if self._session_cache is None:
            from ._session import Session

            self._session_cache = Session(self._ctx, self._sync_http)
        return self._session_cache  # type: ignore[return-value]

    def _drive(
        self, flow: Flow[T], operation: str | None = None, model: str | None = None, **work: Any
    ) -> T:
        # With an `operation`, the call is a unit of work: a span and log lines (`_telemetry`).
        return self._session.run(flow, operation, model, **work)

    @property
    def _requester(self) -> Requester:
        from ._requester import Requester

        return Requester(self._session)

    @cached_property
    def predictions(self) -> PredictionsResource:
        """`client.predictions`: run a model version once on an input; list, get and cancel runs."""
        from ._resources import PredictionsResource

        return PredictionsResource(self._requester)

    @cached_property
    def trainings(self) -> TrainingsResource:
        """`client.trainings`: fine-tune a model version into a new version of another model."""
        from ._resources import TrainingsResource

        return TrainingsResource(self._requester)

    @cached_property
    def files(self) -> FilesResource:
        """`client.files`: files uploaded for use as prediction inputs."""
        from ._resources import FilesResource

        return FilesResource(self._requester)

    @cached_property
    def models(self) -> ModelsResource:
        """`client.models`: models, their versions, examples and README."""
        from ._resources import ModelsResource

        return ModelsResource(self._requester)

    @cached_property
    def with_raw_response(self) -> RawResources:
        """The same operations, each returning the HTTP answer with `.parse()`.

        ``client.with_raw_response.account.get()`` has `status_code`,
        `headers` and `content`, and `.parse()` gives the `Account`. Errors
        still raise. The five methods written by hand (`predictions.create`,
        `trainings.create`, `files.create`, `files.download`,
        `models.search`) are not there.
        """
        return RawResources(self._requester)

    def close(self) -> None:
        """Close the connections (an `http_client` given is left open: it is yours to close).

        Event streams still open are closed first, each cleaning up as if left
        (a prediction started with ``cancel_on_close`` is canceled). A client
        made by `with_options()` leaves the connections open: they are shared.
        """
        if self._session_cache is not None:
            self._session.close_streams()
        if self._parent is not None:
            return
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
        cancels the prediction before propagating; while the API still holds
        the creation's answer (``Prefer: wait``) its id is not known, and the
        interruption names the lookalikes instead of canceling one that may
        be another caller's (see `CreationFateUnknown`).
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
        return self._drive(flow, "run", ref, input=input)

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
        flow = self._wait_flow(prediction, timeout, progress, training)
        job = None if isinstance(prediction, str) else prediction
        return self._drive(flow, "wait", _model_of(job), job=job)  # type: ignore[no-any-return]

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
        strict: bool = True,
    ) -> Training:
        """Fine-tune the version `ref` into `destination` and return the training once it succeeds.

        Takes the arguments of `trainings.create()` (the input checked against
        the version's training schema, `strict=False` to skip it), then waits as `run()` does:
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
            strict=strict,
        )
        return self._drive(flow, "train", ref, input=input)

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
        after `max_reconnects` failed attempts in a row without a new event,
        `StreamInterrupted` names the prediction (a stream closed cleanly
        while the API says the prediction is still running, as idle-timeout
        proxies do during a cold boot, is followed on without counting). With
        `cancel_on_close`, stopping early (``break``, an exception, closing or
        dropping the stream, closing the client, Ctrl-C, the end of the
        script) also cancels the prediction. `run()` instead returns the whole
        output at the end.
        """
        from ._stream import EventStream, new_stream_flow

        flow, handle = new_stream_flow(self._ctx, ref, input, **options)
        return EventStream(self._session.events(flow, "stream", ref, input), handle)

    def stream_prediction(
        self, prediction: Prediction | str, **options: Unpack[StreamPredictionKwargs]
    ) -> EventStream:
        """Iterate over the events of an existing prediction (or the one with this id).

        As `stream()`, for a prediction created elsewhere (`predictions.create`,
        a webhook, another process). The server replays the events from the
        start, or from after `last_event_id` (e.g. a browser's
        ``Last-Event-ID`` when relaying the stream to it).
        """
        from ._stream import EventStream, prediction_stream_flow

        flow, handle = prediction_stream_flow(self._ctx, prediction, **options)
        job = None if isinstance(prediction, str) else prediction
        events = self._session.events(flow, "stream", _model_of(job), job=job)
        return EventStream(events, handle)

    def paginate(self, operation: ListOperation[PageT], /, **params: Any) -> Pages[PageT]:
        """The pages of a generated list operation, fetched lazily, following `next`.

        `operation` is a module such as `generated.api.predictions.predictions_list`;
        `params` are its arguments. `.items()` iterates over every item instead.
        """
        from ._pagination import Pages

        request = self._list_request(operation, params)
        return Pages(self._ctx, operation, request, self._drive)  # type: ignore[arg-type]

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
        prediction is canceled too; one still unanswered (held by `Prefer: wait`)
        is looked for in the account's recent predictions by its input, and what
        is found is named on the interruption, never canceled: a lookalike may be
        another caller's. Give `timeout` (sent as `Cancel-After`) so that the
        server ends those too.

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

    def _webhook_key(self) -> str:
        """The account's webhook signing secret, fetched the first time it is needed."""
        if self._webhook_secret is None:
            raw = self.with_raw_response.webhooks.default.secret.get()
            self._webhook_secret = _signing_key(raw)
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

        secret = secret or self._webhook_key()
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

        verify_webhook(headers, body, secret or self._webhook_key(), tolerance=tolerance)

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


class AsyncClient(_BaseClient, AsyncResources):
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

    async def _drive(
        self, flow: Flow[T], operation: str | None = None, model: str | None = None, **work: Any
    ) -> T:
        # With an `operation`, the call is a unit of work: a span and log lines (`_telemetry`).
        return await self._session.run(flow, operation, model, **work)

    @property
    def _requester(self) -> AsyncRequester:
        from ._requester import AsyncRequester

        return AsyncRequester(self._session)

    @cached_property
    def predictions(self) -> AsyncPredictionsResource:
        """`client.predictions`: run a model version once on an input; list, get and cancel runs."""
        from ._resources import AsyncPredictionsResource

        return AsyncPredictionsResource(self._requester)

    @cached_property
    def trainings(self) -> AsyncTrainingsResource:
        """`client.trainings`: fine-tune a model version into a new version of another model."""
        from ._resources import AsyncTrainingsResource

        return AsyncTrainingsResource(self._requester)

    @cached_property
    def files(self) -> AsyncFilesResource:
        """`client.files`: files uploaded for use as prediction inputs."""
        from ._resources import AsyncFilesResource

        return AsyncFilesResource(self._requester)

    @cached_property
    def models(self) -> AsyncModelsResource:
        """`client.models`: models, their versions, examples and README."""
        from ._resources import AsyncModelsResource

        return AsyncModelsResource(self._requester)

    @cached_property
    def with_raw_response(self) -> AsyncRawResources:
        """The same operations, each returning the HTTP answer; see `Client.with_raw_response`."""
        return AsyncRawResources(self._requester)

    async def aclose(self) -> None:
        """Close the connections (an `http_client` given is left open: it is yours to close).

        Event streams still open are closed first, as `Client.close` does.
        """
        if self._session_cache is not None:
            await self._session.close_streams()
        if self._parent is not None:
            return
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
        return await self._drive(flow, "run", ref, input=input)

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
        flow = self._wait_flow(prediction, timeout, progress, training)
        job = None if isinstance(prediction, str) else prediction
        return await self._drive(flow, "wait", _model_of(job), job=job)

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
        strict: bool = True,
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
            strict=strict,
        )
        return await self._drive(flow, "train", ref, input=input)

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
        return AsyncEventStream(self._session.events(flow, "stream", ref, input), handle)

    def stream_prediction(
        self, prediction: Prediction | str, **options: Unpack[StreamPredictionKwargs]
    ) -> AsyncEventStream:
        """Iterate (``async for``) over a prediction's events; see `Client.stream_prediction`."""
        from ._stream import AsyncEventStream, prediction_stream_flow

        flow, handle = prediction_stream_flow(self._ctx, prediction, **options)
        job = None if isinstance(prediction, str) else prediction
        events = self._session.events(flow, "stream", _model_of(job), job=job)
        return AsyncEventStream(events, handle)

    def paginate(self, operation: ListOperation[PageT], /, **params: Any) -> AsyncPages[PageT]:
        """The pages of a generated list operation, for `async for`; see `Client.paginate`."""
        from ._pagination import AsyncPages

        request = self._list_request(operation, params)
        return AsyncPages(self._ctx, operation, request, self._drive)  # type: ignore[arg-type]

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

    async def _webhook_key(self) -> str:
        """The account's webhook signing secret, fetched the first time it is needed."""
        if self._webhook_secret is None:
            raw = await self.with_raw_response.webhooks.default.secret.get()
            self._webhook_secret = _signing_key(raw)
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

        secret = secret or await self._webhook_key()
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

        verify_webhook(headers, body, secret or await self._webhook_key(), tolerance=tolerance)

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
