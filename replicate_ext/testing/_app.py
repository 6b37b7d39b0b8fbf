"""The ASGI application: the route table, error handlers and lifespan."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from ._gateway import Gateway
from ._http import Handler
from ._problems import Problem
from ._routes_catalog import (
    get_account,
    get_collection,
    get_webhook_secret,
    list_collections,
    list_hardware,
    search,
)
from ._routes_deployments import (
    create_deployment,
    delete_deployment,
    get_deployment,
    list_deployments,
    update_deployment,
)
from ._routes_files import create_file, delete_file, delivery, download_file, get_file, list_files
from ._routes_jobs import (
    cancel_job,
    create_deployment_prediction,
    create_model_prediction,
    create_prediction,
    create_training,
    get_prediction,
    get_training,
    list_predictions,
    list_trainings,
    stream_prediction,
)
from ._routes_models import (
    create_model,
    delete_model,
    delete_version,
    get_model,
    get_readme,
    get_version,
    list_examples,
    list_models,
    list_versions,
    search_models,
    update_model,
)
from ._state import ServerState
from ._web import home, home_live, job_live, job_page

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
    # The web pages (urls.web), for people rather than clients.
    ("GET", "/", home),
    ("GET", "/live", home_live),
    ("GET", "/p/{id}", job_page),
    ("GET", "/p/{id}/live", job_live),
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


async def _client_gone_handler(request: Request, exc: Exception) -> Response:
    # The client hung up before its body arrived (it timed out, say): nobody is left
    # to answer, and it is no server error. 499 is what proxies log for it.
    return Response(status_code=499)


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
        exception_handlers={
            Problem: _problem_handler,
            HTTPException: _http_error_handler,
            ClientDisconnect: _client_gone_handler,
        },
        lifespan=lifespan,
    )
    app.state.replicate = state
    return Gateway(app, state)
