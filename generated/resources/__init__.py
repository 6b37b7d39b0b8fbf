"""The API's resources, as attributes of a client: `client.models.get("owner/name")`.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.

Every operation of the spec is a method named by its operationId
(`models.versions.get` is `client.models.versions.get(...)`). `Resources` and
`AsyncResources` are mixed into replicate_ext's `Client` and `AsyncClient`,
which supply the requester that sends the requests and reads the answers;
`RawResources` and `AsyncRawResources` are their `with_raw_response`. Each
resource's module is imported the first time it is reached.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models.search_response import SearchResponse
    from ._base import AsyncRequester, RawResponse, Requester
    from .account import (
        AccountResource,
        AsyncAccountResource,
        AsyncRawAccountResource,
        RawAccountResource,
    )
    from .collections import (
        AsyncCollectionsResource,
        AsyncRawCollectionsResource,
        CollectionsResource,
        RawCollectionsResource,
    )
    from .deployments import (
        AsyncDeploymentsResource,
        AsyncRawDeploymentsResource,
        DeploymentsResource,
        RawDeploymentsResource,
    )
    from .files import (
        AsyncFilesResource,
        AsyncRawFilesResource,
        FilesResource,
        RawFilesResource,
    )
    from .hardware import (
        AsyncHardwareResource,
        AsyncRawHardwareResource,
        HardwareResource,
        RawHardwareResource,
    )
    from .models import (
        AsyncModelsResource,
        AsyncRawModelsResource,
        ModelsResource,
        RawModelsResource,
    )
    from .predictions import (
        AsyncPredictionsResource,
        AsyncRawPredictionsResource,
        PredictionsResource,
        RawPredictionsResource,
    )
    from .trainings import (
        AsyncRawTrainingsResource,
        AsyncTrainingsResource,
        RawTrainingsResource,
        TrainingsResource,
    )
    from .webhooks import (
        AsyncRawWebhooksResource,
        AsyncWebhooksResource,
        RawWebhooksResource,
        WebhooksResource,
    )


def _search(query: Any, limit: Any) -> dict[str, Any]:
    """The request of `search`, its arguments checked."""
    from ..api.search import search
    from . import _base

    return search._get_kwargs(
        query=_base.string("query", query),
        limit=_base.optional(_base.integer, "limit", limit),
    )


class Resources:
    """The API's resources, as attributes of a `Client`."""

    @property
    def _requester(self) -> Requester:
        raise NotImplementedError("the client supplies the requester")  # pragma: no cover

    @cached_property
    def account(self) -> AccountResource:
        """`client.account`: The account that owns the API token."""
        from .account import AccountResource

        return AccountResource(self._requester)

    @cached_property
    def collections(self) -> CollectionsResource:
        """`client.collections`: Curated groups of models."""
        from .collections import CollectionsResource

        return CollectionsResource(self._requester)

    @cached_property
    def deployments(self) -> DeploymentsResource:
        """`client.deployments`: Private, fixed-hardware endpoints for a model version."""
        from .deployments import DeploymentsResource

        return DeploymentsResource(self._requester)

    @cached_property
    def files(self) -> FilesResource:
        """`client.files`: Files uploaded for use as prediction inputs."""
        from .files import FilesResource

        return FilesResource(self._requester)

    @cached_property
    def hardware(self) -> HardwareResource:
        """`client.hardware`: Hardware SKUs models can run on."""
        from .hardware import HardwareResource

        return HardwareResource(self._requester)

    @cached_property
    def models(self) -> ModelsResource:
        """`client.models`: Models, their versions, examples and README."""
        from .models import ModelsResource

        return ModelsResource(self._requester)

    @cached_property
    def predictions(self) -> PredictionsResource:
        """`client.predictions`: Run a model version once on an input."""
        from .predictions import PredictionsResource

        return PredictionsResource(self._requester)

    @cached_property
    def trainings(self) -> TrainingsResource:
        """`client.trainings`: Fine-tune a model version into a new version of another model."""
        from .trainings import TrainingsResource

        return TrainingsResource(self._requester)

    @cached_property
    def webhooks(self) -> WebhooksResource:
        """`client.webhooks`: Signing secret for webhook deliveries."""
        from .webhooks import WebhooksResource

        return WebhooksResource(self._requester)

    def search(
        self,
        query: str,
        *,
        limit: int | None = None,
    ) -> SearchResponse:
        """Search models, collections and documentation pages.

        `search`: GET /search.

        Args:
            query: The words to look for.
            limit: Most models to return.
        """
        from ..api.search import search

        return self._requester.call(search, _search(query, limit))


