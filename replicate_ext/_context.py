"""What every flow gets from the client that drives it, and how it reads the answers.

`Context` is the client's configuration as flows see it (the generated
client to parse answers with, timeouts, where files come from); `parse`
turns an answer into the type its operation promises, or the error it
stands for, and shows each prediction or training it reads to the unit of
work under way (`_telemetry.saw`); `Deadline` is the clock a run is held
to. They sit below every flow module, so that each of those imports them
and none imports another just for them.
"""

from __future__ import annotations

import time
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

import httpx

from generated.errors import ParseError

from ._checks import positive_seconds
from ._errors import PredictionTimeout, ReplicateError, ResponseParseError
from ._retry import DEADLINE
from ._telemetry import saw

if TYPE_CHECKING:
    from generated.client import AuthenticatedClient, Client

    from ._files import Downloader

__all__ = ["Context", "Deadline", "parse", "with_read_timeout"]


class Context:
    """What flows need from the client that drives them."""

    __slots__ = ("api", "base_url", "concatenates", "downloader", "poll_interval", "timeout")

    def __init__(
        self,
        api: AuthenticatedClient | Client,
        timeout: httpx.Timeout,
        poll_interval: float,
        downloader: Downloader,
        base_url: str = "https://api.replicate.com/v1",
    ) -> None:
        self.api = api
        self.base_url = base_url  # where the API is: answers' URLs are followed only there
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.downloader = downloader
        # version id (or model name for hidden versions) -> its output is concatenated text
        self.concatenates: dict[str, bool] = {}


def parse(
    ctx: Context, operation: ModuleType, response: httpx.Response, *, empty: bool = False
) -> Any:
    """The answer parsed by the generated `operation`, or the `ReplicateError` it stands for.

    An answer that is not what the API promises (a proxy's HTML page, JSON of
    another shape) raises `ResponseParseError`, naming the field. `empty`: the
    operation answers a success without a body (a deletion's 204 or 202), and
    that success is None.
    """
    if response.status_code >= 300:
        raise ReplicateError.from_response(response)
    if empty:
        return None
    try:
        parsed = operation._parse_response(client=ctx.api, response=response)
    except ParseError as error:
        raise ResponseParseError(error, response) from error
    if parsed is None or type(parsed).__name__ == "Problem":
        raise ReplicateError.from_response(response)
    saw(parsed)  # a prediction or training, for the unit of work under way (if any)
    return parsed


class Deadline:
    """A moment, `timeout` seconds from now, by which a run must end (None: no deadline)."""

    __slots__ = ("at", "timeout")

    def __init__(self, timeout: float | None, name: str = "timeout") -> None:
        if timeout is not None:
            timeout = positive_seconds(name, timeout)
        self.timeout = timeout
        self.at = None if timeout is None else time.monotonic() + timeout

    def remaining(self) -> float | None:
        return None if self.at is None else self.at - time.monotonic()

    def bound(self, request: dict[str, Any]) -> dict[str, Any]:
        """`request` (keyword arguments of a `Send`), held to this deadline by the retries.

        The retrying transport then waits out a 429, a 5xx or a failed
        connection only when the wait ends before the deadline.
        """
        if self.at is not None:
            request["extensions"] = {**request.get("extensions", {}), DEADLINE: self.at}
        return request

    def check(self, job_id: str, noun: str = "prediction") -> float | None:
        """Seconds left; raises PredictionTimeout (naming the `noun` and id) once none are."""
        left = self.remaining()
        if left is not None and left <= 0:
            raise PredictionTimeout(job_id, cast(float, self.timeout), kind=noun)
        return left


def with_read_timeout(timeout: httpx.Timeout, read: float) -> httpx.Timeout:
    return httpx.Timeout(connect=timeout.connect, read=read, write=timeout.write, pool=timeout.pool)
