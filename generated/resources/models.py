"""`client.models`: Models, their versions, examples and README.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..models.model import Model
    from ..models.model_version import ModelVersion
    from ..models.models_list_sort_by import ModelsListSortBy
    from ..models.models_list_sort_direction import ModelsListSortDirection
    from ..models.paginated_model_versions import PaginatedModelVersions
    from ..models.paginated_models import PaginatedModels
    from ..models.paginated_predictions import PaginatedPredictions
    from ..models.prediction import Prediction
    from ..models.visibility import Visibility
    from ..models.webhook_event import WebhookEvent
    from ._base import AsyncListing, Listing, RawResponse


def _models_examples_list(
    model: Any, model_owner: Any, model_name: Any, cursor: Any
) -> dict[str, Any]:
    """The request of `models.examples.list`, its arguments checked."""
    from ..api.models import models_examples_list
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    return models_examples_list._get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        cursor=_base.optional(_base.string, "cursor", cursor),
    )


def _models_predictions_create(
    model: Any,
    input: Any,
    model_owner: Any,
    model_name: Any,
    prefer: Any,
    cancel_after: Any,
    webhook: Any,
    webhook_events_filter: Any,
) -> dict[str, Any]:
    """The request of `models.predictions.create`, its arguments checked."""
    from ..api.models import models_predictions_create
    from ..models.model_prediction_request import ModelPredictionRequest
    from ..models.webhook_event import WEBHOOK_EVENT_VALUES
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    body: dict[str, Any] = {}
    body["input"] = _base.mapping("input", input)
    if webhook is not None:
        body["webhook"] = _base.string("webhook", webhook)
    if webhook_events_filter is not None:
        body["webhook_events_filter"] = _base.choice_list(
            "webhook_events_filter", webhook_events_filter, WEBHOOK_EVENT_VALUES
        )
    return models_predictions_create._get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        prefer=_base.optional(_base.string, "prefer", prefer),
        cancel_after=_base.optional(_base.string, "cancel_after", cancel_after),
        body=ModelPredictionRequest.from_dict(body),
    )


def _models_readme_get(model: Any, model_owner: Any, model_name: Any) -> dict[str, Any]:
    """The request of `models.readme.get`, its arguments checked."""
    from ..api.models import models_readme_get
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    return models_readme_get._get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
    )


def _models_versions_list(
    model: Any, model_owner: Any, model_name: Any, cursor: Any
) -> dict[str, Any]:
    """The request of `models.versions.list`, its arguments checked."""
    from ..api.models import models_versions_list
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    return models_versions_list._get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        cursor=_base.optional(_base.string, "cursor", cursor),
    )


def _models_versions_get(
    model: Any, version_id: Any, model_owner: Any, model_name: Any
) -> dict[str, Any]:
    """The request of `models.versions.get`, its arguments checked."""
    from ..api.models import models_versions_get
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    return models_versions_get._get_kwargs(
        version_id=_base.segment("version_id", version_id),
        model_owner=model_owner,
        model_name=model_name,
    )


def _models_versions_delete(
    model: Any, version_id: Any, model_owner: Any, model_name: Any
) -> dict[str, Any]:
    """The request of `models.versions.delete`, its arguments checked."""
    from ..api.models import models_versions_delete
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    return models_versions_delete._get_kwargs(
        version_id=_base.segment("version_id", version_id),
        model_owner=model_owner,
        model_name=model_name,
    )


def _models_list(cursor: Any, sort_by: Any, sort_direction: Any) -> dict[str, Any]:
    """The request of `models.list`, its arguments checked."""
    from ..api.models import models_list
    from ..models.models_list_sort_by import MODELS_LIST_SORT_BY_VALUES
    from ..models.models_list_sort_direction import MODELS_LIST_SORT_DIRECTION_VALUES
    from . import _base

    return models_list._get_kwargs(
        cursor=_base.optional(_base.string, "cursor", cursor),
        sort_by=_base.optional(_base.choice, "sort_by", sort_by, MODELS_LIST_SORT_BY_VALUES),
        sort_direction=_base.optional(
            _base.choice, "sort_direction", sort_direction, MODELS_LIST_SORT_DIRECTION_VALUES
        ),
    )


def _models_create(
    owner: Any,
    name: Any,
    visibility: Any,
    hardware: Any,
    description: Any,
    github_url: Any,
    paper_url: Any,
    license_url: Any,
    cover_image_url: Any,
) -> dict[str, Any]:
    """The request of `models.create`, its arguments checked."""
    from ..api.models import models_create
    from ..models.model_create_request import ModelCreateRequest
    from ..models.visibility import VISIBILITY_VALUES
    from . import _base

    body: dict[str, Any] = {}
    body["owner"] = _base.string("owner", owner)
    body["name"] = _base.string("name", name)
    body["visibility"] = _base.choice("visibility", visibility, VISIBILITY_VALUES)
    body["hardware"] = _base.string("hardware", hardware)
    if description is not None:
        body["description"] = _base.string("description", description)
    if github_url is not None:
        body["github_url"] = _base.string("github_url", github_url)
    if paper_url is not None:
        body["paper_url"] = _base.string("paper_url", paper_url)
    if license_url is not None:
        body["license_url"] = _base.string("license_url", license_url)
    if cover_image_url is not None:
        body["cover_image_url"] = _base.string("cover_image_url", cover_image_url)
    return models_create._get_kwargs(
        body=ModelCreateRequest.from_dict(body),
    )


def _models_get(model: Any, model_owner: Any, model_name: Any) -> dict[str, Any]:
    """The request of `models.get`, its arguments checked."""
    from ..api.models import models_get
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    return models_get._get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
    )


def _models_delete(model: Any, model_owner: Any, model_name: Any) -> dict[str, Any]:
    """The request of `models.delete`, its arguments checked."""
    from ..api.models import models_delete
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    return models_delete._get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
    )


def _models_update(
    model: Any,
    model_owner: Any,
    model_name: Any,
    description: Any,
    github_url: Any,
    license_url: Any,
    paper_url: Any,
    readme: Any,
    weights_url: Any,
) -> dict[str, Any]:
    """The request of `models.update`, its arguments checked."""
    from ..api.models import models_update
    from ..models.model_update_request import ModelUpdateRequest
    from . import _base

    model_owner, model_name = _base.owner_and_name("model", model, model_owner, model_name)
    body: dict[str, Any] = {}
    if description is not None:
        body["description"] = _base.string("description", description)
    if github_url is not None:
        body["github_url"] = _base.string("github_url", github_url)
    if license_url is not None:
        body["license_url"] = _base.string("license_url", license_url)
    if paper_url is not None:
        body["paper_url"] = _base.string("paper_url", paper_url)
    if readme is not None:
        body["readme"] = _base.string("readme", readme)
    if weights_url is not None:
        body["weights_url"] = _base.string("weights_url", weights_url)
    return models_update._get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        body=ModelUpdateRequest.from_dict(body),
    )


class ModelsExamplesResource(SyncResource):
    """`client.models.examples`."""

    def list(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Listing[Prediction]:
        """List example predictions the author picked for a model.

        Returns every item, fetching pages as they are iterated (nothing is sent
        before); `.pages()` gives the pages.

        `models.examples.list`: GET /models/{model_owner}/{model_name}/examples.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
            cursor: Opaque position in a list. Clients normally follow the page's `next` URL, which
                already carries it.
            limit: At most this many items (None: all of them).
        """
        from ..api.models import models_examples_list
        from . import _base

        return self._requester.list(
            models_examples_list,
            _models_examples_list(model, model_owner, model_name, cursor),
            _base.check_limit(limit),
        )


class ModelsPredictionsResource(SyncResource):
    """`client.models.predictions`."""

    def create(
        self,
        model: str | None = None,
        /,
        *,
        input: Mapping[str, Any],
        model_owner: str | None = None,
        model_name: str | None = None,
        prefer: str | None = None,
        cancel_after: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
    ) -> Prediction:
        """Run an official model by name.

        `models.predictions.create`: POST /models/{model_owner}/{model_name}/predictions.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            input: The model's input. Files go as HTTPS URLs or, up to 256 KB, as data URLs.
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
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
        from ..api.models import models_predictions_create

        return self._requester.call(
            models_predictions_create,
            _models_predictions_create(
                model,
                input,
                model_owner,
                model_name,
                prefer,
                cancel_after,
                webhook,
                webhook_events_filter,
            ),
        )


