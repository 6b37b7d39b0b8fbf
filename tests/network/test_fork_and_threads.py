"""Clients across os.fork() and threads: no connection shared, every caller its own answers."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import ssl
import threading
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

import replicate_ext
from replicate_ext import _default
from replicate_ext._client import AsyncClient, Client
from replicate_ext.testing import LocalServer

from .conftest import Peer, ScriptedServer

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() here"),
    # The test process has server threads; the children only touch their own state.
    pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork.*:DeprecationWarning"),
]

HELLO = "replicate/hello-world"


def in_child(work: Callable[[], object]) -> tuple[int, int]:
    """Fork; the child runs `work` and reports its JSON result. Returns (pid, read end)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            os.close(read)
            result = work()
            os.write(write, json.dumps(result).encode())
            code = 0
        except BaseException as error:
            os.write(write, json.dumps(f"{type(error).__name__}: {error}").encode())
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def child_result(pid: int, read: int, within: float = 20.0) -> Any:
    """What the child reported; a child still busy after `within` seconds is killed (a hang)."""
    import select
    import signal
    import time

    chunks = []
    deadline = time.monotonic() + within
    try:
        while select.select([read], [], [], max(0.0, deadline - time.monotonic()))[0]:
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(f"the child hung: {b''.join(chunks)!r}")
    finally:
        os.close(read)
    _, status = os.waitpid(pid, 0)
    result = json.loads(b"".join(chunks) or b"null")
    assert os.waitstatus_to_exitcode(status) == 0, result
    return result


# -- against the local server: both sides busy at once ------------------------------------------


@pytest.fixture
def server(fresh_replicate_server: LocalServer) -> LocalServer:
    return fresh_replicate_server


