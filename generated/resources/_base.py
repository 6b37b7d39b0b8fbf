"""What the generated resource classes need, and what they check before any request.

A resource method builds its request with the generated operation
(`generated.api...._get_kwargs`) and hands it, with the operation, to a
*requester* the client supplies (`Requester`, `AsyncRequester`): sending it,
and turning the answer into a value or an error, are the client's business
(replicate_ext's), not this package's. So nothing here imports the client,
and the requester's answers are typed by the protocols below.

The checks raise before any request: a value of the wrong type is a
TypeError naming the parameter, a malformed one a ValueError.
"""

from __future__ import annotations

import datetime
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..types import UNSET, Unset

if TYPE_CHECKING:
    import httpx

    from ..client import AuthenticatedClient, Client
    from ..models.problem import Problem

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Operation(Protocol[T_co]):
    """A generated operation module (`generated.api.models.models_get`): its parser."""

    def _parse_response(
        self, *, client: AuthenticatedClient | Client, response: httpx.Response
    ) -> T_co | Problem | None: ...


class Page(Protocol[T_co]):
    """A page of a list: its items and the URL of the next page."""

    @property
    def results(self) -> Sequence[T_co]: ...

    @property
    def next(self) -> object: ...


class Listing(Protocol[T_co]):
    """Every item of a list, fetched a page at a time as it is iterated.

    Nothing is sent until the first item is asked for. `pages()` gives the
    pages themselves.
    """

    def __iter__(self) -> Iterator[T_co]: ...

    def pages(self) -> Iterator[Page[T_co]]: ...


class AsyncListing(Protocol[T_co]):
    """`Listing` for ``async for``."""

    def __aiter__(self) -> AsyncIterator[T_co]: ...

    def pages(self) -> AsyncIterator[Page[T_co]]: ...


class RawResponse(Protocol[T_co]):
    """An answer as it came (status, headers, body), parsed on demand by `parse()`."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def content(self) -> bytes: ...

    def parse(self) -> T_co: ...


class Requester(Protocol):
    """Sends a resource's requests and reads their answers (an error status raises)."""

    def call(self, operation: Operation[T], request: dict[str, Any]) -> T:
        """The parsed answer."""
        ...

    def send(self, operation: Operation[Any], request: dict[str, Any]) -> None:
        """For an operation that answers without a body."""
        ...

    def list(
        self, operation: Operation[Page[T]], request: dict[str, Any], limit: int | None
    ) -> Listing[T]:
        """The items of the list `request` starts, at most `limit` of them."""
        ...

    def raw(
        self, operation: Operation[T], request: dict[str, Any], *, empty: bool = False
    ) -> RawResponse[T]:
        """The answer itself (`empty`: the operation answers without a body)."""
        ...


class AsyncRequester(Protocol):
    """`Requester` with async I/O."""

    def call(self, operation: Operation[T], request: dict[str, Any]) -> Awaitable[T]:
        """The parsed answer."""
        ...

    def send(self, operation: Operation[Any], request: dict[str, Any]) -> Awaitable[None]:
        """For an operation that answers without a body."""
        ...

    def list(
        self, operation: Operation[Page[T]], request: dict[str, Any], limit: int | None
    ) -> AsyncListing[T]:
        """The items of the list `request` starts, at most `limit` of them."""
        ...

    def raw(
        self, operation: Operation[T], request: dict[str, Any], *, empty: bool = False
    ) -> Awaitable[RawResponse[T]]:
        """The answer itself (`empty`: the operation answers without a body)."""
        ...


