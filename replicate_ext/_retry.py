"""Retrying httpx transports.

Retries happen at the transport level, below redirects and authentication, so
every request made through a client's httpx client gets them, including the
typed calls of `generated` through `client.api`.

What is safe to repeat:

* 429 is always retried: the API did not process the request. The wait is
  the one the API asks for: its `Retry-After` header, else the `retry_after`
  of its JSON body (what an account throttled for low credit gets: 6
  creations a minute, burst 1, `"retry_after": 5`), else the backoff.
* Failing to connect (`ConnectError`, `ConnectTimeout`, `PoolTimeout`) is
  always retried: nothing was sent.
* 5xx answers, read timeouts and dropped connections are retried only for
  requests that are safe to repeat: GET, HEAD, OPTIONS, QUERY, PUT, DELETE, and
  POSTs to a `.../cancel` endpoint. A POST that creates a prediction, training,
  deployment, model or file may already have been acted on, so it is never
  sent twice after one of these.

A request of a flow with a deadline (`run(timeout=...)`) carries it in its
extensions (`DEADLINE`): a wait that does not fit in what is left of it is
not waited; the answer (or the error) goes back at once, marked
(`cut_by_deadline`), so that the flow can raise what the deadline means.

Only API answers are read here, to retry one cut off mid-body: a file
download (a JSON output file of hundreds of megabytes, say) is left to
stream, whatever its type.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from typing import NamedTuple

import httpx

__all__ = [
    "DEADLINE",
    "PROXY_ATTRIBUTE",
    "AsyncRetryTransport",
    "RetryPolicy",
    "RetryTransport",
    "body_retry_after",
    "cut_by_deadline",
    "is_idempotent",
    "parse_retry_after",
]

logger = logging.getLogger("replicate_ext")

DEADLINE = "replicate_ext.deadline"
"""The request extension holding a flow's deadline, in `time.monotonic()` seconds."""
# Set on an answer (in its extensions) or an error (as an attribute) not retried for it.
_CUT = "replicate_ext.cut_by_deadline"
_CUT_ATTRIBUTE = "_replicate_ext_cut_by_deadline"
PROXY_ATTRIBUTE = "replicate_ext_proxy"
"""The attribute naming, on an httpx error, the proxy its request went through."""
_SMALL_BODY = 1 << 20  # bytes: an answer this small is read here whoever sent it

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "QUERY", "PUT", "DELETE", "TRACE"})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class RetryPolicy(NamedTuple):
    """When to retry a request and how long to wait first.

    `max_retries` counts retries after the first attempt. Waits grow
    exponentially from `backoff_base` seconds, capped at `backoff_max`, with full
    jitter. A `Retry-After` header (seconds or an HTTP date) sets the wait
    instead; one longer than `retry_after_max` is not waited for: the answer is
    returned as is. Immutable (a named tuple: made at import several times
    faster than a frozen dataclass, which every first request pays).
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_after_max: float = 60.0

    def after_response(
        self, request: httpx.Request, response: httpx.Response, attempt: int
    ) -> float | None:
        """Seconds to wait before retrying after `response`, or None not to retry.

        The wait asked for by a 429 or 5xx is its `Retry-After` header, else
        (for a 429 whose body was read) the body's `retry_after`.
        """
        if attempt >= self.max_retries or not _can_resend(request):
            return None
        status = response.status_code
        if status == 429 or (status in (500, 502, 503, 504) and is_idempotent(request)):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is None and status == 429:
                retry_after = body_retry_after(response)
            if retry_after is None:
                return self.backoff(attempt)
            return retry_after if retry_after <= self.retry_after_max else None
        return None

    def after_error(self, request: httpx.Request, error: Exception, attempt: int) -> float | None:
        """Seconds to wait before retrying after a transport `error`, or None not to retry."""
        if attempt >= self.max_retries or not _can_resend(request):
            return None
        if isinstance(error, _NOT_SENT) or (
            isinstance(error, _MAYBE_SENT) and is_idempotent(request)
        ):
            return self.backoff(attempt)
        return None

    def next_delay(
        self,
        request: httpx.Request,
        attempt: int,
        response: httpx.Response | None = None,
        *,
        error: Exception | None = None,
    ) -> float | None:
        """Seconds to wait before retry number `attempt + 1`, or None to stop; logs retries.

        Give either the `response` that attempt got or the transport `error` it raised.
        """
        if response is not None:
            delay = self.after_response(request, response, attempt)
            reason = f"HTTP {response.status_code}"
        elif error is not None:
            delay = self.after_error(request, error, attempt)
            reason = _describe_error(error)
        else:
            raise TypeError("next_delay() needs a response or an error")
        deadline = request.extensions.get(DEADLINE)
        if delay is not None and deadline is not None and time.monotonic() + delay > deadline:
            # Waiting would outlast the flow's deadline: give the answer back now.
            logger.debug(
                "not retrying %s %s after %s: a wait of %.2fs does not fit in the deadline",
                request.method,
                request.url.copy_with(query=None),
                reason,
                delay,
            )
            _mark_cut(response if response is not None else error)
            return None
        if delay is not None and logger.isEnabledFor(logging.INFO):
            # The URL without its query; headers, and so the token, are never logged.
            logger.info(
                "retrying %s %s in %.2fs after %s (retry %d of %d)",
                request.method,
                request.url.copy_with(query=None),
                delay,
                reason,
                attempt + 1,
                self.max_retries,
            )
        return delay

    def should_buffer(
        self, request: httpx.Request, response: httpx.Response, attempt: int, api: bool = True
    ) -> bool:
        """Whether to read the body here: a connection dropped mid-body is then retried.

        Only JSON answers from the API (`api`: the request went under the
        client's base URL) or of a small known length: event streams and
        downloads (a JSON output file too) are left to stream. A 429's body
        is read for its `retry_after`; others only when they may be retried.
        """
        if "json" not in response.headers.get("content-type", ""):
            return False
        if not (api or _small(response)):
            return False
        if response.status_code == 429:
            return True
        return attempt < self.max_retries and response.status_code < 500 and is_idempotent(request)

    def backoff(self, attempt: int) -> float:
        """A random wait in [0, min(backoff_max, backoff_base * 2**attempt)]."""
        return random.uniform(0.0, min(self.backoff_max, self.backoff_base * 2**attempt))


def is_idempotent(request: httpx.Request) -> bool:
    """Whether sending `request` twice has the same effect as sending it once."""
    method = request.method
    return method in _SAFE_METHODS or (
        method == "POST" and request.url.path.rstrip("/").endswith("/cancel")
    )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from now that a `Retry-After` header asks for; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def body_retry_after(response: httpx.Response) -> float | None:
    """Seconds a read JSON answer asks to wait in its `retry_after` field; None without one.

    Replicate puts it in the body of the 429s of throttled accounts
    (`{"detail": "Request was throttled. ...", "status": 429, "retry_after": 5}`).
    """
    try:
        body = json.loads(response.content)
    except (httpx.ResponseNotRead, ValueError):
        return None
    value = body.get("retry_after") if isinstance(body, dict) else None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return max(0.0, float(value))


def cut_by_deadline(error: BaseException) -> bool:
    """Whether `error` ended a request that was not retried because its deadline was too near.

    `error` is an httpx transport error, or a `ReplicateError` made from the answer.
    """
    if getattr(error, _CUT_ATTRIBUTE, False):
        return True
    response = getattr(error, "response", None)
    extensions = getattr(response, "extensions", None)
    return isinstance(extensions, dict) and bool(extensions.get(_CUT))


def _mark_cut(outcome: httpx.Response | Exception | None) -> None:
    if isinstance(outcome, httpx.Response):
        outcome.extensions[_CUT] = True
    elif outcome is not None:
        setattr(outcome, _CUT_ATTRIBUTE, True)


def _small(response: httpx.Response) -> bool:
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= _SMALL_BODY


def _can_resend(request: httpx.Request) -> bool:
    # Bytes bodies replay as is, and httpx rewinds the files of a multipart body;
    # a body from a generator can only be sent once.
    stream = request.stream
    return isinstance(stream, httpx.ByteStream) or type(stream).__name__ == "MultipartStream"


def _describe_error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _log_outcome(
    request: httpx.Request,
    attempt: int,
    started: float,
    response: httpx.Response | None = None,
    error: Exception | None = None,
) -> None:
    """One line per request (retries included), at info level: method, URL, status, time.

    The URL goes without its query (a signed file URL carries its credentials
    there), and no header is logged, so neither is the token.
    """
    took = time.monotonic() - started
    retries = f", {attempt} {'retry' if attempt == 1 else 'retries'}" if attempt else ""
    url = request.url.copy_with(query=None)
    if response is not None:
        status = f"{response.status_code} {response.reason_phrase}".rstrip()
        logger.info("%s %s %s (%.2fs%s)", request.method, url, status, took, retries)
    else:
        reason = _describe_error(error) if error is not None else "no answer"
        logger.info("%s %s failed (%.2fs%s): %s", request.method, url, took, retries, reason)


class RetryTransport(httpx.BaseTransport):
    """An httpx transport that retries what `policy` allows on top of `transport`.

    `api` tells the API's requests (whose JSON answers are read here) from
    downloads; without it every request counts as the API's. `proxy`, the
    proxy `transport` goes through (without credentials), is named by the
    errors of its requests. `prepare_tls`, if given, is called before the
    first `https` request: it makes `transport`'s TLS context ready (loads
    its CA bundle), which a client that only ever speaks plain HTTP (a
    local server) never pays for.
    """

    def __init__(
        self,
        transport: httpx.BaseTransport,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        api: Callable[[httpx.Request], bool] | None = None,
        proxy: str | None = None,
        prepare_tls: Callable[[], object] | None = None,
    ) -> None:
        self.transport = transport
        self.policy = policy or RetryPolicy()
        self.api = api
        self.proxy = proxy
        self.prepare_tls = prepare_tls
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`, retrying while the policy says so."""
        if self.prepare_tls is not None and request.url.scheme == "https":
            _prepare_tls(self.prepare_tls, request)
            self.prepare_tls = None  # ready for good (and for any other thread)
        attempt = 0
        api = self.api is None or self.api(request)
        started = time.monotonic() if logger.isEnabledFor(logging.INFO) else None
        while True:
            response = None
            try:
                response = self.transport.handle_request(request)
                if self.policy.should_buffer(request, response, attempt, api):
                    response.read()
            except Exception as error:
                if response is not None:
                    response.close()
                if (delay := self.policy.next_delay(request, attempt, error=error)) is None:
                    _name_proxy(error, self.proxy)
                    if started is not None:
                        _log_outcome(request, attempt, started, error=error)
                    raise
            else:
                if (delay := self.policy.next_delay(request, attempt, response)) is None:
                    if started is not None:
                        _log_outcome(request, attempt, started, response)
                    return response
                response.close()
            self._sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Close the wrapped transport."""
        self.transport.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The async twin of `RetryTransport`, sharing its `RetryPolicy`."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        api: Callable[[httpx.Request], bool] | None = None,
        proxy: str | None = None,
        prepare_tls: Callable[[], object] | None = None,
    ) -> None:
        self.transport = transport
        self.policy = policy or RetryPolicy()
        self.api = api
        self.proxy = proxy
        self.prepare_tls = prepare_tls
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`, retrying while the policy says so."""
        if self.prepare_tls is not None and request.url.scheme == "https":
            # Loading a CA bundle blocks for a few milliseconds, once per process.
            _prepare_tls(self.prepare_tls, request)
            self.prepare_tls = None
        attempt = 0
        api = self.api is None or self.api(request)
        started = time.monotonic() if logger.isEnabledFor(logging.INFO) else None
        while True:
            response = None
            try:
                response = await self.transport.handle_async_request(request)
                if self.policy.should_buffer(request, response, attempt, api):
                    await response.aread()
            except Exception as error:
                if response is not None:
                    await response.aclose()
                if (delay := self.policy.next_delay(request, attempt, error=error)) is None:
                    _name_proxy(error, self.proxy)
                    if started is not None:
                        _log_outcome(request, attempt, started, error=error)
                    raise
            else:
                if (delay := self.policy.next_delay(request, attempt, response)) is None:
                    if started is not None:
                        _log_outcome(request, attempt, started, response)
                    return response
                await response.aclose()
            await self._async_sleep(delay)
            attempt += 1

    async def _async_sleep(self, delay: float) -> None:
        if self._sleep is not None:
            await self._sleep(delay)
        else:
            # anyio (an httpx dependency) sleeps under asyncio and trio alike.
            import anyio

            await anyio.sleep(delay)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.transport.aclose()


def _prepare_tls(prepare: Callable[[], object], request: httpx.Request) -> None:
    """Make the TLS context ready; a failure (a CA file that cannot be read) is a `ConnectError`.

    As when httpx fails to connect: nothing of `request` was sent, which is
    what a creation's caller needs to know.
    """
    try:
        prepare()
    except (OSError, ValueError) as error:  # ssl.SSLError is an OSError
        raise httpx.ConnectError(f"cannot set up TLS: {error}", request=request) from error


def _name_proxy(error: Exception, proxy: str | None) -> None:
    if proxy is not None and isinstance(error, httpx.TransportError):
        setattr(error, PROXY_ATTRIBUTE, proxy)
