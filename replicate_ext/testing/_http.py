"""Request and response helpers shared by the route modules."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ._problems import Problem, invalid_input
from ._records import Deployment, ModelRecord
from ._state import ServerState

Handler = Callable[[Request], Awaitable[Response]]


def server_state(request: Request) -> ServerState:
    """The ServerState behind the app serving this request."""
    state: ServerState = request.app.state.replicate
    return state


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response."""
    return JSONResponse(data, status_code=status, headers=headers)


async def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object (an empty body is ``{}``); 400 otherwise."""
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


def require_fields(body: dict[str, Any], types: Mapping[str, type]) -> None:
    """A 422 listing every missing or mistyped field (bools are not ints here)."""
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


def field_error(field: str, description: str, kind: str = "invalid") -> Problem:
    """A 422 about one field."""
    return invalid_input([{"type": kind, "field": field, "description": description}])


def find_model(state: ServerState, owner: str, name: str) -> ModelRecord:
    """A model the account can see, or 404."""
    model = state.models.get(f"{owner}/{name}")
    if model is None or (model.visibility == "private" and model.owner != state.username):
        raise Problem(404, f"Model {owner}/{name} not found")
    return model


def ensure_owner(state: ServerState, model: ModelRecord) -> None:
    """403 unless the account owns the model."""
    if model.owner != state.username:
        raise Problem(403, f"You do not have permission to change {model.full_name}")


def path_param(request: Request, key: str) -> str:
    """A path parameter, typed."""
    value: str = request.path_params[key]
    return value


def find_deployment(state: ServerState, request: Request) -> Deployment:
    """The deployment named by the path, or 404."""
    key = f"{path_param(request, 'owner')}/{path_param(request, 'name')}"
    deployment = state.deployments.get(key)
    if deployment is None:
        raise Problem(404, f"Deployment {key} not found")
    return deployment
