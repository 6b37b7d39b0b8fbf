"""Our transports' TLS context: set up as httpx's own, its CA bundle loaded only for https."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest
import trustme

from replicate_ext import APIConnectionError, AsyncClient, Client
from replicate_ext._http import DeferredTLS, _tls_context
from replicate_ext.testing import LocalServer

from ._tunnel import TLSFront

SETTINGS = (
    "protocol",
    "verify_mode",
    "check_hostname",
    "options",
    "verify_flags",
    "minimum_version",
    "maximum_version",
    "post_handshake_auth",
    "keylog_filename",
)


@pytest.fixture
def bundle(ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test CA as SSL_CERT_FILE, a path of this test's own: a context not made before."""
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return path


def deferred() -> DeferredTLS:
    tls = _tls_context()
    assert isinstance(tls, DeferredTLS)
    return tls


def loaded_cas(context: ssl.SSLContext) -> int:
    return int(context.cert_store_stats()["x509_ca"])


@pytest.mark.parametrize("environment", ["certifi", "SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_the_context_is_set_up_and_loaded_as_httpx_makes_its_own(
    environment: str, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSLKEYLOGFILE", str(tmp_path / f"keys-{environment}.log"))
    if environment == "certifi":
        monkeypatch.delenv("SSL_CERT_FILE")
    elif environment == "SSL_CERT_DIR":
        monkeypatch.delenv("SSL_CERT_FILE")
        monkeypatch.setenv("SSL_CERT_DIR", str(bundle.parent))
    tls = deferred()
    assert loaded_cas(tls.context) == 0  # nothing loaded until a request needs it
    tls.load()
    tls.load()  # once
    theirs = httpx.create_ssl_context()
    for name in SETTINGS:
        assert getattr(tls.context, name) == getattr(theirs, name), name
    assert tls.context.cert_store_stats() == theirs.cert_store_stats()
    assert tls.context.get_ca_certs() == theirs.get_ca_certs()


def test_a_client_on_plain_http_loads_no_ca_bundle_and_one_on_https_does(
    bundle: Path, replicate_server: LocalServer, ca: trustme.CA
) -> None:
    with Client(replicate_server.token, base_url=replicate_server.base_url) as client:
        assert client.run("replicate/hello-world", {"text": "plain"}) == "hello plain"
    tls = deferred()
    assert loaded_cas(tls.context) == 0
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    upstream = httpx.URL(replicate_server.origin)
    with TLSFront((upstream.host, upstream.port or 80), context) as front:
        base_url = f"https://localhost:{front.port}/v1"
        with Client(replicate_server.token, base_url=base_url) as client:
            assert client.run("replicate/hello-world", {"text": "tls"}) == "hello tls"
            # with_options() shares the pool, so it shares the context being made ready.
            derived = client.with_options(timeout=30)
            assert derived.run("replicate/hello-world", {"text": "d"}) == "hello d"
    assert loaded_cas(tls.context) == 1  # the test CA, loaded by the https request


async def test_the_async_client_loads_it_before_its_first_https_request(
    bundle: Path, replicate_server: LocalServer, ca: trustme.CA
) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    upstream = httpx.URL(replicate_server.origin)
    with TLSFront((upstream.host, upstream.port or 80), context) as front:
        base_url = f"https://localhost:{front.port}/v1"
        async with AsyncClient(replicate_server.token, base_url=base_url) as client:
            assert loaded_cas(deferred().context) == 0
            assert await client.run("replicate/hello-world", {"text": "tls"}) == "hello tls"
    assert loaded_cas(deferred().context) == 1


def test_a_ca_file_that_cannot_be_read_fails_the_first_https_request_as_never_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    client = Client("r8_token", base_url="https://localhost:9/v1", max_retries=0)
    with client, pytest.raises(APIConnectionError, match="cannot set up TLS") as caught:
        client.run("replicate/hello-world", {"text": "x"})
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert isinstance(caught.value.__cause__.__cause__, OSError)
    assert "never left" in " ".join(
        getattr(caught.value, "__notes__", []) + getattr(caught.value.__cause__, "__notes__", [])
    )
