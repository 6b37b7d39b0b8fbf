"""Fuzz the local server with schemathesis, from openapi/replicate.yaml.

Every operation of the spec gets generated requests; the server must never answer
5xx, and every answer must match the spec (status code documented, content type,
body schema). Bounded for CI: a few examples per operation against a server of its
own (fuzzing creates, changes and deletes things); `make soak` runs ten times more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a dev dependency")

from schemathesis import checks as st_checks  # noqa: E402
from schemathesis.specs.openapi import checks as openapi_checks  # noqa: E402

from replicate_ext.testing import LocalServer  # noqa: E402

from .conftest import SOAK, examples  # noqa: E402

SPEC = Path(__file__).parents[2] / "openapi" / "replicate.yaml"
# Prefer: wait holds an answer up to 60 real seconds; the fuzzer may ask for any of
# them on a model that runs for hours. Valid waits are cut to 1 s (invalid ones stay,
# to be refused).
_VALID_PREFER = re.compile(r"^wait(=([1-9]|[1-9][0-9]|60))?$")
CHECKS = [
    st_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]

schema = schemathesis.openapi.from_path(SPEC)
# The coverage phase (every boundary and negative value, a few dozen requests per
# operation) is left to `make soak`; CI runs the examples and the generated cases.
schema.config.phases.coverage.enabled = SOAK

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def fuzzed_server() -> Iterator[LocalServer]:
    """A server of its own: fuzzing deletes models and makes deployments."""
    with LocalServer(speed=1000, page_size=3, keepalive_interval=0.2) as server:
        yield server


@schema.parametrize()
@settings(
    max_examples=examples(4),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_local_server_answers_every_operation_by_its_spec(
    case: schemathesis.Case, fuzzed_server: LocalServer
) -> None:
    prefer = case.headers.get("Prefer") if case.headers else None
    if prefer is not None and _VALID_PREFER.match(prefer):
        case.headers["Prefer"] = "wait=1"
    response = case.call(
        base_url=fuzzed_server.base_url,
        headers={"Authorization": f"Bearer {fuzzed_server.token}"},
        timeout=15,
    )
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=CHECKS)