class AsyncResources:
    """The API's resources, as attributes of an `AsyncClient`."""

    @property
    def _requester(self) -> AsyncRequester:
        raise NotImplementedError("the client supplies the requester")  # pragma: no cover

    @cached_property
    def account(self) -> AsyncAccountResource:
        """`client.account`: The account that owns the API token."""
        from .account import AsyncAccountResource

        return AsyncAccountResource(self._requester)

    @cached_property
    def collections(self) -> AsyncCollectionsResource:
        """`client.collections`: Curated groups of models."""
        from .collections import AsyncCollectionsResource

        return AsyncCollectionsResource(self._requester)

    @cached_property
    def deployments(self) -> AsyncDeploymentsResource:
        """`client.deployments`: Private, fixed-hardware endpoints for a model version."""
        from .deployments import AsyncDeploymentsResource

        return AsyncDeploymentsResource(self._requester)

    @cached_property
    def files(self) -> AsyncFilesResource:
        """`client.files`: Files uploaded for use as prediction inputs."""
        from .files import AsyncFilesResource

        return AsyncFilesResource(self._requester)

    @cached_property
    def hardware(self) -> AsyncHardwareResource:
        """`client.hardware`: Hardware SKUs models can run on."""
        from .hardware import AsyncHardwareResource

        return AsyncHardwareResource(self._requester)

    @cached_property
    def models(self) -> AsyncModelsResource:
        """`client.models`: Models, their versions, examples and README."""
        from .models import AsyncModelsResource

        return AsyncModelsResource(self._requester)

    @cached_property
    def predictions(self) -> AsyncPredictionsResource:
        """`client.predictions`: Run a model version once on an input."""
        from .predictions import AsyncPredictionsResource

        return AsyncPredictionsResource(self._requester)

    @cached_property
    def trainings(self) -> AsyncTrainingsResource:
        """`client.trainings`: Fine-tune a model version into a new version of another model."""
        from .trainings import AsyncTrainingsResource

        return AsyncTrainingsResource(self._requester)

    @cached_property
    def webhooks(self) -> AsyncWebhooksResource:
        """`client.webhooks`: Signing secret for webhook deliveries."""
        from .webhooks import AsyncWebhooksResource

        return AsyncWebhooksResource(self._requester)

    async def search(
        self,
        query: str,
        *,
        limit: int | None = None,
    ) -> SearchResponse:
        """Search models, collections and documentation pages. The async twin of `client.search`."""
        from ..api.search import search

        return await self._requester.call(search, _search(query, limit))


