"""The httpx side of a client, built on its first request: auth, transports, the generated client.

Kept apart from `_client` so that making a client imports neither httpx nor
`generated`: a process that builds a client at startup and calls the API
later (or never) does not pay for them up front.

The bytes go through httpx's own transports, each wrapped in a retrying one
(`_retry`), in one of three ways:

* by default, httpx's `HTTPTransport`, plus one proxy transport per proxy the
  environment names (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, with NO_PROXY's
  exemptions), read by httpx's own rules, all on one TLS context;
* with `transport=`, that transport, as given, for every request: its own
  proxy, TLS, `uds` and `local_address` (httpx too ignores the environment's
  proxies once given a transport);
* with `http_client=`, the transports of the user's own httpx client (its
  pools, proxies, TLS and HTTP/2 settings, limits), in a client of ours that
  takes its headers, cookies, hooks, redirect settings and timeout. The
  user's client itself is left as it was, and is never closed here. An
  `Authorization` header among its headers is a token for the API: it goes
  to `base_url` only (`BearerAuth`), never to a file host.

Authentication is decided at each request (`BearerAuth`), so that inside a
Cog model the token of the prediction being served is the one sent.

Connections belong to one process and (async) one event loop: `renewed`
gives a transport like a given one with none of its connections, for a
child process after `fork()` or a new event loop.
"""

from __future__ import annotations

import copy
import logging
import os
import sys
import threading
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import httpx

from generated.client import Client as GeneratedClient

from ._checks import clean_token, token_problem
from ._errors import AuthenticationError
from ._retry import AsyncRetryTransport, RetryPolicy, RetryTransport

__all__ = [
    "Api",
    "BearerAuth",
    "adopt_async",
    "adopt_sync",
    "async_http",
    "cog_token",
    "environment_proxies",
    "make_limits",
    "make_timeout",
    "renewed",
    "sync_http",
]

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
    has one). The token is, in this order: the one given as `api_token`
    (`explicit`); inside a Cog model, the one in the context of the
    prediction being served (`cog_token`, looked up at each request); the
    environment's, read when the client was made; the `Authorization` header
    of a user's own httpx client (`beside`). A missing or unusable token
    fails here, at the first API request, with `problem` (which never
    repeats the token).
    """

    def __init__(
        self, token: str | None, problem: str | None, base_url: str, *, explicit: bool = True
    ) -> None:
        url = httpx.URL(base_url)
        self._problem = problem
        self._header = None if problem else f"Bearer {token}"
        self._missing = token is None
        self._scoped = not explicit
        self._origin = (url.scheme, url.host, url.port)
        # Compared as sent (percent-encoded): decoding every request's path costs more.
        self._path = url.raw_path.partition(b"?")[0].rstrip(b"/") + b"/"
        self._other: httpx.Auth | None = None
        self._fallback: str | None = None

    def __repr__(self) -> str:
        return "<BearerAuth>"

    def beside(self, other: httpx.Auth | None, authorization: str | None = None) -> BearerAuth:
        """A copy that leaves every request but the API's to `other`.

        `authorization`, the header a user's own httpx client carried, is sent
        to the API when no token is given otherwise, and to nothing else.
        """
        combined = copy.copy(self)
        combined._other = other
        combined._fallback = authorization
        return combined

    def for_api(self, request: httpx.Request) -> bool:
        """Whether `request` goes to the API (and so carries the token)."""
        url = request.url
        return (url.scheme, url.host, url.port) == self._origin and url.raw_path.startswith(
            self._path
        )

    def is_api_answer(self, request: httpx.Request) -> bool:
        """Whether `request` asks the API for an answer (not a file download)."""
        return self.for_api(request) and not request.url.path.endswith("/download")

    def _authorization(self) -> str:
        if self._scoped and (token := cog_token()) is not None:
            problem = token_problem(token)
            if problem is not None:
                raise AuthenticationError(f"{problem} (the token of the Cog prediction's context)")
            return f"Bearer {token}"
        if self._header is not None:
            return self._header
        if self._missing and self._fallback is not None:
            return self._fallback
        raise AuthenticationError(self._problem)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Set `Authorization` on requests under the base URL."""
        if self.for_api(request):
            request.headers["Authorization"] = self._authorization()
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


