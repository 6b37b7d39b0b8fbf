"""Cursor pagination: ``{"next", "previous", "results"}`` with full-URL cursors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from starlette.requests import Request

from ._problems import Problem

T = TypeVar("T")


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o={offset}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        key, _, value = text.partition("=")
        offset = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Problem(400, f"Invalid cursor {cursor!r}") from None
    if key != "o" or offset < 0:
        raise Problem(400, f"Invalid cursor {cursor!r}")
    return offset


def paginate(
    request: Request,
    items: Sequence[T],
    render: Callable[[T], Any],
    page_size: int,
    origin: str,
) -> dict[str, Any]:
    """One page of ``items`` (already in display order) for this request's cursor."""
    cursor = request.query_params.get("cursor")
    offset = _decode(cursor) if cursor else 0
    page = items[offset : offset + page_size]
    url = request.url
    if origin:
        # Keep every URL on the origin the server advertises, whatever Host was used.
        url = url.replace(scheme=origin.split("://")[0], netloc=origin.split("://")[1])
    next_url = None
    previous_url = None
    if offset + page_size < len(items):
        next_url = str(url.include_query_params(cursor=_encode(offset + page_size)))
    if offset > 0:
        previous_url = str(url.include_query_params(cursor=_encode(max(0, offset - page_size))))
    return {"next": next_url, "previous": previous_url, "results": [render(i) for i in page]}