class RawResources:
    """Every resource with raw answers: `client.with_raw_response.models.get(...)` gives the
    HTTP answer (`status_code`, `headers`, `content`) and `.parse()`s it on demand."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    @cached_property
    def account(self) -> RawAccountResource:
        """`client.account`: The account that owns the API token."""
        from .account import RawAccountResource

        return RawAccountResource(self._requester)

    @cached_property
    def collections(self) -> RawCollectionsResource:
        """`client.collections`: Curated groups of models."""
        from .collections import RawCollectionsResource

        return RawCollectionsResource(self._requester)

    @cached_property
    def deployments(self) -> RawDeploymentsResource:
        """`client.deployments`: Private, fixed-hardware endpoints for a model version."""
        from .deployments import RawDeploymentsResource

        return RawDeploymentsResource(self._requester)

    @cached_property
    def files(self) -> RawFilesResource:
        """`client.files`: Files uploaded for use as prediction inputs."""
        from .files import RawFilesResource

        return RawFilesResource(self._requester)

    @cached_property
    def hardware(self) -> RawHardwareResource:
        """`client.hardware`: Hardware SKUs models can run on."""
        from .hardware import RawHardwareResource

        return RawHardwareResource(self._requester)

    @cached_property
    def models(self) -> RawModelsResource:
        """`client.models`: Models, their versions, examples and README."""
        from .models import RawModelsResource

        return RawModelsResource(self._requester)

    @cached_property
    def predictions(self) -> RawPredictionsResource:
        """`client.predictions`: Run a model version once on an input."""
        from .predictions import RawPredictionsResource

        return RawPredictionsResource(self._requester)

    @cached_property
    def trainings(self) -> RawTrainingsResource:
        """`client.trainings`: Fine-tune a model version into a new version of another model."""
        from .trainings import RawTrainingsResource

        return RawTrainingsResource(self._requester)

    @cached_property
    def webhooks(self) -> RawWebhooksResource:
        """`client.webhooks`: Signing secret for webhook deliveries."""
        from .webhooks import RawWebhooksResource

        return RawWebhooksResource(self._requester)

    def search(
        self,
        query: str,
        *,
        limit: int | None = None,
    ) -> RawResponse[SearchResponse]:
        """`client.search`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.search import search

        return self._requester.raw(search, _search(query, limit))


class AsyncRawResources:
    """Every resource with raw answers: `client.with_raw_response.models.get(...)` gives the
    HTTP answer (`status_code`, `headers`, `content`) and `.parse()`s it on demand."""

    def __init__(self, requester: AsyncRequester) -> None:
        self._requester = requester

    @cached_property
    def account(self) -> AsyncRawAccountResource:
        """`client.account`: The account that owns the API token."""
        from .account import AsyncRawAccountResource

        return AsyncRawAccountResource(self._requester)

    @cached_property
    def collections(self) -> AsyncRawCollectionsResource:
        """`client.collections`: Curated groups of models."""
        from .collections import AsyncRawCollectionsResource

        return AsyncRawCollectionsResource(self._requester)

    @cached_property
    def deployments(self) -> AsyncRawDeploymentsResource:
        """`client.deployments`: Private, fixed-hardware endpoints for a model version."""
        from .deployments import AsyncRawDeploymentsResource

        return AsyncRawDeploymentsResource(self._requester)

    @cached_property
    def files(self) -> AsyncRawFilesResource:
        """`client.files`: Files uploaded for use as prediction inputs."""
        from .files import AsyncRawFilesResource

        return AsyncRawFilesResource(self._requester)

    @cached_property
    def hardware(self) -> AsyncRawHardwareResource:
        """`client.hardware`: Hardware SKUs models can run on."""
        from .hardware import AsyncRawHardwareResource

        return AsyncRawHardwareResource(self._requester)

    @cached_property
    def models(self) -> AsyncRawModelsResource:
        """`client.models`: Models, their versions, examples and README."""
        from .models import AsyncRawModelsResource

        return AsyncRawModelsResource(self._requester)

    @cached_property
    def predictions(self) -> AsyncRawPredictionsResource:
        """`client.predictions`: Run a model version once on an input."""
        from .predictions import AsyncRawPredictionsResource

        return AsyncRawPredictionsResource(self._requester)

    @cached_property
    def trainings(self) -> AsyncRawTrainingsResource:
        """`client.trainings`: Fine-tune a model version into a new version of another model."""
        from .trainings import AsyncRawTrainingsResource

        return AsyncRawTrainingsResource(self._requester)

    @cached_property
    def webhooks(self) -> AsyncRawWebhooksResource:
        """`client.webhooks`: Signing secret for webhook deliveries."""
        from .webhooks import AsyncRawWebhooksResource

        return AsyncRawWebhooksResource(self._requester)

    async def search(
        self,
        query: str,
        *,
        limit: int | None = None,
    ) -> RawResponse[SearchResponse]:
        """`client.search`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.search import search

        return await self._requester.raw(search, _search(query, limit))


__all__ = [
    "Resources",
    "AsyncResources",
    "RawResources",
    "AsyncRawResources",
]
