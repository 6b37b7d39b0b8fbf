"""The API token stays secret: not in logs, reprs or errors, not sent to other hosts.

Also: webhook verification turns away replays outside its tolerance, tried on a
request the local server really delivered.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from replicate_ext import WebhookVerificationError, verify_webhook
from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import (
    APIConnectionError,
    AuthenticationError,
    CreationFateUnknown,
    PredictionTimeout,
    ReplicateError,
)
from replicate_ext._files import MAX_DATA_URL_SIZE, FileOutput
from replicate_ext.testing import LocalServer

from ._elsewhere import Elsewhere
from .conftest import FaultLog, Leaks, attempt

pytestmark = pytest.mark.timeout(30)

HELLO = "/v1/models/replicate/hello-world/predictions"


def everything_said(error: BaseException) -> str:
    """Everything an exception shows: str, repr, args, traceback, causes and contexts."""
    return "\n".join(
        [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
    )


@pytest.fixture
def elsewhere(leaks: Leaks) -> Iterator[Elsewhere]:
    with Elsewhere() as other:
        yield other


# -- logs ---------------------------------------------------------------------------------------


def test_the_token_is_in_no_log_record_at_any_level(
    server: LocalServer,
    make_client: Callable[..., Client],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(1)  # everything, httpx's and our transport's tracing included
    for name in ("httpx", "httpcore", "replicate_ext", "uvicorn", "hpack"):
        logging.getLogger(name).setLevel(1)
    try:
        server.state.inject_fault("429", HELLO, times=2, retry_after=0.01)
        server.state.inject_fault("status", "/v1/predictions/*", method="GET", times=2)
        server.state.inject_fault("drop", "/v1/files", method="POST")
        client = make_client()
        assert client.run("replicate/hello-world", {"text": "a"}) == "hello a"
        assert client.run("replicate/sleep", {"seconds": 3}, wait=False) == "slept for 3 seconds"
        big = tmp_path / "big.bin"
        big.write_bytes(b"x" * (MAX_DATA_URL_SIZE + 1))
        with pytest.raises(APIConnectionError):
            client.run("replicate/echo", {"file": big})  # an upload dropped: not resent
        (image,) = client.run("replicate/make-image", {})
        assert image.read().startswith(b"\x89PNG")
        with pytest.raises(PredictionTimeout):
            client.run("replicate/sleep", {"seconds": 1000}, timeout=0.2)
        with pytest.raises(AuthenticationError):
            make_client("r8_not_the_right_token").run("replicate/hello-world", {"text": "a"})
    finally:
        for name in ("httpx", "httpcore", "replicate_ext", "uvicorn", "hpack"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert len(caplog.records) > 20  # the tracing was on
    assert any(r.name.startswith("httpcore") for r in caplog.records)  # the tracing was on
    assert any(r.name == "replicate_ext" and "retrying" in r.getMessage() for r in caplog.records)
    token = server.token
    assert token not in caplog.text
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in repr(record.args)
        assert token not in repr(record.__dict__)


async def test_the_async_paths_log_no_token_either(
    server: LocalServer,
    make_async_client: Callable[..., AsyncClient],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(1)
    for name in ("httpx", "httpcore", "replicate_ext"):
        logging.getLogger(name).setLevel(1)
    try:
        server.state.inject_fault("drop", "/v1/predictions/*", method="GET", times=2)
        server.state.inject_fault("drop_stream", "/v1/predictions/*/stream", after_events=1)
        client = make_async_client()
        big = tmp_path / "big.bin"
        big.write_bytes(b"y" * (MAX_DATA_URL_SIZE + 1))
        output = await client.run("replicate/echo", {"file": big}, use_file_output=False)
        assert output["files"]["file"]["size"] == MAX_DATA_URL_SIZE + 1
        assert await client.run("replicate/sleep", {"seconds": 3}, wait=False)
        async with client.stream("replicate/stream-tokens", {"prompt": "a b c"}) as events:
            assert "".join([str(event) async for event in events]) == "a b c"
            assert server.token not in repr(events)
    finally:
        for name in ("httpx", "httpcore", "replicate_ext"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert any(r.name.startswith("httpcore") for r in caplog.records)  # the tracing was on
    assert server.token not in caplog.text
    for record in caplog.records:
        assert server.token not in repr(record.__dict__)


# -- reprs and errors --------------------------------------------------------------------------


def test_reprs_of_clients_and_their_parts(server: LocalServer, leaks: Leaks) -> None:
    token = "r8_" + "s3cr3t" * 6
    sync, async_ = Client(token, base_url=server.base_url), AsyncClient(token)
    leaks.clients += [sync, async_]
    sync._sync_http()
    for thing in (sync, async_, sync._auth, sync._ctx, sync.api, sync._sync_http()):
        assert token not in repr(thing)
        assert token not in str(thing)


def test_api_errors_never_show_the_token(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    wrong = "r8_" + "w" * 37
    with pytest.raises(AuthenticationError) as refused:
        make_client(wrong).run("replicate/hello-world", {"text": "a"})
    assert refused.value.status == 401
    server.state.inject_fault("status", HELLO, status=503)
    with pytest.raises(ReplicateError) as failed:
        make_client().run("replicate/hello-world", {"text": "a"})
    for error, token in ((refused.value, wrong), (failed.value, server.token)):
        # The request, with its Authorization header, is reachable on purpose...
        assert error.response.request.headers["authorization"] == f"Bearer {token}"
        # ...and never shown.
        assert token not in everything_said(error)


def test_transport_errors_never_show_the_token(
    server: LocalServer, make_client: Callable[..., Client]
) -> None:
    server.state.inject_fault("drop", HELLO)
    with pytest.raises(CreationFateUnknown) as dropped:  # sent, then cut: fate unknown
        make_client().run("replicate/hello-world", {"text": "a"})
    unreachable = make_client(base_url="http://127.0.0.1:9/v1", max_retries=0)
    with pytest.raises(APIConnectionError) as refused:
        unreachable.run("replicate/hello-world", {"text": "a"})
    assert isinstance(refused.value.__cause__, httpx.ConnectError)
    cut = dropped.value.__cause__
    assert isinstance(cut, APIConnectionError)
    for error in (cut, refused.value):
        # The request, with its Authorization header, is reachable on purpose...
        assert error.request.headers["authorization"] == f"Bearer {server.token}"
    for shown in (dropped.value, refused.value):
        # ...and never shown.
        assert server.token not in everything_said(shown)


@pytest.mark.parametrize("suffix", ["\n", "\r\n", " ", "\t"], ids=["lf", "crlf", "space", "tab"])
def test_a_token_with_stray_whitespace_is_not_repeated_in_the_error(
    server: LocalServer, make_client: Callable[..., Client], suffix: str
) -> None:
    client = make_client(server.token + suffix)
    outcome, error = attempt(lambda: client.run("replicate/hello-world", {"text": "a"}))
    if error is None:
        assert outcome == "hello a"  # stripped: fine too
    else:
        assert server.token not in everything_said(error)


# -- requests to other hosts -------------------------------------------------------------------


def no_token_in(requests: list[Any], token: str) -> None:
    for request in requests:
        assert "authorization" not in request.headers, request
        assert token not in repr(request.headers)


async def test_output_files_are_fetched_without_the_token(
    server: LocalServer, make_async_client: Callable[..., AsyncClient], tmp_path: Path
) -> None:
    outputs = await make_async_client().run("replicate/make-image", {"num_outputs": 2})
    assert all(isinstance(output, FileOutput) for output in outputs)
    await outputs[0].asave(tmp_path / "a.png")
    assert b"".join([chunk async for chunk in outputs[1]]).startswith(b"\x89PNG")
    assert len(server.state.delivery_requests) == 2
    no_token_in(server.state.delivery_requests, server.token)


def test_output_urls_on_other_hosts_and_their_redirects_get_no_token(
    server: LocalServer, make_client: Callable[..., Client], elsewhere: Elsewhere
) -> None:
    # The API's own server under another name is another host, too.
    port = server.state.origin.rsplit(":", 1)[1]
    renamed = f"http://localhost:{port}/delivery/examples/make-image/out-0.png"
    api_file = f"{server.base_url}/files/nope/download"
    links = {
        "direct": f"{elsewhere.origin}/file",
        "to_renamed_api": f"{elsewhere.origin}/redirect?to={urllib.parse.quote(renamed)}",
        "to_api_path": f"{elsewhere.origin}/redirect?to={urllib.parse.quote(api_file)}",
    }
    output = make_client().run("replicate/echo", links)
    echoed = output["input"]
    assert echoed["direct"].read() == b"file bytes"
    assert echoed["to_renamed_api"].read().startswith(b"\x89PNG")
    with pytest.raises(ReplicateError) as refused:  # the API path, reached by a redirect
        echoed["to_api_path"].read()
    assert refused.value.status in (401, 403, 404)
    assert len(elsewhere.received) == 3
    no_token_in(elsewhere.received, server.token)
    redirected = [r for r in server.state.requests if r.path.endswith("/download")]
    assert len(server.state.delivery_requests) == 1
    assert len(redirected) == 1
    no_token_in([*server.state.delivery_requests, *redirected], server.token)


def test_a_cross_host_redirect_from_the_api_carries_no_token() -> None:
    token = "r8_" + "t" * 37
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.replicate.test":
            return httpx.Response(302, headers={"Location": "https://elsewhere.test/grab"})
        return httpx.Response(200, content=b"bytes from elsewhere")

    with Client(
        token, base_url="https://api.replicate.test/v1", transport=httpx.MockTransport(handler)
    ) as client:
        # An API answer that redirects is not followed...
        with pytest.raises(ReplicateError) as info:
            client.predictions.get("abc")
        assert info.value.status == 302
        # ...and a file under the API that redirects elsewhere loses the token on the way.
        file = FileOutput(
            "https://api.replicate.test/v1/files/abc/download", client._ctx.downloader
        )
        assert file.read() == b"bytes from elsewhere"
    api = [r for r in seen if r.url.host == "api.replicate.test"]
    other = [r for r in seen if r.url.host != "api.replicate.test"]
    assert len(api) == 2
    assert all(r.headers["authorization"] == f"Bearer {token}" for r in api)
    assert len(other) == 1
    assert "authorization" not in other[0].headers


def test_webhooks_delivered_elsewhere_carry_no_token(
    server: LocalServer, make_client: Callable[..., Client], elsewhere: Elsewhere
) -> None:
    hook = f"{elsewhere.origin}/hook"
    make_client().run("replicate/hello-world", {"text": "a"}, webhook=hook)
    server.state.wait_until(lambda: any(r.method == "POST" for r in elsewhere.received))
    posted = [r for r in elsewhere.received if r.method == "POST"]
    for request in posted:
        assert "authorization" not in request.headers
        assert server.token.encode() not in request.body


# -- webhook replays ----------------------------------------------------------------------------


def test_a_real_delivery_verifies_now_and_not_as_a_replay(
    server: LocalServer,
    make_client: Callable[..., Client],
    elsewhere: Elsewhere,
    fault_log: FaultLog,
) -> None:
    client = make_client()
    client.run("replicate/hello-world", {"text": "a"}, webhook=f"{elsewhere.origin}/hook")
    server.state.wait_until(lambda: any(r.method == "POST" for r in elsewhere.received))
    delivery = next(r for r in elsewhere.received if r.method == "POST")
    headers, body = delivery.headers, delivery.body
    client.verify_webhook(headers, body)  # fetches the secret, checks against the clock
    assert client.validate_webhook(headers, body)
    secret = client.webhooks.default.secret.get().key
    sent = int(headers["webhook-timestamp"])
    assert abs(sent - time.time()) < 60
    verify_webhook(headers, body, secret, now=sent + 300)
    with pytest.raises(WebhookVerificationError, match="timestamp too old: 301 s ago"):
        verify_webhook(headers, body, secret, now=sent + 301)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(headers, body, secret, now=sent + 86400)
    with pytest.raises(WebhookVerificationError, match="in the future"):
        verify_webhook(headers, body, secret, now=sent - 301)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(headers, body, secret, now=sent + 11, tolerance=10)
    replayed = dict(headers, **{"webhook-timestamp": str(sent + 3600)})
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        verify_webhook(replayed, body, secret, now=sent + 3600)  # re-dating it breaks it
    assert not client.validate_webhook(replayed, body)


async def test_async_verify_uses_the_fetched_secret(
    server: LocalServer, make_async_client: Callable[..., AsyncClient], elsewhere: Elsewhere
) -> None:
    client = make_async_client()
    await client.run("replicate/hello-world", {"text": "b"}, webhook=f"{elsewhere.origin}/hook")
    await asyncio.to_thread(
        server.state.wait_until, lambda: any(r.method == "POST" for r in elsewhere.received)
    )
    delivery = next(r for r in elsewhere.received if r.method == "POST")
    await client.verify_webhook(delivery.headers, delivery.body)
    assert not await client.validate_webhook(delivery.headers, delivery.body + b" ")
    assert len(server.state.requests_to("/v1/webhooks/default/secret")) == 1


# -- the command line ---------------------------------------------------------------------------


def test_the_command_line_never_prints_the_token(server: LocalServer, fault_log: FaultLog) -> None:
    pytest.importorskip("click", reason="the cli extra is not installed")
    from click.testing import CliRunner

    from replicate_ext.cli._main import cli

    token = server.token
    runner = CliRunner(
        env={"REPLICATE_API_TOKEN": token, "REPLICATE_BASE_URL": server.base_url, "COLUMNS": "200"}
    )
    outputs = []
    ok = runner.invoke(cli, ["--debug", "run", "replicate/hello-world", "-i", "text=hi"])
    assert ok.exit_code == 0, ok.output
    outputs.append(ok)
    server.state.inject_fault("status", HELLO, status=503)
    failed = runner.invoke(cli, ["--debug", "run", "replicate/hello-world", "-i", "text=hi"])
    assert failed.exit_code != 0
    outputs.append(failed)
    refused = runner.invoke(
        cli,
        [
            "--debug",
            "--api-token",
            "r8_" + "q" * 37,
            "run",
            "replicate/hello-world",
            "-i",
            "text=x",
        ],
    )
    assert refused.exit_code != 0
    outputs.append(refused)
    for result in outputs:
        assert token not in result.stdout
        assert token not in result.stderr
        assert "r8_" + "q" * 37 not in result.stderr
    assert "503" in failed.stderr


def test_the_command_lines_settings_do_not_show_the_token() -> None:
    pytest.importorskip("click", reason="the cli extra is not installed")
    from replicate_ext.cli._app import Settings

    token = "r8_" + "z" * 37
    assert token not in repr(Settings(api_token=token))
