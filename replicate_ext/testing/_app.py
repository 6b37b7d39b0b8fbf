"""The routes of Replicate's HTTP API, served from a :class:`ServerState`."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive

from ._faults import Fault
from ._gateway import AUTH_SCOPE_KEY, FAULT_SCOPE_KEY, Gateway
from ._jobs import Job
from ._models import DOC_PAGES, HARDWARE
from ._pagination import paginate
from ._problems import Problem, invalid_input
from ._records import Deployment, ModelRecord, Release, StoredFile, Version
from ._sse import EventStream
from ._state import ServerState
from ._util import new_id, parse_duration, parse_iso, utcnow
from ._validate import validate_input

# Replicate inlines only small output files as data URLs in sync mode.
SYNC_DATA_URL_MAX_BYTES = 256 * 1024
PREFER = re.compile(r"^wait(=([1-9]|[1-9][0-9]|60))?$")
WEBHOOK_EVENTS = ("start", "output", "logs", "completed")
# Replicate's published bounds for deployment scaling.
MAX_MIN_INSTANCES = 5
MAX_MAX_INSTANCES = 20
MODEL_FIELDS_UPDATABLE = (
    "description",
    "github_url",
    "license_url",
    "paper_url",
    "readme",
    "weights_url",
)
Handler = Callable[[Request], Awaitable[Response]]


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.replicate
    return state


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(data, status_code=status, headers=headers)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise Problem(400, "The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise Problem(400, "The request body must be a JSON object")
    return data


def _require(body: dict[str, Any], types: Mapping[str, type]) -> None:
    fields = []
    for name, kind in types.items():
        if name not in body:
            fields.append({"type": "required", "field": name, "description": f"{name} is required"})
        elif not isinstance(body[name], kind) or (isinstance(body[name], bool) and kind is int):
            fields.append(
                {"type": "invalid_type", "field": name, "description": f"{name} has the wrong type"}
            )
    if fields:
        raise invalid_input(fields)


def _field_error(field: str, description: str, kind: str = "invalid") -> Problem:
    return invalid_input([{"type": kind, "field": field, "description": description}])


def _model(state: ServerState, owner: str, name: str) -> ModelRecord:
    model = state.models.get(f"{owner}/{name}")
    if model is None or (model.visibility == "private" and model.owner != state.username):
        raise Problem(404, f"Model {owner}/{name} not found")
    return model


def _own_model(state: ServerState, model: ModelRecord) -> None:
    if model.owner != state.username:
        raise Problem(403, f"You do not have permission to change {model.full_name}")


def _path(request: Request, key: str) -> str:
    value: str = request.path_params[key]
    return value


# -- predictions and trainings ---------------------------------------------------------------


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


def _cancel_after(request: Request) -> float | None:
    header = request.headers.get("cancel-after")
    if header is None:
        return None
    try:
        return parse_duration(header.strip())
    except ValueError:
        raise Problem(
            400, f"Invalid Cancel-After header {header!r}: expected a duration like 30s or 1h30m"
        ) from None


def _webhook_settings(body: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    webhook = body.get("webhook")
    if webhook is not None and not (
        isinstance(webhook, str) and webhook.startswith(("http://", "https://"))
    ):
        raise _field_error("webhook", "webhook must be an http(s) URL")
    events = body.get("webhook_events_filter")
    if events is None:
        return webhook, WEBHOOK_EVENTS
    if not isinstance(events, list) or any(e not in WEBHOOK_EVENTS for e in events):
        raise _field_error(
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
    state = _state(request)
    wait = _prefer_wait(request)
    cancel_after = _cancel_after(request)
    if "input" not in body:
        raise _field_error("input", "input is required", "required")
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
    if cancel_after is not None:
        job.deadline = job.created_at + timedelta(seconds=cancel_after)
    state.creations[route] += 1
    model.run_count += 1
    state.launch(job, version.runner, cancel_after)
    if wait is not None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(job.done.wait(), wait)
    document = job.to_json()
    if wait is not None and state.sync_data_urls:
        document["output"] = _data_url_output(state, document["output"])
    status = 201 if job.terminal else 202
    return _json(document, status, headers={"Location": job.urls()["get"]})


async def create_prediction(request: Request) -> Response:
    """POST /predictions."""
    state = _state(request)
    body = await _body(request)
    version = body.get("version")
    if not isinstance(version, str) or not version:
        raise _field_error("version", "version is required", "required")
    found = state.find_version(version)
    if found is None:
        raise _field_error("version", f"Invalid version or not permitted: {version}")
    model, found_version = found
    return await _start_prediction(request, "POST /v1/predictions", model, found_version, body)


async def create_model_prediction(request: Request) -> Response:
    """POST /models/{owner}/{name}/predictions."""
    state = _state(request)
    model = _model(state, _path(request, "owner"), _path(request, "name"))
    body = await _body(request)
    latest = model.latest_version
    if latest is None:
        raise Problem(422, f"Model {model.full_name} has no versions to run")
    route = "POST /v1/models/{model_owner}/{model_name}/predictions"
    return await _start_prediction(request, route, model, latest, body)


async def create_deployment_prediction(request: Request) -> Response:
    """POST /deployments/{owner}/{name}/predictions."""
    state = _state(request)
    deployment = _deployment(state, request)
    body = await _body(request)
    found = state.find_version(f"{deployment.release.model}:{deployment.release.version}")
    if found is None:
        raise Problem(422, "The deployment's version no longer exists")
    model, version = found
    route = "POST /v1/deployments/{deployment_owner}/{deployment_name}/predictions"
    name = f"{deployment.owner}/{deployment.name}"
    return await _start_prediction(request, route, model, version, body, deployment=name)


def _job(store: dict[str, Job], request: Request, kind: str) -> Job:
    job = store.get(_path(request, "id"))
    if job is None:
        raise Problem(404, f"{kind.title()} not found")
    return job


async def get_prediction(request: Request) -> Response:
    """GET /predictions/{id}."""
    return _json(_job(_state(request).predictions, request, "prediction").to_json())


async def cancel_job(request: Request) -> Response:
    """POST /predictions/{id}/cancel and /trainings/{id}/cancel."""
    state = _state(request)
    kind = "prediction" if request.url.path.startswith("/v1/predictions") else "training"
    store = state.predictions if kind == "prediction" else state.trainings
    job = _job(store, request, kind)
    if not job.terminal:
        state.request_cancel(job)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(job.done.wait(), 5)
    return _json(job.to_json())


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
    state = _state(request)
    after = _created_filter(request, "created_after")
    before = _created_filter(request, "created_before")
    jobs = [
        job
        for job in reversed(state.predictions.values())
        if (after is None or job.created_at >= after)
        and (before is None or job.created_at < before)
    ]
    return _json(paginate(request, jobs, Job.to_json, state.page_size, state.origin))


async def stream_prediction(request: Request) -> Response:
    """GET /predictions/{id}/stream (server-sent events)."""
    state = _state(request)
    job = _job(state.predictions, request, "prediction")
    if not job.streams:
        raise Problem(404, "This prediction's model does not stream its output")
    try:
        last = int(request.headers.get("last-event-id", "0"))
    except ValueError:
        last = 0
    fault: Fault | None = request.scope.get(FAULT_SCOPE_KEY)
    drop_after = fault.after_events if fault is not None and fault.kind == "drop_stream" else None
    return EventStream(job, state, last_event_id=last, drop_after=drop_after)


async def create_training(request: Request) -> Response:
    """POST /models/{owner}/{name}/versions/{id}/trainings."""
    state = _state(request)
    model = _model(state, _path(request, "owner"), _path(request, "name"))
    version = model.find_version(_path(request, "version_id"))
    if version is None:
        raise Problem(404, "Version not found")
    body = await _body(request)
    _require(body, {"destination": str, "input": dict})
    destination = state.models.get(body["destination"])
    if destination is None or destination.owner != state.username:
        raise _field_error(
            "destination",
            f"Destination {body['destination']} must be an existing model you own",
        )
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
    return _json(job.to_json(), 201, headers={"Location": job.urls()["get"]})


async def get_training(request: Request) -> Response:
    """GET /trainings/{id}."""
    return _json(_job(_state(request).trainings, request, "training").to_json())


async def list_trainings(request: Request) -> Response:
    """GET /trainings (newest first)."""
    state = _state(request)
    jobs = list(reversed(state.trainings.values()))
    return _json(paginate(request, jobs, Job.to_json, state.page_size, state.origin))


# -- models ---------------------------------------------------------------------------------


def _visible_models(state: ServerState) -> list[ModelRecord]:
    return [
        model
        for model in state.models.values()
        if model.visibility == "public" or model.owner == state.username
    ]


async def list_models(request: Request) -> Response:
    """GET /models (sort_by, sort_direction)."""
    state = _state(request)
    sort_by = request.query_params.get("sort_by", "latest_version_created_at")
    direction = request.query_params.get("sort_direction", "desc")
    if sort_by not in ("model_created_at", "latest_version_created_at"):
        raise Problem(400, "sort_by must be model_created_at or latest_version_created_at")
    if direction not in ("asc", "desc"):
        raise Problem(400, "sort_direction must be asc or desc")

    def key(model: ModelRecord) -> tuple[datetime, str]:
        latest = model.latest_version
        moment = model.created_at
        if sort_by == "latest_version_created_at":
            moment = latest.created_at if latest else model.created_at
        return moment, model.full_name

    models = sorted(_visible_models(state), key=key, reverse=direction == "desc")
    return _json(paginate(request, models, ModelRecord.to_json, state.page_size, state.origin))


def _matches(model: ModelRecord, query: str) -> float:
    terms = [term for term in query.lower().split() if term]
    if not terms:
        return 0.0
    haystack = " ".join([model.full_name, model.description or "", *model.tags]).lower()
    hits = sum(1 for term in terms if term in haystack)
    return hits / len(terms)


async def search_models(request: Request) -> Response:
    """QUERY /models: the body is the search text."""
    state = _state(request)
    query = (await request.body()).decode("utf-8", "replace").strip()
    scored = [(_matches(model, query), model) for model in _visible_models(state)]
    models = [model for score, model in sorted(scored, key=lambda s: -s[0]) if score > 0]
    return _json(paginate(request, models, ModelRecord.to_json, state.page_size, state.origin))


async def create_model(request: Request) -> Response:
    """POST /models."""
    state = _state(request)
    body = await _body(request)
    _require(body, {"owner": str, "name": str, "visibility": str, "hardware": str})
    if body["owner"] != state.username:
        raise Problem(403, f"You can only create models owned by {state.username}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", body["name"]):
        raise _field_error("name", "name may contain lowercase letters, digits, '.', '_' and '-'")
    if body["visibility"] not in ("public", "private"):
        raise _field_error("visibility", "visibility must be public or private", "enum")
    if body["hardware"] not in {sku for _, sku in HARDWARE}:
        raise _field_error("hardware", f"Unknown hardware {body['hardware']}", "enum")
    full_name = f"{body['owner']}/{body['name']}"
    if full_name in state.models:
        raise Problem(409, f"A model named {full_name} already exists")
    model = ModelRecord(
        owner=body["owner"],
        name=body["name"],
        description=body.get("description"),
        visibility=body["visibility"],
        github_url=body.get("github_url"),
        paper_url=body.get("paper_url"),
        license_url=body.get("license_url"),
        cover_image_url=body.get("cover_image_url"),
        hardware=body["hardware"],
        readme=f"# {body['name']}\n\n{body.get('description') or ''}\n",
    )
    state.models[full_name] = model
    state.creations["POST /v1/models"] += 1
    return _json(model.to_json(), 201)


async def get_model(request: Request) -> Response:
    """GET /models/{owner}/{name}."""
    state = _state(request)
    return _json(_model(state, _path(request, "owner"), _path(request, "name")).to_json())


async def update_model(request: Request) -> Response:
    """PATCH /models/{owner}/{name}."""
    state = _state(request)
    model = _model(state, _path(request, "owner"), _path(request, "name"))
    _own_model(state, model)
    body = await _body(request)
    unknown = [key for key in body if key not in MODEL_FIELDS_UPDATABLE]
    if unknown:
        raise invalid_input(
            [
                {"type": "unknown", "field": key, "description": f"{key} cannot be updated"}
                for key in unknown
            ]
        )
    for key, value in body.items():
        if value is not None and not isinstance(value, str):
            raise _field_error(key, f"{key} must be a string or null", "invalid_type")
        setattr(model, key, value if key != "readme" else value or "")
    return _json(model.to_json())


async def delete_model(request: Request) -> Response:
    """DELETE /models/{owner}/{name}: only your own private models without versions."""
    state = _state(request)
    model = _model(state, _path(request, "owner"), _path(request, "name"))
    _own_model(state, model)
    if model.visibility != "private":
        raise Problem(409, "Only private models can be deleted")
    if model.versions:
        raise Problem(409, "Delete the model's versions before deleting the model")
    del state.models[model.full_name]
    return Response(status_code=204)


async def get_readme(request: Request) -> Response:
    """GET /models/{owner}/{name}/readme (text/plain Markdown)."""
    model = _model(_state(request), _path(request, "owner"), _path(request, "name"))
    return PlainTextResponse(model.readme)


async def list_examples(request: Request) -> Response:
    """GET /models/{owner}/{name}/examples."""
    state = _state(request)
    model = _model(state, _path(request, "owner"), _path(request, "name"))
    examples = [model.default_example] if model.default_example else []
    return _json(paginate(request, examples, dict, state.page_size, state.origin))


async def list_versions(request: Request) -> Response:
    """GET /models/{owner}/{name}/versions (newest first)."""
    state = _state(request)
    model = _model(state, _path(request, "owner"), _path(request, "name"))
    versions = list(reversed(model.versions))
    return _json(paginate(request, versions, Version.to_json, state.page_size, state.origin))


def _version(state: ServerState, request: Request) -> tuple[ModelRecord, Version]:
    model = _model(state, _path(request, "owner"), _path(request, "name"))
    version = model.find_version(_path(request, "version_id"))
    if version is None:
        raise Problem(404, "Version not found")
    return model, version


async def get_version(request: Request) -> Response:
    """GET /models/{owner}/{name}/versions/{id}."""
    return _json(_version(_state(request), request)[1].to_json())


async def delete_version(request: Request) -> Response:
    """DELETE /models/{owner}/{name}/versions/{id} (202, empty)."""
    state = _state(request)
    model, version = _version(state, request)
    _own_model(state, model)
    if any(d.release.version == version.id for d in state.deployments.values()):
        raise Problem(409, "A deployment uses this version")
    model.versions.remove(version)
    return Response(status_code=202)


# -- deployments ----------------------------------------------------------------------------


def _deployment(state: ServerState, request: Request) -> Deployment:
    key = f"{_path(request, 'owner')}/{_path(request, 'name')}"
    deployment = state.deployments.get(key)
    if deployment is None:
        raise Problem(404, f"Deployment {key} not found")
    return deployment


def _check_release(state: ServerState, release: Release) -> None:
    fields = []
    found = state.find_version(f"{release.model}:{release.version}")
    if release.model not in state.models:
        fields.append({"type": "invalid", "field": "model", "description": "Unknown model"})
    elif found is None:
        fields.append(
            {"type": "invalid", "field": "version", "description": "Unknown version of model"}
        )
    if release.hardware not in {sku for _, sku in HARDWARE}:
        fields.append({"type": "enum", "field": "hardware", "description": "Unknown hardware"})
    bounds = {"min_instances": MAX_MIN_INSTANCES, "max_instances": MAX_MAX_INSTANCES}
    for name, bound in bounds.items():
        value = getattr(release, name)
        if not 0 <= value <= bound:
            description = f"{name} must be between 0 and {bound}"
            fields.append({"type": "number_range", "field": name, "description": description})
    if release.min_instances > release.max_instances:
        fields.append(
            {
                "type": "invalid",
                "field": "min_instances",
                "description": "min_instances must not exceed max_instances",
            }
        )
    if fields:
        raise invalid_input(fields)


async def create_deployment(request: Request) -> Response:
    """POST /deployments (201)."""
    state = _state(request)
    body = await _body(request)
    _require(
        body,
        {
            "name": str,
            "model": str,
            "version": str,
            "hardware": str,
            "min_instances": int,
            "max_instances": int,
        },
    )
    release = Release(
        number=1,
        model=body["model"],
        version=body["version"],
        hardware=body["hardware"],
        min_instances=body["min_instances"],
        max_instances=body["max_instances"],
    )
    _check_release(state, release)
    key = f"{state.username}/{body['name']}"
    if key in state.deployments:
        raise Problem(409, f"A deployment named {key} already exists")
    deployment = Deployment(state.username, body["name"], release)
    state.deployments[key] = deployment
    state.creations["POST /v1/deployments"] += 1
    return _json(deployment.to_json(state.account()), 201)


async def get_deployment(request: Request) -> Response:
    """GET /deployments/{owner}/{name}."""
    state = _state(request)
    return _json(_deployment(state, request).to_json(state.account()))


async def update_deployment(request: Request) -> Response:
    """PATCH /deployments/{owner}/{name}: every update makes a new release."""
    state = _state(request)
    deployment = _deployment(state, request)
    body = await _body(request)
    allowed = {"hardware": str, "min_instances": int, "max_instances": int, "version": str}
    present = {key: kind for key, kind in allowed.items() if key in body}
    unknown = [key for key in body if key not in allowed]
    if unknown:
        raise _field_error(unknown[0], f"{unknown[0]} cannot be updated")
    _require(body, present)
    current = deployment.release
    release = Release(
        number=current.number + 1,
        model=current.model,
        version=body.get("version", current.version),
        hardware=body.get("hardware", current.hardware),
        min_instances=body.get("min_instances", current.min_instances),
        max_instances=body.get("max_instances", current.max_instances),
    )
    _check_release(state, release)
    deployment.release = release
    return _json(deployment.to_json(state.account()))


async def delete_deployment(request: Request) -> Response:
    """DELETE /deployments/{owner}/{name} (204)."""
    state = _state(request)
    deployment = _deployment(state, request)
    del state.deployments[f"{deployment.owner}/{deployment.name}"]
    return Response(status_code=204)


async def list_deployments(request: Request) -> Response:
    """GET /deployments (newest first)."""
    state = _state(request)
    account = state.account()
    items = list(reversed(state.deployments.values()))
    return _json(
        paginate(request, items, lambda d: d.to_json(account), state.page_size, state.origin)
    )


# -- catalog: collections, hardware, account, search ------------------------------------------


async def list_collections(request: Request) -> Response:
    """GET /collections."""
    state = _state(request)
    return _json(
        paginate(
            request,
            list(state.collections),
            lambda c: {"name": c.name, "slug": c.slug, "description": c.description},
            state.page_size,
            state.origin,
        )
    )


async def get_collection(request: Request) -> Response:
    """GET /collections/{slug}, with its models."""
    state = _state(request)
    slug = _path(request, "slug")
    collection = next((c for c in state.collections if c.slug == slug), None)
    if collection is None:
        raise Problem(404, f"Collection {slug} not found")
    models = [state.models[name].to_json() for name in collection.models if name in state.models]
    return _json(
        {
            "name": collection.name,
            "slug": collection.slug,
            "description": collection.description,
            "models": models,
        }
    )


async def list_hardware(request: Request) -> Response:
    """GET /hardware."""
    return _json([{"name": name, "sku": sku} for name, sku in HARDWARE])


async def get_account(request: Request) -> Response:
    """GET /account."""
    return _json(_state(request).account())


async def get_webhook_secret(request: Request) -> Response:
    """GET /webhooks/default/secret."""
    return _json({"key": _state(request).webhook_secret})


async def search(request: Request) -> Response:
    """GET /search?query=&limit=."""
    state = _state(request)
    query = request.query_params.get("query", "").strip()
    if not query:
        raise Problem(400, "query is required")
    try:
        limit = int(request.query_params.get("limit", "20"))
    except ValueError:
        raise Problem(400, "limit must be an integer between 1 and 50") from None
    if not 1 <= limit <= 50:
        raise Problem(400, "limit must be an integer between 1 and 50")
    scored = sorted(
        ((_matches(model, query), model) for model in _visible_models(state)),
        key=lambda pair: (-pair[0], pair[1].full_name),
    )
    models = [
        {
            "model": model.to_json(),
            "metadata": {
                "generated_description": model.description,
                "score": round(score, 3),
                "tags": list(model.tags),
            },
        }
        for score, model in scored
        if score > 0
    ][:limit]
    terms = query.lower().split()
    collections = [
        {
            "name": c.name,
            "slug": c.slug,
            "description": c.description,
            "models": list(c.models),
        }
        for c in state.collections
        if any(t in f"{c.name} {c.slug} {c.description}".lower() for t in terms)
    ][:limit]
    pages = [
        {"name": name, "href": href}
        for name, href in DOC_PAGES
        if any(t in name.lower() for t in terms)
    ][:limit]
    return _json({"query": query, "models": models, "collections": collections, "pages": pages})


# -- files ----------------------------------------------------------------------------------


def _limited_receive(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise Problem(413, f"Uploads are limited to {limit} bytes")
        return message

    return wrapped


async def create_file(request: Request) -> Response:
    """POST /files (multipart/form-data: content, filename, type, metadata)."""
    state = _state(request)
    limit = state.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Problem(413, f"Uploads are limited to {limit} bytes")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Problem(415, "Upload files as multipart/form-data", title="Unsupported Media Type")
    limited = Request(request.scope, _limited_receive(request.receive, limit))
    async with limited.form(max_part_size=limit + 1) as form:
        content = form.get("content")
        if content is None:
            raise _field_error("content", "content is required", "required")
        if isinstance(content, UploadFile):
            data = await content.read()
            default_name = content.filename or "file"
            default_type = content.content_type or "application/octet-stream"
        else:
            data = content.encode()
            default_name, default_type = "file", "application/octet-stream"
        filename = form.get("filename")
        content_type = form.get("type")
        metadata_text = form.get("metadata")
    metadata: Any = {}
    if isinstance(metadata_text, str) and metadata_text.strip():
        try:
            metadata = json.loads(metadata_text)
        except ValueError:
            raise _field_error("metadata", "metadata must be a JSON object") from None
        if not isinstance(metadata, dict):
            raise _field_error("metadata", "metadata must be a JSON object")
    now = utcnow()
    stored = StoredFile(
        id=new_id(),
        name=filename if isinstance(filename, str) and filename else default_name,
        content_type=content_type
        if isinstance(content_type, str) and content_type
        else default_type,
        content=data,
        metadata=metadata,
        owner=state.username,
        sha256=hashlib.sha256(data).hexdigest(),
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        created_at=now,
        expires_at=now + timedelta(days=1),
    )
    state.files[stored.id] = stored
    state.creations["POST /v1/files"] += 1
    return _json(stored.to_json(state.origin), 201)


def _file(state: ServerState, request: Request) -> StoredFile:
    stored = state.files.get(_path(request, "id"))
    if stored is None:
        raise Problem(404, "File not found")
    return stored


async def list_files(request: Request) -> Response:
    """GET /files (newest first)."""
    state = _state(request)
    files = list(reversed(state.files.values()))
    return _json(
        paginate(request, files, lambda f: f.to_json(state.origin), state.page_size, state.origin)
    )


async def get_file(request: Request) -> Response:
    """GET /files/{id}."""
    state = _state(request)
    return _json(_file(state, request).to_json(state.origin))


async def delete_file(request: Request) -> Response:
    """DELETE /files/{id} (204)."""
    state = _state(request)
    del state.files[_file(state, request).id]
    return Response(status_code=204)


def _signature_ok(state: ServerState, file_id: str, request: Request) -> bool:
    params = request.query_params
    owner, expiry, signature = params.get("owner"), params.get("expiry"), params.get("signature")
    if not owner or not expiry or not signature or not expiry.isdigit():
        return False
    if int(expiry) < time.time():
        return False
    expected = base64.b64decode(state.file_signature(file_id, int(expiry), owner))
    candidate = signature.replace(" ", "+")
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            given = decode(candidate + "=" * (-len(candidate) % 4))
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(given, expected):
            return owner == state.username
    return False


async def download_file(request: Request) -> Response:
    """GET /files/{id}/download: the owner's token, or a valid unexpired signature."""
    state = _state(request)
    stored = _file(state, request)
    if not request.scope.get(AUTH_SCOPE_KEY) and not _signature_ok(state, stored.id, request):
        raise Problem(403, "Invalid or expired signature")
    return Response(
        stored.content,
        media_type=stored.content_type,
        headers={"Content-Disposition": f'attachment; filename="{stored.name}"'},
    )


