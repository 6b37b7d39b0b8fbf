"""The local server itself under client faults: clients that give up mid-request."""

from __future__ import annotations

import logging

import httpx
import pytest

from replicate_ext.testing import LocalServer

pytestmark = pytest.mark.timeout(20)


def _requests_in_flight(server: LocalServer) -> int:
    assert server._server is not None
    return len(server._server.server_state.tasks)


def test_a_client_gone_before_its_body_was_read_is_no_server_error(
    server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    before = _requests_in_flight(server)
    path = "/v1/models/replicate/sleep/predictions"
    server.state.inject_fault("slow", path, delay=0.4)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            server.origin + path,
            json={"input": {"seconds": 1}},
            headers={"Authorization": f"Bearer {server.token}"},
            timeout=0.1,
        )
    assert len(server.state.fired_faults) == 1
    # The abandoned request's handler runs on after the delay; wait for it to end.
    server.state.wait_until(lambda: _requests_in_flight(server) <= before)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
