"""The web pages: each prediction's and training's ``urls.web``, and a root listing recent ones.

A page is one HTML answer with its style, its script and the data it shows
inline (nothing to build, nothing fetched from elsewhere: it works offline, and
its Content-Security-Policy forbids any other origin). The script draws the
page from that data, then follows an event stream of fresh snapshots
(``/p/{id}/live``, ``/live``) so a running prediction's status, logs, progress
bar, output and webhook deliveries update without a reload. The pages need no
token, as the server's output files need none: the server listens on loopback
for its user alone.

Snapshots are compared as JSON and sent only when they change; the stream
wakes on the job's own events and looks again at least every quarter second
(webhook answers and the list have no event of their own).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import AsyncIterator, Callable
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse

from ._http import path_param, server_state
from ._jobs import Job
from ._state import ServerState
from ._webhooks import WebhookDelivery

__all__ = ["home", "home_live", "job_live", "job_page", "job_snapshot", "list_snapshot"]

RECENT = 200  # jobs the root lists
_LOOK_AGAIN = 0.25  # seconds between looks when nothing woke the stream
_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'"
)


@functools.cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("web", name).read_text(encoding="utf-8")


def _page(title: str, view: str, data: Any, live: str, status: int = 200) -> Response:
    # "</" would end the script element early, whatever the JSON around it.
    payload = json.dumps(data).replace("</", "<\\/")
    html = (
        _asset("page.html")
        .replace("{{title}}", _escape(title))
        .replace("{{view}}", view)
        .replace("{{live}}", _escape(live))
        .replace("{{style}}", _asset("page.css"))
        .replace("{{data}}", payload)
        .replace("{{script}}", _asset("page.js"))
    )
    headers = {"Content-Security-Policy": _POLICY, "Cache-Control": "no-store"}
    return HTMLResponse(html, status_code=status, headers=headers)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _output_display(state: ServerState, job: Job) -> str | None:
    """``concatenate`` or ``iterator`` for iterator outputs, from the version's schema."""
    model = state.models.get(job.model)
    version = model.find_version(job.version) if model else None
    if version is None:
        return None
    output = version.openapi_schema.get("components", {}).get("schemas", {}).get("Output", {})
    if output.get("x-cog-array-type") != "iterator":
        return None
    return "concatenate" if output.get("x-cog-array-display") == "concatenate" else "iterator"


def _files(state: ServerState, value: Any, found: dict[str, str]) -> dict[str, str]:
    """The content type of every output file of this server that ``value`` names."""
    prefix = f"{state.origin}/delivery/"
    if isinstance(value, str) and value.startswith(prefix):
        stored = state.outputs.get(value.removeprefix(prefix))
        if stored is not None:
            found[value] = stored[1]
    elif isinstance(value, list):
        for item in value:
            _files(state, item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _files(state, item, found)
    return found


def job_snapshot(state: ServerState, job: Job) -> dict[str, Any]:
    """What a job's page shows: the job as the API answers it, and what the API does not say."""
    import replicate_ext  # lazily: the pages are the server's only use of the client

    progress = replicate_ext.parse_progress(job.logs) if job.logs else None
    deliveries = [d for d in state.webhook_deliveries if d.job_id == job.id]
    document = job.to_json(view="predictions" if job.kind == "prediction" else "trainings")
    return {
        "kind": job.kind,
        "job": document,
        "display": _output_display(state, job),
        "files": _files(state, [document["output"], document["input"]], {}),
        "progress": None
        if progress is None
        else {
            "current": progress.current,
            "total": progress.total,
            "percentage": progress.percentage,
        },
        "webhooks": _webhooks(deliveries),
        "api": f"{state.origin}/v1",
    }


def _webhooks(deliveries: list[WebhookDelivery]) -> list[dict[str, Any]]:
    """One row per webhook sent (its attempts share a ``webhook-id``), with its last answer."""
    rows: dict[str, dict[str, Any]] = {}
    for delivery in deliveries:
        message = delivery.headers.get("webhook-id", f"{delivery.event}:{delivery.at}")
        row = rows.setdefault(message, {"event": delivery.event, "at": delivery.at})
        row.update(
            attempts=delivery.attempt, status_code=delivery.status_code, error=delivery.error
        )
    return list(rows.values())


def _recent(state: ServerState) -> list[Job]:
    jobs = [*state.predictions.values(), *state.trainings.values()]
    return sorted(jobs, key=lambda job: job.created_at, reverse=True)[:RECENT]


def list_snapshot(state: ServerState) -> dict[str, Any]:
    """What the root shows: recent predictions and trainings, newest first."""
    rows = []
    for job in _recent(state):
        document = job.to_json()
        rows.append(
            {
                "kind": job.kind,
                "id": job.id,
                "model": job.model,
                "version": job.version,
                "status": job.status,
                "created_at": document["created_at"],
                "metrics": document["metrics"],
                "web": document["urls"]["web"],
            }
        )
    total = len(state.predictions) + len(state.trainings)
    return {"jobs": rows, "total": total, "models": len(state.models), "api": f"{state.origin}/v1"}


def _find(state: ServerState, job_id: str) -> Job | None:
    return state.predictions.get(job_id) or state.trainings.get(job_id)


async def home(request: Request) -> Response:
    """GET /: recent predictions and trainings."""
    state = server_state(request)
    return _page("Local Replicate server", "list", list_snapshot(state), "/live")


async def job_page(request: Request) -> Response:
    """GET /p/{id}: one prediction or training."""
    state = server_state(request)
    job_id = path_param(request, "id")
    job = _find(state, job_id)
    if job is None:
        missing = {"missing": job_id, "api": f"{state.origin}/v1"}
        return _page(f"No prediction {job_id}", "missing", missing, "", status=404)
    return _page(f"{job.model} · {job.id}", "job", job_snapshot(state, job), f"/p/{job.id}/live")


def _stream(
    state: ServerState, snapshot: Callable[[], dict[str, Any]], job: Job | None
) -> Response:
    async def events() -> AsyncIterator[bytes]:
        last = ""
        while not state.closing:
            current = json.dumps(snapshot())
            if current != last:
                last = current
                yield f"event: snapshot\ndata: {current}\n\n".encode()
            if job is not None:
                async with job.changed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(job.changed.wait(), _LOOK_AGAIN)
            else:
                await asyncio.sleep(_LOOK_AGAIN)

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


async def job_live(request: Request) -> Response:
    """GET /p/{id}/live: the job's snapshot, again each time it changes."""
    state = server_state(request)
    job = _find(state, path_param(request, "id"))
    if job is None:
        return Response(status_code=404)
    return _stream(state, lambda: job_snapshot(state, job), job)


async def home_live(request: Request) -> Response:
    """GET /live: the list's snapshot, again each time it changes."""
    state = server_state(request)
    return _stream(state, lambda: list_snapshot(state), None)
