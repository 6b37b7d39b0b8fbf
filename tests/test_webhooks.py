from __future__ import annotations

import base64

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate_ext._webhooks import (
    WebhookVerificationError,
    sign_webhook,
    validate_webhook,
    verify_webhook,
)

# The public Standard Webhooks test vector.
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = "1614265330"
BODY = b'{"test": 2432232314}'
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
NOW = 1614265330.0


def headers(
    msg_id: str = MSG_ID, timestamp: str = TIMESTAMP, signature: str = SIGNATURE
) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature,
    }


def check(
    hdrs: object = None,
    body: bytes | str = BODY,
    secret: str = SECRET,
    **kwargs: float | None,
) -> None:
    """Run both entry points and make sure they agree."""
    hdrs = headers() if hdrs is None else hdrs
    kwargs.setdefault("now", NOW)
    ok = validate_webhook(hdrs, body, secret, **kwargs)  # type: ignore[arg-type]
    try:
        verify_webhook(hdrs, body, secret, **kwargs)  # type: ignore[arg-type]
    except WebhookVerificationError:
        assert not ok
        raise
    assert ok


def test_vector_without_timestamp_check() -> None:
    check(now=None, tolerance=None)
    check(now=0, tolerance=None)


def test_vector_at_its_time() -> None:
    check()
    check(now=NOW + 300)
    check(now=NOW - 300)


def test_sign_webhook_reproduces_vector() -> None:
    assert sign_webhook(SECRET, MSG_ID, int(TIMESTAMP), BODY) == SIGNATURE
    assert sign_webhook(SECRET, MSG_ID, TIMESTAMP, BODY.decode()) == SIGNATURE
    assert sign_webhook(SECRET.removeprefix("whsec_"), MSG_ID, TIMESTAMP, BODY) == SIGNATURE


def test_str_body_and_bare_secret() -> None:
    check(body=BODY.decode())
    check(secret=SECRET.removeprefix("whsec_"))
    check(secret=f" {SECRET}\n")
    check(body=bytearray(BODY))  # type: ignore[arg-type]


def test_unicode_body_is_signed_as_utf8() -> None:
    body = '{"output": "café 😀"}'
    sig = sign_webhook(SECRET, MSG_ID, TIMESTAMP, body)
    check(headers(signature=sig), body)
    check(headers(signature=sig), body.encode())
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        check(headers(signature=sig), body.encode("utf-16"))


def test_reserialized_json_fails() -> None:
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        check(body=b'{"test":2432232314}')


def test_default_now_is_current_time() -> None:
    with pytest.raises(WebhookVerificationError, match="timestamp too old"):
        verify_webhook(headers(), BODY, SECRET)
    assert not validate_webhook(headers(), BODY, SECRET)


def test_stale_timestamp() -> None:
    with pytest.raises(WebhookVerificationError, match=r"timestamp too old: 301 s ago.* 300 s"):
        check(now=NOW + 301)
    with pytest.raises(WebhookVerificationError, match="timestamp too old"):
        check(now=NOW + 11, tolerance=10)


def test_future_timestamp() -> None:
    with pytest.raises(WebhookVerificationError, match=r"timestamp in the future: 301 s ahead"):
        check(now=NOW - 301)
    with pytest.raises(WebhookVerificationError, match="in the future"):
        check(now=NOW - 0.5, tolerance=0)


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header(name: str) -> None:
    hdrs = headers()
    del hdrs[name]
    with pytest.raises(WebhookVerificationError, match=f"^missing header {name}$"):
        check(hdrs)


@pytest.mark.parametrize("timestamp", ["", "abc", "1614265330.0", "-1614265330", "+1614265330"])
def test_malformed_timestamp(timestamp: str) -> None:
    with pytest.raises(WebhookVerificationError, match="malformed timestamp"):
        check(headers(timestamp=timestamp))
    with pytest.raises(WebhookVerificationError, match="malformed timestamp"):
        check(headers(timestamp=timestamp), tolerance=None)


@pytest.mark.parametrize(
    "secret",
    [
        "whsec_not base64!",
        "whsec_abc",
        "whsec_",
        "",
        "%%%%",
        SECRET + "!",
        SECRET.replace("Q9", "Q 9"),
        "whsec_whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    ],
)
def test_malformed_secret(secret: str) -> None:
    with pytest.raises(WebhookVerificationError, match="malformed secret"):
        check(secret=secret)
    with pytest.raises(WebhookVerificationError, match="malformed secret"):
        sign_webhook(secret, MSG_ID, TIMESTAMP, BODY)


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "v1,",
        "v1",
        "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE",
        "v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=x",
        "v1,é",
        "v1, g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    ],
)
def test_no_matching_signature(signature: str) -> None:
    with pytest.raises(WebhookVerificationError, match=r"^no matching signature$"):
        check(headers(signature=signature))


