from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from replicate_ext.testing import HELLO_WORLD_VERSION, LocalServer, version_id

from .conftest import anonymous, wait_for, wait_status

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


async def test_hello_world_runs_through_every_state(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    created = await api.post(
        "/predictions", json={"version": HELLO_WORLD_VERSION, "input": {"text": "Alice"}}
    )
    assert created.status_code == 201  # as the real API answers, ended or not
    body = created.json()
    assert body["status"] == "starting"
    assert created.headers["location"] == body["urls"]["get"]
    assert body["urls"]["get"] == f"{server.base_url}/predictions/{body['id']}"
    assert set(body["urls"]) == {"get", "cancel", "web"}
    assert body["source"] == "api"
    assert body["data_removed"] is False
    assert body["model"] == "replicate/hello-world"
    assert body["version"] == HELLO_WORLD_VERSION
    assert ISO_Z.match(body["created_at"])
    assert body["started_at"] is None
    assert "deadline" not in body
    done = await wait_status(api, body["id"])
    assert done["status"] == "succeeded"
    assert done["output"] == "hello Alice"
    assert done["logs"] == "Saying hello\n"
    assert ISO_Z.match(done["started_at"])
    assert ISO_Z.match(done["completed_at"])
    assert done["metrics"]["predict_time"] >= 0
    assert done["metrics"]["total_time"] >= done["metrics"]["predict_time"]
    assert server.state.creations["POST /v1/predictions"] == 1


async def test_slow_prediction_is_seen_processing(api: httpx.AsyncClient) -> None:
    # 30 model seconds at speed 100: 0.3 s of real time.
    created = (
        await api.post(
            "/predictions", json={"version": "replicate/sleep", "input": {"seconds": 30}}
        )
    ).json()
    processing = await wait_status(api, created["id"], {"processing", "succeeded"})
    assert processing["status"] == "processing"
    assert processing["started_at"] is not None
    done = await wait_status(api, created["id"])
    assert done["output"] == "slept for 30 seconds"
    assert "Slept 30/30 seconds" in done["logs"]


@pytest.mark.parametrize(
    "version",
    [
        HELLO_WORLD_VERSION,
        f"replicate/hello-world:{HELLO_WORLD_VERSION}",
        "replicate/hello-world",
    ],
)
async def test_version_accepts_id_owner_name_version_and_owner_name(
    api: httpx.AsyncClient, version: str
) -> None:
    response = await api.post(
        "/predictions",
        json={"version": version, "input": {"text": "Bob"}},
        headers={"Prefer": "wait"},
    )
    assert response.status_code == 201
    assert response.json()["output"] == "hello Bob"
    assert response.json()["version"] == HELLO_WORLD_VERSION


async def test_older_versions_stay_runnable(api: httpx.AsyncClient) -> None:
    older = version_id("replicate/hello-world", 2)
    assert older != HELLO_WORLD_VERSION
    response = await api.post(
        "/predictions",
        json={"version": older, "input": {"text": "Eve"}},
        headers={"Prefer": "wait"},
    )
    assert response.json()["version"] == older


async def test_unknown_version_is_a_422(api: httpx.AsyncClient) -> None:
    response = await api.post("/predictions", json={"version": "0" * 64, "input": {}})
    assert response.status_code == 422
    # As the API answers it: a title of its own, no invalid_fields.
    assert response.json() == {
        "title": "Invalid version or not permitted",
        "detail": "The specified version does not exist "
        "(or perhaps you don't have permission to use it?)",
        "status": 422,
    }


async def test_model_predictions_route(server: LocalServer, api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "Zed"}},
        headers={"Prefer": "wait=5"},
    )
    assert response.status_code == 201
    assert response.json()["output"] == "hello Zed"
    assert response.json()["version"] == HELLO_WORLD_VERSION
    route = "POST /v1/models/{model_owner}/{model_name}/predictions"
    assert server.state.creations[route] == 1


async def test_prefer_wait_times_out_with_201_and_keeps_running(api: httpx.AsyncClient) -> None:
    started = time.monotonic()
    response = await api.post(
        "/models/replicate/sleep/predictions",
        json={"input": {"seconds": 150}},
        headers={"Prefer": "wait=1"},
    )
    assert 0.9 < time.monotonic() - started < 5
    assert response.status_code == 201
    assert response.json()["status"] in {"starting", "processing"}
    done = await wait_status(api, response.json()["id"])
    assert done["status"] == "succeeded"


