"""Routes for predictions and trainings: creation, Prefer/Cancel-After, cancel, lists, streams."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ._faults import Fault
from ._gateway import FAULT_SCOPE_KEY
from ._http import (
    field_error,
    find_deployment,
    find_model,
    json_response,
    path_param,
    read_json,
    require_fields,
    server_state,
)
from ._jobs import Job
from ._pagination import paginate
from ._problems import Problem, invalid_input
from ._records import ModelRecord, Version
from ._sse import EventStream
from ._state import ServerState
from ._util import new_id, parse_duration, parse_iso
from ._validate import validate_input

# Replicate inlines only small output files as data URLs in sync mode.
SYNC_DATA_URL_MAX_BYTES = 256 * 1024
PREFER = re.compile(r"^wait(=([1-9]|[1-9][0-9]|60))?$")
WEBHOOK_EVENTS = ("start", "output", "logs", "completed")


def _prefer_wait(request: Request) -> float | None:
    header = request.headers.get("prefer")
    if header is None:
        return None
    match = PREFER.match(header.strip())
    if match is None:
        raise Problem(
            400,
            f"Invalid Prefer header {header!r}: expected 'wait' or 'wait=N' with N in 1..60",
        )
    # The documented pattern also admits 61..99; Replicate never waits more than 60 s.
    return min(60.0, float(match.group(2) or 60))


MIN_CANCEL_AFTER = 5.0
# The longest duration Go's time.Duration holds (2^63 - 1 ns, about 292 years): the
# API's duration syntax is Go's, and a longer one is refused rather than clamped.
MAX_CANCEL_AFTER = (2**63 - 1) / 1e9
_BARE_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _cancel_after(request: Request) -> float | None:
    header = request.headers.get("cancel-after")
    if header is None:
        return None
    text = header.strip()
    try:
        # A bare number is seconds (API-NOTES, and the published schema's header).
        seconds = float(text) if _BARE_SECONDS.fullmatch(text) else parse_duration(text)
    except ValueError:
        raise Problem(
            400, f"Invalid Cancel-After header {header!r}: expected a duration like 30s or 1h30m"
        ) from None
    if seconds < MIN_CANCEL_AFTER:
        raise Problem(
            400, f"Invalid Cancel-After header {header!r}: the minimum is {MIN_CANCEL_AFTER:g}s"
        )
    if seconds > MAX_CANCEL_AFTER:
        raise Problem(400, f"Invalid Cancel-After header {header!r}: the maximum is 2562047h47m16s")
    return seconds


def _webhook_settings(body: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    webhook = body.get("webhook")
    if webhook is not None and not (
        isinstance(webhook, str) and webhook.startswith(("http://", "https://"))
    ):
        raise field_error("webhook", "webhook must be an http(s) URL")
    events = body.get("webhook_events_filter")
    if events is None:
        return webhook, WEBHOOK_EVENTS
    if not isinstance(events, list) or any(e not in WEBHOOK_EVENTS for e in events):
        raise field_error(
            "webhook_events_filter",
            f"webhook_events_filter must be a list of {', '.join(WEBHOOK_EVENTS)}",
        )
    return webhook, tuple(events)


def _data_url_output(state: ServerState, output: Any) -> Any:
    if isinstance(output, list):
        return [_data_url_output(state, item) for item in output]
    if isinstance(output, str) and output.startswith(f"{state.origin}/delivery/"):
        resolved = state.resolve_file(output)
        if resolved is not None and len(resolved[0]) <= SYNC_DATA_URL_MAX_BYTES:
            data, content_type = resolved
            return f"data:{content_type};base64,{base64.b64encode(data).decode()}"
    return output


async def _start_prediction(
    request: Request,
    route: str,
    model: ModelRecord,
    version: Version,
    body: dict[str, Any],
    deployment: str | None = None,
) -> Response:
    state = server_state(request)
    wait = _prefer_wait(request)
    cancel_after = _cancel_after(request)
    if "input" not in body:
        raise field_error("", "input is required", "required")
    errors = validate_input(body["input"], version.openapi_schema)
    if errors:
        raise invalid_input(errors)
    webhook, events = _webhook_settings(body)
    job = Job(
        kind="prediction",
        id=new_id(),
        model=model.full_name,
        version=version.id,
        input=body["input"],
        origin=state.origin,
        streams=version.streams,
        iterator_output=version.streams,
        deployment=deployment,
        webhook=webhook,
        webhook_events_filter=events,
    )
    if "stream" in body:
        job.stream_requested = bool(body["stream"])
    if cancel_after is not None:
        job.deadline = job.created_at + timedelta(seconds=cancel_after)
    state.creations[route] += 1
    model.run_count += 1
    state.launch(job, state.runner_for(model, version), cancel_after)
    if wait is not None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(job.done.wait(), wait)
    document = job.to_json()
    if wait is not None and state.sync_data_urls:
        document["output"] = _data_url_output(state, document["output"])
    # 201 whether or not it has ended, as every recorded creation answers.
    return json_response(document, 201, headers={"Location": job.urls()["get"]})


async def create_prediction(request: Request) -> Response:
    """POST /predictions."""
    state = server_state(request)
    body = await read_json(request)
    version = body.get("version")
    if not isinstance(version, str) or not version:
        raise field_error("", "version is required", "required")
    found = state.find_version(version)
    if found is None:
        # Word for word the API's answer (seen in the wild): a problem without fields.
        raise Problem(
            422,
            "The specified version does not exist (or perhaps you don't have permission "
            "to use it?)",
            title="Invalid version or not permitted",
        )
    model, found_version = found
    return await _start_prediction(request, "POST /v1/predictions", model, found_version, body)


async def create_model_prediction(request: Request) -> Response:
    """POST /models/{owner}/{name}/predictions."""
    state = server_state(request)
    model = find_model(state, path_param(request, "owner"), path_param(request, "name"))
    body = await read_json(request)
    latest = model.latest_version
    if latest is None:
        raise Problem(422, f"Model {model.full_name} has no versions to run")
    route = "POST /v1/models/{model_owner}/{model_name}/predictions"
    return await _start_prediction(request, route, model, latest, body)


async def create_deployment_prediction(request: Request) -> Response:
    """POST /deployments/{owner}/{name}/predictions."""
    state = server_state(request)
    deployment = find_deployment(state, request)
    body = await read_json(request)
    found = state.find_version(f"{deployment.release.model}:{deployment.release.version}")
    if found is None:
        raise Problem(422, "The deployment's version no longer exists")
    model, version = found
    route = "POST /v1/deployments/{deployment_owner}/{deployment_name}/predictions"
    name = f"{deployment.owner}/{deployment.name}"
    return await _start_prediction(request, route, model, version, body, deployment=name)


def _job(store: dict[str, Job], request: Request, kind: str) -> Job:
    job = store.get(path_param(request, "id"))
    if job is None:
        raise Problem(404, f"{kind.title()} not found")
    return job


def _prediction_or_training(state: ServerState, request: Request) -> Job:
    # The API hands a new training URLs under /predictions/: they work for it.
    job = state.predictions.get(path_param(request, "id"))
    return job if job is not None else _job(state.trainings, request, "prediction")


async def get_prediction(request: Request) -> Response:
    """GET /predictions/{id} (a training's id too)."""
    job = _prediction_or_training(server_state(request), request)
    return json_response(job.to_json(view="predictions"))


async def cancel_job(request: Request) -> Response:
    """POST /predictions/{id}/cancel (a training's id too) and /trainings/{id}/cancel."""
    state = server_state(request)
    if request.url.path.startswith("/v1/predictions"):
        job, view = _prediction_or_training(state, request), "predictions"
    else:
        job, view = _job(state.trainings, request, "training"), "trainings"
    if not job.terminal:
        state.request_cancel(job)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(job.done.wait(), 5)
    return json_response(job.to_json(view=view))


def _created_filter(request: Request, name: str) -> datetime | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        raise Problem(400, f"{name} must be an ISO 8601 timestamp") from None


async def list_predictions(request: Request) -> Response:
    """GET /predictions (newest first; created_after / created_before)."""
    state = server_state(request)
    after = _created_filter(request, "created_after")
    before = _created_filter(request, "created_before")
    jobs = [
        job
        for job in reversed(state.predictions.values())
        if (after is None or job.created_at >= after)
        and (before is None or job.created_at < before)
    ]
    return json_response(paginate(request, jobs, Job.to_json, state.page_size, state.origin))


async def stream_prediction(request: Request) -> Response:
    """GET /predictions/{id}/stream (server-sent events)."""
    state = server_state(request)
    job = _job(state.predictions, request, "prediction")
    if not job.streams:
        raise Problem(404, "This prediction's model does not stream its output")
    faults: dict[str, Fault] = {f.kind: f for f in request.scope.get(FAULT_SCOPE_KEY, [])}
    drop, no_done = faults.get("drop_stream"), faults.get("stream_no_done")
    # A server that ignores Last-Event-ID (stream_restart) starts over.
    resume = job.event_position(request.headers.get("last-event-id"))
    return EventStream(
        job,
        state,
        start=0 if "stream_restart" in faults else resume,
        drop_after=None if drop is None else drop.after_events,
        close_after=None if no_done is None or no_done.after_events <= 0 else no_done.after_events,
        send_done=no_done is None,
    )


async def create_training(request: Request) -> Response:
    """POST /models/{owner}/{name}/versions/{id}/trainings."""
    state = server_state(request)
    model = find_model(state, path_param(request, "owner"), path_param(request, "name"))
    version = model.find_version(path_param(request, "version_id"))
    if version is None:
        raise Problem(404, "Version not found")
    body = await read_json(request)
    require_fields(body, {"destination": str, "input": dict})
    destination = state.models.get(body["destination"])
    if destination is None or destination.owner != state.username:
        # Word for word what the API answers (recorded), untitled; a model of
        # someone else's is no destination either, and is not told apart.
        raise Problem(404, "The specified training destination does not exist", title="")
    if version.trainer is None:
        raise Problem(422, f"{model.full_name} does not support training")
    errors = validate_input(body["input"], version.openapi_schema, "TrainingInput")
    if errors:
        raise invalid_input(errors)
    webhook, events = _webhook_settings(body)
    job = Job(
        kind="training",
        id=new_id(),
        model=model.full_name,
        version=version.id,
        input=body["input"],
        origin=state.origin,
        destination=destination.full_name,
        webhook=webhook,
        webhook_events_filter=events,
    )
    state.creations[
        "POST /v1/models/{model_owner}/{model_name}/versions/{version_id}/trainings"
    ] += 1
    state.launch(job, version.trainer, None)
    # As recorded: the new training's URLs point under /predictions/.
    document = job.to_json(view="predictions")
    return json_response(document, 201, headers={"Location": document["urls"]["get"]})


async def get_training(request: Request) -> Response:
    """GET /trainings/{id}."""
    return json_response(_job(server_state(request).trainings, request, "training").to_json())


async def list_trainings(request: Request) -> Response:
    """GET /trainings (newest first)."""
    state = server_state(request)
    jobs = list(reversed(state.trainings.values()))
    return json_response(paginate(request, jobs, Job.to_json, state.page_size, state.origin))
