from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from replicate_ext.testing import LocalServer

from .conftest import anonymous


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Token nope"}],
)
async def test_every_v1_route_requires_the_bearer_token(
    server: LocalServer, headers: dict[str, str]
) -> None:
    async with anonymous(base_url=server.base_url, headers=headers) as client:
        for method, path in [("GET", "/account"), ("POST", "/predictions"), ("GET", "/nope")]:
            response = await client.request(method, path)
            assert response.status_code == 401
            assert response.headers["content-type"] == "application/problem+json"
            body = response.json()
            assert body["title"] == "Unauthenticated"
            assert body["status"] == 401
            assert body["detail"]


async def test_requests_are_recorded_with_their_headers(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    await api.get("/account", headers={"X-Trace": "abc"})
    recorded = server.state.requests_to("/v1/account", method="GET")
    assert len(recorded) == 1
    assert recorded[0].headers["authorization"] == f"Bearer {server.token}"
    assert recorded[0].headers["x-trace"] == "abc"


async def test_unknown_route_is_a_404_problem(api: httpx.AsyncClient) -> None:
    response = await api.get("/does/not/exist")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


async def test_wrong_method_is_a_405_problem(api: httpx.AsyncClient) -> None:
    response = await api.put("/account")
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"


async def test_account(server: LocalServer, api: httpx.AsyncClient) -> None:
    assert (await api.get("/account")).json() == {
        "type": "user",
        "username": "test-user",
        "name": "Test User",
        "github_url": "https://github.com/test-user",
    }


async def test_hardware_is_a_plain_array(api: httpx.AsyncClient) -> None:
    hardware = (await api.get("/hardware")).json()
    assert {"name": "CPU", "sku": "cpu"} in hardware
    assert all(set(item) == {"name", "sku"} for item in hardware)


async def test_webhook_secret_is_stable(server: LocalServer, api: httpx.AsyncClient) -> None:
    first = (await api.get("/webhooks/default/secret")).json()
    second = (await api.get("/webhooks/default/secret")).json()
    assert first == second == {"key": server.state.webhook_secret}
    assert first["key"].startswith("whsec_")


async def test_invalid_json_body_is_a_400_problem(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/predictions", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"text": NaN}', "NaN is not a JSON value"),
        ('{"text": Infinity}', "Infinity is not a JSON value"),
        ('{"text": [-Infinity]}', "-Infinity is not a JSON value"),
        ('{"text": 1e400}', "1e400 is out of range"),
        ('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        # Parsed by Python, yet too deep for its encoder once wrapped in a list page.
        ('{"text": ' + "[" * 990 + "]" * 990 + "}", "nested too deeply"),
    ],
    ids=["nan", "infinity", "minus-infinity", "overflow", "100k-deep", "990-deep"],
)
async def test_a_body_the_server_could_not_answer_with_is_refused_and_not_stored(
    server: LocalServer, api: httpx.AsyncClient, text: str, reason: str
) -> None:
    body = '{"version": "replicate/echo", "input": ' + text + "}"
    for path in ("/predictions", "/models/replicate/echo/predictions"):
        response = await api.post(path, content=body.encode())
        assert response.status_code == 400, response.text
        assert reason in response.json()["detail"]
    assert server.state.predictions == {}
    listed = await api.get("/predictions")
    assert listed.status_code == 200
    assert listed.json()["results"] == []


async def test_the_deepest_body_allowed_is_stored_and_listed(api: httpx.AsyncClient) -> None:
    def body(lists: int) -> bytes:
        nested = "[" * lists + "]" * lists
        return ('{"version": "replicate/echo", "input": {"other": ' + nested + "}}").encode()

    # The body and its input are two levels: 198 lists make 200.
    assert (await api.post("/predictions", content=body(198))).status_code == 201
    assert (await api.post("/predictions", content=body(199))).status_code == 400
    assert (await api.get("/predictions")).status_code == 200


def test_importing_the_package_does_not_import_the_server_stack() -> None:
    code = (
        "import sys, replicate_ext.testing, replicate_ext.testing.pytest_plugin;"
        "print('starlette' in sys.modules, 'uvicorn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_local_server_options_and_lifecycle() -> None:
    server = LocalServer(token="secret", username="acme", page_size=2, rate_limit=True)
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.base_url
    with server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.base_url.endswith("/v1")
        headers = {"Authorization": "Bearer secret"}
        account = httpx.get(f"{server.base_url}/account", headers=headers).json()
        assert account["username"] == "acme"
        models = httpx.get(f"{server.base_url}/models", headers=headers).json()
        assert len(models["results"]) == 2
        assert server.state.rate_limiter.classify("POST", "/v1/predictions") == "creations"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.origin}/v1/account", headers=headers)


def test_reset_forgets_what_tests_created(server: LocalServer) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    body = {"owner": "test-user", "name": "temp", "visibility": "private", "hardware": "cpu"}
    assert httpx.post(f"{server.base_url}/models", json=body, headers=headers).status_code == 201
    server.state.inject_fault("slow", "/nowhere")
    assert len(server.state.injected_faults) == 1
    server.reset()
    assert httpx.get(f"{server.base_url}/models/test-user/temp", headers=headers).status_code == 404
    assert server.state.injected_faults == []
    assert [r.path for r in server.state.requests] == ["/v1/models/test-user/temp"]


def test_session_fixture_defaults(replicate_server: LocalServer) -> None:
    assert replicate_server.state.speed == 100
    assert replicate_server.state.keepalive_interval == 0.2


PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def test_fixture_ini_options(tmp_path: Path) -> None:
    # A separate pytest run; other plugins off, since they take seconds to import.
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nreplicate_server_speed = 7\nreplicate_server_page_size = 2\n"
    )
    (tmp_path / "test_it.py").write_text(
        "def test_it(fresh_replicate_server):\n"
        "    assert fresh_replicate_server.state.speed == 7\n"
        "    assert fresh_replicate_server.state.page_size == 2\n"
    )
    result = subprocess.run(
        [*PYTEST, "-p", "replicate_ext.testing.pytest_plugin", str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    from importlib.metadata import entry_points

    plugins = {e.name: e.value for e in entry_points(group="pytest11")}
    assert plugins.get("replicate_ext") == "replicate_ext.testing.pytest_plugin"
