"""Helpers for use() and `replicate-ext types` tests: what the local server was asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer


def schema_requests(server: LocalServer) -> int:
    """How many model, version or deployment lookups the server answered."""
    return sum(
        1
        for request in server.state.requests
        if request.method == "GET"
        and request.path.startswith(("/v1/models/", "/v1/deployments/"))
        and not request.path.endswith("/predictions")
    )
