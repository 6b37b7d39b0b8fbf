"""Answers that are not what the API promises: a proxy's HTML page, a JSON body cut short
of its fields, the wrong shape. The user should get one `ReplicateError` that says so;
a prediction the answer names is canceled, one that may exist is named, never left unseen.

The local server always answers by the spec, so these use `httpx.MockTransport`.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from replicate_ext._client import Client
from replicate_ext._errors import CreationFateUnknown, ReplicateError

from .conftest import FaultLog

pytestmark = [pytest.mark.fault, pytest.mark.timeout(20)]

API = "https://api.replicate.test/v1"
PREDICTION: dict[str, Any] = {
    "id": "p1",
    "model": "acme/model",
    "version": "hidden",
    "input": {"x": 1},  # what the runs below send: a lookalike of what they may have made
    "logs": "",
    "output": None,
    "error": None,
    "status": "starting",
    "source": "api",
    "data_removed": False,
    "created_at": "2026-01-01T00:00:00.000000Z",
    "urls": {"get": f"{API}/predictions/p1", "cancel": f"{API}/predictions/p1/cancel"},
}
GARBLED = {
    "html-page": (b"<html><body>Bad gateway, but 200</body></html>", "text/html"),
    "fields-missing": (b'{"id": "p1"}', "application/json"),
    "wrong-shape": (b"[1, 2, 3]", "application/json"),
}


class Api:
    """A scripted API: garbles the answers to `garbled` (creation or poll), records calls."""

    def __init__(self, garbled: str, answer: tuple[bytes, str]) -> None:
        self.garbled = garbled
        self.answer = answer
        self.calls: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls.append((request.method, path))
        body, content_type = self.answer
        if request.method == "POST" and path.endswith("/predictions"):
            if self.garbled == "creation":
                return httpx.Response(201, content=body, headers={"content-type": content_type})
            return httpx.Response(201, json=PREDICTION)
        if path.endswith("/cancel"):
            return httpx.Response(200, json=dict(PREDICTION, status="canceled"))
        if path == "/v1/predictions":
            page = {"next": None, "previous": None, "results": [PREDICTION]}
            return httpx.Response(200, json=page)
        if self.garbled == "poll":
            return httpx.Response(200, content=body, headers={"content-type": content_type})
        return httpx.Response(200, json=dict(PREDICTION, status="succeeded", output="ok"))


def run_against(api: Api) -> BaseException:
    with Client("r8_" + "k" * 37, base_url=API, transport=httpx.MockTransport(api)) as client:
        client._retry_policy = type(client._retry_policy)(0)
        with pytest.raises(Exception) as info:  # noqa: PT011 (which one is the question)
            client.run("acme/model", {"x": 1}, wait=False)
    return info.value


@pytest.mark.parametrize("answer", GARBLED.values(), ids=GARBLED.keys())
def test_a_garbled_poll_answer_is_one_replicate_error(
    answer: tuple[bytes, str], fault_log: FaultLog
) -> None:
    fault_log.add("garbled")
    api = Api("poll", answer)
    error = run_against(api)
    assert ("POST", "/v1/predictions/p1/cancel") in api.calls  # the run gave up: canceled
    assert isinstance(error, ReplicateError), repr(error)
    assert error.status == 200


@pytest.mark.parametrize("answer", GARBLED.values(), ids=GARBLED.keys())
def test_a_garbled_creation_answer_is_one_error_and_leaves_nothing_unseen(
    answer: tuple[bytes, str], fault_log: FaultLog
) -> None:
    fault_log.add("garbled")
    api = Api("creation", answer)
    error = run_against(api)
    assert isinstance(error, ReplicateError), repr(error)
    if answer == GARBLED["fields-missing"]:
        # A success naming its prediction: that one is ours, and canceled.
        assert not isinstance(error, CreationFateUnknown)
        assert ("POST", "/v1/predictions/p1/cancel") in api.calls
        assert "p1" in " ".join(error.__notes__)
    else:
        # Nothing names it: the lookalike may be another caller's, so it is named only.
        assert isinstance(error, CreationFateUnknown), repr(error)
        assert error.candidates == ("p1",)
        assert ("GET", "/v1/predictions") in api.calls  # looked for what the creation made
        assert ("POST", "/v1/predictions/p1/cancel") not in api.calls


def test_a_gateway_timeout_on_a_creation_names_what_it_may_have_made(
    fault_log: FaultLog,
) -> None:
    fault_log.add("5xx")
    page = (b"<html><body>504 Gateway Time-out</body></html>", "text/html")
    api = Api("creation", page)

    def gateway(request: httpx.Request) -> httpx.Response:
        answer = api(request)
        if answer.status_code == 201 and request.method == "POST":
            return httpx.Response(504, content=page[0], headers={"content-type": page[1]})
        return answer

    client = Client("r8_" + "k" * 37, base_url=API, transport=httpx.MockTransport(gateway))
    with client, pytest.raises(CreationFateUnknown) as info:
        client.run("acme/model", {"x": 1})
    assert info.value.status == 504
    assert info.value.candidates == ("p1",)
    assert ("GET", "/v1/predictions") in api.calls
    assert ("POST", "/v1/predictions/p1/cancel") not in api.calls
