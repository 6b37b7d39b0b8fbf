"""Routes for deployments; every update makes a new release."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ._http import (
    field_error,
    find_deployment,
    json_response,
    read_json,
    require_fields,
    server_state,
)
from ._models import HARDWARE
from ._pagination import paginate
from ._problems import Problem, invalid_input
from ._records import Deployment, Release
from ._state import ServerState

# Replicate's published bounds for deployment scaling.
MAX_MIN_INSTANCES = 5
MAX_MAX_INSTANCES = 20


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
    state = server_state(request)
    body = await read_json(request)
    require_fields(
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
    return json_response(deployment.to_json(state.account()), 201)


async def get_deployment(request: Request) -> Response:
    """GET /deployments/{owner}/{name}."""
    state = server_state(request)
    return json_response(find_deployment(state, request).to_json(state.account()))


async def update_deployment(request: Request) -> Response:
    """PATCH /deployments/{owner}/{name}: every update makes a new release."""
    state = server_state(request)
    deployment = find_deployment(state, request)
    body = await read_json(request)
    allowed = {"hardware": str, "min_instances": int, "max_instances": int, "version": str}
    present = {key: kind for key, kind in allowed.items() if key in body}
    unknown = [key for key in body if key not in allowed]
    if unknown:
        raise field_error(unknown[0], f"{unknown[0]} cannot be updated")
    require_fields(body, present)
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
    return json_response(deployment.to_json(state.account()))


async def delete_deployment(request: Request) -> Response:
    """DELETE /deployments/{owner}/{name} (204)."""
    state = server_state(request)
    deployment = find_deployment(state, request)
    del state.deployments[f"{deployment.owner}/{deployment.name}"]
    return Response(status_code=204)


async def list_deployments(request: Request) -> Response:
    """GET /deployments (newest first)."""
    state = server_state(request)
    account = state.account()
    items = list(reversed(state.deployments.values()))
    return json_response(
        paginate(request, items, lambda d: d.to_json(account), state.page_size, state.origin)
    )
