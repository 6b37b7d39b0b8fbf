from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from replicate_ext._client import AsyncClient, Client
from replicate_ext._errors import APIConnectionError, ReplicateError
from replicate_ext._files import (
    MAX_DATA_URL_SIZE,
    MAX_UPLOAD_SIZE,
    Downloader,
    FileOutput,
    decode_data_url,
    encode_input,
    fit_name,
)

PNG = b"\x89PNG\r\n\x1a\n"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class TrackingFile(io.FileIO):
    """A binary file recording how much each read() asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "rb")
        self.reads: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.reads.append(-1 if size is None else size)
        return super().read(size)


# -- encoding, without a server ---------------------------------------------------------------


def test_plain_json_is_copied_and_tuples_become_lists() -> None:
    value = {"a": 1, "b": [1.5, True, None, ("x", {"c": "d"})], "e": {"f": []}}
    encoded, uploads = encode_input(value)
    assert encoded == {"a": 1, "b": [1.5, True, None, ["x", {"c": "d"}]], "e": {"f": []}}
    assert uploads == []
    assert encoded["e"] is not value["e"]


def test_small_files_become_data_urls_anywhere(tmp_path: Path) -> None:
    png = tmp_path / "pic.png"
    png.write_bytes(PNG)
    unknown = tmp_path / "blob.weird-extension"
    unknown.write_bytes(b"??")
    encoded, uploads = encode_input(
        {
            "path": png,
            "nested": {"list": [b"raw", bytearray(b"ba"), memoryview(b"mv")]},
            "file": io.BytesIO(b"stream"),
            "unknown": unknown,
        }
    )
    assert uploads == []
    assert encoded["path"] == f"data:image/png;base64,{b64(PNG)}"
    assert encoded["nested"]["list"] == [
        f"data:application/octet-stream;base64,{b64(b'raw')}",
        f"data:application/octet-stream;base64,{b64(b'ba')}",
        f"data:application/octet-stream;base64,{b64(b'mv')}",
    ]
    assert decode_data_url(encoded["file"]) == b"stream"
    assert encoded["unknown"].startswith("data:application/octet-stream;base64,")


def test_open_file_keeps_its_name_for_the_type(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hi")
    with path.open("rb") as file:
        encoded, _ = encode_input({"f": file})
    assert encoded["f"] == f"data:text/plain;base64,{b64(b'hi')}"


def test_large_files_are_left_for_upload_at_their_place(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (MAX_DATA_URL_SIZE + 1))
    edge = tmp_path / "edge.bin"
    edge.write_bytes(b"y" * MAX_DATA_URL_SIZE)
    encoded, uploads = encode_input({"images": ["keep", big], "edge": edge})
    assert encoded["edge"].startswith("data:")
    assert [u.key_path for u in uploads] == ["input['images'][1]"]
    upload = uploads[0]
    assert upload.size == MAX_DATA_URL_SIZE + 1
    assert upload.filename == "big.bin"
    assert upload.container is encoded["images"]
    assert upload.key == 1


def test_forced_encodings(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (MAX_DATA_URL_SIZE + 10))
    encoded, uploads = encode_input({"a": big}, "data_uri")
    assert uploads == []
    assert decode_data_url(encoded["a"]) == big.read_bytes()
    encoded, uploads = encode_input({"a": b"tiny"}, "upload")
    assert encoded == {"a": None}
    assert len(uploads) == 1
    with pytest.raises(ValueError, match="file_encoding"):
        encode_input({}, "base64")  # type: ignore[arg-type]


def test_non_seekable_streams_are_spooled() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"piped bytes")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        encoded, _ = encode_input({"p": pipe})
    assert decode_data_url(encoded["p"]) == b"piped bytes"


def test_file_output_inputs_pass_their_url() -> None:
    encoded, _ = encode_input({"image": FileOutput("https://replicate.delivery/x.png")})
    assert encoded == {"image": "https://replicate.delivery/x.png"}


@pytest.mark.parametrize(
    ("value", "path", "kind"),
    [
        ({"a": {"b": [1, object()]}}, "input['a']['b'][1]", TypeError),
        ({"when": {1, 2}}, "input['when']", TypeError),
        ({"a": {3: "x"}}, "input['a']", TypeError),
        ({"t": io.StringIO("text")}, "input['t']", TypeError),
        ({"x": [1.0, float("nan")]}, "input['x'][1]", ValueError),
        ({"x": {"y": float("-inf")}}, "input['x']['y']", ValueError),
    ],
)
def test_unsendable_values_name_their_key_path(
    value: Any, path: str, kind: type[Exception]
) -> None:
    with pytest.raises(kind) as info:
        encode_input(value)
    assert str(info.value).startswith(path)


def test_directories_missing_and_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^input\['d'\] is a directory"):
        encode_input({"d": tmp_path})
    with pytest.raises(ValueError, match=r"^input\['x'\]\[0\] cannot be read .*No such file"):
        encode_input({"x": [tmp_path / "missing.png"]})
    afile = tmp_path / "afile"
    afile.write_bytes(b"")
    with pytest.raises(ValueError, match=r"^input\['y'\] cannot be read .*Not a directory"):
        encode_input({"y": afile / "child"})


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as file:
        file.truncate(size)
    return path


def test_too_large_fails_naming_the_key(tmp_path: Path) -> None:
    huge = sparse(tmp_path / "huge.bin", MAX_UPLOAD_SIZE + 1)
    with pytest.raises(
        ValueError, match=r"^input\['images'\]\[2\] is 100.0 MiB; files may be at most 100 MiB"
    ):
        encode_input({"images": [b"a", b"b", huge]})


def test_input_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="mapping"):
        encode_input(["not", "a", "dict"])  # type: ignore[arg-type]
    assert encode_input(None) == ({}, [])


# -- file inputs against the server -----------------------------------------------------------


def test_large_input_is_uploaded_streamed_and_passed_by_url(
    client: Client, server, tmp_path: Path
) -> None:
    data = os.urandom(MAX_DATA_URL_SIZE * 2)
    path = tmp_path / "photo.png"
    path.write_bytes(data)
    file = TrackingFile(path)
    output = client.run("replicate/echo", {"file": file}, use_file_output=False)
    file.close()
    assert output["files"]["file"]["fetched"] is True
    assert output["files"]["file"]["sha256"] == hashlib.sha256(data).hexdigest()
    (stored,) = server.state.files.values()
    assert output["input"]["file"] == stored.to_json(server.state.origin)["urls"]["get"]
    assert stored.content_type == "image/png"
    assert file.reads
    assert max(file.reads) <= 64 * 1024


async def test_large_input_is_uploaded_async(
    async_client: AsyncClient, server, tmp_path: Path
) -> None:
    data = os.urandom(MAX_DATA_URL_SIZE + 1)
    path = tmp_path / "clip.wav"
    path.write_bytes(data)
    small = tmp_path / "small.txt"
    small.write_bytes(b"small")
    output = await async_client.run(
        "replicate/echo", {"files": [small, path]}, use_file_output=False
    )
    described = output["files"]["files"]
    assert [d["sha256"] for d in described] == [
        hashlib.sha256(b"small").hexdigest(),
        hashlib.sha256(data).hexdigest(),
    ]
    assert output["input"]["files"][0].startswith("data:text/plain;base64,")
    assert len(server.state.files) == 1


def test_too_large_input_fails_before_any_request(client: Client, server, tmp_path: Path) -> None:
    huge = sparse(tmp_path / "huge.bin", MAX_UPLOAD_SIZE + 1)
    with pytest.raises(ValueError, match=r"input\['files'\]\[1\]"):
        client.run("replicate/echo", {"files": [b"ok", huge]})
    with pytest.raises(TypeError, match=r"input\['text'\]"):
        client.run("replicate/echo", {"text": object()})
    assert server.state.requests == []


def test_upload_file_variants(client: Client, server, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.4")
    by_path = client.files.create(path, metadata={"k": "v"})
    assert by_path.name == "doc.pdf"
    assert by_path.content_type == "application/pdf"
    assert by_path.size == 8
    by_str = client.files.create(str(path))
    assert by_str.name == "doc.pdf"
    raw = client.files.create(b"bytes!", filename="x.json", type="application/json")
    assert raw.name == "x.json"
    assert raw.content_type == "application/json"
    with path.open("rb") as handle:
        handle.read(3)  # the whole file is sent, wherever the position is
        assert client.files.create(handle).size == 8
    assert len(server.state.files) == 4
    assert server.state.files[by_path.id].metadata == {"k": "v"}
    with pytest.raises(TypeError):
        client.files.create(12)  # type: ignore[arg-type]


async def test_upload_file_async(async_client: AsyncClient, server) -> None:
    uploaded = await async_client.files.create(io.BytesIO(b"abc"), filename="a.txt")
    assert uploaded.content_type == "text/plain"
    assert uploaded.urls.get.startswith(server.base_url)


# -- file outputs -----------------------------------------------------------------------------


def test_file_outputs_read_iterate_save_without_the_token(
    client: Client, server, tmp_path: Path
) -> None:
    outputs = client.run("replicate/make-image", {"num_outputs": 2, "width": 64})
    assert len(outputs) == 2
    assert all(isinstance(o, FileOutput) for o in outputs)
    first = outputs[0]
    assert str(first) == first.url
    assert first.url in repr(first)
    data = first.read()
    assert data.startswith(PNG)
    assert b"".join(first) == data
    saved = first.save(tmp_path / "out.png")
    assert saved.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.png"]
    deliveries = server.state.delivery_requests
    assert len(deliveries) == 3
    assert all("authorization" not in r.headers for r in deliveries)
    assert all(r.headers["user-agent"].startswith("replicate-ext/") for r in deliveries)


async def test_file_outputs_async(async_client: AsyncClient, server, tmp_path: Path) -> None:
    (output,) = await async_client.run("replicate/make-image", {"color": "blue"})
    data = await output.aread()
    assert data.startswith(PNG)
    assert b"".join([chunk async for chunk in output]) == data
    await output.asave(tmp_path / "blue.png")
    assert (tmp_path / "blue.png").read_bytes() == data
    # the blocking methods work too (the server runs in another thread)
    assert await asyncio.to_thread(output.read) == data
    assert all("authorization" not in r.headers for r in server.state.delivery_requests)


def test_save_is_atomic_when_the_download_breaks(client: Client, server, tmp_path: Path) -> None:
    (output,) = client.run("replicate/make-image", {})
    target = tmp_path / "image.png"
    target.write_bytes(b"previous")
    server.state.inject_fault("drop", "/delivery/*", times=None)
    with pytest.raises(APIConnectionError) as info:
        output.save(target)
    assert isinstance(info.value.__cause__, httpx.TransportError)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["image.png"]


async def test_asave_is_atomic_when_the_download_breaks(
    async_client: AsyncClient, server, tmp_path: Path
) -> None:
    (output,) = await async_client.run("replicate/make-image", {})
    server.state.inject_fault("drop", "/delivery/*", times=None)
    with pytest.raises(APIConnectionError, match=r"^GET http://.*/delivery/.* failed: "):
        await output.asave(tmp_path / "image.png")
    assert os.listdir(tmp_path) == []


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for a test; restored after it."""
    before = os.umask(0o022)
    os.umask(before)
    yield os.umask
    os.umask(before)


