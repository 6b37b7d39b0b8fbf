"""Finding the predictions of unanswered creations: the flow stepped by hand, and the matching."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

from replicate_ext._errors import ReplicateError
from replicate_ext._flow import Send
from replicate_ext._journal import CLOCK_SKEW, Lookalike, assign_lookalikes, lookalikes_flow
from replicate_ext._refs import parse_ref

SENT = 1_800_000_000.0


def item(pid: str, input: Any, *, model: str = "acme/m", at: float = SENT, **extra: Any) -> dict:
    created = datetime.datetime.fromtimestamp(at, datetime.UTC).isoformat()
    return {"id": pid, "model": model, "input": input, "created_at": created, **extra}


def page(results: list[dict], next_url: str | None = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={"results": results, "next": next_url})


def test_the_flow_reads_every_page_since_the_send_and_keeps_the_models_predictions() -> None:
    flow = lookalikes_flow(parse_ref("acme/m"), SENT)
    first = next(flow)
    assert isinstance(first, Send)
    after = datetime.datetime.fromisoformat(first.request["params"]["created_after"])
    assert after.timestamp() == SENT - CLOCK_SKEW
    second = flow.send(
        page(
            [item("p1", {"a": 1}, status="processing"), item("x", {"a": 1}, model="acme/other")],
            "https://api.example/v1/predictions?cursor=2",
        )
    )
    assert second.request == {"method": "GET", "url": "https://api.example/v1/predictions?cursor=2"}
    with pytest.raises(StopIteration) as done:
        flow.send(page([item("p2", {"a": 2}, status="succeeded"), item("p1", {"a": 1})]))
    found = done.value.value
    assert [(f.id, f.input, f.status) for f in found] == [
        ("p1", {"a": 1}, "processing"),
        ("p2", {"a": 2}, "succeeded"),
    ]
    assert found[0].created_at == SENT


def test_a_version_reference_matches_by_version_and_a_deployment_by_deployment() -> None:
    version = "a" * 64
    for ref, keep in [
        (parse_ref(f"acme/m:{version}"), item("v", {}, version=version)),
        (parse_ref("deployments/acme/d"), item("d", {}, deployment="acme/d")),
    ]:
        flow = lookalikes_flow(ref, SENT)
        next(flow)
        with pytest.raises(StopIteration) as done:
            flow.send(page([keep, item("no", {}, version="b" * 64, deployment="acme/x")]))
        assert [f.id for f in done.value.value] == [keep["id"]]


def test_a_page_that_cannot_be_fetched_is_an_error_not_an_empty_list() -> None:
    flow = lookalikes_flow(parse_ref("acme/m"), SENT)
    next(flow)
    with pytest.raises(ReplicateError) as raised:
        flow.send(httpx.Response(503, json={"detail": "down"}))
    assert raised.value.status == 503


def look(pid: str, input: Any, at: float = SENT, status: str = "succeeded") -> Lookalike:
    return Lookalike(pid, input, at, status)


def test_each_send_takes_the_unclaimed_match_closest_to_it() -> None:
    found = [
        look("early", {"a": 1}, SENT - 50),
        look("near", {"a": 1}, SENT + 0.2),
        look("taken", {"a": 1}, SENT),
        look("other-input", {"a": 2}, SENT),
        look("canceled", {"a": 1}, SENT, "canceled"),
        look("aborted", {"a": 1}, SENT, "aborted"),
    ]
    claimed = {"taken"}
    wanted = [(0, {"a": 1}, SENT), (1, {"a": 1}, SENT), (2, {"a": 1}, SENT), (3, None, SENT)]
    assert assign_lookalikes(wanted, found, claimed) == {0: "near", 1: "early"}
    assert claimed == {"taken", "near", "early"}
