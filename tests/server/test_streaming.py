from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx
import pytest

from replicate_ext.testing import LocalServer

from .conftest import anonymous, parse_sse, wait_status


async def _create(api: httpx.AsyncClient, prompt: str, **extra: object) -> dict[str, Any]:
    response = await api.post(
        "/models/replicate/stream-tokens/predictions",
        json={"input": {"prompt": prompt, **extra}},
    )
    body: dict[str, Any] = response.json()
    return body


async def _read_stream(api: httpx.AsyncClient, url: str, **headers: str) -> httpx.Response:
    response = await api.get(url, headers={"Accept": "text/event-stream", **headers})
    return response


async def test_stream_sends_output_logs_and_done_with_ids(api: httpx.AsyncClient) -> None:
    created = await _create(api, "alpha beta gamma")
    response = await _read_stream(api, created["urls"]["stream"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events, _ = parse_sse(response.text)
    outputs = [e["data"] for e in events if e["event"] == "output"]
    assert outputs == ["alpha ", "beta ", "gamma"]
    assert [e["data"] for e in events if e["event"] == "logs"] == [
        "Generating 3 tokens",
        "Generation finished",
    ]
    # Shaped like Replicate's: the prediction's creation time, then the position.
    created_at = datetime.fromisoformat(created["created_at"])
    prefix = str(int(created_at.timestamp()))
    assert [e["id"] for e in events] == [f"{prefix}:{n}" for n in range(len(events))]
    assert events[-1] == {"id": f"{prefix}:{len(events) - 1}", "event": "done", "data": "{}"}


async def test_multiline_tokens_use_several_data_lines(api: httpx.AsyncClient) -> None:
    created = await _create(api, "first line\nsecond\n\nthird")
    response = await _read_stream(api, created["urls"]["stream"])
    assert "data: line\ndata: \n" in response.text
    events, _ = parse_sse(response.text)
    text = "".join(e["data"] for e in events if e["event"] == "output")
    assert text == "first line\nsecond\n\nthird"


async def test_finished_stream_replays_everything(api: httpx.AsyncClient) -> None:
    created = await _create(api, "a b")
    await wait_status(api, created["id"])
    response = await _read_stream(api, created["urls"]["stream"])
    events, _ = parse_sse(response.text)
    assert [e["data"] for e in events if e["event"] == "output"] == ["a ", "b"]
    assert events[-1]["event"] == "done"


async def test_last_event_id_resumes_after_that_event(api: httpx.AsyncClient) -> None:
    created = await _create(api, "w x y z")
    await wait_status(api, created["id"])
    full, _ = parse_sse((await _read_stream(api, created["urls"]["stream"])).text)
    after_third = {"Last-Event-ID": full[2]["id"]}
    resumed, _ = parse_sse((await _read_stream(api, created["urls"]["stream"], **after_third)).text)
    assert resumed == full[3:]
    # An id the server did not make (another prediction's, or another shape) starts over.
    for foreign in ["3", "123:1", "x"]:
        again, _ = parse_sse(
            (await _read_stream(api, created["urls"]["stream"], **{"Last-Event-ID": foreign})).text
        )
        assert again == full


async def test_keep_alive_comments_while_idle(api: httpx.AsyncClient) -> None:
    # One token after 50 model seconds = 0.5 s real: longer than the 0.2 s keep-alive.
    created = await _create(api, "slow", interval=50)
    response = await _read_stream(api, created["urls"]["stream"])
    assert ": keep-alive\n\n" in response.text
    events, comments = parse_sse(response.text)
    assert comments >= 1
    assert events[-1]["event"] == "done"


async def test_canceled_prediction_stream_ends_with_reason(api: httpx.AsyncClient) -> None:
    created = await _create(api, "never ending " * 5, interval=60)
    await wait_status(api, created["id"], {"processing"})
    await api.post(created["urls"]["cancel"])
    events, _ = parse_sse((await _read_stream(api, created["urls"]["stream"])).text)
    assert events[-1] == {"id": events[-1]["id"], "event": "done", "data": '{"reason": "canceled"}'}


async def test_error_event_for_failures(api: httpx.AsyncClient) -> None:
    created = await _create(api, "a b c d", fail_after=2)
    events, _ = parse_sse((await _read_stream(api, created["urls"]["stream"])).text)
    assert [e["data"] for e in events if e["event"] == "output"] == ["a ", "b "]
    error = next(e for e in events if e["event"] == "error")
    assert json.loads(error["data"]) == {"detail": "Failed after 2 tokens, as asked"}
    assert events[-1]["event"] == "done"
    assert json.loads(events[-1]["data"]) == {"reason": "error"}
    final = await wait_status(api, created["id"])
    assert final["status"] == "failed"
    assert final["output"] == ["a ", "b "]


async def test_image_model_streams_file_urls(api: httpx.AsyncClient) -> None:
    created = (
        await api.post(
            "/models/replicate/make-image/predictions", json={"input": {"num_outputs": 2}}
        )
    ).json()
    events, _ = parse_sse((await _read_stream(api, created["urls"]["stream"])).text)
    urls = [e["data"] for e in events if e["event"] == "output"]
    assert len(urls) == 2
    assert all(url.endswith(".png") for url in urls)


async def test_stream_requires_auth(server: LocalServer, api: httpx.AsyncClient) -> None:
    created = await _create(api, "a")
    async with anonymous() as client:
        response = await client.get(created["urls"]["stream"])
    assert response.status_code == 401


@pytest.mark.parametrize("model", ["hello-world", "fail"])
async def test_models_that_do_not_stream_have_no_stream(api: httpx.AsyncClient, model: str) -> None:
    created = (
        await api.post(f"/models/replicate/{model}/predictions", json={"input": {"text": "a"}})
    ).json()
    assert "stream" not in created["urls"]
    response = await api.get(f"/predictions/{created['id']}/stream")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
