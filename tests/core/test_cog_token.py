"""Inside a Cog model: the token of the prediction being served, read at each request.

Cog hands it to the model in `cog.current_scope().context`, a context
variable per prediction; a fake `cog` module here plays the Cog runtime.
"""

from __future__ import annotations

import asyncio
import contextvars
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from replicate_ext import AsyncClient, AuthenticationError, Client
from replicate_ext.testing import LocalServer

HELLO = "replicate/hello-world"


class Scope:
    def __init__(self, context: dict[str, str]) -> None:
        self.context = context


_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("scope", default=None)


def current_scope() -> Scope:
    scope = _scope.get()
    if scope is None:
        raise RuntimeError("No scope available")  # as Cog says outside a prediction
    return scope


@pytest.fixture
def cog(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    fake = types.ModuleType("cog")
    fake.current_scope = current_scope  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cog", fake)
    return fake


def serving(token: str, key: str = "REPLICATE_API_TOKEN") -> contextvars.Token[Scope | None]:
    return _scope.set(Scope({key: token}))


def tokens_sent(server: LocalServer) -> list[str]:
    return [r.headers.get("authorization", "") for r in server.state.requests]


def test_each_prediction_served_sends_its_own_token(
    server: LocalServer, cog: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_the_environments")
    with Client(base_url=server.base_url) as client:  # one client for the whole process
        mark = serving(server.token)
        try:
            assert client.run(HELLO, {"text": "a"}) == "hello a"
        finally:
            _scope.reset(mark)
        mark = serving("r8_another_predictions")
        try:
            with pytest.raises(AuthenticationError) as info:
                client.run(HELLO, {"text": "b"})
        finally:
            _scope.reset(mark)
        assert info.value.status == 401  # sent, and refused: it is not the server's
        assert "r8_another_predictions" not in str(info.value)
    assert tokens_sent(server) == [f"Bearer {server.token}", "Bearer r8_another_predictions"]


def test_outside_a_prediction_the_environment_serves(
    server: LocalServer, cog: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    with Client(base_url=server.base_url) as client:
        assert client.run(HELLO, {"text": "setup"}) == "hello setup"  # no scope: Cog raises
        mark = _scope.set(Scope({}))  # a prediction without a token
        try:
            assert client.run(HELLO, {"text": "empty"}) == "hello empty"
        finally:
            _scope.reset(mark)


def test_an_explicit_token_wins(server: LocalServer, cog: types.ModuleType) -> None:
    mark = serving("r8_the_predictions")
    try:
        with Client(server.token, base_url=server.base_url) as client:
            assert client.run(HELLO, {"text": "mine"}) == "hello mine"
    finally:
        _scope.reset(mark)
    assert tokens_sent(server) == [f"Bearer {server.token}"]


async def test_async_tasks_each_send_the_token_of_their_prediction(
    server: LocalServer, cog: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REPLICATE_API_TOKEN", raising=False)
    async with AsyncClient(base_url=server.base_url) as client:

        async def predict(token: str, text: str) -> object:
            serving(token, key="replicate_api_token")  # Cog's newer runtime spells it so
            try:
                return await client.run(HELLO, {"text": text})
            except AuthenticationError as error:
                return error.status

        outcomes = await asyncio.gather(
            predict(server.token, "one"), predict("r8_wrong", "two"), predict(server.token, "3")
        )
    assert outcomes == ["hello one", 401, "hello 3"]


def test_a_token_in_the_context_that_no_header_can_carry_is_refused_before_sending(
    server: LocalServer, cog: types.ModuleType
) -> None:
    mark = serving("r8_bad token")
    try:
        client = Client(base_url=server.base_url)
        with client, pytest.raises(AuthenticationError, match="Cog prediction's context"):
            client.run(HELLO, {"text": "x"})
    finally:
        _scope.reset(mark)
    assert server.state.requests == []


def test_cog_is_never_imported(server: LocalServer, tmp_path: Path) -> None:
    # A `cog` on the path that must not be imported: a run outside Cog costs nothing.
    (tmp_path / "cog.py").write_text("raise SystemExit('cog was imported')\n")
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import replicate_ext
        client = replicate_ext.Client({server.token!r}, base_url={server.base_url!r})
        print(client.run("replicate/hello-world", {{"text": "x"}}))
        print("cog" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["hello", "x", "False"]
