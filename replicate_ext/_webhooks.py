"""Verification of Replicate's webhook requests (the Standard Webhooks scheme).

Each request carries ``webhook-id``, ``webhook-timestamp`` and
``webhook-signature`` headers; the signature is an HMAC-SHA256, keyed with the
account's webhook secret, of ``"{id}.{timestamp}.{raw body}"``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping
from typing import TypeAlias

from ._errors import WebhookVerificationError

__all__ = ["sign_webhook", "validate_webhook", "verify_webhook"]

Headers: TypeAlias = Mapping[str, str] | Iterable[tuple[str, str]]

_WHSEC = "whsec_"
_DEFAULT_TOLERANCE = 300.0


def _key(secret: str) -> bytes:
    # Secrets read from files or environment variables often carry a newline.
    secret = secret.strip()
    encoded = secret[len(_WHSEC) :] if secret.startswith(_WHSEC) else secret
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError(
            "malformed secret: expected 'whsec_' followed by base64"
        ) from None
    if not key:
        raise WebhookVerificationError("malformed secret: it is empty")
    return key


def _signature(key: bytes, msg_id: str, timestamp: str, body: bytes) -> bytes:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else bytes(body)


def sign_webhook(secret: str, msg_id: str, timestamp: int | str, body: bytes | str) -> str:
    """Return the ``webhook-signature`` header value (``"v1,<base64>"``) for a request.

    Meant for tests and local servers that need to send webhooks a receiver
    will accept.
    """
    signature = _signature(_key(secret), msg_id, str(timestamp), _as_bytes(body))
    return "v1," + signature.decode()


def verify_webhook(
    headers: Headers,
    body: bytes | str,
    secret: str,
    *,
    tolerance: float | None = _DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a webhook request's signature; raise ``WebhookVerificationError`` if it fails.

    ``headers`` is any mapping (looked up case-insensitively) or iterable of
    pairs. ``body`` must be the raw request body, exactly as received: parsing
    and re-serializing the JSON would change the bytes and break the signature.
    ``secret`` is ``whsec_<base64>`` or bare base64. The timestamp may be at
    most ``tolerance`` seconds away from ``now`` (default: the current time) to
    stop replays; ``tolerance=None`` skips that check.
    """
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    lowered = {name.lower(): value for name, value in pairs}
    found: list[str] = []
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        value = lowered.get(name)
        if value is None:
            raise WebhookVerificationError(f"missing header {name}")
        found.append(value.strip())
    msg_id, timestamp, signatures = found

    key = _key(secret)
    if not (timestamp.isdigit() and timestamp.isascii()):
        raise WebhookVerificationError(f"malformed timestamp {timestamp!r}: expected unix seconds")
    if tolerance is not None:
        age = (time.time() if now is None else now) - int(timestamp)
        if age > tolerance:
            raise WebhookVerificationError(
                f"timestamp too old: {age:.0f} s ago, outside the tolerance of {tolerance:g} s"
            )
        if age < -tolerance:
            raise WebhookVerificationError(
                f"timestamp in the future: {-age:.0f} s ahead,"
                f" outside the tolerance of {tolerance:g} s"
            )

    expected = _signature(key, msg_id, timestamp, _as_bytes(body))
    # Several entries arrive during key rotation; other versions and junk are skipped.
    for entry in signatures.split():
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return
    raise WebhookVerificationError("no matching signature")


def validate_webhook(
    headers: Headers,
    body: bytes | str,
    secret: str,
    *,
    tolerance: float | None = _DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Return whether a webhook request is authentic; see :func:`verify_webhook`."""
    try:
        verify_webhook(headers, body, secret, tolerance=tolerance, now=now)
    except WebhookVerificationError:
        return False
    return True
