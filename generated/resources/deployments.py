"""`client.deployments`: Private, fixed-hardware endpoints for a model version.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..models.deployment import Deployment
    from ..models.paginated_deployments import PaginatedDeployments
    from ..models.prediction import Prediction
    from ..models.webhook_event import WebhookEvent
    from ._base import AsyncListing, Listing, RawResponse


def _deployments_predictions_create(
    deployment: Any,
    input: Any,
    deployment_owner: Any,
    deployment_name: Any,
    prefer: Any,
    cancel_after: Any,
    webhook: Any,
    webhook_events_filter: Any,
) -> dict[str, Any]:
    """The request of `deployments.predictions.create`, its arguments checked."""
    from ..api.deployments import deployments_predictions_create
    from ..models.model_prediction_request import ModelPredictionRequest
    from ..models.webhook_event import WEBHOOK_EVENT_VALUES
    from . import _base

    deployment_owner, deployment_name = _base.owner_and_name(
        "deployment", deployment, deployment_owner, deployment_name
    )
    body: dict[str, Any] = {}
    body["input"] = _base.mapping("input", input)
    if webhook is not None:
        body["webhook"] = _base.string("webhook", webhook)
    if webhook_events_filter is not None:
        body["webhook_events_filter"] = _base.choice_list(
            "webhook_events_filter", webhook_events_filter, WEBHOOK_EVENT_VALUES
        )
    return deployments_predictions_create._get_kwargs(
        deployment_owner=deployment_owner,
        deployment_name=deployment_name,
        prefer=_base.optional(_base.string, "prefer", prefer),
        cancel_after=_base.optional(_base.string, "cancel_after", cancel_after),
        body=ModelPredictionRequest.from_dict(body),
    )


def _deployments_list(cursor: Any) -> dict[str, Any]:
    """The request of `deployments.list`, its arguments checked."""
    from ..api.deployments import deployments_list
    from . import _base

    return deployments_list._get_kwargs(
        cursor=_base.optional(_base.string, "cursor", cursor),
    )


def _deployments_create(
    name: Any, model: Any, version: Any, hardware: Any, min_instances: Any, max_instances: Any
) -> dict[str, Any]:
    """The request of `deployments.create`, its arguments checked."""
    from ..api.deployments import deployments_create
    from ..models.deployment_create_request import DeploymentCreateRequest
    from . import _base

    body: dict[str, Any] = {}
    body["name"] = _base.string("name", name)
    body["model"] = _base.string("model", model)
    body["version"] = _base.string("version", version)
    body["hardware"] = _base.string("hardware", hardware)
    body["min_instances"] = _base.integer("min_instances", min_instances)
    body["max_instances"] = _base.integer("max_instances", max_instances)
    return deployments_create._get_kwargs(
        body=DeploymentCreateRequest.from_dict(body),
    )


def _deployments_get(
    deployment: Any, deployment_owner: Any, deployment_name: Any
) -> dict[str, Any]:
    """The request of `deployments.get`, its arguments checked."""
    from ..api.deployments import deployments_get
    from . import _base

    deployment_owner, deployment_name = _base.owner_and_name(
        "deployment", deployment, deployment_owner, deployment_name
    )
    return deployments_get._get_kwargs(
        deployment_owner=deployment_owner,
        deployment_name=deployment_name,
    )


def _deployments_delete(
    deployment: Any, deployment_owner: Any, deployment_name: Any
) -> dict[str, Any]:
    """The request of `deployments.delete`, its arguments checked."""
    from ..api.deployments import deployments_delete
    from . import _base

    deployment_owner, deployment_name = _base.owner_and_name(
        "deployment", deployment, deployment_owner, deployment_name
    )
    return deployments_delete._get_kwargs(
        deployment_owner=deployment_owner,
        deployment_name=deployment_name,
    )


def _deployments_update(
    deployment: Any,
    deployment_owner: Any,
    deployment_name: Any,
    hardware: Any,
    min_instances: Any,
    max_instances: Any,
    version: Any,
) -> dict[str, Any]:
    """The request of `deployments.update`, its arguments checked."""
    from ..api.deployments import deployments_update
    from ..models.deployment_update_request import DeploymentUpdateRequest
    from . import _base

    deployment_owner, deployment_name = _base.owner_and_name(
        "deployment", deployment, deployment_owner, deployment_name
    )
    body: dict[str, Any] = {}
    if hardware is not None:
        body["hardware"] = _base.string("hardware", hardware)
    if min_instances is not None:
        body["min_instances"] = _base.integer("min_instances", min_instances)
    if max_instances is not None:
        body["max_instances"] = _base.integer("max_instances", max_instances)
    if version is not None:
        body["version"] = _base.string("version", version)
    return deployments_update._get_kwargs(
        deployment_owner=deployment_owner,
        deployment_name=deployment_name,
        body=DeploymentUpdateRequest.from_dict(body),
    )


class DeploymentsPredictionsResource(SyncResource):
    """`client.deployments.predictions`."""

    def create(
        self,
        deployment: str | None = None,
        /,
        *,
        input: Mapping[str, Any],
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
        prefer: str | None = None,
        cancel_after: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
    ) -> Prediction:
        """Run the deployment's current version.

        `deployments.predictions.create`: POST /deployments/{deployment_owner}/{deployment_name}/predictions.

        Args:
            deployment: The deployment as "owner/name" (or deployment_owner= and deployment_name=).
            input: The model's input. Files go as HTTPS URLs or, up to 256 KB, as data URLs.
            deployment_owner: The user or organization that owns the deployment.
            deployment_name: The deployment's name.
            prefer: `wait` keeps the request open until the prediction ends, for at most 60 seconds;
                `wait=n` for at most n seconds. A prediction still running when the time is up comes
                back unfinished (status `starting` or `processing`, still 201) and carries on.
            cancel_after: A duration such as `30s`, `5m` or `1h30m` (a bare number is seconds), at least 5
                seconds, counted from creation. The server ends the prediction if it has not ended
                by then, even when the client is gone: `canceled` if it was running, `aborted` if it
                had not started. The prediction's `deadline` shows the time.
            webhook: HTTPS URL that receives the prediction on the chosen events.
            webhook_events_filter: Events that trigger a webhook; all of them when omitted.
        """
        from ..api.deployments import deployments_predictions_create

        return self._requester.call(
            deployments_predictions_create,
            _deployments_predictions_create(
                deployment,
                input,
                deployment_owner,
                deployment_name,
                prefer,
                cancel_after,
                webhook,
                webhook_events_filter,
            ),
        )


class DeploymentsResource(SyncResource):
    """`client.deployments`: Private, fixed-hardware endpoints for a model version."""

    @cached_property
    def predictions(self) -> DeploymentsPredictionsResource:
        """`client.deployments.predictions`."""
        return DeploymentsPredictionsResource(self._requester)

    def list(
        self,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Listing[Deployment]:
        """List the account's deployments, newest first.

        Returns every item, fetching pages as they are iterated (nothing is sent
        before); `.pages()` gives the pages.

        `deployments.list`: GET /deployments.

        Args:
            cursor: Opaque position in a list. Clients normally follow the page's `next` URL, which
                already carries it.
            limit: At most this many items (None: all of them).
        """
        from ..api.deployments import deployments_list
        from . import _base

        return self._requester.list(
            deployments_list, _deployments_list(cursor), _base.check_limit(limit)
        )

    def create(
        self,
        *,
        name: str,
        model: str,
        version: str,
        hardware: str,
        min_instances: int,
        max_instances: int,
    ) -> Deployment:
        """Create a deployment.

        `deployments.create`: POST /deployments.

        Args:
            name:
            model: `owner/name` of the model to deploy.
            version: The 64-character version id.
            hardware: A SKU from the hardware list.
            min_instances:
            max_instances:
        """
        from ..api.deployments import deployments_create

        return self._requester.call(
            deployments_create,
            _deployments_create(name, model, version, hardware, min_instances, max_instances),
        )

    def get(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
    ) -> Deployment:
        """Get a deployment and its current release.

        `deployments.get`: GET /deployments/{deployment_owner}/{deployment_name}.

        Args:
            deployment: The deployment as "owner/name" (or deployment_owner= and deployment_name=).
            deployment_owner: The user or organization that owns the deployment.
            deployment_name: The deployment's name.
        """
        from ..api.deployments import deployments_get

        return self._requester.call(
            deployments_get, _deployments_get(deployment, deployment_owner, deployment_name)
        )

    def delete(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
    ) -> None:
        """Delete a deployment.

        Only deployments that have been offline and unused for a while can be deleted.

        `deployments.delete`: DELETE /deployments/{deployment_owner}/{deployment_name}.

        Args:
            deployment: The deployment as "owner/name" (or deployment_owner= and deployment_name=).
            deployment_owner: The user or organization that owns the deployment.
            deployment_name: The deployment's name.
        """
        from ..api.deployments import deployments_delete

        self._requester.send(
            deployments_delete, _deployments_delete(deployment, deployment_owner, deployment_name)
        )

    def update(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
        hardware: str | None = None,
        min_instances: int | None = None,
        max_instances: int | None = None,
        version: str | None = None,
    ) -> Deployment:
        """Change a deployment's hardware, scaling or version.

        Any change creates a new release, so `current_release.number` goes up by one.

        `deployments.update`: PATCH /deployments/{deployment_owner}/{deployment_name}.

        Args:
            deployment: The deployment as "owner/name" (or deployment_owner= and deployment_name=).
            deployment_owner: The user or organization that owns the deployment.
            deployment_name: The deployment's name.
            hardware:
            min_instances:
            max_instances:
            version:
        """
        from ..api.deployments import deployments_update

        return self._requester.call(
            deployments_update,
            _deployments_update(
                deployment,
                deployment_owner,
                deployment_name,
                hardware,
                min_instances,
                max_instances,
                version,
            ),
        )


class AsyncDeploymentsPredictionsResource(AsyncResource):
    """`client.deployments.predictions` on an `AsyncClient`."""

    async def create(
        self,
        deployment: str | None = None,
        /,
        *,
        input: Mapping[str, Any],
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
        prefer: str | None = None,
        cancel_after: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
    ) -> Prediction:
        """Run the deployment's current version. The async twin of `client.deployments.predictions.create`."""
        from ..api.deployments import deployments_predictions_create

        return await self._requester.call(
            deployments_predictions_create,
            _deployments_predictions_create(
                deployment,
                input,
                deployment_owner,
                deployment_name,
                prefer,
                cancel_after,
                webhook,
                webhook_events_filter,
            ),
        )


