"""Small helpers shared by the local server: clocks, ids, timestamps, durations."""

from __future__ import annotations

import base64
import re
import secrets
from datetime import UTC, datetime

__all__ = ["UTC", "iso", "new_id", "parse_duration", "parse_iso", "utcnow"]

# The spec's pattern for Cancel-After: ^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}


def utcnow() -> datetime:
    """The current time, timezone aware, in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """Format like Replicate does: ISO 8601 with microseconds and a trailing Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    """Parse an ISO 8601 timestamp; naive values are taken as UTC."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def new_id() -> str:
    """A 26 character lowercase base32 id, the shape Replicate uses for predictions."""
    return base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()


def parse_duration(text: str) -> float:
    """Parse a duration (``30s``, ``5m``, ``1h30m``, ``0.5s``, ``250ms``) into seconds.

    Raises ValueError for anything else, including zero or empty durations.
    """
    position = 0
    total = 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            raise ValueError(text)
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if position == 0 or position != len(text) or total <= 0:
        raise ValueError(text)
    return total
