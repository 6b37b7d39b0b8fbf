"""Errors as ``application/problem+json``, the way every Replicate endpoint reports them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import Response
from starlette.types import Send

PROBLEM_JSON = "application/problem+json"

_TITLES = {
    400: "Bad Request",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Request Entity Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def default_title(status: int) -> str:
    """The title used for a status when the caller gives none."""
    return _TITLES.get(status, "Error")


class Problem(Exception):
    """Raised by handlers to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        invalid_fields: Sequence[Mapping[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        # title="" leaves it out, as some of the API's answers do.
        self.title = default_title(status) if title is None else title
        self.invalid_fields = [dict(field) for field in invalid_fields or ()]
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON document, its keys in the order the real API sends them."""
        if self.invalid_fields:
            # As the API's validation answers come: the title after the status.
            return {
                "detail": self.detail,
                "status": self.status,
                "title": self.title,
                "invalid_fields": self.invalid_fields,
            }
        document: dict[str, Any] = {"title": self.title} if self.title else {}
        document.update({"detail": self.detail, "status": self.status})
        return document

    def encoded(self) -> bytes:
        """The JSON document as bytes."""
        return json.dumps(self.body()).encode()

    def response(self) -> Response:
        """A Starlette response carrying this problem."""
        return Response(
            self.encoded(), status_code=self.status, media_type=PROBLEM_JSON, headers=self.headers
        )

    async def send(self, send: Send) -> None:
        """Answer a raw ASGI request with this problem."""
        body = self.encoded()
        headers = [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        headers += [(k.lower().encode(), v.encode()) for k, v in self.headers.items()]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def invalid_input(fields: Sequence[Mapping[str, str]]) -> Problem:
    """A 422 listing every invalid field, with a detail that lists them too.

    Worded as the API words it: ``- input.width: Must be less than or equal to
    256``, one line each, and ``- version is required`` for the body itself.
    """
    lines = [
        f"- {field['field']}: {field['description']}"
        if field["field"]
        else f"- {field['description']}"
        for field in fields
    ]
    return Problem(
        422,
        "\n".join(lines) + "\n",
        title="Input validation failed",
        invalid_fields=fields,
    )