@pytest.mark.parametrize("prefer", ["wait=0", "wait=100", "wait=5s", "respond-async", "wait=05"])
async def test_invalid_prefer_is_rejected(api: httpx.AsyncClient, prefer: str) -> None:
    response = await api.post(
        "/predictions",
        json={"version": "replicate/hello-world", "input": {"text": "x"}},
        headers={"Prefer": prefer},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


async def test_input_validation_reports_invalid_fields(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/models/replicate/make-image/predictions",
        json={"input": {"width": "big", "height": 999, "color": "purple", "extra": 1}},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Input validation failed"
    fields = {(f["field"], f["type"]) for f in body["invalid_fields"]}
    assert fields == {
        ("input.width", "invalid_type"),
        ("input.height", "number_lte"),
        ("input.color", "enum"),
    }
    assert all(f["description"] for f in body["invalid_fields"])

    missing = await api.post("/models/replicate/hello-world/predictions", json={"input": {}})
    assert missing.status_code == 422
    assert missing.json()["invalid_fields"] == [
        {"type": "required", "field": "input", "description": "text is required"}
    ]
    no_input = await api.post("/predictions", json={"version": "replicate/hello-world"})
    # The body's own fields are named by the description alone, as the API does.
    assert no_input.json()["invalid_fields"] == [
        {"type": "required", "field": "", "description": "input is required"}
    ]
    assert no_input.json()["detail"] == "- input is required\n"


async def test_cancel_a_running_prediction(api: httpx.AsyncClient) -> None:
    created = (
        await api.post("/models/replicate/sleep/predictions", json={"input": {"seconds": 1000}})
    ).json()
    await wait_status(api, created["id"], {"processing"})
    canceled = await api.post(f"/predictions/{created['id']}/cancel")
    assert canceled.status_code == 200
    assert canceled.json()["status"] == "canceled"
    assert canceled.json()["completed_at"] is not None
    # Canceling again returns the same, finished prediction.
    again = await api.post(created["urls"]["cancel"])
    assert again.json() == canceled.json()


async def test_canceling_a_finished_prediction_changes_nothing(api: httpx.AsyncClient) -> None:
    done = (
        await api.post(
            "/predictions",
            json={"version": "replicate/hello-world", "input": {"text": "A"}},
            headers={"Prefer": "wait"},
        )
    ).json()
    response = await api.post(f"/predictions/{done['id']}/cancel")
    assert response.json()["status"] == "succeeded"
    assert response.json()["output"] == "hello A"


async def test_cancel_after_cancels_a_running_prediction_and_aborts_a_queued_one(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    started = time.monotonic()

    async def create() -> dict[str, Any]:
        response = await api.post(
            "/models/replicate/sleep/predictions",
            json={"input": {"seconds": 1000}},
            headers={"Cancel-After": "5s"},
        )
        body: dict[str, Any] = response.json()
        deadline = datetime.fromisoformat(body["deadline"].replace("Z", "+00:00"))
        created = datetime.fromisoformat(body["created_at"].replace("Z", "+00:00"))
        assert deadline - created == timedelta(seconds=5)
        return body

    running = await create()
    await wait_status(api, running["id"], {"processing"})
    server.state.queue_delay = 60.0  # the next one waits in the queue past its deadline
    queued = await create()
    ran = await wait_status(api, running["id"], within=15)
    never_ran = await wait_status(api, queued["id"], within=15)
    assert time.monotonic() - started >= 4.9
    assert (ran["status"], never_ran["status"]) == ("canceled", "aborted")
    assert ran["started_at"] is not None
    assert never_ran["started_at"] is None
    # Its event log ends as a stream of it would.
    assert server.state.predictions[queued["id"]].events[-1].data == '{"reason": "aborted"}'


@pytest.mark.parametrize("header", ["4s", "4999ms", "0.5s"])
async def test_cancel_after_under_five_seconds_is_refused(
    api: httpx.AsyncClient, header: str
) -> None:
    response = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "x"}},
        headers={"Cancel-After": header},
    )
    assert response.status_code == 400
    assert "minimum is 5s" in response.json()["detail"]


async def test_cancel_after_does_not_touch_fast_predictions(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "q"}},
        headers={"Cancel-After": "1h30m250ms", "Prefer": "wait"},
    )
    assert response.json()["status"] == "succeeded"
    assert response.json()["deadline"]


