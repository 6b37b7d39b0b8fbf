"""The httpx side of a client, built on its first request: auth, transports, the generated client.

Kept apart from `_client` so that making a client imports neither httpx nor
`generated`: a process that builds a client at startup and calls the API
later (or never) does not pay for them up front.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import httpx

from generated.client import Client as GeneratedClient

from ._errors import AuthenticationError
from ._retry import AsyncRetryTransport, RetryPolicy, RetryTransport
from ._transport import Transport

DEFAULT_CONNECT_TIMEOUT = 10.0


def make_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """An `httpx.Timeout` for a client's `timeout` option (seconds: connecting gets at most 10)."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    return httpx.Timeout(timeout, connect=min(timeout, DEFAULT_CONNECT_TIMEOUT))


class BearerAuth(httpx.Auth):
    """Adds the token to requests for the API, and only to them.

    Output files, redirects to other hosts and anything outside `base_url` go
    without it. A missing or unusable token fails here, at the first API
    request, with `problem` (which never repeats the token).
    """

    def __init__(self, token: str | None, problem: str | None, base_url: str) -> None:
        url = httpx.URL(base_url)
        self._problem = problem
        self._header = None if problem else f"Bearer {token}"
        self._origin = (url.scheme, url.host, url.port)
        self._path = url.path.rstrip("/") + "/"

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


def sync_http(transport: Any, policy: RetryPolicy, options: dict[str, Any]) -> httpx.Client:
    """A retrying httpx client over `transport` (default: our HTTP/1.1 `Transport`).

    With our transport, the proxies the environment names are honoured as httpx
    would honour them for its own (httpx ignores them once given a transport).
    """
    mounts: dict[str, httpx.BaseTransport | None] = {}
    if not isinstance(transport, httpx.BaseTransport):
        transport = Transport()
        for pattern, proxy in environment_proxies().items():
            mounts[pattern] = (
                None if proxy is None else RetryTransport(httpx.HTTPTransport(proxy=proxy), policy)
            )
    return httpx.Client(transport=RetryTransport(transport, policy), mounts=mounts, **options)


def async_http(transport: Any, policy: RetryPolicy, options: dict[str, Any]) -> httpx.AsyncClient:
    """The async twin of `sync_http`."""
    from ._async_transport import AsyncTransport

    mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
    if not isinstance(transport, httpx.AsyncBaseTransport):
        transport = AsyncTransport()
        for pattern, proxy in environment_proxies().items():
            mounts[pattern] = (
                None
                if proxy is None
                else AsyncRetryTransport(httpx.AsyncHTTPTransport(proxy=proxy), policy)
            )
    return httpx.AsyncClient(
        transport=AsyncRetryTransport(transport, policy), mounts=mounts, **options
    )


def environment_proxies() -> dict[str, str | None]:
    """The httpx mount patterns for HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY.

    A pattern maps to the proxy URL to use, or to None for hosts NO_PROXY
    exempts. Read through `urllib.request.getproxies()`, which knows the
    platform's conventions (both letter cases, and no HTTP_PROXY in CGI).
    """
    import urllib.request  # already loaded by httpx

    found = urllib.request.getproxies()
    mounts: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        url = found.get(scheme)
        if url:
            mounts[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    for host in (found.get("no") or "").split(","):
        host = host.strip()
        if host == "*":
            return {}
        if host:
            mounts[_exempt_pattern(host)] = None
    return mounts


def _exempt_pattern(host: str) -> str:
    if ":" in host and not host.startswith("["):  # an IPv6 address
        return f"all://[{host}]"
    if host.replace(".", "").isdigit() or host.lower() == "localhost" or host.startswith("["):
        return f"all://{host}"
    return f"all://*{host}"  # the domain and every name under it