def cog_token() -> str | None:
    """Inside a Cog model, the API token of the prediction being served; else None.

    Cog (since 0.14) hands each prediction's token to the model in
    `cog.current_scope().context` (a context variable: each request sees
    the prediction it serves), as the official clients read it. A model runs
    in a process that has imported `cog` before it predicts, so outside one
    this costs a dictionary lookup, and `cog` is never imported here. Any
    failure to read it (no prediction being served, another Cog) means none.
    """
    cog = sys.modules.get("cog")
    if cog is None:
        return None
    try:
        context = cog.current_scope().context
        for key, value in context.items():
            if isinstance(key, str) and key.upper() == "REPLICATE_API_TOKEN":
                token = clean_token(value) if isinstance(value, str) else None
                return token or None
    except Exception:  # noqa: BLE001 (a Cog without scopes, or no prediction: none there)
        return None
    return None


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
    """A retrying httpx client: `transport` as given, or httpx's with the environment's proxies."""
    return _own(_SYNC, transport, policy, options, limits)  # type: ignore[no-any-return]


def async_http(
    transport: Any, policy: RetryPolicy, options: dict[str, Any], limits: httpx.Limits | None = None
) -> httpx.AsyncClient:
    """The async twin of `sync_http`."""
    return _own(_ASYNC, transport, policy, options, limits)  # type: ignore[no-any-return]