def use_a_new_default_client(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    monkeypatch.setattr(_default, "_client", None)


def runs(client: Client, who: str, count: int = 15) -> list[Any]:
    return [client.run(HELLO, {"text": f"{who} {i}"}) for i in range(count)]


def test_parent_and_child_run_at_once_each_getting_its_own_answers(server: LocalServer) -> None:
    with Client(server.token, base_url=server.base_url) as client:
        assert client.run(HELLO, {"text": "before"}) == "hello before"  # a kept-alive connection
        pid, read = in_child(lambda: runs(client, "child"))
        mine = runs(client, "parent")
        theirs = child_result(pid, read)
        assert mine == [f"hello parent {i}" for i in range(15)]
        assert theirs == [f"hello child {i}" for i in range(15)]
        assert client.run(HELLO, {"text": "after"}) == "hello after"


def test_the_default_client_is_fork_safe_too(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_a_new_default_client(server, monkeypatch)
    assert replicate_ext.run(HELLO, {"text": "warm"}) == "hello warm"
    default = _default.default_client()
    try:
        pid, read = in_child(
            lambda: [replicate_ext.run(HELLO, {"text": f"c{i}"}) for i in range(10)]
        )
        mine = [replicate_ext.run(HELLO, {"text": f"p{i}"}) for i in range(10)]
        assert child_result(pid, read) == [f"hello c{i}" for i in range(10)]
        assert mine == [f"hello p{i}" for i in range(10)]
    finally:
        default.close()


def test_a_lock_held_by_another_thread_at_the_fork_does_not_hang_the_child(
    server: LocalServer,
) -> None:
    client = Client(server.token, base_url=server.base_url)
    with client._lock:  # as if another thread were making the client's httpx client
        pid, read = in_child(lambda: client.run(HELLO, {"text": "child"}))
    assert child_result(pid, read) == "hello child"
    client.close()


# -- against a scripted TLS server: which connection carried what -------------------------------


@pytest.fixture
def tls(
    scripted: Callable[..., ScriptedServer],
    ca: trustme.CA,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> ScriptedServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return scripted(Peer.serve, tls=context)


def test_the_child_opens_its_own_connection_and_leaves_the_parents_untouched(
    tls: ScriptedServer,
) -> None:
    client = Client("r8_token", base_url=tls.url("/v1"))
    http = client.api.get_httpx_client()
    assert http.get("/account").text == "ok"

    def child() -> str:
        text = client.api.get_httpx_client().get("/account").text
        client.close()
        gc.collect()  # the inherited client, dropped, is collected: its sockets released
        return text

    pid, read = in_child(child)
    assert child_result(pid, read) == "ok"
    assert client.api.get_httpx_client().get("/account").text == "ok"
    client.close()
    # The parent's connection (0) carried both of its requests: the child wrote nothing
    # to it, not even a TLS close alert; the child's request went on a connection of its own.
    assert tls.methods() == [(0, "GET"), (1, "GET"), (0, "GET")]


@pytest.mark.parametrize("http2", [False, True], ids=["http1", "http2-settings"])
def test_a_transport_given_is_rebuilt_in_the_child_with_its_settings(
    tls: ScriptedServer, http2: bool
) -> None:
    transport = httpx.HTTPTransport(http2=http2, retries=1, local_address="127.0.0.1")
    client = Client("r8_token", base_url=tls.url("/v1"), transport=transport)
    http = client.api.get_httpx_client()
    assert http.get("/account").text == "ok"

    def child() -> list[Any]:
        http = client.api.get_httpx_client()
        text = http.get("/account").text
        mine = http._transport.transport  # inside our retrying transport
        pool = mine._pool
        settings = [pool._http2, pool._retries, pool._local_address, pool._ssl_context]
        same = [s == t for s, t in zip(settings, seen_settings, strict=True)]
        client.close()
        gc.collect()
        return [text, mine is not transport, same]

    pool = transport._pool
    seen_settings = [pool._http2, pool._retries, pool._local_address, pool._ssl_context]
    pid, read = in_child(child)
    assert child_result(pid, read) == ["ok", True, [True, True, True, True]]
    assert client.api.get_httpx_client().get("/account").text == "ok"
    client.close()
    # The child's request went on a connection of its own; the parent's went on untouched.
    assert tls.methods() == [(0, "GET"), (1, "GET"), (0, "GET")]


def test_parent_and_child_on_a_transport_given_each_get_their_own_answers(
    server: LocalServer,
) -> None:
    transport = httpx.HTTPTransport()
    with Client(server.token, base_url=server.base_url, transport=transport) as client:
        ids = [client.predictions.create(model=HELLO, input={"text": str(i)}).id for i in range(6)]

        def fetch(count: int = 20) -> list[Any]:
            return [client.predictions.get(ids[i % 6]).id for i in range(count)]

        pid, read = in_child(fetch)
        mine = fetch()
        theirs = child_result(pid, read)
    expected = [ids[i % 6] for i in range(20)]
    assert mine == expected
    assert theirs == expected


class Wrapping(httpx.BaseTransport):
    """A transport of the user's own around httpx's: nothing says how to rebuild it."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.inner.handle_request(request)


def test_a_transport_that_cannot_be_rebuilt_is_refused_in_the_child(server: LocalServer) -> None:
    client = Client(server.token, base_url=server.base_url, transport=Wrapping())
    unused = Client(server.token, base_url=server.base_url, transport=Wrapping())
    assert client.run(HELLO, {"text": "parent"}) == "hello parent"

    def child() -> list[str]:
        outcomes = [unused.run(HELLO, {"text": "child"})]  # no connection of the parent's
        for _ in range(2):  # refused at every call, not only the first
            try:
                client.run(HELLO, {"text": "child"})
            except RuntimeError as error:
                outcomes.append(str(error))
        return outcomes

    pid, read = in_child(child)
    fresh, *refusals = child_result(pid, read)
    assert fresh == "hello child"
    assert len(refusals) == 2
    assert refusals[0] == refusals[1]
    assert "Wrapping) was used before os.fork()" in refusals[0]
    assert "make the client in the child process" in refusals[0]
    assert client.run(HELLO, {"text": "parent again"}) == "hello parent again"
    client.close()
    unused.close()


def test_an_async_transport_given_is_rebuilt_in_the_child_too(
    tls: ScriptedServer, parent_loop: LoopThread
) -> None:
    client = AsyncClient("r8_token", base_url=tls.url("/v1"), transport=httpx.AsyncHTTPTransport())
    assert parent_loop.run(fetch(client)) == "ok"

    def child() -> str:
        async def main() -> str:
            text = await fetch(client)
            await client.aclose()
            return text

        text = asyncio.run(main())
        gc.collect()
        return text

    pid, read = in_child(child)
    assert child_result(pid, read) == "ok"
    assert parent_loop.run(fetch(client)) == "ok"
    parent_loop.run(client.aclose())
    assert tls.methods() == [(0, "GET"), (1, "GET"), (0, "GET")]


class LoopThread:
    """An event loop in a thread, so that the parent keeps one loop across the fork."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def parent_loop() -> Iterator[LoopThread]:
    loop = LoopThread()
    yield loop
    loop.close()


async def fetch(client: AsyncClient) -> str:
    response = await client.api.get_async_httpx_client().get("/account")
    return response.text


def test_an_async_client_used_before_the_fork_is_safe_too(
    tls: ScriptedServer, parent_loop: LoopThread
) -> None:
    client = AsyncClient("r8_token", base_url=tls.url("/v1"))
    assert parent_loop.run(fetch(client)) == "ok"

    def child() -> str:
        async def main() -> str:
            text = await fetch(client)
            await client.aclose()
            return text

        text = asyncio.run(main())
        gc.collect()
        return text

    pid, read = in_child(child)
    assert child_result(pid, read) == "ok"
    assert parent_loop.run(fetch(client)) == "ok"
    parent_loop.run(client.aclose())
    assert tls.methods() == [(0, "GET"), (1, "GET"), (0, "GET")]


# -- threads ------------------------------------------------------------------------------------


def test_one_client_shared_by_many_threads(server: LocalServer) -> None:
    with Client(server.token, base_url=server.base_url) as client:

        def work(index: int) -> list[Any]:
            return [client.run(HELLO, {"text": f"{index}-{i}"}) for i in range(6)]

        with ThreadPoolExecutor(12) as threads:
            answers = list(threads.map(work, range(12)))
    assert answers == [[f"hello {t}-{i}" for i in range(6)] for t in range(12)]
    assert len(server.state.predictions) == 72


async def test_one_async_client_shared_by_many_tasks(server: LocalServer) -> None:
    async with AsyncClient(server.token, base_url=server.base_url) as client:
        answers = await asyncio.gather(
            *(client.run(HELLO, {"text": f"task {i}"}) for i in range(40))
        )
    assert answers == [f"hello task {i}" for i in range(40)]


def test_the_default_clients_lock_held_at_the_fork_does_not_hang_the_child(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_a_new_default_client(server, monkeypatch)
    with _default._lock:  # as if another thread were making the default client
        pid, read = in_child(lambda: replicate_ext.run(HELLO, {"text": "child"}))
    assert child_result(pid, read) == "hello child"


# -- imports in progress at the fork ------------------------------------------------------------

WATCHED = (
    "replicate_ext",
    "generated",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "certifi",
    "encodings",
)

FIRST_REQUESTS = """
import asyncio, sys
import replicate_ext
from replicate_ext import _client

import replicate_ext._session  # a request has begun, in another thread
client = replicate_ext.Client({token!r}, base_url={base_url!r})
_client._finish_imports_before_fork()  # what os.fork() runs first
_client._release_after_fork()
before = set(sys.modules)
client.run("replicate/hello-world", {{"text": "x"}})
client.run("replicate/hello-world", {{"text": b"x"}}, wait=False)
(image,) = client.run("replicate/make-image", {{}})
image.read()
with client.stream("replicate/stream-tokens", {{"prompt": "a b"}}) as events:
    list(events)
prediction = client.predictions.create(model="replicate/sleep", input={{"seconds": 100}})
client.predictions.cancel(prediction.id)
client.wait(prediction)
client.files.create(b"hello", filename="hello.txt")
version = client.api.get_httpx_client().get("/models/replicate/hello-world").json()
client.run("replicate/hello-world:" + version["latest_version"]["id"], {{"text": "x"}})

print(sorted(m for m in set(sys.modules) - before if m.split(".")[0] in {watched!r}))
aclient = replicate_ext.AsyncClient({token!r}, base_url={base_url!r})
_client._finish_imports_before_fork()
_client._release_after_fork()
before = set(sys.modules)


async def main():
    await aclient.run("replicate/hello-world", {{"text": "x"}})
    async for event in aclient.stream("replicate/stream-tokens", {{"prompt": "a b"}}):
        pass
    await aclient.aclose()


asyncio.run(main())
print(sorted(m for m in set(sys.modules) - before if m.split(".")[0] in {watched!r}))
"""


def test_what_is_imported_before_a_fork_is_all_the_first_requests_import(
    server: LocalServer,
) -> None:
    import subprocess
    import sys

    script = FIRST_REQUESTS.format(token=server.token, base_url=server.base_url, watched=WATCHED)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    # A module listed here is imported by a first request after a fork: add it to
    # replicate_ext._client._REQUEST_MODULES, or a fork mid-import can hang the child.
    assert done.stdout.split() == ["[]", "[]"]  # after the sync requests, then the async ones


IMPORTING_AT_THE_FORK = """
import importlib._bootstrap as bootstrap
import importlib.abc, importlib.util
import json, os, select, signal, sys, threading, time
import replicate_ext

NAME = "replicate_ext._stream"  # imported by the first stream(), and by nothing else
client = replicate_ext.Client({token!r}, base_url={base_url!r})
importing = threading.Event()


def waited_for():
    lock = bootstrap._module_locks[NAME]()
    waiters = lock.waiters
    return (len(waiters) if isinstance(waiters, list) else waiters) > 0


class Slow(importlib.abc.MetaPathFinder):
    # NAME imported for real, but held up inside its module's code (its import lock
    # held, itself half made in sys.modules) until somebody waits for it.
    def find_spec(self, fullname, path=None, target=None):
        if fullname != NAME:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        real = spec.loader

        class Loader(importlib.abc.Loader):
            def create_module(self, spec):
                return real.create_module(spec)

            def exec_module(self, module):
                importing.set()
                deadline = time.monotonic() + 20
                while not waited_for() and time.monotonic() < deadline:
                    time.sleep(0.001)
                real.exec_module(module)

        spec.loader = Loader()
        return spec


def stream(prompt):
    with client.stream("replicate/stream-tokens", {{"prompt": prompt}}) as events:
        return "".join(map(str, events))


sys.meta_path.insert(0, Slow())
thread = threading.Thread(target=stream, args=["parent"])
thread.start()  # its first stream() imports NAME
importing.wait()
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(write, json.dumps(stream("child")).encode())
    os._exit(0)
thread.join()
if select.select([read], [], [], 20)[0]:
    print(json.loads(os.read(read, 1000)))
else:
    os.kill(pid, signal.SIGKILL)
    print("the child hung")
os.waitpid(pid, 0)
"""


def test_a_fork_while_another_thread_imports_for_its_first_request_does_not_hang_the_child(
    server: LocalServer,
) -> None:
    import subprocess
    import sys

    script = IMPORTING_AT_THE_FORK.format(token=server.token, base_url=server.base_url)
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "child"
