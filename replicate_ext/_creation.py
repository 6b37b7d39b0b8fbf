"""Sending a creation request, and knowing what it made: the only thing acted on is proof.

A prediction (or training) is created by one POST that is never sent twice
(`_retry`), and whose failure does not say whether the API made the
prediction: a gateway's 502 may come before the API saw the request or after
it acted, an answer may be lost on the way back, Ctrl-C may land while the
API holds the answer (`Prefer: wait`). A prediction made that way runs, and
bills, with nobody watching.

Searching the account's predictions for one with the same model and input
does not find *ours*: callers sharing a token make lookalikes all the time
(the workers of one web app, the samples of one prompt in a batch), and
cancelling the newest lookalike ended another caller's work. So what a
failed creation made is judged on evidence that no one else's request can
produce, and acted on only then:

* the request never left: connecting failed (httpx raises `ConnectError`,
  `ConnectTimeout` and `PoolTimeout` before it writes a byte, and the
  retrying transport resends a creation only after those and a 429), or
  the transport's own trace shows it never began writing the request
  (`Delivery`): nothing was made, and the error says so;
* the API, or a gateway before it, refused the request (3xx, 4xx): nothing
  was made;
* a success answer that names an id, even one that cannot otherwise be
  read: that prediction is ours; it is canceled, as nobody can use it;
* anything else (a 5xx, an answer lost, cut short or late, an interruption
  after sending) leaves the fate unknown. The lookalikes created since
  shortly before the request are looked up (best effort) and reported,
  never canceled: in `CreationFateUnknown`, or, for an interruption (which
  must stay what it is), in a note on it and a warning on the
  `replicate_ext` logger. A `Cancel-After` sent with the request still
  ends ours on the server.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import httpx

from ._context import Context, parse
from ._errors import CreationFateUnknown, ReplicateError
from ._flow import Delivery, Flow, Send, network_error
from ._jobs import PREDICTION, TRAINING, JobKind, cancel_on_the_way_out_flow
from ._refs import Ref

__all__ = ["Lookalikes", "creation_flow", "prediction_lookalikes", "training_lookalikes"]

logger = logging.getLogger("replicate_ext")

CLOCK_SKEW = 60.0
"""Seconds of leeway between our clock and the API's when looking for lookalikes."""
SEARCH_PAGES = 5
"""Pages of the account's recent predictions looked through for lookalikes."""

# httpx raises these before writing any of the request.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class Lookalikes:
    """What a prediction (or training) this request made would look like in the account's list.

    `matches` tells one of the listed items (JSON) for a lookalike; `target`
    names the model (or version, or deployment) in messages.
    """

    __slots__ = ("kind", "matches", "target")

    def __init__(
        self, kind: JobKind, target: str, matches: Callable[[Mapping[str, Any]], bool]
    ) -> None:
        self.kind = kind
        self.target = target
        self.matches = matches

    @property
    def dated(self) -> bool:
        """Whether the list takes `created_after` (the predictions' does, the trainings' not)."""
        return self.kind is PREDICTION

    def first_page(self, since: float) -> dict[str, Any]:
        """The request for the newest items, from `since` (a Unix time) when the list can filter."""
        if self.kind is PREDICTION:
            from generated.api.predictions import predictions_list

            after = datetime.datetime.fromtimestamp(since, tz=datetime.UTC)
            return predictions_list._get_kwargs(created_after=after)
        from generated.api.trainings import trainings_list

        return trainings_list._get_kwargs()


def prediction_lookalikes(ref: Ref, sent: Mapping[str, Any]) -> Lookalikes:
    """Predictions of the model, version or deployment `ref` names, with the input `sent`."""
    name = f"{ref.owner}/{ref.name}"

    def matches(item: Mapping[str, Any]) -> bool:
        if item.get("input") != sent:
            return False
        if ref.kind == "version":
            return item.get("version") == ref.version
        if ref.kind == "model":
            return item.get("model") == name
        return item.get("deployment") == name

    if ref.kind == "version":
        target = ref.version if ref.owner is None else f"{name}:{ref.version}"
    elif ref.kind == "model":
        target = name
    else:
        target = f"deployments/{name}"
    return Lookalikes(PREDICTION, str(target), matches)


def training_lookalikes(ref: Ref, sent: Mapping[str, Any]) -> Lookalikes:
    """Trainings of the version `ref` names, with exactly the input `sent`."""

    def matches(item: Mapping[str, Any]) -> bool:
        return item.get("version") == ref.version and item.get("input") == sent

    return Lookalikes(TRAINING, f"{ref.owner}/{ref.name}:{ref.version}", matches)