class _Cookies(httpx.Cookies):
    """httpx's cookie jar, which does not read answers that set no cookie.

    httpx reads every answer for cookies through the standard library's jar,
    which wraps the request and the answer in urllib's objects (the URL parsed
    again, every header copied into an email message) before it looks for a
    `Set-Cookie` header: about 3% of the CPU of a warm `run()`, for an API that
    sets none. With the jar's default policy (`Set-Cookie2` ignored), an
    answer without the header adds no cookie; one with it is read as before.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        """Keep the cookies `response` sets, if it sets any."""
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


def _own(
    side: _Side,
    transport: Any,
    policy: RetryPolicy,
    options: dict[str, Any],
    limits: httpx.Limits | None,
) -> Any:
    api = options["auth"].is_api_answer
    mounts: dict[str, Any] = {}
    prepare: Callable[[], object] | None = None
    if transport is None:
        limits = limits or make_limits()
        # One TLS context for the direct transport and the proxies', so that both
        # verify alike; its CA bundle is loaded before the first https request.
        deferred = _tls_context()
        tls: Any = deferred
        if isinstance(deferred, DeferredTLS):
            tls, prepare = deferred.context, deferred.load
        transport = side.network(verify=tls, limits=limits)
        for pattern, proxy in environment_proxies().items():
            if proxy is None:
                mounts[pattern] = None
                continue
            network = side.network(verify=tls, proxy=proxy, limits=limits)
            mounts[pattern] = side.retry(
                network, policy, api=api, proxy=_proxy_name(network), prepare_tls=prepare
            )
    client = side.client(
        transport=side.retry(
            transport, policy, api=api, proxy=_proxy_name(transport), prepare_tls=prepare
        ),
        mounts=mounts,
        **options,
    )
    # httpx's setter would copy the cookies into a plain jar; it has kept them here
    # since its first release.
    if isinstance(getattr(client, "_cookies", None), httpx.Cookies):
        client._cookies = _Cookies()
    return client


_tls_contexts: dict[tuple[str | None, ...], Any] = {}
# Held while a context is made or its CA bundle loaded. OpenSSL holds locks of its
# own while it loads the bundle (with the GIL released): a fork() then would leave
# them held in the child, whose first context would hang for ever. So a client's
# fork hook holds it across the fork (`_client._finish_imports_before_fork`).
tls_lock = threading.Lock()
_TLS_ENVIRONMENT = ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE")


class DeferredTLS:
    """The TLS context httpx makes for `verify=True`, but with its CA bundle loaded on demand.

    Loading the bundle (and importing certifi, which finds it) is most of
    what making an httpx client costs: 15 to 30 ms, paid at the first
    request of every process, even one that only talks plain HTTP to a
    local server. So `context` is made without it, set up as
    `ssl.create_default_context` sets one up (tests/network check that it
    matches httpx's own, loaded), and the retrying transports call `load`
    before their first `https` request. It reads the CA locations as httpx
    does (SSL_CERT_FILE, then SSL_CERT_DIR, then certifi's bundle), from
    the environment `key` it was made for.
    """

    __slots__ = ("_loaded", "context", "key")

    def __init__(self, key: tuple[str | None, ...]) -> None:
        import ssl  # loaded with httpx already

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies certificates and hosts
        if sys.version_info >= (3, 13):  # what create_default_context adds from 3.13
            context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
        keylog = key[2]
        if keylog and not sys.flags.ignore_environment:
            context.keylog_filename = keylog
        self.context = context
        self.key = key
        self._loaded = False

    def load(self) -> None:
        """Load the CA bundle into `context`, once, before its first connection."""
        if self._loaded:
            return
        with tls_lock:
            if self._loaded:
                return
            cafile, capath = self.key[0], self.key[1]
            if cafile:
                self.context.load_verify_locations(cafile=cafile)
            elif capath:
                self.context.load_verify_locations(capath=capath)
            else:
                import certifi  # an httpx dependency

                self.context.load_verify_locations(cafile=certifi.where())
            self._loaded = True


def _tls_context() -> Any:
    """The TLS context of our own transports: one per process for each setting.

    Made again by every new client otherwise: each `asyncio.run()` of a
    module-level async call makes one. The context depends on the
    environment's SSL_CERT_FILE, SSL_CERT_DIR and SSLKEYLOGFILE only. httpx
    before 0.28 has no public way to make it: each transport then makes its
    own, as httpx does (`True`).
    """
    if getattr(httpx, "create_ssl_context", None) is None:
        return True
    key = tuple(os.environ.get(name) for name in _TLS_ENVIRONMENT)
    context = _tls_contexts.get(key)
    if context is None:
        with tls_lock:
            context = _tls_contexts.get(key)
            if context is None:
                context = _tls_contexts[key] = DeferredTLS(key)
    return context


def _proxy_name(transport: Any) -> str | None:
    """The proxy an httpx transport sends through, as ``scheme://host:port``; None if none."""
    # httpcore's proxy pools hold it as `_proxy_url` (an httpcore.URL,
    # credentials already taken out into headers); a transport that does not
    # show one is named by no error.
    url = getattr(getattr(transport, "_pool", None), "_proxy_url", None)
    try:
        scheme, host, port = url.scheme.decode(), url.host.decode(), url.port  # type: ignore[union-attr]
    except (AttributeError, UnicodeDecodeError):
        return None
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" if port is None else f"{scheme}://{host}:{port}"


def renewed(transport: Any, *, unknown_ok: bool) -> Any:
    """`transport` with none of its connections: for a child process after fork(), a new loop.

    httpx's network transports are copied with their settings (TLS, proxy,
    limits, `uds`, `local_address`, socket options, HTTP/2) and a pool of
    their own; a `MockTransport` holds no connection and is kept. Any other
    transport is kept when `unknown_ok`, else refused with a RuntimeError
    that says what to do: it may hold connections nobody can take from it.
    """
    if isinstance(transport, httpx.MockTransport):
        return transport
    if isinstance(transport, (httpx.HTTPTransport, httpx.AsyncHTTPTransport)):
        pool: Any = getattr(transport, "_pool", None)
        lock = getattr(pool, "_optional_thread_lock", None)
        if isinstance(getattr(pool, "_connections", None), list) and lock is not None:
            # httpcore keeps a pool's state in these three; the settings are the rest.
            fresh_pool = copy.copy(pool)
            fresh_pool._connections = []
            fresh_pool._requests = []
            fresh_pool._optional_thread_lock = type(lock)()
            fresh: Any = copy.copy(transport)
            fresh._pool = fresh_pool
            return fresh
    if unknown_ok:
        return transport
    raise RuntimeError(
        f"this client's transport ({type(transport).__qualname__}) was used before os.fork(), "
        "and its connections are the parent's: make the client in the child process "
        "(gunicorn's post_fork, Celery's worker_process_init), or give it an httpx "
        "HTTPTransport, which it can rebuild there"
    )


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
    api = auth.is_api_answer
    mounts = {
        pattern.pattern: None
        if mounted is None
        else side.retry(mounted, policy, api=api, proxy=_proxy_name(mounted))
        for pattern, mounted in user._mounts.items()
    }
    headers = httpx.Headers(user.headers)
    if headers.get("user-agent") == f"python-httpx/{httpx.__version__}":  # httpx's, not theirs
        headers["User-Agent"] = options["headers"]["User-Agent"]
    # A token set up by hand for Replicate: for the API only, never for file hosts.
    authorization = headers.pop("authorization", None)
    hooks = user.event_hooks
    return side.client(
        base_url=options["base_url"],
        auth=auth.beside(user.auth, authorization),
        params=user.params,
        headers=headers,
        cookies=user.cookies,
        timeout=options["timeout"],
        follow_redirects=user.follow_redirects,
        max_redirects=user.max_redirects,
        event_hooks={"request": [check_open, *hooks["request"]], "response": hooks["response"]},
        trust_env=user.trust_env,
        default_encoding=getattr(user, "_default_encoding", "utf-8"),
        transport=side.retry(transport, policy, api=api, proxy=_proxy_name(transport)),
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
        if not isinstance(transport, side.retry):
            return side.retry(transport, policy)
        # The parent's TLS context, if still to be made ready, is made ready by either.
        return side.retry(transport.transport, policy, prepare_tls=transport.prepare_tls)

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