def test_other_id_or_timestamp_or_secret_fails() -> None:
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        check(headers(msg_id=MSG_ID + "x"))
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        check(headers(timestamp="1614265331"))
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        check(headers(timestamp="01614265330"))
    other = "whsec_" + base64.b64encode(b"another secret").decode()
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        check(secret=other)


def test_valid_signature_among_several() -> None:
    junk = "v1,bm9wZQ== v2,abc nonsense , v1a,xyz v1,"
    check(headers(signature=f"{junk} {SIGNATURE}"))
    check(headers(signature=f"{SIGNATURE} {junk}"))
    check(headers(signature=f"  v1,bm9wZQ==\t{SIGNATURE}  "))


def test_key_rotation() -> None:
    old = "whsec_" + base64.b64encode(b"old key").decode()
    both = f"{sign_webhook(old, MSG_ID, TIMESTAMP, BODY)} {SIGNATURE}"
    check(headers(signature=both))
    check(headers(signature=both), secret=old)


def test_headers_are_case_insensitive() -> None:
    mixed = {
        "Webhook-Id": MSG_ID,
        "WEBHOOK-TIMESTAMP": TIMESTAMP,
        "webhook-Signature": SIGNATURE,
        "Content-Type": "application/json",
    }
    check(mixed)
    check(httpx.Headers(mixed))
    check(list(mixed.items()))
    verify_webhook(iter(mixed.items()), BODY, SECRET, now=NOW)
    check(httpx.Request("POST", "https://example.com/hook", headers=mixed, content=BODY).headers)


def test_header_values_are_stripped() -> None:
    check(headers(msg_id=f" {MSG_ID}", timestamp=f"{TIMESTAMP} "))


def test_error_is_a_value_error() -> None:
    assert issubclass(WebhookVerificationError, ValueError)


# Properties: signed messages verify; any tampering fails.

# Header values arrive stripped, so ids never start or end with whitespace.
_ids = st.text(min_size=1, max_size=40).filter(lambda s: s == s.strip() and s != "")
_timestamps = st.integers(min_value=0, max_value=10**11)
_bodies = st.binary(max_size=200)
_keys = st.binary(min_size=1, max_size=64)


def _secret(key: bytes) -> str:
    return "whsec_" + base64.b64encode(key).decode()


@settings(max_examples=100, deadline=None)
@given(_ids, _timestamps, _bodies, _keys, st.booleans())
def test_signed_messages_verify(
    msg_id: str, timestamp: int, body: bytes, key: bytes, prefixed: bool
) -> None:
    secret = _secret(key) if prefixed else base64.b64encode(key).decode()
    sig = sign_webhook(secret, msg_id, timestamp, body)
    hdrs = headers(msg_id, str(timestamp), sig)
    verify_webhook(hdrs, body, secret, now=timestamp)
    verify_webhook(hdrs, body, secret, tolerance=None)


@settings(max_examples=100, deadline=None)
@given(_ids, _timestamps, _bodies, _keys, st.data())
def test_any_tampering_fails(
    msg_id: str, timestamp: int, body: bytes, key: bytes, data: st.DataObject
) -> None:
    secret = _secret(key)
    sig = sign_webhook(secret, msg_id, timestamp, body)
    args = {"msg_id": msg_id, "timestamp": str(timestamp), "signature": sig}
    tamper = data.draw(st.sampled_from(["body", "id", "timestamp", "secret", "signature"]))
    if tamper == "body":
        if body and data.draw(st.booleans()):
            i = data.draw(st.integers(0, len(body) - 1))
            flip = data.draw(st.integers(1, 255))
            body = body[:i] + bytes([body[i] ^ flip]) + body[i + 1 :]
        else:
            body = body + data.draw(st.binary(min_size=1, max_size=3))
    elif tamper == "id":
        args["msg_id"] = data.draw(_ids.filter(lambda s: s != msg_id))
    elif tamper == "timestamp":
        args["timestamp"] = str(data.draw(_timestamps.filter(lambda t: t != timestamp)))
    elif tamper == "secret":
        # HMAC zero-pads short keys, so keys differing only in trailing NULs are equal.
        secret = _secret(data.draw(_keys.filter(lambda k: k.rstrip(b"\0") != key.rstrip(b"\0"))))
    else:
        raw = bytearray(base64.b64decode(sig[3:]))
        raw[data.draw(st.integers(0, len(raw) - 1))] ^= data.draw(st.integers(1, 255))
        args["signature"] = "v1," + base64.b64encode(bytes(raw)).decode()
    with pytest.raises(WebhookVerificationError, match="no matching signature"):
        verify_webhook(headers(**args), body, secret, tolerance=None)
    assert not validate_webhook(headers(**args), body, secret, tolerance=None)
