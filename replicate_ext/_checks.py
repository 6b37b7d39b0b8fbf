"""Checks of arguments, so that a bad one fails before any request is sent."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

WEBHOOK_EVENTS = ("start", "output", "logs", "completed")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def positive_seconds(name: str, value: Any) -> float:
    """`value` if a finite number of seconds above zero; else an error naming `name`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number of seconds above 0, not {value!r}")
    return float(value)


def callback(name: str, value: Any) -> Any:
    """`value` if None or callable; else an error naming `name` (before a prediction is made)."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a function (or None), not {type(value).__name__}")
    return value


def job_reference(name: str, value: Any) -> None:
    """Check that `value` is a prediction (or training), or its id: not None, a dict, ""."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(f"{name} must be an id, not {value!r}")
        return
    if isinstance(getattr(value, "id", None), str) and hasattr(value, "urls"):
        return  # a Prediction or a Training, or an object shaped like one
    raise TypeError(
        f"{name} must be a Prediction or Training (or its id), not {type(value).__name__}"
    )


MIN_CANCEL_AFTER = 5.0
"""The shortest `Cancel-After` the API accepts, in seconds."""


def cancel_after_seconds(value: Any) -> float:
    """`value` if the API can take it as a `Cancel-After` deadline (5 seconds or more)."""
    seconds = positive_seconds("cancel_after", value)
    if seconds < MIN_CANCEL_AFTER:
        raise ValueError(
            f"cancel_after must be at least {MIN_CANCEL_AFTER:g} seconds (the API's minimum), "
            f"not {value!r}; run(..., timeout=...) keeps shorter deadlines on the client"
        )
    return seconds


def base_url_option(value: Any, source: str = "base_url") -> str:
    """`value` as the API root every request goes under; else an error naming `source`.

    It must be an http(s) URL with a host: without a scheme it could only fail
    later, at the first request, with an error about something else. A URL
    with no path (`http://127.0.0.1:8787`, as `replicate` 1.x takes it) means
    the API's root there, `/v1`.
    """
    from urllib.parse import urlsplit, urlunsplit

    if not isinstance(value, str):
        raise TypeError(f"{source} must be a URL string, not {type(value).__name__}")
    text = value.strip()
    try:
        parts = urlsplit(text)
        host, _ = parts.hostname, parts.port  # .port raises ValueError for a bad one
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        why = "it has no scheme: start it with https:// or http://" if "://" not in text else ""
        raise ValueError(
            f"{source} must be an http:// or https:// URL with a host, such as "
            f"https://api.replicate.com/v1, not {value!r}" + (f" ({why})" if why else "")
        )
    if parts.query or parts.fragment:
        raise ValueError(f"{source} must not have a query or a fragment, not {value!r}")
    path = parts.path.rstrip("/") or "/v1"
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


def webhook_url(url: Any) -> str:
    """`url` if Replicate may be sent to it: https, or plain http to this machine only."""
    from urllib.parse import urlsplit

    if not isinstance(url, str):
        raise TypeError(f"webhook must be a URL string, not {type(url).__name__}")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if (
        parts is not None
        and host
        and (parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(host)))
    ):
        return url
    raise ValueError(
        f"webhook must be an https URL (or http to a loopback host, for tests), not {url!r}"
    )


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def webhook_events(events: Any) -> list[str]:
    """`events` as a list, each one of `WEBHOOK_EVENTS`."""
    if isinstance(events, (str, bytes)) or not isinstance(events, Sequence):
        raise TypeError(
            f"webhook_events_filter must be a list of events, not {type(events).__name__}"
        )
    unknown = [event for event in events if event not in WEBHOOK_EVENTS]
    if unknown:
        raise ValueError(
            f"webhook_events_filter has unknown events {unknown!r}; "
            f"expected some of {', '.join(WEBHOOK_EVENTS)}"
        )
    return list(events)


def timeout_option(value: Any) -> None:
    """Check a client's `timeout`: seconds, an `httpx.Timeout`, or None for no limit."""
    if value is None:
        return
    fields = [value]
    if hasattr(value, "connect"):  # an httpx.Timeout
        fields = [value.connect, value.read, value.write, value.pool]
    for field in fields:
        if field is not None:
            positive_seconds("timeout", field)


def clean_token(token: str | None) -> str | None:
    """The token without surrounding whitespace (as read from a file, say)."""
    return None if token is None else token.strip()


def token_problem(token: str | None) -> str | None:
    """Why `token` cannot be sent (never repeating it), or None if it can."""
    if token is None:
        return "no API token: pass api_token=... or set REPLICATE_API_TOKEN"
    if not token:
        return "the API token is empty: give a token (api_token=... or REPLICATE_API_TOKEN)"
    if not (token.isascii() and token.isprintable()) or any(c.isspace() for c in token):
        return "the API token has characters an HTTP header cannot carry: check how it was read"
    return None
