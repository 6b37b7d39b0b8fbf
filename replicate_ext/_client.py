"""`Client` and `AsyncClient`: configuration, connections, and the high-level calls.

Both share everything but the driver: their methods build the same flows
(`_predictions`, `_pagination`) and run them with blocking or async I/O.
"""

from __future__ import annotations

import inspect
import os
import ssl
import threading
from collections.abc import Generator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import httpx

from generated.client import Client as _GeneratedClient

from ._checks import clean_token, positive_seconds, timeout_option, token_problem
from ._errors import AuthenticationError
from ._files import Downloader, FileEncoding, PendingUpload, encode_input, guess_content_type
from ._flow import Flow, Send, adrive, drive
from ._pagination import AsyncPages, ListOperation, Pages, search_request
from ._predictions import (
    Context,
    Progress,
    RunOptions,
    _Deadline,
    cancel_flow,
    create_flow,
    get_flow,
    parse,
    run_flow,
    upload_flow,
    wait_for_flow,
)
from ._refs import parse_ref
from ._retry import AsyncRetryTransport, RetryPolicy, RetryTransport
from ._version import __version__

if TYPE_CHECKING:
    from generated.models.file import File
    from generated.models.paginated_models import PaginatedModels
    from generated.models.prediction import Prediction

T = TypeVar("T")
PageT = TypeVar("PageT")

DEFAULT_BASE_URL = "https://api.replicate.com/v1"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 3
USER_AGENT = f"replicate-ext/{__version__}"

_ssl_context: ssl.SSLContext | None = None


def _shared_ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle is most of the cost of a new httpx client; one
    # context serves every client of the process.
    global _ssl_context
    if _ssl_context is None:
        _ssl_context = httpx.create_ssl_context()
    return _ssl_context


class _BearerAuth(httpx.Auth):
    """Adds the token to requests for the API, and only to them.

    Output files, redirects to other hosts and anything outside `base_url` go
    without it. A missing token fails here, at the first API request.
    """

    def __init__(self, token: str | None, base_url: httpx.URL) -> None:
        # A bad token is reported at the first request, without repeating it.
        self._problem = token_problem(token)
        self._header = None if self._problem else f"Bearer {token}"
        self._origin = (base_url.scheme, base_url.host, base_url.port)
        self._path = base_url.path.rstrip("/") + "/"

    def __repr__(self) -> str:
        return "<BearerAuth>"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Set `Authorization` on requests under the base URL."""
        url = request.url
        if (url.scheme, url.host, url.port) == self._origin and url.path.startswith(self._path):
            if self._header is None:
                raise AuthenticationError(self._problem)
            request.headers["Authorization"] = self._header
        yield request


class _Api(_GeneratedClient):
    """The generated client, its httpx clients supplied (lazily) by ours."""

    def __init__(self, owner: _BaseClient) -> None:
        super().__init__(base_url=str(owner.base_url))
        self._owner = owner

    def get_httpx_client(self) -> httpx.Client:
        """The owning client's httpx client."""
        return self._owner._sync_http()

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The owning client's httpx async client."""
        return self._owner._async_http()


