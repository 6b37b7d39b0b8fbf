"""The cut-down answers of `_minimal`, on recorded answers (no Prism needed)."""

from __future__ import annotations

import pytest
from recorded.conftest import json_answers, spec

from generated.types import Unset

from ._minimal import published_answer_schema, read_minimal, required_only

MODEL = next(
    r.json for r in json_answers() if r.method == "GET" and r.path == "/models/stability-ai/sdxl"
)


def test_a_model_cut_down_keeps_only_what_we_require_beyond_the_published_schema() -> None:
    assert required_only(MODEL, published_answer_schema("models.get", 200)) == {}
    model = read_minimal("models.get", 200, MODEL)
    assert (model.url, model.owner, model.name) == (MODEL["url"], "stability-ai", "sdxl")
    assert isinstance(model.latest_version, Unset)
    assert model.to_dict() == {"url": MODEL["url"], "owner": "stability-ai", "name": "sdxl"}


def test_a_deployment_needs_nothing() -> None:
    deployment = read_minimal("deployments.get", 200, {"owner": "acme", "name": "greeter"})
    assert deployment.to_dict() == {}


def test_a_requirement_the_spec_does_not_account_for_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    model = spec()["components"]["schemas"]["Model"]
    monkeypatch.setitem(model, "x-required-beyond-published", ["url", "owner"])
    with pytest.raises(AssertionError, match=r"Model\.name is required by openapi/replicate\.yaml"):
        read_minimal("models.get", 200, MODEL)
