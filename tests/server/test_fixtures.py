"""The pytest fixtures as a user's own test files use them, in a pytest run of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import replicate_ext
from replicate_ext import _default
from replicate_ext.testing import LocalServer

MODELS = Path(__file__).parent / "models"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]

USERS_APP = '''
import replicate_ext


def caption(prompt):
    """The user's code: it calls the module-level functions, configured by the environment."""
    (image,) = replicate_ext.run("acme-labs/quick-image", input={"prompt": prompt})
    return image.url
'''

USERS_TESTS = """
import asyncio
import os

import replicate_ext
from app import caption

OUTSIDE = {key: os.environ.get(key) for key in ("REPLICATE_API_TOKEN", "REPLICATE_BASE_URL")}


def test_my_code_runs_against_the_local_server(replicate_env):
    url = caption("a cat")
    assert url.startswith(replicate_env.origin)
    (prediction,) = replicate_env.state.predictions.values()
    assert prediction.input == {"prompt": "a cat"}
    assert os.environ["REPLICATE_BASE_URL"] == replicate_env.base_url


def test_the_async_functions_too(replicate_env):
    output = asyncio.run(replicate_ext.async_run("replicate/hello-world", input={"text": "a"}))
    assert output == "hello a"


def test_my_output_in_a_test(replicate_env):
    replicate_env.state.set_output("acme-labs/quick-image", lambda inputs: [b"GIF89a..."])
    assert caption("x").endswith(".gif")


def test_everything_is_put_back_after(replicate_server):
    assert {key: os.environ.get(key) for key in OUTSIDE} == OUTSIDE
    assert OUTSIDE["REPLICATE_API_TOKEN"] == "r8_real_token_of_the_user"
    assert replicate_ext._default._client is None
"""


def test_replicate_env_points_a_users_own_code_at_the_server_and_puts_it_back(
    tmp_path: Path,
) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\n"
        f"replicate_server_models = acme-labs/quick-image={MODELS / 'image-model.json'}\n"
        "replicate_server_speed = 100\n"
    )
    (tmp_path / "app.py").write_text(USERS_APP)
    (tmp_path / "test_app.py").write_text(USERS_TESTS)
    env = {
        **os.environ,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        # What a developer's shell may hold: the fixture must win, then restore it.
        "REPLICATE_API_TOKEN": "r8_real_token_of_the_user",
        "REPLICATE_BASE_URL": "https://api.replicate.com/v1",
        "PYTHONPATH": str(tmp_path),
    }
    result = subprocess.run(
        [*PYTEST, "-p", "replicate_ext.testing.pytest_plugin", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_a_model_the_ini_cannot_fake_stops_the_run_saying_why(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nreplicate_server_models = acme/x=nope.json\n")
    (tmp_path / "test_it.py").write_text("def test_it(replicate_server):\n    pass\n")
    result = subprocess.run(
        [*PYTEST, "-p", "replicate_ext.testing.pytest_plugin", str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "replicate_server_models: --model 'acme/x=" in result.stdout + result.stderr
    assert "nope.json: cannot read it" in result.stdout + result.stderr


def test_set_default_client_hands_the_module_functions_a_client_and_forgets_it(
    fresh_replicate_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = fresh_replicate_server
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_wrong")
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    replicate_ext.set_default_client(None)
    try:
        with pytest.raises(replicate_ext.AuthenticationError):
            replicate_ext.run("replicate/hello-world", input={"text": "a"})
        built = _default.default_client()
        mine = replicate_ext.Client(server.token, base_url=server.base_url)
        replicate_ext.set_default_client(mine)
        assert built is not mine
        assert replicate_ext.run("replicate/hello-world", input={"text": "a"}) == "hello a"
        replicate_ext.set_default_client(None)
        assert _default._client is None
        mine.run("replicate/hello-world", input={"text": "still open"})  # not ours to close
        mine.close()
        with pytest.raises(TypeError, match="a Client or an AsyncClient, not str"):
            replicate_ext.set_default_client("r8_token")  # type: ignore[arg-type]
    finally:
        replicate_ext.set_default_client(None)


async def test_set_default_client_takes_an_async_client_for_the_async_functions(
    fresh_replicate_server: LocalServer,
) -> None:
    server = fresh_replicate_server
    async with replicate_ext.AsyncClient(server.token, base_url=server.base_url) as mine:
        replicate_ext.set_default_client(mine)
        try:
            assert await replicate_ext.async_run("replicate/hello-world", input={"text": "b"}) == (
                "hello b"
            )
            assert _default.default_async_client() is mine
        finally:
            replicate_ext.set_default_client(None)
    assert _default.default_async_client() is not mine
