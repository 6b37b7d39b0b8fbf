"""The ASGI layer in front of the routes: request log, faults, auth and rate limits."""

from __future__ import annotations

import asyncio
import hmac
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._faults import Fault, throttled_detail
from ._problems import Problem
from ._state import ServerState

FAULT_SCOPE_KEY = "replicate_ext.fault"
AUTH_SCOPE_KEY = "replicate_ext.authenticated"
_SIGNED_DOWNLOAD = re.compile(r"^/v1/files/[^/]+/download/?$")


class Gateway:
    """Wraps the route app: every request is recorded, maybe faulted, authenticated."""

    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope["headers"]
        }
        query = scope.get("query_string", b"").decode("latin-1")
        self.state.record_request(method, path, query, headers)
        if not self.state.origin:
            # Served by someone else's uvicorn: learn the origin from the first request.
            scheme = scope.get("scheme", "http")
            self.state.set_origin(f"{scheme}://{headers.get('host', 'localhost')}")

        fault = self.state.faults.take(method, path)
        if fault is not None:
            if fault.kind in ("slow_after", "drop_after"):
                send = _after_acting(send, fault)
            elif fault.kind == "slow":
                await asyncio.sleep(fault.delay)
            elif fault.kind in ("status", "429"):
                extra = {}
                if fault.retry_after is not None:
                    extra["Retry-After"] = f"{fault.retry_after:g}"
                detail = (
                    throttled_detail(max(1, round(fault.retry_after or 1)))
                    if fault.status == 429
                    else "Injected fault"
                )
                await Problem(fault.status, detail, headers=extra).send(send)
                return
            elif fault.kind == "drop":
                await self._drop(send, fault.partial_body)
                return
            else:  # faults of event streams, which may combine
                scope[FAULT_SCOPE_KEY] = self.state.faults.take_stream_faults(method, path, fault)

        if path.startswith("/v1/") or path == "/v1":
            authenticated = self._authenticated(headers.get("authorization", ""))
            scope[AUTH_SCOPE_KEY] = authenticated
            signed = _SIGNED_DOWNLOAD.match(path) and "signature=" in query
            if not authenticated and not signed:
                detail = "You did not pass a valid authentication token"
                await Problem(401, detail, title="Unauthenticated").send(send)
                return
            retry_after = self.state.rate_limiter.check(method, path)
            if retry_after is not None:
                await Problem(
                    429,
                    throttled_detail(retry_after),
                    headers={"Retry-After": str(retry_after)},
                ).send(send)
                return
        await self.app(scope, receive, send)

    def _authenticated(self, authorization: str) -> bool:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode(), self.state.token.encode())

    @staticmethod
    async def _drop(send: Send, partial: bytes) -> None:
        # Announce more body than we send and stop: the server closes the connection
        # mid-response, which is what a client sees when a proxy drops it.
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(partial) + 1024).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": partial, "more_body": True})


def _after_acting(send: Send, fault: Fault) -> Send:
    """`send`, holding the answer back for `fault.delay` (slow_after) or cutting it (drop_after).

    The route has run by then: a creation has made its prediction, which the
    client learns of late, or never.
    """
    answered = False

    async def late(message: Message) -> None:
        nonlocal answered
        if message["type"] == "http.response.start":
            answered = True
            if fault.kind == "slow_after":
                await asyncio.sleep(fault.delay)
            else:
                await Gateway._drop(send, fault.partial_body)
                return
        elif fault.kind == "drop_after" and answered:
            return  # the rest of an answer already cut off
        await send(message)

    return late
