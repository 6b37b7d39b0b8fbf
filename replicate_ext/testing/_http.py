"""Request and response helpers shared by the route modules."""

from __future__ import annotations

import json
import math
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


# Go's decoder, behind the real API, takes 10 000 levels; Python's encoder gives up near
# its recursion limit (1 000), so a body much deeper than this one would be stored and
# then break every answer that carries it. No model input comes close.
MAX_JSON_DEPTH = 200


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range for a number")
    return value


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value``, counted without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in children)
    return deepest


def parse_json(raw: bytes | str, what: str = "The request body") -> Any:
    """Strict JSON, as the real API reads it: 400 for what it could not store and answer.

    ``NaN``, ``Infinity`` and numbers too large for a double are not JSON (Python
    reads them, then cannot write them back); neither is nesting deeper than
    ``MAX_JSON_DEPTH``.
    """
    try:
        data = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise Problem(400, f"{what} is nested too deeply") from None
    except ValueError as error:
        raise Problem(400, f"{what} is not valid JSON: {error}") from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise Problem(400, f"{what} is nested too deeply (more than {MAX_JSON_DEPTH} levels)")
    return data


async def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object (an empty body is ``{}``); 400 otherwise."""
    raw = await request.body()
    if not raw.strip():
        return {}
    data = parse_json(raw)
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