async def delivery(request: Request) -> Response:
    """GET /delivery/{path}: output files, public like replicate.delivery."""
    found = _state(request).outputs.get(_path(request, "path"))
    if found is None:
        raise Problem(404, "No such output file")
    data, content_type = found
    return Response(data, media_type=content_type)


# -- application ------------------------------------------------------------------------------


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/v1/account", get_account),
    ("GET", "/v1/collections", list_collections),
    ("GET", "/v1/collections/{slug}", get_collection),
    ("GET", "/v1/deployments", list_deployments),
    ("POST", "/v1/deployments", create_deployment),
    ("GET", "/v1/deployments/{owner}/{name}", get_deployment),
    ("PATCH", "/v1/deployments/{owner}/{name}", update_deployment),
    ("DELETE", "/v1/deployments/{owner}/{name}", delete_deployment),
    ("POST", "/v1/deployments/{owner}/{name}/predictions", create_deployment_prediction),
    ("GET", "/v1/hardware", list_hardware),
    ("GET", "/v1/models", list_models),
    ("POST", "/v1/models", create_model),
    ("QUERY", "/v1/models", search_models),
    ("GET", "/v1/models/{owner}/{name}", get_model),
    ("PATCH", "/v1/models/{owner}/{name}", update_model),
    ("DELETE", "/v1/models/{owner}/{name}", delete_model),
    ("POST", "/v1/models/{owner}/{name}/predictions", create_model_prediction),
    ("GET", "/v1/models/{owner}/{name}/examples", list_examples),
    ("GET", "/v1/models/{owner}/{name}/readme", get_readme),
    ("GET", "/v1/models/{owner}/{name}/versions", list_versions),
    ("GET", "/v1/models/{owner}/{name}/versions/{version_id}", get_version),
    ("DELETE", "/v1/models/{owner}/{name}/versions/{version_id}", delete_version),
    ("POST", "/v1/models/{owner}/{name}/versions/{version_id}/trainings", create_training),
    ("GET", "/v1/predictions", list_predictions),
    ("POST", "/v1/predictions", create_prediction),
    ("GET", "/v1/predictions/{id}", get_prediction),
    ("POST", "/v1/predictions/{id}/cancel", cancel_job),
    ("GET", "/v1/predictions/{id}/stream", stream_prediction),
    ("GET", "/v1/trainings", list_trainings),
    ("GET", "/v1/trainings/{id}", get_training),
    ("POST", "/v1/trainings/{id}/cancel", cancel_job),
    ("GET", "/v1/webhooks/default/secret", get_webhook_secret),
    ("GET", "/v1/search", search),
    ("GET", "/v1/files", list_files),
    ("POST", "/v1/files", create_file),
    ("GET", "/v1/files/{id}", get_file),
    ("DELETE", "/v1/files/{id}", delete_file),
    ("GET", "/v1/files/{id}/download", download_file),
    ("GET", "/delivery/{path:path}", delivery),
]


async def _problem_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return exc.response()


async def _http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        detail = f"No route for {request.method} {request.url.path}"
    else:
        detail = str(exc.detail)
    return Problem(exc.status_code, detail, headers=exc.headers).response()


def create_app(state: ServerState) -> ASGIApp:
    """The ASGI application serving ``state``."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.loop = asyncio.get_running_loop()
        try:
            yield
        finally:
            await state.close()

    app = Starlette(
        routes=[Route(path, handler, methods=[method]) for method, path, handler in ROUTES],
        exception_handlers={Problem: _problem_handler, HTTPException: _http_error_handler},
        lifespan=lifespan,
    )
    app.state.replicate = state
    return Gateway(app, state)