async def test_a_bare_number_of_cancel_after_is_seconds(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "q"}},
        headers={"Cancel-After": "30", "Prefer": "wait"},
    )
    assert response.status_code == 201
    body = response.json()
    created = datetime.fromisoformat(body["created_at"])
    deadline = datetime.fromisoformat(body["deadline"])
    assert (deadline - created).total_seconds() == pytest.approx(30, abs=1)


@pytest.mark.parametrize("value", ["4", "30x", "5 m", "abc", "0s", "-1s", "1d", ".5s", "10ns"])
async def test_invalid_cancel_after_is_rejected(api: httpx.AsyncClient, value: str) -> None:
    response = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "q"}},
        headers={"Cancel-After": value},
    )
    assert response.status_code == 400
    assert "Cancel-After" in response.json()["detail"]


@pytest.mark.parametrize("value", ["277777777h46m40s", "2562047h47m17s", "9999999999999999s"])
async def test_a_cancel_after_longer_than_a_go_duration_is_refused_not_a_500(
    server: LocalServer, api: httpx.AsyncClient, value: str
) -> None:
    # What the client sends for timeout=1e12: past what the API's durations hold.
    response = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "q"}},
        headers={"Cancel-After": value},
    )
    assert response.status_code == 400
    assert "the maximum is 2562047h47m16s" in response.json()["detail"]
    assert server.state.predictions == {}


async def test_the_longest_cancel_after_is_taken(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/models/replicate/hello-world/predictions",
        json={"input": {"text": "q"}},
        headers={"Cancel-After": "2562047h47m16s", "Prefer": "wait"},
    )
    assert response.status_code == 201
    assert int(response.json()["deadline"][:4]) > 2300  # some 292 years from now


