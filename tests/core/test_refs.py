from __future__ import annotations

import pytest

from replicate_ext._client import AsyncClient, Client
from replicate_ext._refs import Ref, parse_ref

VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("replicate/hello-world", Ref("model", "replicate", "hello-world")),
        ("a-b/c.d_e", Ref("model", "a-b", "c.d_e")),
        (f"replicate/hello-world:{VERSION}", Ref("version", "replicate", "hello-world", VERSION)),
        (VERSION, Ref("version", version=VERSION)),
        ("deployments/acme/my-app", Ref("deployment", "acme", "my-app")),
    ],
)
def test_accepted_forms(ref: str, expected: Ref) -> None:
    assert parse_ref(ref) == expected


@pytest.mark.parametrize(
    "ref",
    [
        "",
        "hello-world",
        "a/b/c",
        "owner/",
        "/name",
        "owner/name:",
        "owner/name:abc",
        f"owner/name:{VERSION.upper()}",
        VERSION[:-1],
        "owner/..",
        "../name",
        "owner/na me",
        f"deployments/acme/app:{VERSION}",
        "https://replicate.com/owner/name",
    ],
)
def test_rejected_forms_name_the_accepted_ones(ref: str) -> None:
    with pytest.raises(ValueError, match="owner/name:version") as info:
        parse_ref(ref)
    assert repr(ref) in str(info.value)


def test_non_string_ref() -> None:
    with pytest.raises(TypeError):
        parse_ref(42)  # type: ignore[arg-type]


def test_bad_ref_fails_before_any_request(server) -> None:
    with (
        Client(server.token, base_url=server.base_url) as client,
        pytest.raises(ValueError, match="invalid model reference"),
    ):
        client.run("not a ref", {"text": "x"})
    assert server.state.requests == []


async def test_bad_ref_fails_before_any_request_async(server) -> None:
    async with AsyncClient(server.token, base_url=server.base_url) as client:
        with pytest.raises(ValueError, match="invalid model reference"):
            await client.run("owner/name:nothex", {"text": "x"})
    assert server.state.requests == []
