"""`client.webhooks`: Signing secret for webhook deliveries.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from ..models.webhook_secret import WebhookSecret
    from ._base import RawResponse


def _webhooks_default_secret_get() -> dict[str, Any]:
    """The request of `webhooks.default.secret.get`, its arguments checked."""
    from ..api.webhooks import webhooks_default_secret_get

    return webhooks_default_secret_get._get_kwargs()


class WebhooksDefaultSecretResource(SyncResource):
    """`client.webhooks.default.secret`."""

    def get(
        self,
    ) -> WebhookSecret:
        """Get the secret that signs webhook deliveries.

        `webhooks.default.secret.get`: GET /webhooks/default/secret.
        """
        from ..api.webhooks import webhooks_default_secret_get

        return self._requester.call(webhooks_default_secret_get, _webhooks_default_secret_get())


class WebhooksDefaultResource(SyncResource):
    """`client.webhooks.default`."""

    @cached_property
    def secret(self) -> WebhooksDefaultSecretResource:
        """`client.webhooks.default.secret`."""
        return WebhooksDefaultSecretResource(self._requester)


class WebhooksResource(SyncResource):
    """`client.webhooks`: Signing secret for webhook deliveries."""

    @cached_property
    def default(self) -> WebhooksDefaultResource:
        """`client.webhooks.default`."""
        return WebhooksDefaultResource(self._requester)


class AsyncWebhooksDefaultSecretResource(AsyncResource):
    """`client.webhooks.default.secret` on an `AsyncClient`."""

    async def get(
        self,
    ) -> WebhookSecret:
        """Get the secret that signs webhook deliveries. The async twin of `client.webhooks.default.secret.get`."""
        from ..api.webhooks import webhooks_default_secret_get

        return await self._requester.call(
            webhooks_default_secret_get, _webhooks_default_secret_get()
        )


class AsyncWebhooksDefaultResource(AsyncResource):
    """`client.webhooks.default` on an `AsyncClient`."""

    @cached_property
    def secret(self) -> AsyncWebhooksDefaultSecretResource:
        """`client.webhooks.default.secret`."""
        return AsyncWebhooksDefaultSecretResource(self._requester)


class AsyncWebhooksResource(AsyncResource):
    """`client.webhooks` on an `AsyncClient`: Signing secret for webhook deliveries."""

    @cached_property
    def default(self) -> AsyncWebhooksDefaultResource:
        """`client.webhooks.default`."""
        return AsyncWebhooksDefaultResource(self._requester)


class RawWebhooksDefaultSecretResource(SyncResource):
    """`client.webhooks.default.secret` with raw answers (`client.with_raw_response...`)."""

    def get(
        self,
    ) -> RawResponse[WebhookSecret]:
        """`client.webhooks.default.secret.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.webhooks import webhooks_default_secret_get

        return self._requester.raw(webhooks_default_secret_get, _webhooks_default_secret_get())


class RawWebhooksDefaultResource(SyncResource):
    """`client.webhooks.default` with raw answers (`client.with_raw_response...`)."""

    @cached_property
    def secret(self) -> RawWebhooksDefaultSecretResource:
        """`client.webhooks.default.secret`."""
        return RawWebhooksDefaultSecretResource(self._requester)


class RawWebhooksResource(SyncResource):
    """`client.webhooks` with raw answers (`client.with_raw_response...`): Signing secret for webhook deliveries."""

    @cached_property
    def default(self) -> RawWebhooksDefaultResource:
        """`client.webhooks.default`."""
        return RawWebhooksDefaultResource(self._requester)


class AsyncRawWebhooksDefaultSecretResource(AsyncResource):
    """`client.webhooks.default.secret` with raw answers (`client.with_raw_response...`) on an `AsyncClient`."""

    async def get(
        self,
    ) -> RawResponse[WebhookSecret]:
        """`client.webhooks.default.secret.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.webhooks import webhooks_default_secret_get

        return await self._requester.raw(
            webhooks_default_secret_get, _webhooks_default_secret_get()
        )


class AsyncRawWebhooksDefaultResource(AsyncResource):
    """`client.webhooks.default` with raw answers (`client.with_raw_response...`) on an `AsyncClient`."""

    @cached_property
    def secret(self) -> AsyncRawWebhooksDefaultSecretResource:
        """`client.webhooks.default.secret`."""
        return AsyncRawWebhooksDefaultSecretResource(self._requester)


class AsyncRawWebhooksResource(AsyncResource):
    """`client.webhooks` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: Signing secret for webhook deliveries."""

    @cached_property
    def default(self) -> AsyncRawWebhooksDefaultResource:
        """`client.webhooks.default`."""
        return AsyncRawWebhooksDefaultResource(self._requester)


__all__ = [
    "WebhooksDefaultSecretResource",
    "WebhooksDefaultResource",
    "WebhooksResource",
    "AsyncWebhooksDefaultSecretResource",
    "AsyncWebhooksDefaultResource",
    "AsyncWebhooksResource",
    "RawWebhooksDefaultSecretResource",
    "RawWebhooksDefaultResource",
    "RawWebhooksResource",
    "AsyncRawWebhooksDefaultSecretResource",
    "AsyncRawWebhooksDefaultResource",
    "AsyncRawWebhooksResource",
]
