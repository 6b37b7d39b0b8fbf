"""The httpx side of a client, built on its first request: auth, transports, the generated client.

Kept apart from `_client` so that making a client imports neither httpx nor
`generated`: a process that builds a client at startup and calls the API
later (or never) does not pay for them up front.

The bytes go through httpx's own transports, each wrapped in a retrying one
(`_retry`), in one of three ways:

* by default, httpx's `HTTPTransport`, plus one proxy transport per proxy the
  environment names (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, with NO_PROXY's
  exemptions), read by httpx's own rules;
* with `transport=`, that transport; when it is httpx's network transport,
  the environment's proxies are mounted beside it as for the default (httpx
  itself ignores them once given a transport), while any other transport
  (`MockTransport`, say) gets every request;
* with `http_client=`, the transports of the user's own httpx client (its
  pools, proxies, TLS and HTTP/2 settings, limits), in a client of ours that
  takes its headers, cookies, hooks, redirect settings and timeout. The
  user's client itself is left as it was, and is never closed here.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import httpx

from generated.client import Client as GeneratedClient

from ._errors import AuthenticationError
from ._retry import AsyncRetryTransport, RetryPolicy, RetryTransport

logger = logging.getLogger("replicate_ext")

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_MAX_KEEPALIVE = 20  # httpx's own default, and the official clients'


def make_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """An `httpx.Timeout` for a client's `timeout` option (seconds: connecting gets at most 10)."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    return httpx.Timeout(timeout, connect=min(timeout, DEFAULT_CONNECT_TIMEOUT))


def make_limits(max_connections: int = DEFAULT_MAX_CONNECTIONS) -> httpx.Limits:
    """Connection limits for our own transports: up to `max_connections` open, 20 kept idle.

    httpcore's pool walks all its connections at every request's start and end,
    and counts them all again for each idle one, so what it costs per request
    grows with the square of the connections it keeps: with 64 requests at once,
    keeping every connection (as this client once did) cost ~5 ms of CPU per
    request against ~1-2 ms with httpx's default of 20 (bench/ANALYSIS.md).
    httpcore counts open connections, not idle ones, against that limit
    (encode/httpcore#1000): above 20 open, a connection that turns idle is
    closed. A program with many slow requests at once over a long round trip
    can keep more with `http_client=` and `httpx.Limits` of its own.
    """
    return httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=min(max_connections, DEFAULT_MAX_KEEPALIVE),
    )


class BearerAuth(httpx.Auth):
    """Adds the token to requests for the API, and only to them.

    Output files, redirects to other hosts and anything outside `base_url` go
    without it (with the user's own client, under that client's `auth`, if it
    has one). A missing or unusable token fails here, at the first API
    request, with `problem` (which never repeats the token).
    """

    def __init__(self, token: str | None, problem: str | None, base_url: str) -> None:
        url = httpx.URL(base_url)
        self._problem = problem
        self._header = None if problem else f"Bearer {token}"
        self._origin = (url.scheme, url.host, url.port)
        self._path = url.path.rstrip("/") + "/"
        self._other: httpx.Auth | None = None

    def __repr__(self) -> str:
        return "<BearerAuth>"

    def beside(self, other: httpx.Auth | None) -> BearerAuth:
        """A copy that authenticates the API itself and leaves every other request to `other`."""
        combined = copy.copy(self)
        combined._other = other
        return combined

    def for_api(self, request: httpx.Request) -> bool:
        """Whether `request` goes to the API (and so carries the token)."""
        url = request.url
        return (url.scheme, url.host, url.port) == self._origin and url.path.startswith(self._path)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Set `Authorization` on requests under the base URL."""
        if self.for_api(request):
            if self._header is None:
                raise AuthenticationError(self._problem)
            request.headers["Authorization"] = self._header
        yield request

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Our flow for the API; the user's own auth, if any, for other requests."""
        if self._other is not None and not self.for_api(request):
            return self._other.sync_auth_flow(request)
        return super().sync_auth_flow(request)

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The async twin of `sync_auth_flow`."""
        if self._other is not None and not self.for_api(request):
            return self._other.async_auth_flow(request)
        return super().async_auth_flow(request)


class Api(GeneratedClient):
    """The generated client, its httpx clients supplied (lazily) by one of ours."""

    def __init__(
        self,
        base_url: str,
        sync_http: Callable[[], httpx.Client],
        async_http: Callable[[], httpx.AsyncClient],
    ) -> None:
        super().__init__(base_url=base_url)
        self._sync_http = sync_http
        self._async_http = async_http

    def get_httpx_client(self) -> httpx.Client:
        """The owning client's httpx client."""
        return self._sync_http()

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The owning client's httpx async client."""
        return self._async_http()


class _Side:
    """The httpx classes of one side, sync or async, so that both are assembled by one code."""

    __slots__ = ("client", "network", "retry")

    def __init__(self, client: type[Any], network: type[Any], retry: type[Any]) -> None:
        self.client = client
        self.network = network
        self.retry = retry


_SYNC = _Side(httpx.Client, httpx.HTTPTransport, RetryTransport)
_ASYNC = _Side(httpx.AsyncClient, httpx.AsyncHTTPTransport, AsyncRetryTransport)


def sync_http(
    transport: Any, policy: RetryPolicy, options: dict[str, Any], limits: httpx.Limits | None = None
) -> httpx.Client:
    """A retrying httpx client: httpx's transport (or `transport`), the environment's proxies."""
    return _own(_SYNC, transport, policy, options, limits)  # type: ignore[no-any-return]