def creation_flow(
    ctx: Context,
    operation: ModuleType,
    request: dict[str, Any],
    lookalikes: Lookalikes,
    *,
    cancel_after: str | None = None,
    search_on_interrupt: bool = True,
) -> Flow[Any]:
    """Send the creation `request` and return what `operation` parses from its answer.

    Raises the error the answer stands for when the creation was refused,
    `CreationFateUnknown` when nobody can tell whether it made a prediction
    (an interruption is re-raised as itself, with a note naming the
    lookalikes; `search_on_interrupt=False` leaves that search to a caller
    that makes its own, as a batch does). `cancel_after` is the
    `Cancel-After` the request carries, for the message.
    """
    delivery = Delivery()
    started = time.time()
    try:
        response = yield Send(request, delivery=delivery)
    except GeneratorExit:
        raise  # the flow is being discarded: it may not send anything more
    except BaseException as error:
        if isinstance(error, _NOT_SENT) or delivery.never_sent:
            error.add_note(f"(the request never left: no {lookalikes.kind.noun} was made)")
            raise
        if isinstance(error, httpx.TransportError):
            cause = network_error(error)
            found = yield from _search_flow(lookalikes, started)
            raise _fate_unknown(lookalikes, str(cause), found, cancel_after) from cause
        # An interruption (Ctrl-C, a cancelled task) or a failure of our own:
        # it goes on as it is, telling what may have been left behind.
        if search_on_interrupt:
            found = yield from _search_flow(lookalikes, started)
            what = "interrupted" if not isinstance(error, Exception) else type(error).__name__
            unknown = _fate_unknown(lookalikes, f"{what} before its answer", found, cancel_after)
            error.add_note(f"replicate_ext: {unknown}")
            logger.warning("%s", unknown)
        raise
    try:
        return parse(ctx, operation, response)
    except ReplicateError as error:
        status = error.status
        if status is not None and 300 <= status < 500:
            raise  # refused: nothing was made
        own = _named_id(response) if status is not None and status < 300 else None
        if own is not None:
            # A success that names its prediction: ours beyond doubt, and of no
            # use to anyone as it cannot be read.
            logger.debug("canceling %s %s: its answer is unreadable", lookalikes.kind.noun, own)
            cancel = Send(lookalikes.kind.operation("cancel")._get_kwargs(own), best_effort=True)
            noun = lookalikes.kind.noun
            if (yield from cancel_on_the_way_out_flow(cancel, own, error, noun)) is not None:
                error.add_note(f"({noun} {own}, which the answer names, was canceled)")
            raise
        found = yield from _search_flow(lookalikes, started)
        raise _fate_unknown(
            lookalikes, str(error), found, cancel_after, status=status, response=response
        ) from error


def _fate_unknown(
    lookalikes: Lookalikes,
    reason: str,
    found: list[tuple[str, str]] | None,
    cancel_after: str | None,
    *,
    status: int | None = None,
    response: Any = None,
) -> CreationFateUnknown:
    kind = lookalikes.kind.noun
    return CreationFateUnknown(
        kind,
        lookalikes.target,
        reason,
        found,
        # Trainings take no Cancel-After.
        cancel_after=cancel_after if lookalikes.kind is PREDICTION else None,
        status=status,
        response=response,
    )


def _named_id(response: httpx.Response) -> str | None:
    with contextlib.suppress(ValueError):
        body = response.json()
        found = body.get("id") if isinstance(body, dict) else None
        if isinstance(found, str) and found:
            return found
    return None


def _search_flow(lookalikes: Lookalikes, started: float) -> Flow[list[tuple[str, str]] | None]:
    """Best effort: lookalikes (id, status) created since shortly before `started`, newest first.

    None when the search got no answer. Nothing found is not proof that
    nothing was made: the API may act on a request after a gateway gave up.
    """
    since = started - CLOCK_SKEW
    request: dict[str, Any] | None = lookalikes.first_page(since)
    found: list[tuple[str, str]] = []
    for _ in range(SEARCH_PAGES):
        if request is None:
            break
        response = yield Send(request, best_effort=True)
        if response is None or response.status_code != 200:
            return found or None
        try:
            page = response.json()
        except ValueError:
            return found or None
        results = page.get("results") if isinstance(page, dict) else None
        for item in results if isinstance(results, list) else ():
            if not isinstance(item, dict):
                continue
            if not lookalikes.dated and _created_before(item, since):
                return found  # the list is newest first: the rest is older still
            job_id = item.get("id")
            if isinstance(job_id, str) and lookalikes.matches(item):
                found.append((job_id, str(item.get("status"))))
        following = page.get("next")
        request = {"method": "GET", "url": following} if isinstance(following, str) else None
    return found


def _created_before(item: Mapping[str, Any], since: float) -> bool:
    created = item.get("created_at")
    if not isinstance(created, str):
        return False
    try:
        moment = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.timestamp() < since