@pytest.mark.parametrize(
    ("mask", "mode"),
    [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)],
    ids=["umask-022", "umask-027", "umask-002"],
)
async def test_saved_files_follow_the_umask(
    client: Client,
    async_client: AsyncClient,
    tmp_path: Path,
    umask: Callable[[int], None],
    mask: int,
    mode: int,
) -> None:
    # A web server or another user of a shared volume must be able to read them.
    (output,) = client.run("replicate/make-image", {})
    umask(mask)
    output.save(tmp_path / "sync.png")
    await output.asave(tmp_path / "async.png")
    assert stat.S_IMODE((tmp_path / "sync.png").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "async.png").stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(
    client: Client, tmp_path: Path, umask: Callable[[int], None]
) -> None:
    (output,) = client.run("replicate/make-image", {})
    target = tmp_path / "image.png"
    target.write_bytes(b"previous")
    target.chmod(0o604)
    umask(0o077)
    output.save(target)
    assert target.read_bytes().startswith(PNG)
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert [p.name for p in tmp_path.iterdir()] == ["image.png"]


def test_a_name_at_the_file_systems_limit_is_saved(client: Client, tmp_path: Path) -> None:
    # 251 bytes of UTF-8 and a suffix: the longest name allowed, whose temporary
    # file must not be longer.
    (output,) = client.run("replicate/make-image", {})
    name = "é" * 125 + "x.png"
    assert len(name.encode()) == 255
    assert output.save(tmp_path / name).read_bytes().startswith(PNG)
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize(
    ("name", "limit", "fitted"),
    [
        ("short.png", 255, "short.png"),
        ("a" * 300 + ".png", 255, "a" * 251 + ".png"),
        ("é" * 200 + ".png", 255, "é" * 125 + ".png"),  # 2 bytes each, never cut in half
        ("é" * 200 + ".png", 254, "é" * 125 + ".png"),
        ("b" * 20 + "." + "c" * 300, 100, "b" * 20 + "." + "c" * 79),  # a suffix too long
        ("日本" * 100, 10, "日本日"),
    ],
)
def test_fit_name_counts_bytes_and_keeps_the_suffix(name: str, limit: int, fitted: str) -> None:
    assert fit_name(name, limit) == fitted
    assert len(fitted.encode()) <= limit