class _BaseClient:
    _transport_kind: type[httpx.BaseTransport] | type[httpx.AsyncBaseTransport]

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
    ) -> None:
        if transport is not None and not isinstance(transport, self._transport_kind):
            kind = self._transport_kind.__name__
            raise TypeError(f"{type(self).__name__} needs an httpx.{kind} as its transport")
        if api_token is None:
            api_token = os.environ.get("REPLICATE_API_TOKEN")
        timeout_option(timeout)
        positive_seconds("poll_interval", poll_interval)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a whole number from 0, not {max_retries!r}")
        base = base_url or os.environ.get("REPLICATE_BASE_URL") or DEFAULT_BASE_URL
        self.base_url = httpx.URL(base.rstrip("/"))
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.max_retries = max_retries
        self._retry_policy = RetryPolicy(max_retries)
        self.poll_interval = poll_interval
        self._auth = _BearerAuth(clean_token(api_token), self.base_url)
        self._headers = {"User-Agent": f"{user_agent} {USER_AGENT}" if user_agent else USER_AGENT}
        self._transport = transport
        self._lock = threading.Lock()  # the httpx clients are made on first use
        self._sync: httpx.Client | None = None
        self._async: httpx.AsyncClient | None = None
        self._api: _Api | None = None
        self._webhook_secret: str | None = None
        self._ctx = Context(
            api=self.api,
            timeout=self.timeout,
            poll_interval=poll_interval,
            downloader=Downloader(self._sync_http, self._async_http),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    @property
    def api(self) -> _GeneratedClient:
        """The generated client, ready for typed calls through this client's connections.

        For example `predictions_get.sync(client=client.api, prediction_id=...)`
        (with `generated.api.predictions.predictions_get`); the calls get this
        client's authentication, retries and timeouts.
        """
        if self._api is None:
            self._api = _Api(self)
        return self._api

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
                    inner = self._transport
                    if not isinstance(inner, httpx.BaseTransport):
                        inner = httpx.HTTPTransport(verify=_shared_ssl_context())
                    transport = RetryTransport(inner, self._retry_policy)
                    self._sync = httpx.Client(transport=transport, **self._http_options())
        return self._sync

    def _async_http(self) -> httpx.AsyncClient:
        if self._async is None:
            with self._lock:
                if self._async is None:
                    inner = self._transport
                    if not isinstance(inner, httpx.AsyncBaseTransport):
                        inner = httpx.AsyncHTTPTransport(verify=_shared_ssl_context())
                    transport = AsyncRetryTransport(inner, self._retry_policy)
                    self._async = httpx.AsyncClient(transport=transport, **self._http_options())
        return self._async


def _upload_source(
    file: str | os.PathLike[str] | bytes | IO[bytes], filename: str | None, content_type: str | None
) -> PendingUpload:
    """The pending upload for `upload_file`, checked like a file input."""
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


def _create(
    ctx: Context,
    ref: str,
    input: Mapping[str, Any] | None,
    webhook: str | None,
    webhook_events_filter: Sequence[str] | None,
    file_encoding: FileEncoding,
    cancel_after: float | None,
) -> Flow[Prediction]:
    options = RunOptions(False, None, webhook, webhook_events_filter, True, file_encoding)
    return create_flow(ctx, parse_ref(ref), input, options, _Deadline(cancel_after, "cancel_after"))


def _check_sync_callback(progress: Progress | None) -> None:
    if progress is not None and inspect.iscoroutinefunction(progress):
        raise TypeError("progress is an async function: use AsyncClient, or a plain function")


def _secret_flow(ctx: Context) -> Flow[str]:
    from generated.api.webhooks import webhooks_default_secret_get

    response = yield Send(webhooks_default_secret_get._get_kwargs())
    return str(parse(ctx, webhooks_default_secret_get, response).key)


class Client(_BaseClient):
    """A client for Replicate's HTTP API.

    `api_token` defaults to `REPLICATE_API_TOKEN` and `base_url` to
    `REPLICATE_BASE_URL` or https://api.replicate.com/v1; a missing token fails
    at the first request. `timeout` (seconds or an `httpx.Timeout`) applies to
    each request; `max_retries` bounds retries of failed requests that are safe
    to repeat; `poll_interval` is the delay between polls of a prediction that
    has no event stream. `transport` replaces httpx's network transport (e.g.
    `httpx.MockTransport` in tests). Use it as a context manager, or `close()`
    it, to release its connections.
    """

    _transport_kind = httpx.BaseTransport

    def _drive(self, flow: Flow[T]) -> T:
        return drive(flow, self._sync_http())

    def close(self) -> None:
        """Close the connections."""
        if self._sync is not None:
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
        answer until the prediction finishes (`wait=n`: up to n seconds), then
        follows its event stream or polls; `wait=False` polls only. `timeout`
        is a deadline for the whole run: the prediction is canceled and
        `PredictionTimeout` raised when it passes. `progress(prediction)` is
        called on every update.

        Returns the output, with file URLs as `FileOutput`s (unless
        `use_file_output=False`) and text streamed in pieces joined into one
        string. Raises `ModelError` if the prediction failed and
        `PredictionCanceled` if it was canceled. An interruption (Ctrl-C)
        cancels the prediction before propagating.
        """
        options = RunOptions(
            wait, timeout, webhook, webhook_events_filter, use_file_output, file_encoding, progress
        )
        _check_sync_callback(progress)
        return self._drive(run_flow(self._ctx, parse_ref(ref), input, options))

    def wait(
        self,
        prediction: Prediction | str,
        *,
        timeout: float | None = None,
        progress: Progress | None = None,
    ) -> Prediction:
        """Wait for a prediction (or the one with this id) to finish and return it.

        Follows its event stream when it has one, else polls. Returns the
        prediction in its terminal state, whatever that is. On `timeout`
        seconds, or an interruption, the prediction is canceled and
        `PredictionTimeout` (or the interruption) raised.
        """
        _check_sync_callback(progress)
        return self._drive(wait_for_flow(self._ctx, prediction, timeout=timeout, progress=progress))

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
        (seconds) makes the server cancel it if it has not finished by then.
        """
        return self._drive(
            _create(
                self._ctx, ref, input, webhook, webhook_events_filter, file_encoding, cancel_after
            )
        )

    def get_prediction(self, prediction_id: str) -> Prediction:
        """Fetch a prediction's current state."""
        return self._drive(get_flow(self._ctx, prediction_id))

    def cancel_prediction(self, prediction_id: str) -> Prediction:
        """Cancel a prediction and return it."""
        return self._drive(cancel_flow(self._ctx, prediction_id))

    def paginate(self, operation: ListOperation[PageT], /, **params: Any) -> Pages[PageT]:
        """The pages of a generated list operation, fetched lazily, following `next`.

        `operation` is a module such as `generated.api.predictions.predictions_list`;
        `params` are its arguments. `.items()` iterates over every item instead.
        """
        return Pages(self._ctx, operation, operation._get_kwargs(**params), self._drive)  # type: ignore[arg-type]

    def search_models(self, query: str) -> Pages[PaginatedModels]:
        """The pages of models matching `query` (QUERY /models); `.items()` for the models."""
        from generated.api.models import models_list

        return Pages(self._ctx, models_list, search_request(query), self._drive)

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
        upload = _upload_source(file, filename, content_type)
        return self._drive(upload_flow(self._ctx, upload, metadata))

    def get_webhook_secret(self) -> str:
        """The account's default webhook signing secret (`whsec_...`), fetched once."""
        if self._webhook_secret is None:
            self._webhook_secret = self._drive(_secret_flow(self._ctx))
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

        return validate_webhook(
            headers, body, secret or self.get_webhook_secret(), tolerance=tolerance
        )

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


class AsyncClient(_BaseClient):
    """The async twin of `Client`: the same options, and the same methods to await.

    Use it as an async context manager, or `await aclose()` it.
    """

    _transport_kind = httpx.AsyncBaseTransport

    async def _drive(self, flow: Flow[T]) -> T:
        return await adrive(flow, self._async_http())

    async def aclose(self) -> None:
        """Close the connections."""
        if self._async is not None:
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

        Cancelling the task cancels the prediction before propagating.
        """
        options = RunOptions(
            wait, timeout, webhook, webhook_events_filter, use_file_output, file_encoding, progress
        )
        return await self._drive(run_flow(self._ctx, parse_ref(ref), input, options))

    async def wait(
        self,
        prediction: Prediction | str,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 (a deadline for the prediction)
        progress: Progress | None = None,
    ) -> Prediction:
        """Wait for a prediction (or the one with this id) to finish; see `Client.wait`."""
        flow = wait_for_flow(self._ctx, prediction, timeout=timeout, progress=progress)
        return await self._drive(flow)

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
        return await self._drive(
            _create(
                self._ctx, ref, input, webhook, webhook_events_filter, file_encoding, cancel_after
            )
        )

    async def get_prediction(self, prediction_id: str) -> Prediction:
        """Fetch a prediction's current state."""
        return await self._drive(get_flow(self._ctx, prediction_id))

    async def cancel_prediction(self, prediction_id: str) -> Prediction:
        """Cancel a prediction and return it."""
        return await self._drive(cancel_flow(self._ctx, prediction_id))

    def paginate(self, operation: ListOperation[PageT], /, **params: Any) -> AsyncPages[PageT]:
        """The pages of a generated list operation, for `async for`; see `Client.paginate`."""
        return AsyncPages(self._ctx, operation, operation._get_kwargs(**params), self._drive)  # type: ignore[arg-type]

    def search_models(self, query: str) -> AsyncPages[PaginatedModels]:
        """The pages of models matching `query`, for `async for`; `.items()` for the models."""
        from generated.api.models import models_list

        return AsyncPages(self._ctx, models_list, search_request(query), self._drive)

    async def upload_file(
        self,
        file: str | os.PathLike[str] | bytes | IO[bytes],
        *,
        filename: str | None = None,
        content_type: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> File:
        """Upload a file and return it; see `Client.upload_file`."""
        upload = _upload_source(file, filename, content_type)
        return await self._drive(upload_flow(self._ctx, upload, metadata))

    async def get_webhook_secret(self) -> str:
        """The account's default webhook signing secret (`whsec_...`), fetched once."""
        if self._webhook_secret is None:
            self._webhook_secret = await self._drive(_secret_flow(self._ctx))
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


__all__ = ["AsyncClient", "Client"]