class SyncResource:
    """A group of operations (`client.models`), sending through a `Requester`."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"


class AsyncResource:
    """A group of operations (`async_client.models`), sending through an `AsyncRequester`."""

    def __init__(self, requester: AsyncRequester) -> None:
        self._requester = requester

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"


# -- the checks --------------------------------------------------------------------------------


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def string(name: str, value: object) -> str:
    """`value`, a string."""
    if isinstance(value, str):
        return value
    raise TypeError(f"{name} must be a string, not {_kind(value)}")


def segment(name: str, value: object) -> str:
    """`value`, a string that is one whole segment of a URL's path.

    "", "." and ".." would ask another URL (`/predictions/` is the list).
    """
    text = string(name, value)
    if not text.strip("."):
        raise ValueError(f"{name} must be an id or a name, not {text!r}")
    return text


def integer(name: str, value: object) -> int:
    """`value`, a whole number (not a bool)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"{name} must be an int, not {_kind(value)}")


def number(name: str, value: object) -> float:
    """`value`, a number (not a bool)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise TypeError(f"{name} must be a number, not {_kind(value)}")


def boolean(name: str, value: object) -> bool:
    """`value`, a bool."""
    if isinstance(value, bool):
        return value
    raise TypeError(f"{name} must be a bool, not {_kind(value)}")


def timestamp(name: str, value: object) -> datetime.datetime:
    """`value`, a datetime or an ISO 8601 string of one."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{name} must be an ISO 8601 time such as 2025-01-31T12:00:00Z, not {value!r}"
            ) from None
    raise TypeError(f"{name} must be a datetime or an ISO 8601 string, not {_kind(value)}")


def choice(name: str, value: object, choices: Collection[T]) -> T:
    """`value`, one of `choices`."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {_kind(value)}")
    for known in choices:
        if known == value:
            return known
    raise ValueError(f"{name} must be one of {sorted(map(repr, choices))}, not {value!r}")


def choice_list(name: str, value: object, choices: Collection[T]) -> list[T]:
    """`value`, a list (or another sequence, not a string) of `choices`."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | set | frozenset):
        raise TypeError(f"{name} must be a list, not {_kind(value)}")
    return [choice(f"{name}[{index}]", item, choices) for index, item in enumerate(value)]


def string_list(name: str, value: object) -> list[str]:
    """`value`, a list (or another sequence, not a string) of strings."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list, not {_kind(value)}")
    return [string(f"{name}[{index}]", item) for index, item in enumerate(value)]


def mapping(name: str, value: object) -> dict[str, Any]:
    """`value`, a mapping with string keys, as a dict."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict, not {_kind(value)}")
    for key in value:
        if not isinstance(key, str):
            raise TypeError(f"{name} must have string keys, not {_kind(key)} ({key!r})")
    return dict(value)


def optional(check: Callable[..., T], name: str, value: object, *args: Any) -> T | Unset:
    """`check(name, value, *args)`, or UNSET (left out of the request) when `value` is None."""
    return UNSET if value is None else check(name, value, *args)


def check_limit(value: object) -> int | None:
    """How many items a list gives at most: None for all of them."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"limit must be an int or None, not {_kind(value)}")
    if value < 1:
        raise ValueError(f"limit must be 1 or more (None for every item), not {value}")
    return value


def owner_and_name(noun: str, ref: object, owner: object, name: object) -> tuple[str, str]:
    """`ref` ("owner/name") split, or `owner` and `name` as given: exactly one of the two forms."""
    if ref is None:
        if owner is None or name is None:
            raise TypeError(
                f"give the {noun} as 'owner/name', or both {noun}_owner= and {noun}_name="
            )
        return segment(f"{noun}_owner", owner), segment(f"{noun}_name", name)
    if owner is not None or name is not None:
        raise TypeError(
            f"give the {noun} as 'owner/name' or as {noun}_owner= and {noun}_name=, not both"
        )
    text = string(noun, ref)
    first, slash, second = text.partition("/")
    if not slash or not first.strip(".") or not second.strip(".") or "/" in second or ":" in second:
        raise ValueError(f"{noun} must be 'owner/name', not {text!r}")
    return first, second


__all__ = [
    "AsyncListing",
    "AsyncRequester",
    "AsyncResource",
    "Listing",
    "Operation",
    "Page",
    "RawResponse",
    "Requester",
    "SyncResource",
]
