"""Routes for models, their versions, examples and READMEs, and QUERY search."""

from __future__ import annotations

import re
from datetime import datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ._http import (
    ensure_owner,
    field_error,
    find_model,
    json_response,
    path_param,
    read_json,
    require_fields,
    server_state,
)
from ._models import HARDWARE
from ._pagination import paginate
from ._problems import Problem, invalid_input
from ._records import ModelRecord, Version
from ._state import ServerState

MODEL_FIELDS_UPDATABLE = (
    "description",
    "github_url",
    "license_url",
    "paper_url",
    "readme",
    "weights_url",
)


def visible_models(state: ServerState) -> list[ModelRecord]:
    return [
        model
        for model in state.models.values()
        if model.visibility == "public" or model.owner == state.username
    ]


async def list_models(request: Request) -> Response:
    """GET /models (sort_by, sort_direction)."""
    state = server_state(request)
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

    models = sorted(visible_models(state), key=key, reverse=direction == "desc")
    return json_response(
        paginate(request, models, ModelRecord.to_json, state.page_size, state.origin)
    )


def match_score(model: ModelRecord, query: str) -> float:
    terms = [term for term in query.lower().split() if term]
    if not terms:
        return 0.0
    haystack = " ".join([model.full_name, model.description or "", *model.tags]).lower()
    hits = sum(1 for term in terms if term in haystack)
    return hits / len(terms)


async def search_models(request: Request) -> Response:
    """QUERY /models: the body is the search text."""
    state = server_state(request)
    query = (await request.body()).decode("utf-8", "replace").strip()
    scored = [(match_score(model, query), model) for model in visible_models(state)]
    models = [model for score, model in sorted(scored, key=lambda s: -s[0]) if score > 0]
    return json_response(
        paginate(request, models, ModelRecord.to_json, state.page_size, state.origin)
    )


async def create_model(request: Request) -> Response:
    """POST /models."""
    state = server_state(request)
    body = await read_json(request)
    require_fields(body, {"owner": str, "name": str, "visibility": str, "hardware": str})
    if body["owner"] != state.username:
        raise Problem(403, f"You can only create models owned by {state.username}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", body["name"]):
        raise field_error("name", "name may contain lowercase letters, digits, '.', '_' and '-'")
    if body["visibility"] not in ("public", "private"):
        raise field_error("visibility", "visibility must be public or private", "enum")
    if body["hardware"] not in {sku for _, sku in HARDWARE}:
        raise field_error("hardware", f"Unknown hardware {body['hardware']}", "enum")
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
    return json_response(model.to_json(), 201)


async def get_model(request: Request) -> Response:
    """GET /models/{owner}/{name}."""
    state = server_state(request)
    return json_response(
        find_model(state, path_param(request, "owner"), path_param(request, "name")).to_json()
    )


async def update_model(request: Request) -> Response:
    """PATCH /models/{owner}/{name}."""
    state = server_state(request)
    model = find_model(state, path_param(request, "owner"), path_param(request, "name"))
    ensure_owner(state, model)
    body = await read_json(request)
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
            raise field_error(key, f"{key} must be a string or null", "invalid_type")
        setattr(model, key, value if key != "readme" else value or "")
    return json_response(model.to_json())


async def delete_model(request: Request) -> Response:
    """DELETE /models/{owner}/{name}: only your own private models without versions."""
    state = server_state(request)
    model = find_model(state, path_param(request, "owner"), path_param(request, "name"))
    ensure_owner(state, model)
    if model.visibility != "private":
        raise Problem(409, "Only private models can be deleted")
    if model.versions:
        raise Problem(409, "Delete the model's versions before deleting the model")
    del state.models[model.full_name]
    return Response(status_code=204)


async def get_readme(request: Request) -> Response:
    """GET /models/{owner}/{name}/readme (text/plain Markdown)."""
    model = find_model(
        server_state(request), path_param(request, "owner"), path_param(request, "name")
    )
    return PlainTextResponse(model.readme)


async def list_examples(request: Request) -> Response:
    """GET /models/{owner}/{name}/examples."""
    state = server_state(request)
    model = find_model(state, path_param(request, "owner"), path_param(request, "name"))
    examples = [model.default_example] if model.default_example else []
    return json_response(paginate(request, examples, dict, state.page_size, state.origin))


async def list_versions(request: Request) -> Response:
    """GET /models/{owner}/{name}/versions (newest first)."""
    state = server_state(request)
    model = find_model(state, path_param(request, "owner"), path_param(request, "name"))
    versions = list(reversed(model.versions))
    return json_response(
        paginate(request, versions, Version.to_json, state.page_size, state.origin)
    )


def _version(state: ServerState, request: Request) -> tuple[ModelRecord, Version]:
    model = find_model(state, path_param(request, "owner"), path_param(request, "name"))
    version = model.find_version(path_param(request, "version_id"))
    if version is None:
        raise Problem(404, "Version not found")
    return model, version


async def get_version(request: Request) -> Response:
    """GET /models/{owner}/{name}/versions/{id}."""
    return json_response(_version(server_state(request), request)[1].to_json())


async def delete_version(request: Request) -> Response:
    """DELETE /models/{owner}/{name}/versions/{id} (202, empty)."""
    state = server_state(request)
    model, version = _version(state, request)
    ensure_owner(state, model)
    if any(d.release.version == version.id for d in state.deployments.values()):
        raise Problem(409, "A deployment uses this version")
    model.versions.remove(version)
    return Response(status_code=202)
