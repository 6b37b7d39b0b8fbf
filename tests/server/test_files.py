from __future__ import annotations

import hashlib
import time
import urllib.parse
from collections.abc import AsyncIterator

import httpx
import pytest

from replicate_ext.testing import LocalServer

from .conftest import anonymous


async def _upload(api: httpx.AsyncClient, content: bytes = b"abc", **data: str) -> httpx.Response:
    return await api.post("/files", files={"content": ("x.bin", content, "text/plain")}, data=data)


async def test_upload_returns_the_file_object(server: LocalServer, api: httpx.AsyncClient) -> None:
    content = b"some bytes\n" * 10
    response = await _upload(
        api, content, filename="notes.txt", type="text/markdown", metadata='{"k": [1, 2]}'
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "name",
        "content_type",
        "size",
        "etag",
        "checksums",
        "metadata",
        "created_at",
        "expires_at",
        "urls",
    }
    assert body["name"] == "notes.txt"
    assert body["content_type"] == "text/markdown"
    assert body["size"] == len(content)
    assert body["checksums"] == {
        "sha256": hashlib.sha256(content).hexdigest(),
        "md5": hashlib.md5(content).hexdigest(),
    }
    assert body["metadata"] == {"k": [1, 2]}
    assert body["urls"] == {"get": f"{server.base_url}/files/{body['id']}"}
    assert body["expires_at"] > body["created_at"]


async def test_defaults_come_from_the_part(api: httpx.AsyncClient) -> None:
    body = (await _upload(api)).json()
    assert body["name"] == "x.bin"
    assert body["content_type"] == "text/plain"
    assert body["metadata"] == {}


async def test_missing_content_and_bad_metadata_are_422(api: httpx.AsyncClient) -> None:
    missing = await api.post("/files", files={"other": ("a", b"a")})
    assert missing.status_code == 422
    assert missing.json()["invalid_fields"][0]["field"] == "content"
    bad = await _upload(api, metadata="[1]")
    assert bad.status_code == 422


async def test_get_list_delete(server: LocalServer, api: httpx.AsyncClient) -> None:
    ids = [(await _upload(api, bytes([i]))).json()["id"] for i in range(7)]
    fetched = (await api.get(f"/files/{ids[0]}")).json()
    assert fetched["id"] == ids[0]
    first = (await api.get("/files")).json()
    assert [f["id"] for f in first["results"]] == list(reversed(ids))[:5]
    second = (await api.get(first["next"])).json()
    assert [f["id"] for f in second["results"]] == list(reversed(ids))[5:]
    assert second["next"] is None
    deleted = await api.delete(f"/files/{ids[0]}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert (await api.get(f"/files/{ids[0]}")).status_code == 404
    assert (await api.delete(f"/files/{ids[0]}")).status_code == 404


async def test_download_with_token_or_signature(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    uploaded = (await _upload(api, b"payload", type="application/x-thing")).json()
    with_token = await api.get(f"/files/{uploaded['id']}/download")
    assert with_token.status_code == 200
    assert with_token.content == b"payload"
    assert with_token.headers["content-type"] == "application/x-thing"

    signed = server.state.signed_download_url(uploaded["id"])
    async with anonymous() as client:
        ok = await client.get(signed)
        assert ok.status_code == 200
        assert ok.content == b"payload"

        parts = urllib.parse.urlsplit(signed)
        query = dict(urllib.parse.parse_qsl(parts.query))
        tampered = {**query, "expiry": str(int(query["expiry"]) + 1)}
        bad = await client.get(signed.split("?")[0], params=tampered)
        assert bad.status_code == 403
        assert bad.headers["content-type"] == "application/problem+json"

        expiry = int(time.time()) - 10
        expired = {
            "owner": server.state.username,
            "expiry": str(expiry),
            "signature": server.state.file_signature(uploaded["id"], expiry),
        }
        assert (await client.get(signed.split("?")[0], params=expired)).status_code == 403
        unsigned = await client.get(signed.split("?")[0])
        assert unsigned.status_code == 401


async def test_signature_is_the_documented_hmac(server: LocalServer) -> None:
    import base64
    import hmac

    expected = hmac.new(
        server.state.files_signing_secret, b"test-user abc 123", hashlib.sha256
    ).digest()
    assert base64.b64decode(server.state.file_signature("abc", 123)) == expected


@pytest.mark.parametrize("chunked", [False, True])
async def test_uploads_over_the_limit_are_413(
    server: LocalServer, api: httpx.AsyncClient, chunked: bool
) -> None:
    server.state.max_upload_bytes = 1024
    boundary = "xyzboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="content"; filename="big"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"x" * 4096
        + f"\r\n--{boundary}--\r\n".encode()
    )

    async def stream() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 512):
            yield body[start : start + 512]

    response = await api.post(
        "/files",
        content=stream() if chunked else body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert server.state.files == {}


def test_default_upload_limit_is_100_mib(server: LocalServer) -> None:
    assert server.state.max_upload_bytes == 100 * 1024 * 1024
