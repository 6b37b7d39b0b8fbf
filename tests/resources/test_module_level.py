"""`replicate_ext.models.get(...)`: the resources at module level, on the default client."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

import replicate_ext
from generated.resources import Resources
from replicate_ext import Client, _default
from replicate_ext.testing import LocalServer


@pytest.fixture
def default_env(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    monkeypatch.setattr(_default, "_client", None)
    yield server
    if _default._client is not None:
        _default._client.close()


def test_resources_at_module_level(default_env: LocalServer) -> None:
    assert replicate_ext.account.get().username == "test-user"
    assert replicate_ext.models.get("replicate/hello-world").name == "hello-world"
    prediction = replicate_ext.predictions.create(
        model="replicate/hello-world", input={"text": "module"}, wait=True
    )
    assert [p.id for p in replicate_ext.predictions.list()] == [prediction.id]
    assert replicate_ext.models.versions.list("replicate/hello-world", limit=1)
    assert replicate_ext.search("hello").query == "hello"
    assert replicate_ext.webhooks.default.secret.get().key == default_env.state.webhook_secret
    assert "get" in dir(replicate_ext.models)
    assert repr(replicate_ext.models) == "<replicate_ext.models: the default client's models>"


def test_module_level_names_follow_the_default_client(
    default_env: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = replicate_ext.models
    assert models.get("replicate/hello-world").name == "hello-world"
    with Client("wrong-token", base_url=default_env.base_url) as other:
        monkeypatch.setattr(_default, "_client", other)
        with pytest.raises(replicate_ext.AuthenticationError):
            models.get("replicate/hello-world")


def test_every_resource_of_the_client_is_at_module_level() -> None:
    names = [n for n, v in vars(Resources).items() if not n.startswith("_") and callable(v)]
    names += [n for n, v in vars(Resources).items() if type(v).__name__ == "cached_property"]
    assert sorted(replicate_ext._RESOURCES) == sorted(set(names))
    assert not set(replicate_ext._RESOURCES) & set(replicate_ext.__all__)  # star imports
    assert set(replicate_ext._RESOURCES) <= set(dir(replicate_ext))


def test_reaching_a_resource_makes_no_client_and_sends_nothing() -> None:
    probe = (
        "import sys, replicate_ext, replicate_ext._default as d; "
        "replicate_ext.models; replicate_ext.predictions; "
        "print(d._client is None, 'httpx' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=30
    )
    assert done.stdout.split() == ["True", "False"]
