"""`client.account`: The account that owns the API token.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from ..models.account import Account
    from ._base import RawResponse


def _account_get() -> dict[str, Any]:
    """The request of `account.get`, its arguments checked."""
    from ..api.account import account_get

    return account_get._get_kwargs()


class AccountResource(SyncResource):
    """`client.account`: The account that owns the API token."""

    def get(
        self,
    ) -> Account:
        """Get the account that owns the token.

        `account.get`: GET /account.
        """
        from ..api.account import account_get

        return self._requester.call(account_get, _account_get())


class AsyncAccountResource(AsyncResource):
    """`client.account` on an `AsyncClient`: The account that owns the API token."""

    async def get(
        self,
    ) -> Account:
        """Get the account that owns the token. The async twin of `client.account.get`."""
        from ..api.account import account_get

        return await self._requester.call(account_get, _account_get())


class RawAccountResource(SyncResource):
    """`client.account` with raw answers (`client.with_raw_response...`): The account that owns the API token."""

    def get(
        self,
    ) -> RawResponse[Account]:
        """`client.account.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.account import account_get

        return self._requester.raw(account_get, _account_get())


class AsyncRawAccountResource(AsyncResource):
    """`client.account` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: The account that owns the API token."""

    async def get(
        self,
    ) -> RawResponse[Account]:
        """`client.account.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.account import account_get

        return await self._requester.raw(account_get, _account_get())


__all__ = [
    "AccountResource",
    "AsyncAccountResource",
    "RawAccountResource",
    "AsyncRawAccountResource",
]