class ModelsReadmeResource(SyncResource):
    """`client.models.readme`."""

    def get(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> str:
        """Get a model's README as Markdown.

        `models.readme.get`: GET /models/{model_owner}/{model_name}/readme.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
        """
        from ..api.models import models_readme_get

        return self._requester.call(
            models_readme_get, _models_readme_get(model, model_owner, model_name)
        )


class ModelsVersionsResource(SyncResource):
    """`client.models.versions`."""

    def list(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Listing[ModelVersion]:
        """List a model's versions, newest first.

        Returns every item, fetching pages as they are iterated (nothing is sent
        before); `.pages()` gives the pages.

        `models.versions.list`: GET /models/{model_owner}/{model_name}/versions.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
            cursor: Opaque position in a list. Clients normally follow the page's `next` URL, which
                already carries it.
            limit: At most this many items (None: all of them).
        """
        from ..api.models import models_versions_list
        from . import _base

        return self._requester.list(
            models_versions_list,
            _models_versions_list(model, model_owner, model_name, cursor),
            _base.check_limit(limit),
        )

    def get(
        self,
        model: str | None = None,
        /,
        *,
        version_id: str,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> ModelVersion:
        """Get a model version with its input and output schemas.

        `models.versions.get`: GET /models/{model_owner}/{model_name}/versions/{version_id}.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            version_id: The version's 64-character id.
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
        """
        from ..api.models import models_versions_get

        return self._requester.call(
            models_versions_get, _models_versions_get(model, version_id, model_owner, model_name)
        )

    def delete(
        self,
        model: str | None = None,
        /,
        *,
        version_id: str,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> None:
        """Delete a model version and its predictions.

        The deletion is queued and may take a few minutes to finish.

        `models.versions.delete`: DELETE /models/{model_owner}/{model_name}/versions/{version_id}.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            version_id: The version's 64-character id.
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
        """
        from ..api.models import models_versions_delete

        self._requester.send(
            models_versions_delete,
            _models_versions_delete(model, version_id, model_owner, model_name),
        )


class ModelsResource(SyncResource):
    """`client.models`: Models, their versions, examples and README."""

    @cached_property
    def examples(self) -> ModelsExamplesResource:
        """`client.models.examples`."""
        return ModelsExamplesResource(self._requester)

    @cached_property
    def predictions(self) -> ModelsPredictionsResource:
        """`client.models.predictions`."""
        return ModelsPredictionsResource(self._requester)

    @cached_property
    def readme(self) -> ModelsReadmeResource:
        """`client.models.readme`."""
        return ModelsReadmeResource(self._requester)

    @cached_property
    def versions(self) -> ModelsVersionsResource:
        """`client.models.versions`."""
        return ModelsVersionsResource(self._requester)

    def list(
        self,
        *,
        cursor: str | None = None,
        sort_by: ModelsListSortBy | None = None,
        sort_direction: ModelsListSortDirection | None = None,
        limit: int | None = None,
    ) -> Listing[Model]:
        """List public models.

        Returns every item, fetching pages as they are iterated (nothing is sent
        before); `.pages()` gives the pages.

        `models.list`: GET /models.

        Args:
            cursor: Opaque position in a list. Clients normally follow the page's `next` URL, which
                already carries it.
            sort_by: What to order the models by.
            sort_direction: Ascending or descending order.
            limit: At most this many items (None: all of them).
        """
        from ..api.models import models_list
        from . import _base

        return self._requester.list(
            models_list, _models_list(cursor, sort_by, sort_direction), _base.check_limit(limit)
        )

    def create(
        self,
        *,
        owner: str,
        name: str,
        visibility: Visibility,
        hardware: str,
        description: str | None = None,
        github_url: str | None = None,
        paper_url: str | None = None,
        license_url: str | None = None,
        cover_image_url: str | None = None,
    ) -> Model:
        """Create a model owned by the token's account.

        `models.create`: POST /models.

        Args:
            owner: Must be the account that owns the token.
            name: Unique among the owner's models.
            visibility:
            hardware: A SKU from the hardware list.
            description:
            github_url:
            paper_url:
            license_url:
            cover_image_url:
        """
        from ..api.models import models_create

        return self._requester.call(
            models_create,
            _models_create(
                owner,
                name,
                visibility,
                hardware,
                description,
                github_url,
                paper_url,
                license_url,
                cover_image_url,
            ),
        )

    def get(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> Model:
        """Get a model.

        `models.get`: GET /models/{model_owner}/{model_name}.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
        """
        from ..api.models import models_get

        return self._requester.call(models_get, _models_get(model, model_owner, model_name))

    def delete(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> None:
        """Delete a model.

        Only the owner's private models without versions can be deleted.

        `models.delete`: DELETE /models/{model_owner}/{model_name}.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
        """
        from ..api.models import models_delete

        self._requester.send(models_delete, _models_delete(model, model_owner, model_name))

    def update(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        description: str | None = None,
        github_url: str | None = None,
        license_url: str | None = None,
        paper_url: str | None = None,
        readme: str | None = None,
        weights_url: str | None = None,
    ) -> Model:
        """Change a model's description, links or README.

        `models.update`: PATCH /models/{model_owner}/{model_name}.

        Args:
            model: The model as "owner/name" (or model_owner= and model_name=).
            model_owner: The user or organization that owns the model.
            model_name: The model's name.
            description:
            github_url:
            license_url:
            paper_url:
            readme: Markdown.
            weights_url:
        """
        from ..api.models import models_update

        return self._requester.call(
            models_update,
            _models_update(
                model,
                model_owner,
                model_name,
                description,
                github_url,
                license_url,
                paper_url,
                readme,
                weights_url,
            ),
        )


class AsyncModelsExamplesResource(AsyncResource):
    """`client.models.examples` on an `AsyncClient`."""

    def list(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AsyncListing[Prediction]:
        """List example predictions the author picked for a model. The async twin of `client.models.examples.list`."""
        from ..api.models import models_examples_list
        from . import _base

        return self._requester.list(
            models_examples_list,
            _models_examples_list(model, model_owner, model_name, cursor),
            _base.check_limit(limit),
        )


class AsyncModelsPredictionsResource(AsyncResource):
    """`client.models.predictions` on an `AsyncClient`."""

    async def create(
        self,
        model: str | None = None,
        /,
        *,
        input: Mapping[str, Any],
        model_owner: str | None = None,
        model_name: str | None = None,
        prefer: str | None = None,
        cancel_after: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
    ) -> Prediction:
        """Run an official model by name. The async twin of `client.models.predictions.create`."""
        from ..api.models import models_predictions_create

        return await self._requester.call(
            models_predictions_create,
            _models_predictions_create(
                model,
                input,
                model_owner,
                model_name,
                prefer,
                cancel_after,
                webhook,
                webhook_events_filter,
            ),
        )


class AsyncModelsReadmeResource(AsyncResource):
    """`client.models.readme` on an `AsyncClient`."""

    async def get(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> str:
        """Get a model's README as Markdown. The async twin of `client.models.readme.get`."""
        from ..api.models import models_readme_get

        return await self._requester.call(
            models_readme_get, _models_readme_get(model, model_owner, model_name)
        )


class AsyncModelsVersionsResource(AsyncResource):
    """`client.models.versions` on an `AsyncClient`."""

    def list(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AsyncListing[ModelVersion]:
        """List a model's versions, newest first. The async twin of `client.models.versions.list`."""
        from ..api.models import models_versions_list
        from . import _base

        return self._requester.list(
            models_versions_list,
            _models_versions_list(model, model_owner, model_name, cursor),
            _base.check_limit(limit),
        )

    async def get(
        self,
        model: str | None = None,
        /,
        *,
        version_id: str,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> ModelVersion:
        """Get a model version with its input and output schemas. The async twin of `client.models.versions.get`."""
        from ..api.models import models_versions_get

        return await self._requester.call(
            models_versions_get, _models_versions_get(model, version_id, model_owner, model_name)
        )

    async def delete(
        self,
        model: str | None = None,
        /,
        *,
        version_id: str,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> None:
        """Delete a model version and its predictions. The async twin of `client.models.versions.delete`."""
        from ..api.models import models_versions_delete

        await self._requester.send(
            models_versions_delete,
            _models_versions_delete(model, version_id, model_owner, model_name),
        )


class AsyncModelsResource(AsyncResource):
    """`client.models` on an `AsyncClient`: Models, their versions, examples and README."""

    @cached_property
    def examples(self) -> AsyncModelsExamplesResource:
        """`client.models.examples`."""
        return AsyncModelsExamplesResource(self._requester)

    @cached_property
    def predictions(self) -> AsyncModelsPredictionsResource:
        """`client.models.predictions`."""
        return AsyncModelsPredictionsResource(self._requester)

    @cached_property
    def readme(self) -> AsyncModelsReadmeResource:
        """`client.models.readme`."""
        return AsyncModelsReadmeResource(self._requester)

    @cached_property
    def versions(self) -> AsyncModelsVersionsResource:
        """`client.models.versions`."""
        return AsyncModelsVersionsResource(self._requester)

    def list(
        self,
        *,
        cursor: str | None = None,
        sort_by: ModelsListSortBy | None = None,
        sort_direction: ModelsListSortDirection | None = None,
        limit: int | None = None,
    ) -> AsyncListing[Model]:
        """List public models. The async twin of `client.models.list`."""
        from ..api.models import models_list
        from . import _base

        return self._requester.list(
            models_list, _models_list(cursor, sort_by, sort_direction), _base.check_limit(limit)
        )

    async def create(
        self,
        *,
        owner: str,
        name: str,
        visibility: Visibility,
        hardware: str,
        description: str | None = None,
        github_url: str | None = None,
        paper_url: str | None = None,
        license_url: str | None = None,
        cover_image_url: str | None = None,
    ) -> Model:
        """Create a model owned by the token's account. The async twin of `client.models.create`."""
        from ..api.models import models_create

        return await self._requester.call(
            models_create,
            _models_create(
                owner,
                name,
                visibility,
                hardware,
                description,
                github_url,
                paper_url,
                license_url,
                cover_image_url,
            ),
        )

    async def get(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> Model:
        """Get a model. The async twin of `client.models.get`."""
        from ..api.models import models_get

        return await self._requester.call(models_get, _models_get(model, model_owner, model_name))

    async def delete(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> None:
        """Delete a model. The async twin of `client.models.delete`."""
        from ..api.models import models_delete

        await self._requester.send(models_delete, _models_delete(model, model_owner, model_name))

    async def update(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        description: str | None = None,
        github_url: str | None = None,
        license_url: str | None = None,
        paper_url: str | None = None,
        readme: str | None = None,
        weights_url: str | None = None,
    ) -> Model:
        """Change a model's description, links or README. The async twin of `client.models.update`."""
        from ..api.models import models_update

        return await self._requester.call(
            models_update,
            _models_update(
                model,
                model_owner,
                model_name,
                description,
                github_url,
                license_url,
                paper_url,
                readme,
                weights_url,
            ),
        )


class RawModelsExamplesResource(SyncResource):
    """`client.models.examples` with raw answers (`client.with_raw_response...`)."""

    def list(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedPredictions]:
        """`client.models.examples.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_examples_list

        return self._requester.raw(
            models_examples_list, _models_examples_list(model, model_owner, model_name, cursor)
        )


class RawModelsPredictionsResource(SyncResource):
    """`client.models.predictions` with raw answers (`client.with_raw_response...`)."""

    def create(
        self,
        model: str | None = None,
        /,
        *,
        input: Mapping[str, Any],
        model_owner: str | None = None,
        model_name: str | None = None,
        prefer: str | None = None,
        cancel_after: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
    ) -> RawResponse[Prediction]:
        """`client.models.predictions.create`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_predictions_create

        return self._requester.raw(
            models_predictions_create,
            _models_predictions_create(
                model,
                input,
                model_owner,
                model_name,
                prefer,
                cancel_after,
                webhook,
                webhook_events_filter,
            ),
        )


class RawModelsReadmeResource(SyncResource):
    """`client.models.readme` with raw answers (`client.with_raw_response...`)."""

    def get(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[str]:
        """`client.models.readme.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_readme_get

        return self._requester.raw(
            models_readme_get, _models_readme_get(model, model_owner, model_name)
        )


class RawModelsVersionsResource(SyncResource):
    """`client.models.versions` with raw answers (`client.with_raw_response...`)."""

    def list(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedModelVersions]:
        """`client.models.versions.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_versions_list

        return self._requester.raw(
            models_versions_list, _models_versions_list(model, model_owner, model_name, cursor)
        )

    def get(
        self,
        model: str | None = None,
        /,
        *,
        version_id: str,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[ModelVersion]:
        """`client.models.versions.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_versions_get

        return self._requester.raw(
            models_versions_get, _models_versions_get(model, version_id, model_owner, model_name)
        )

    def delete(
        self,
        model: str | None = None,
        /,
        *,
        version_id: str,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[None]:
        """`client.models.versions.delete`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_versions_delete

        return self._requester.raw(
            models_versions_delete,
            _models_versions_delete(model, version_id, model_owner, model_name),
            empty=True,
        )


class RawModelsResource(SyncResource):
    """`client.models` with raw answers (`client.with_raw_response...`): Models, their versions, examples and README."""

    @cached_property
    def examples(self) -> RawModelsExamplesResource:
        """`client.models.examples`."""
        return RawModelsExamplesResource(self._requester)

    @cached_property
    def predictions(self) -> RawModelsPredictionsResource:
        """`client.models.predictions`."""
        return RawModelsPredictionsResource(self._requester)

    @cached_property
    def readme(self) -> RawModelsReadmeResource:
        """`client.models.readme`."""
        return RawModelsReadmeResource(self._requester)

    @cached_property
    def versions(self) -> RawModelsVersionsResource:
        """`client.models.versions`."""
        return RawModelsVersionsResource(self._requester)

    def list(
        self,
        *,
        cursor: str | None = None,
        sort_by: ModelsListSortBy | None = None,
        sort_direction: ModelsListSortDirection | None = None,
    ) -> RawResponse[PaginatedModels]:
        """`client.models.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_list

        return self._requester.raw(models_list, _models_list(cursor, sort_by, sort_direction))

    def create(
        self,
        *,
        owner: str,
        name: str,
        visibility: Visibility,
        hardware: str,
        description: str | None = None,
        github_url: str | None = None,
        paper_url: str | None = None,
        license_url: str | None = None,
        cover_image_url: str | None = None,
    ) -> RawResponse[Model]:
        """`client.models.create`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_create

        return self._requester.raw(
            models_create,
            _models_create(
                owner,
                name,
                visibility,
                hardware,
                description,
                github_url,
                paper_url,
                license_url,
                cover_image_url,
            ),
        )

    def get(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[Model]:
        """`client.models.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_get

        return self._requester.raw(models_get, _models_get(model, model_owner, model_name))

    def delete(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[None]:
        """`client.models.delete`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_delete

        return self._requester.raw(
            models_delete, _models_delete(model, model_owner, model_name), empty=True
        )

    def update(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        description: str | None = None,
        github_url: str | None = None,
        license_url: str | None = None,
        paper_url: str | None = None,
        readme: str | None = None,
        weights_url: str | None = None,
    ) -> RawResponse[Model]:
        """`client.models.update`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_update

        return self._requester.raw(
            models_update,
            _models_update(
                model,
                model_owner,
                model_name,
                description,
                github_url,
                license_url,
                paper_url,
                readme,
                weights_url,
            ),
        )


class AsyncRawModelsExamplesResource(AsyncResource):
    """`client.models.examples` with raw answers (`client.with_raw_response...`) on an `AsyncClient`."""

    async def list(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedPredictions]:
        """`client.models.examples.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_examples_list

        return await self._requester.raw(
            models_examples_list, _models_examples_list(model, model_owner, model_name, cursor)
        )


class AsyncRawModelsPredictionsResource(AsyncResource):
    """`client.models.predictions` with raw answers (`client.with_raw_response...`) on an `AsyncClient`."""

    async def create(
        self,
        model: str | None = None,
        /,
        *,
        input: Mapping[str, Any],
        model_owner: str | None = None,
        model_name: str | None = None,
        prefer: str | None = None,
        cancel_after: str | None = None,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
    ) -> RawResponse[Prediction]:
        """`client.models.predictions.create`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_predictions_create

        return await self._requester.raw(
            models_predictions_create,
            _models_predictions_create(
                model,
                input,
                model_owner,
                model_name,
                prefer,
                cancel_after,
                webhook,
                webhook_events_filter,
            ),
        )


class AsyncRawModelsReadmeResource(AsyncResource):
    """`client.models.readme` with raw answers (`client.with_raw_response...`) on an `AsyncClient`."""

    async def get(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[str]:
        """`client.models.readme.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_readme_get

        return await self._requester.raw(
            models_readme_get, _models_readme_get(model, model_owner, model_name)
        )


class AsyncRawModelsVersionsResource(AsyncResource):
    """`client.models.versions` with raw answers (`client.with_raw_response...`) on an `AsyncClient`."""

    async def list(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedModelVersions]:
        """`client.models.versions.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_versions_list

        return await self._requester.raw(
            models_versions_list, _models_versions_list(model, model_owner, model_name, cursor)
        )

    async def get(
        self,
        model: str | None = None,
        /,
        *,
        version_id: str,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[ModelVersion]:
        """`client.models.versions.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_versions_get

        return await self._requester.raw(
            models_versions_get, _models_versions_get(model, version_id, model_owner, model_name)
        )

    async def delete(
        self,
        model: str | None = None,
        /,
        *,
        version_id: str,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[None]:
        """`client.models.versions.delete`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_versions_delete

        return await self._requester.raw(
            models_versions_delete,
            _models_versions_delete(model, version_id, model_owner, model_name),
            empty=True,
        )


class AsyncRawModelsResource(AsyncResource):
    """`client.models` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: Models, their versions, examples and README."""

    @cached_property
    def examples(self) -> AsyncRawModelsExamplesResource:
        """`client.models.examples`."""
        return AsyncRawModelsExamplesResource(self._requester)

    @cached_property
    def predictions(self) -> AsyncRawModelsPredictionsResource:
        """`client.models.predictions`."""
        return AsyncRawModelsPredictionsResource(self._requester)

    @cached_property
    def readme(self) -> AsyncRawModelsReadmeResource:
        """`client.models.readme`."""
        return AsyncRawModelsReadmeResource(self._requester)

    @cached_property
    def versions(self) -> AsyncRawModelsVersionsResource:
        """`client.models.versions`."""
        return AsyncRawModelsVersionsResource(self._requester)

    async def list(
        self,
        *,
        cursor: str | None = None,
        sort_by: ModelsListSortBy | None = None,
        sort_direction: ModelsListSortDirection | None = None,
    ) -> RawResponse[PaginatedModels]:
        """`client.models.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_list

        return await self._requester.raw(models_list, _models_list(cursor, sort_by, sort_direction))

    async def create(
        self,
        *,
        owner: str,
        name: str,
        visibility: Visibility,
        hardware: str,
        description: str | None = None,
        github_url: str | None = None,
        paper_url: str | None = None,
        license_url: str | None = None,
        cover_image_url: str | None = None,
    ) -> RawResponse[Model]:
        """`client.models.create`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_create

        return await self._requester.raw(
            models_create,
            _models_create(
                owner,
                name,
                visibility,
                hardware,
                description,
                github_url,
                paper_url,
                license_url,
                cover_image_url,
            ),
        )

    async def get(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[Model]:
        """`client.models.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_get

        return await self._requester.raw(models_get, _models_get(model, model_owner, model_name))

    async def delete(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
    ) -> RawResponse[None]:
        """`client.models.delete`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_delete

        return await self._requester.raw(
            models_delete, _models_delete(model, model_owner, model_name), empty=True
        )

    async def update(
        self,
        model: str | None = None,
        /,
        *,
        model_owner: str | None = None,
        model_name: str | None = None,
        description: str | None = None,
        github_url: str | None = None,
        license_url: str | None = None,
        paper_url: str | None = None,
        readme: str | None = None,
        weights_url: str | None = None,
    ) -> RawResponse[Model]:
        """`client.models.update`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.models import models_update

        return await self._requester.raw(
            models_update,
            _models_update(
                model,
                model_owner,
                model_name,
                description,
                github_url,
                license_url,
                paper_url,
                readme,
                weights_url,
            ),
        )


__all__ = [
    "ModelsExamplesResource",
    "ModelsPredictionsResource",
    "ModelsReadmeResource",
    "ModelsVersionsResource",
    "ModelsResource",
    "AsyncModelsExamplesResource",
    "AsyncModelsPredictionsResource",
    "AsyncModelsReadmeResource",
    "AsyncModelsVersionsResource",
    "AsyncModelsResource",
    "RawModelsExamplesResource",
    "RawModelsPredictionsResource",
    "RawModelsReadmeResource",
    "RawModelsVersionsResource",
    "RawModelsResource",
    "AsyncRawModelsExamplesResource",
    "AsyncRawModelsPredictionsResource",
    "AsyncRawModelsReadmeResource",
    "AsyncRawModelsVersionsResource",
    "AsyncRawModelsResource",
]
