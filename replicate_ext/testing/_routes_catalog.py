"""Routes for the account, hardware, collections, webhook secret and search."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ._http import json_response, path_param, server_state
from ._models import DOC_PAGES, HARDWARE
from ._pagination import paginate
from ._problems import Problem
from ._routes_models import match_score, visible_models


async def list_collections(request: Request) -> Response:
    """GET /collections."""
    state = server_state(request)
    return json_response(
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
    state = server_state(request)
    slug = path_param(request, "slug")
    collection = next((c for c in state.collections if c.slug == slug), None)
    if collection is None:
        raise Problem(404, f"Collection {slug} not found")
    models = [state.models[name].to_json() for name in collection.models if name in state.models]
    return json_response(
        {
            "name": collection.name,
            "slug": collection.slug,
            "description": collection.description,
            "models": models,
        }
    )


async def list_hardware(request: Request) -> Response:
    """GET /hardware."""
    return json_response([{"name": name, "sku": sku} for name, sku in HARDWARE])


async def get_account(request: Request) -> Response:
    """GET /account."""
    return json_response(server_state(request).account())


async def get_webhook_secret(request: Request) -> Response:
    """GET /webhooks/default/secret."""
    return json_response({"key": server_state(request).webhook_secret})


async def search(request: Request) -> Response:
    """GET /search?query=&limit=."""
    state = server_state(request)
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
        ((match_score(model, query), model) for model in visible_models(state)),
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
    return json_response(
        {"query": query, "models": models, "collections": collections, "pages": pages}
    )