async def test_failing_model_sets_error_and_logs(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/models/replicate/fail/predictions",
        json={"input": {"message": "kaboom"}},
        headers={"Prefer": "wait"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "failed"
    assert body["error"] == "kaboom"
    assert body["logs"] == "Loading weights\nRunning prediction\n"
    assert body["output"] is None


async def test_streaming_model_output_grows_and_has_a_stream_url(api: httpx.AsyncClient) -> None:
    created = (
        await api.post(
            "/models/replicate/stream-tokens/predictions",
            json={"input": {"prompt": "one two three four", "interval": 5}},
        )
    ).json()
    assert created["urls"]["stream"] == created["urls"]["get"] + "/stream"

    async def partial() -> dict[str, object] | None:
        body = (await api.get(f"/predictions/{created['id']}")).json()
        output = body["output"]
        return body if isinstance(output, list) and 0 < len(output) < 4 else None

    middle = await wait_for(partial)
    assert middle["status"] == "processing"
    done = await wait_status(api, created["id"])
    assert done["output"] == ["one ", "two ", "three ", "four"]


async def test_image_model_outputs_real_pngs_fetched_without_auth(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    body = (
        await api.post(
            "/models/replicate/make-image/predictions",
            json={"input": {"width": 3, "height": 2, "color": "blue", "num_outputs": 2}},
            headers={"Prefer": "wait"},
        )
    ).json()
    assert body["status"] == "succeeded"
    assert len(body["output"]) == 2
    assert "stream" in body["urls"]
    async with anonymous() as client:
        image = await client.get(body["output"][0])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")
    # IHDR: width then height, big-endian.
    assert image.content[16:24] == (3).to_bytes(4, "big") + (2).to_bytes(4, "big")
    delivered = server.state.delivery_requests
    assert len(delivered) == 1
    assert "authorization" not in delivered[0].headers


async def test_sync_data_urls_switch(api: httpx.AsyncClient, server: LocalServer) -> None:
    server.state.sync_data_urls = True
    try:
        body = (
            await api.post(
                "/models/replicate/make-image/predictions",
                json={"input": {"width": 1, "height": 1}},
                headers={"Prefer": "wait"},
            )
        ).json()
    finally:
        server.state.sync_data_urls = False
    url = body["output"][0]
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]).startswith(b"\x89PNG")


async def test_echo_resolves_data_urls_and_own_files(api: httpx.AsyncClient) -> None:
    payload = b"hello file"
    uploaded = (
        await api.post("/files", files={"content": ("a.txt", payload, "text/plain")})
    ).json()
    data_url = "data:text/plain;base64," + base64.b64encode(payload).decode()
    body = (
        await api.post(
            "/models/replicate/echo/predictions",
            json={
                "input": {
                    "text": "hi",
                    "flag": True,
                    "file": data_url,
                    "files": [uploaded["urls"]["get"], "https://example.com/x.bin"],
                }
            },
            headers={"Prefer": "wait"},
        )
    ).json()
    assert body["status"] == "succeeded"
    output = body["output"]
    assert output["input"]["text"] == "hi"
    assert output["input"]["file"] == data_url
    digest = hashlib.sha256(payload).hexdigest()
    assert output["files"]["file"] == {
        "fetched": True,
        "size": len(payload),
        "sha256": digest,
        "content_type": "text/plain",
    }
    assert output["files"]["files"][0]["sha256"] == digest
    assert output["files"]["files"][1] == {"url": "https://example.com/x.bin", "fetched": False}


async def test_list_predictions_paginates_newest_first_and_filters(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    ids = []
    for index in range(7):
        response = await api.post(
            "/models/replicate/hello-world/predictions", json={"input": {"text": str(index)}}
        )
        ids.append(response.json()["id"])
    seen: list[str] = []
    url: str | None = "/predictions"
    pages = 0
    while url:
        page = (await api.get(url)).json()
        assert len(page["results"]) <= server.state.page_size
        seen += [p["id"] for p in page["results"]]
        if pages:
            assert page["previous"] is not None
        url = page["next"]
        pages += 1
    assert seen == list(reversed(ids))
    assert pages == 2

    third = (await api.get(f"/predictions/{ids[3]}")).json()["created_at"]
    after = (await api.get("/predictions", params={"created_after": third})).json()
    assert [p["id"] for p in after["results"]] == list(reversed(ids[3:]))
    before = (await api.get("/predictions", params={"created_before": third})).json()
    assert [p["id"] for p in before["results"]] == list(reversed(ids[:3]))
    bad = await api.get("/predictions", params={"created_after": "yesterday"})
    assert bad.status_code == 400
    bad_cursor = await api.get("/predictions", params={"cursor": "!!"})
    assert bad_cursor.status_code == 400


async def test_concurrent_predictions_all_finish(api: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(
        *[
            api.post(
                "/models/replicate/hello-world/predictions",
                json={"input": {"text": str(i)}},
                headers={"Prefer": "wait"},
            )
            for i in range(20)
        ]
    )
    assert sorted(r.json()["output"] for r in responses) == sorted(f"hello {i}" for i in range(20))


async def test_custom_models_run_and_stream(server: LocalServer, api: httpx.AsyncClient) -> None:
    from replicate_ext.testing import ModelError, RunContext

    async def shout(ctx: RunContext) -> str:
        await ctx.log("shouting")
        if ctx.input["word"] == "quiet":
            raise ModelError("refusing to be quiet")
        return str(ctx.input["word"]).upper()

    async def count(ctx: RunContext) -> None:
        for i in range(int(ctx.input.get("n", 3))):
            await ctx.emit(f"{i}\n")

    shout_version = server.state.add_model(
        "acme/shout", shout, inputs={"word": {"type": "string"}}, required=["word"]
    )
    count_version = server.state.add_model(
        "acme/count", count, inputs={"n": {"type": "integer", "minimum": 1}}, streaming=True
    )
    assert shout_version == version_id("acme/shout", 1)
    loud = await api.post(
        "/predictions",
        json={"version": shout_version, "input": {"word": "hey"}},
        headers={"Prefer": "wait"},
    )
    assert loud.json()["output"] == "HEY"
    failed = await api.post(
        "/models/acme/shout/predictions",
        json={"input": {"word": "quiet"}},
        headers={"Prefer": "wait"},
    )
    assert failed.json()["error"] == "refusing to be quiet"
    invalid = await api.post("/models/acme/shout/predictions", json={"input": {}})
    assert invalid.status_code == 422

    counted = (
        await api.post(
            "/models/acme/count/predictions", json={"input": {"n": 2}}, headers={"Prefer": "wait"}
        )
    ).json()
    assert counted["output"] == ["0\n", "1\n"]
    assert counted["version"] == count_version
    assert "stream" in counted["urls"]
    second = server.state.add_model("acme/count", count, streaming=True)
    assert second == version_id("acme/count", 2)
    assert (await api.get("/models/acme/count")).json()["latest_version"]["id"] == second
    server.reset()
    assert (await api.get("/models/acme/count")).status_code == 404