def test_missing_file_output_raises(client: Client, server, tmp_path: Path) -> None:
    missing = FileOutput(f"{server.origin}/delivery/nope/x.png", client._ctx.downloader)
    with pytest.raises(ReplicateError, match="HTTP 404") as info:
        missing.save(tmp_path / "x.png")
    assert info.value.status == 404
    assert list(tmp_path.iterdir()) == []


async def test_data_url_outputs_need_no_request(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    downloader = Downloader(
        lambda: httpx.Client(transport=httpx.MockTransport(refuse)),
        lambda: httpx.AsyncClient(transport=httpx.MockTransport(refuse)),
    )
    output = FileOutput(f"data:image/png;base64,{b64(PNG)}", downloader)
    assert output.read() == PNG
    assert list(output) == [PNG]
    assert await output.aread() == PNG
    output.save(tmp_path / "a.png")
    await output.asave(tmp_path / "b.png")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes() == PNG
    assert len(repr(FileOutput("data:" + "A" * 1000))) < 100
    assert FileOutput("data:text/plain,hi%20there").read() == b"hi there"


def test_sync_data_url_outputs_become_file_outputs(client: Client, server) -> None:
    server.state.sync_data_urls = True
    try:
        (output,) = client.run("replicate/make-image", {})
    finally:
        server.state.sync_data_urls = False
    assert output.url.startswith("data:image/png;base64,")
    assert output.read().startswith(PNG)
    assert server.state.delivery_requests == []


def test_upload_survives_bytes_that_look_like_the_generators_boundary(
    client: Client, server
) -> None:
    # The generated files.create pins the boundary to "+++"; our uploads must not.
    content = b"before\r\n--+++\r\nContent-Disposition: form-data; name=x\r\n\r\n--+++--\r\n"
    uploaded = client.files.create(content, filename="tricky.bin")
    assert uploaded.size == len(content)
    stored = server.state.files[uploaded.id]
    assert hashlib.sha256(content).hexdigest() == uploaded.checksums.sha256
    assert stored is not None
