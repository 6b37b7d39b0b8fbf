from __future__ import annotations

import re
import time

import httpx
import pytest

from replicate_ext.testing import LocalServer

from .conftest import parse_sse


async def test_rate_limit_creations_with_retry_after(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    server.state.set_rate_limit("creations", per_minute=60, burst=2)
    statuses = []
    for _ in range(3):
        response = await api.post(
            "/models/replicate/hello-world/predictions", json={"input": {"text": "x"}}
        )
        statuses.append(response.status_code)
    assert statuses == [201, 201, 429]
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Request was throttled. Expected available in 1 second."
    assert response.json()["status"] == 429
    # Other endpoints have their own bucket.
    assert (await api.get("/account")).status_code == 200


async def test_rate_limit_others(server: LocalServer, api: httpx.AsyncClient) -> None:
    server.state.set_rate_limit("others", per_minute=6, burst=1)
    assert (await api.get("/account")).status_code == 200
    limited = await api.get("/hardware")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) == 10
    assert "10 seconds" in limited.json()["detail"]
    server.state.clear_rate_limits()
    assert (await api.get("/hardware")).status_code == 200


async def test_status_fault_fires_the_requested_number_of_times(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    fault = server.state.inject_fault(
        "status", "/v1/predictions", method="POST", status=503, times=2
    )
    payload = {"version": "replicate/hello-world", "input": {"text": "x"}}
    codes = [(await api.post("/predictions", json=payload)).status_code for _ in range(3)]
    assert codes == [503, 503, 201]
    assert fault.fired == 2
    assert [f.kind for f in server.state.fired_faults] == ["status", "status"]
    # GETs on the same path are untouched.
    assert (await api.get("/predictions")).status_code == 200


async def test_429_fault_with_and_without_retry_after(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    server.state.inject_fault("429", "/v1/account", retry_after=2)
    with_header = await api.get("/account")
    assert with_header.status_code == 429
    assert with_header.headers["retry-after"] == "2"
    server.state.inject_fault("429", "/v1/account")
    without = await api.get("/account")
    assert without.status_code == 429
    assert "retry-after" not in without.headers
    assert (await api.get("/account")).status_code == 200


async def test_drop_fault_cuts_the_response(server: LocalServer, api: httpx.AsyncClient) -> None:
    server.state.inject_fault("drop", re.compile(r"/v1/predictions/[^/]+"))
    created = (
        await api.post("/models/replicate/hello-world/predictions", json={"input": {"text": "x"}})
    ).json()
    with pytest.raises(httpx.RemoteProtocolError):
        await api.get(f"/predictions/{created['id']}")
    assert (await api.get(f"/predictions/{created['id']}")).status_code == 200


async def test_slow_fault_delays_the_response(server: LocalServer, api: httpx.AsyncClient) -> None:
    server.state.inject_fault("slow", "/v1/hardware", delay=0.3)
    started = time.monotonic()
    assert (await api.get("/hardware")).status_code == 200
    assert time.monotonic() - started >= 0.3
    server.state.inject_fault("slow", "/v1/hardware", delay=1)
    with pytest.raises(httpx.ReadTimeout):
        await api.get("/hardware", timeout=0.2)


async def test_prefix_faults_and_forever(server: LocalServer, api: httpx.AsyncClient) -> None:
    fault = server.state.inject_fault("status", "/v1/models*", status=500, times=None)
    for path in ("/models", "/models/replicate/hello-world", "/models/x/y/versions"):
        assert (await api.get(path)).status_code == 500
    assert fault.fired == 3
    server.state.clear_faults()
    assert (await api.get("/models")).status_code == 200


async def test_drop_stream_forces_a_resume(server: LocalServer, api: httpx.AsyncClient) -> None:
    created = (
        await api.post(
            "/models/replicate/stream-tokens/predictions",
            json={"input": {"prompt": "a b c d e f"}},
        )
    ).json()
    server.state.inject_fault(
        "drop_stream", re.compile(r"/v1/predictions/[^/]+/stream"), after_events=3
    )
    chunks: list[bytes] = []

    async def read_all() -> None:
        async with api.stream("GET", created["urls"]["stream"]) as response:
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)

    with pytest.raises(httpx.RemoteProtocolError):
        await read_all()
    first, _ = parse_sse(b"".join(chunks).decode())
    assert len(first) == 3
    resumed = await api.get(created["urls"]["stream"], headers={"Last-Event-ID": first[-1]["id"]})
    rest, _ = parse_sse(resumed.text)
    assert rest[0]["id"].split(":")[1] == str(int(first[-1]["id"].split(":")[1]) + 1)
    tokens = [e["data"] for e in first + rest if e["event"] == "output"]
    assert "".join(tokens) == "a b c d e f"
    assert rest[-1]["event"] == "done"


def test_unknown_fault_kind_is_refused(server: LocalServer) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        server.state.inject_fault("explode", "/v1/account")  # type: ignore[arg-type]


def test_reset_clears_faults_and_limits(server: LocalServer) -> None:
    server.state.inject_fault("status", "/v1/account")
    server.state.set_rate_limit("others", 1)
    server.reset()
    assert server.state.faults.armed == []
    with httpx.Client(base_url=server.base_url) as client:
        response = client.get("/account", headers={"Authorization": f"Bearer {server.token}"})
    assert response.status_code == 200


def test_parse_fault_command_line_form() -> None:
    from replicate_ext.testing._faults import parse_fault

    fault = parse_fault("status /v1/predictions method=post status=502 times=inf")
    assert (fault.kind, fault.path, fault.method, fault.status, fault.times) == (
        "status",
        "/v1/predictions",
        "POST",
        502,
        None,
    )
    regex = parse_fault("drop_stream ~/v1/predictions/[^/]+/stream after_events=2")
    assert isinstance(regex.path, re.Pattern)
    assert regex.matches("GET", "/v1/predictions/abc/stream")
    assert regex.after_events == 2
    assert parse_fault("429 /v1/* retry_after=3").status == 429
    with pytest.raises(ValueError, match="unknown fault option"):
        parse_fault("slow /v1/x speed=2")
    with pytest.raises(ValueError, match="KIND PATH"):
        parse_fault("explode /v1/x")