def async_http(
    transport: Any, policy: RetryPolicy, options: dict[str, Any], limits: httpx.Limits | None = None
) -> httpx.AsyncClient:
    """The async twin of `sync_http`."""
    return _own(_ASYNC, transport, policy, options, limits)  # type: ignore[no-any-return]


def _own(
    side: _Side,
    transport: Any,
    policy: RetryPolicy,
    options: dict[str, Any],
    limits: httpx.Limits | None,
) -> Any:
    limits = limits or make_limits()
    mounts: dict[str, Any] = {}
    if transport is None:
        transport = side.network(limits=limits)
    if isinstance(transport, side.network):
        for pattern, proxy in environment_proxies().items():
            mounts[pattern] = (
                None
                if proxy is None
                else side.retry(side.network(proxy=proxy, limits=limits), policy)
            )
    return side.client(transport=side.retry(transport, policy), mounts=mounts, **options)


def environment_proxies() -> dict[str, str | None]:
    """The mount patterns of the proxies the environment names (None: exempt, go direct).

    httpx's own reading of HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY (the
    one an `httpx.Client` made without a transport uses), with one repair: a
    bracketed IPv6 address in NO_PROXY (``[::1]``, ``[::1]:8080``) becomes a
    pattern httpx cannot read, which would fail every request. An entry that
    still cannot be read is left out, with a warning.
    """
    from httpx._utils import get_environment_proxies

    proxies: dict[str, str | None] = {}
    for pattern, proxy in get_environment_proxies().items():
        if pattern.startswith("all://*["):  # "*" (this domain and those under it) + an address
            pattern = "all://" + pattern.removeprefix("all://*")
        try:
            httpx.URL(pattern)
        except httpx.InvalidURL:
            logger.warning("ignoring the proxy setting %r: httpx cannot read it", pattern)
            continue
        proxies[pattern] = proxy
    return proxies


def adopt_sync(
    user: httpx.Client, policy: RetryPolicy, auth: BearerAuth, options: dict[str, Any]
) -> httpx.Client:
    """A retrying httpx client of ours that sends through `user`'s transports, with its settings."""

    def check_open(request: httpx.Request) -> None:
        if user.is_closed:
            raise RuntimeError("the http_client given to this Client has been closed")

    return _adopt(_SYNC, user, policy, auth, options, check_open)  # type: ignore[no-any-return]


def adopt_async(
    user: httpx.AsyncClient, policy: RetryPolicy, auth: BearerAuth, options: dict[str, Any]
) -> httpx.AsyncClient:
    """The async twin of `adopt_sync`."""

    async def check_open(request: httpx.Request) -> None:
        if user.is_closed:
            raise RuntimeError("the http_client given to this AsyncClient has been closed")

    return _adopt(_ASYNC, user, policy, auth, options, check_open)  # type: ignore[no-any-return]


def _adopt(
    side: _Side,
    user: httpx.Client | httpx.AsyncClient,
    policy: RetryPolicy,
    auth: BearerAuth,
    options: dict[str, Any],
    check_open: Callable[[httpx.Request], Any],
) -> Any:
    # httpx has no public way to reach a client's transports; these two
    # attributes have held them since httpx 0.18.
    transport = user._transport
    mounts = {
        pattern.pattern: None if mounted is None else side.retry(mounted, policy)
        for pattern, mounted in user._mounts.items()
    }
    headers = httpx.Headers(user.headers)
    if headers.get("user-agent") == f"python-httpx/{httpx.__version__}":  # httpx's, not theirs
        headers["User-Agent"] = options["headers"]["User-Agent"]
    hooks = user.event_hooks
    return side.client(
        base_url=options["base_url"],
        auth=auth.beside(user.auth),
        params=user.params,
        headers=headers,
        cookies=user.cookies,
        timeout=options["timeout"],
        follow_redirects=user.follow_redirects,
        max_redirects=user.max_redirects,
        event_hooks={"request": [check_open, *hooks["request"]], "response": hooks["response"]},
        trust_env=user.trust_env,
        default_encoding=getattr(user, "_default_encoding", "utf-8"),
        transport=side.retry(transport, policy),
        mounts=mounts,
    )


def derive(parent: Any, policy: RetryPolicy, timeout: httpx.Timeout) -> Any:
    """A client like `parent` (one of ours) over the same connection pools: `with_options()`.

    Its transports are `parent`'s network transports (their pools, proxies,
    TLS settings), each in a retrying transport of its own with `policy`;
    everything else (auth, headers, hooks) is `parent`'s, but the `timeout`.
    """
    side = _ASYNC if isinstance(parent, httpx.AsyncClient) else _SYNC

    def own(transport: Any) -> Any:
        inner = transport.transport if isinstance(transport, side.retry) else transport
        return side.retry(inner, policy)

    def check_open(request: httpx.Request) -> None:
        if parent.is_closed:  # its pools are closed: they are not to be reopened behind its back
            raise RuntimeError("the client this one was made from by with_options() is closed")

    async def acheck_open(request: httpx.Request) -> None:
        check_open(request)

    hooks = parent.event_hooks
    first = acheck_open if side is _ASYNC else check_open

    return side.client(
        base_url=parent.base_url,
        auth=parent.auth,
        params=parent.params,
        headers=parent.headers,
        cookies=parent.cookies,
        timeout=timeout,
        follow_redirects=parent.follow_redirects,
        max_redirects=parent.max_redirects,
        event_hooks={"request": [first, *hooks["request"]], "response": hooks["response"]},
        trust_env=parent.trust_env,
        default_encoding=getattr(parent, "_default_encoding", "utf-8"),
        transport=own(parent._transport),
        mounts={
            pattern.pattern: None if mounted is None else own(mounted)
            for pattern, mounted in parent._mounts.items()
        },
    )