class AsyncDeploymentsResource(AsyncResource):
    """`client.deployments` on an `AsyncClient`: Private, fixed-hardware endpoints for a model version."""

    @cached_property
    def predictions(self) -> AsyncDeploymentsPredictionsResource:
        """`client.deployments.predictions`."""
        return AsyncDeploymentsPredictionsResource(self._requester)

    def list(
        self,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AsyncListing[Deployment]:
        """List the account's deployments, newest first. The async twin of `client.deployments.list`."""
        from ..api.deployments import deployments_list
        from . import _base

        return self._requester.list(
            deployments_list, _deployments_list(cursor), _base.check_limit(limit)
        )

    async def create(
        self,
        *,
        name: str,
        model: str,
        version: str,
        hardware: str,
        min_instances: int,
        max_instances: int,
    ) -> Deployment:
        """Create a deployment. The async twin of `client.deployments.create`."""
        from ..api.deployments import deployments_create

        return await self._requester.call(
            deployments_create,
            _deployments_create(name, model, version, hardware, min_instances, max_instances),
        )

    async def get(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
    ) -> Deployment:
        """Get a deployment and its current release. The async twin of `client.deployments.get`."""
        from ..api.deployments import deployments_get

        return await self._requester.call(
            deployments_get, _deployments_get(deployment, deployment_owner, deployment_name)
        )

    async def delete(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
    ) -> None:
        """Delete a deployment. The async twin of `client.deployments.delete`."""
        from ..api.deployments import deployments_delete

        await self._requester.send(
            deployments_delete, _deployments_delete(deployment, deployment_owner, deployment_name)
        )

    async def update(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
        hardware: str | None = None,
        min_instances: int | None = None,
        max_instances: int | None = None,
        version: str | None = None,
    ) -> Deployment:
        """Change a deployment's hardware, scaling or version. The async twin of `client.deployments.update`."""
        from ..api.deployments import deployments_update

        return await self._requester.call(
            deployments_update,
            _deployments_update(
                deployment,
                deployment_owner,
                deployment_name,
                hardware,
                min_instances,
                max_instances,
                version,
            ),
        )


class RawDeploymentsPredictionsResource(SyncResource):
    """`client.deployments.predictions` with raw answers (`client.with_raw_response...`)."""

    def create(
        self,
        deployment: str | None = None,
        /,
        *,
        input: Mapping[str, Any],
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
        prefer: str | None = None,
        cancel_after: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
    ) -> RawResponse[Prediction]:
        """`client.deployments.predictions.create`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_predictions_create

        return self._requester.raw(
            deployments_predictions_create,
            _deployments_predictions_create(
                deployment,
                input,
                deployment_owner,
                deployment_name,
                prefer,
                cancel_after,
                webhook,
                webhook_events_filter,
            ),
        )


class RawDeploymentsResource(SyncResource):
    """`client.deployments` with raw answers (`client.with_raw_response...`): Private, fixed-hardware endpoints for a model version."""

    @cached_property
    def predictions(self) -> RawDeploymentsPredictionsResource:
        """`client.deployments.predictions`."""
        return RawDeploymentsPredictionsResource(self._requester)

    def list(
        self,
        *,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedDeployments]:
        """`client.deployments.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_list

        return self._requester.raw(deployments_list, _deployments_list(cursor))

    def create(
        self,
        *,
        name: str,
        model: str,
        version: str,
        hardware: str,
        min_instances: int,
        max_instances: int,
    ) -> RawResponse[Deployment]:
        """`client.deployments.create`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_create

        return self._requester.raw(
            deployments_create,
            _deployments_create(name, model, version, hardware, min_instances, max_instances),
        )

    def get(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
    ) -> RawResponse[Deployment]:
        """`client.deployments.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_get

        return self._requester.raw(
            deployments_get, _deployments_get(deployment, deployment_owner, deployment_name)
        )

    def delete(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
    ) -> RawResponse[None]:
        """`client.deployments.delete`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_delete

        return self._requester.raw(
            deployments_delete,
            _deployments_delete(deployment, deployment_owner, deployment_name),
            empty=True,
        )

    def update(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
        hardware: str | None = None,
        min_instances: int | None = None,
        max_instances: int | None = None,
        version: str | None = None,
    ) -> RawResponse[Deployment]:
        """`client.deployments.update`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_update

        return self._requester.raw(
            deployments_update,
            _deployments_update(
                deployment,
                deployment_owner,
                deployment_name,
                hardware,
                min_instances,
                max_instances,
                version,
            ),
        )


class AsyncRawDeploymentsPredictionsResource(AsyncResource):
    """`client.deployments.predictions` with raw answers (`client.with_raw_response...`) on an `AsyncClient`."""

    async def create(
        self,
        deployment: str | None = None,
        /,
        *,
        input: Mapping[str, Any],
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
        prefer: str | None = None,
        cancel_after: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
    ) -> RawResponse[Prediction]:
        """`client.deployments.predictions.create`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_predictions_create

        return await self._requester.raw(
            deployments_predictions_create,
            _deployments_predictions_create(
                deployment,
                input,
                deployment_owner,
                deployment_name,
                prefer,
                cancel_after,
                webhook,
                webhook_events_filter,
            ),
        )


class AsyncRawDeploymentsResource(AsyncResource):
    """`client.deployments` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: Private, fixed-hardware endpoints for a model version."""

    @cached_property
    def predictions(self) -> AsyncRawDeploymentsPredictionsResource:
        """`client.deployments.predictions`."""
        return AsyncRawDeploymentsPredictionsResource(self._requester)

    async def list(
        self,
        *,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedDeployments]:
        """`client.deployments.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_list

        return await self._requester.raw(deployments_list, _deployments_list(cursor))

    async def create(
        self,
        *,
        name: str,
        model: str,
        version: str,
        hardware: str,
        min_instances: int,
        max_instances: int,
    ) -> RawResponse[Deployment]:
        """`client.deployments.create`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_create

        return await self._requester.raw(
            deployments_create,
            _deployments_create(name, model, version, hardware, min_instances, max_instances),
        )

    async def get(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
    ) -> RawResponse[Deployment]:
        """`client.deployments.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_get

        return await self._requester.raw(
            deployments_get, _deployments_get(deployment, deployment_owner, deployment_name)
        )

    async def delete(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
    ) -> RawResponse[None]:
        """`client.deployments.delete`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_delete

        return await self._requester.raw(
            deployments_delete,
            _deployments_delete(deployment, deployment_owner, deployment_name),
            empty=True,
        )

    async def update(
        self,
        deployment: str | None = None,
        /,
        *,
        deployment_owner: str | None = None,
        deployment_name: str | None = None,
        hardware: str | None = None,
        min_instances: int | None = None,
        max_instances: int | None = None,
        version: str | None = None,
    ) -> RawResponse[Deployment]:
        """`client.deployments.update`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.deployments import deployments_update

        return await self._requester.raw(
            deployments_update,
            _deployments_update(
                deployment,
                deployment_owner,
                deployment_name,
                hardware,
                min_instances,
                max_instances,
                version,
            ),
        )


__all__ = [
    "DeploymentsPredictionsResource",
    "DeploymentsResource",
    "AsyncDeploymentsPredictionsResource",
    "AsyncDeploymentsResource",
    "RawDeploymentsPredictionsResource",
    "RawDeploymentsResource",
    "AsyncRawDeploymentsPredictionsResource",
    "AsyncRawDeploymentsResource",
]
