"""Routes for uploaded files (with signed downloads) and output file delivery."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from datetime import timedelta
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive

from ._gateway import AUTH_SCOPE_KEY
from ._http import field_error, json_response, parse_json, path_param, server_state
from ._pagination import paginate
from ._problems import Problem
from ._records import StoredFile
from ._state import ServerState
from ._util import new_id, utcnow


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
    state = server_state(request)
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
            raise field_error("content", "content is required", "required")
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
            metadata = parse_json(metadata_text, "metadata")
        except Problem:
            raise field_error("metadata", "metadata must be a JSON object") from None
        if not isinstance(metadata, dict):
            raise field_error("metadata", "metadata must be a JSON object")
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
    return json_response(stored.to_json(state.origin), 201)


def _file(state: ServerState, request: Request) -> StoredFile:
    stored = state.files.get(path_param(request, "id"))
    if stored is None:
        raise Problem(404, "File not found")
    return stored


async def list_files(request: Request) -> Response:
    """GET /files (newest first)."""
    state = server_state(request)
    files = list(reversed(state.files.values()))
    return json_response(
        paginate(request, files, lambda f: f.to_json(state.origin), state.page_size, state.origin)
    )


async def get_file(request: Request) -> Response:
    """GET /files/{id}."""
    state = server_state(request)
    return json_response(_file(state, request).to_json(state.origin))


async def delete_file(request: Request) -> Response:
    """DELETE /files/{id} (204)."""
    state = server_state(request)
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
    state = server_state(request)
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
    found = server_state(request).outputs.get(path_param(request, "path"))
    if found is None:
        raise Problem(404, "No such output file")
    data, content_type = found
    return Response(data, media_type=content_type)
