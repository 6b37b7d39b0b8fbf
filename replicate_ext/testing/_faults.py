"""Fault injection and rate limiting: the failures a client must survive, on demand."""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Literal, get_args

FaultKind = Literal[
    "status",
    "429",
    "drop",
    "slow",
    "slow_after",
    "drop_after",
    "drop_stream",
    "stream_restart",
    "stream_no_done",
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)

STREAM_FAULT_KINDS = frozenset({"drop_stream", "stream_restart", "stream_no_done"})

_CREATION_ROUTES = re.compile(
    r"^/v1/(predictions|models/[^/]+/[^/]+/predictions|deployments/[^/]+/[^/]+/predictions)/?$"
)


@dataclass
class Fault:
    """One injected fault and how often it has fired.

    ``path`` is an exact path, a prefix when it ends with ``*``, or a compiled regex
    (matched with ``fullmatch``). ``times=None`` fires forever.
    """

    kind: FaultKind
    path: str | re.Pattern[str]
    method: str | None = None
    status: int = 503
    times: int | None = 1
    delay: float = 1.0
    after_events: int = 1
    retry_after: float | None = None
    partial_body: bytes = b'{"id": "'
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if isinstance(self.path, re.Pattern):
            return self.path.fullmatch(path) is not None
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    @property
    def exhausted(self) -> bool:
        """Whether the fault has fired as many times as it was asked to."""
        return self.times is not None and self.fired >= self.times


def parse_fault(text: str) -> Fault:
    """A fault from its command line form: ``KIND PATH [key=value ...]``.

    PATH is exact, a prefix ending in ``*``, or a regex after ``~``. Keys: method,
    status, times (``inf`` for forever), delay, after_events, retry_after. Example:
    ``status /v1/predictions method=POST status=503 times=2``.
    """
    parts = text.split()
    if len(parts) < 2 or parts[0] not in FAULT_KINDS:
        raise ValueError(f"expected 'KIND PATH [key=value ...]' with KIND in {FAULT_KINDS}")
    kind: FaultKind = parts[0]  # type: ignore[assignment]
    path: str | re.Pattern[str] = re.compile(parts[1][1:]) if parts[1].startswith("~") else parts[1]
    fault = Fault(kind=kind, path=path, status=429 if kind == "429" else 503)
    for option in parts[2:]:
        key, _, value = option.partition("=")
        if key == "method":
            fault.method = value.upper()
        elif key == "status":
            fault.status = int(value)
        elif key == "times":
            fault.times = None if value == "inf" else int(value)
        elif key in ("delay", "retry_after"):
            setattr(fault, key, float(value))
        elif key == "after_events":
            fault.after_events = int(value)
        else:
            raise ValueError(f"unknown fault option {key!r}")
    return fault


@dataclass(frozen=True)
class FiredFault:
    """A record of one fault firing."""

    kind: str
    method: str
    path: str
    at: float


class FaultInjector:
    """The list of armed faults; safe to use from the test thread and the server loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.fired: list[FiredFault] = []

    def add(self, fault: Fault) -> Fault:
        """Arm a fault."""
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {FAULT_KINDS}")
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed fault matching the request, counted as fired."""
        with self._lock:
            for fault in self._faults:
                if not fault.exhausted and fault.matches(method, path):
                    self._fire(fault, method, path)
                    return fault
        return None

    def take_stream_faults(self, method: str, path: str, first: Fault) -> list[Fault]:
        """`first` (already taken) and every other armed event-stream fault matching the request.

        They combine on one stream: a stream may start over and end without done.
        """
        taken: list[Fault] = [first]
        with self._lock:
            for fault in self._faults:
                if (
                    fault is not first
                    and fault.kind in STREAM_FAULT_KINDS
                    and not fault.exhausted
                    and fault.matches(method, path)
                ):
                    self._fire(fault, method, path)
                    taken.append(fault)
        return taken

    def _fire(self, fault: Fault, method: str, path: str) -> None:
        fault.fired += 1
        self.fired.append(FiredFault(fault.kind, method, path, time.time()))

    @property
    def armed(self) -> list[Fault]:
        """Every fault injected since the last clear (fired or not)."""
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        """Disarm everything and forget what fired."""
        with self._lock:
            self._faults.clear()
            self.fired.clear()


@dataclass
class TokenBucket:
    """A classic token bucket: ``capacity`` requests at once, refilled continuously."""

    capacity: float
    per_second: float
    tokens: float = field(init=False)
    updated: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.capacity
        self.updated = time.monotonic()

    def take(self) -> float:
        """Take a token: 0 when allowed, otherwise the seconds until one is available."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


class RateLimiter:
    """Per class (``creations`` for creating predictions, ``others``) token buckets.

    Off by default; Replicate's real limits are 600 creations and 3000 other requests
    a minute.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, TokenBucket] = {}

    def configure(self, kind: str, per_minute: float, burst: float | None = None) -> None:
        """Limit one class of requests to ``per_minute``, allowing bursts of ``burst``."""
        if kind not in ("creations", "others"):
            raise ValueError("kind must be 'creations' or 'others'")
        with self._lock:
            self._buckets[kind] = TokenBucket(burst or per_minute, per_minute / 60.0)

    def disable(self, kind: str | None = None) -> None:
        """Lift one class's limit, or all of them."""
        with self._lock:
            if kind is None:
                self._buckets.clear()
            else:
                self._buckets.pop(kind, None)

    @staticmethod
    def classify(method: str, path: str) -> str:
        """``creations`` for the prediction creation routes, ``others`` otherwise."""
        if method == "POST" and _CREATION_ROUTES.match(path):
            return "creations"
        return "others"

    def check(self, method: str, path: str) -> int | None:
        """None when allowed, else the whole seconds to put in ``Retry-After``."""
        with self._lock:
            bucket = self._buckets.get(self.classify(method, path))
            if bucket is None:
                return None
            wait = bucket.take()
        return None if wait == 0 else max(1, math.ceil(wait))


def throttled_detail(seconds: int) -> str:
    """Replicate's wording for a throttled request."""
    unit = "second" if seconds == 1 else "seconds"
    return f"Request was throttled. Expected available in {seconds} {unit}."
