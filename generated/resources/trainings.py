"""`client.trainings`: Fine-tune a model version into a new version of another model.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from ..models.paginated_trainings import PaginatedTrainings
    from ..models.training import Training
    from ._base import AsyncListing, Listing, RawResponse


def _trainings_list(cursor: Any) -> dict[str, Any]:
    """The request of `trainings.list`, its arguments checked."""
    from ..api.trainings import trainings_list
    from . import _base

    return trainings_list._get_kwargs(
        cursor=_base.optional(_base.string, "cursor", cursor),
    )


def _trainings_get(training_id: Any) -> dict[str, Any]:
    """The request of `trainings.get`, its arguments checked."""
    from ..api.trainings import trainings_get
    from . import _base

    return trainings_get._get_kwargs(
        training_id=_base.segment("training_id", training_id),
    )


def _trainings_cancel(training_id: Any) -> dict[str, Any]:
    """The request of `trainings.cancel`, its arguments checked."""
    from ..api.trainings import trainings_cancel
    from . import _base

    return trainings_cancel._get_kwargs(
        training_id=_base.segment("training_id", training_id),
    )


class TrainingsResource(SyncResource):
    """`client.trainings`: Fine-tune a model version into a new version of another model."""

    def list(
        self,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Listing[Training]:
        """List the account's trainings, newest first.

        Returns every item, fetching pages as they are iterated (nothing is sent
        before); `.pages()` gives the pages.

        `trainings.list`: GET /trainings.

        Args:
            cursor: Opaque position in a list. Clients normally follow the page's `next` URL, which
                already carries it.
            limit: At most this many items (None: all of them).
        """
        from ..api.trainings import trainings_list
        from . import _base

        return self._requester.list(
            trainings_list, _trainings_list(cursor), _base.check_limit(limit)
        )

    def get(
        self,
        training_id: str,
    ) -> Training:
        """Get a training's current state.

        `trainings.get`: GET /trainings/{training_id}.

        Args:
            training_id: The training's id.
        """
        from ..api.trainings import trainings_get

        return self._requester.call(trainings_get, _trainings_get(training_id))

    def cancel(
        self,
        training_id: str,
    ) -> Training:
        """Cancel a training.

        `trainings.cancel`: POST /trainings/{training_id}/cancel.

        Args:
            training_id: The training's id.
        """
        from ..api.trainings import trainings_cancel

        return self._requester.call(trainings_cancel, _trainings_cancel(training_id))


class AsyncTrainingsResource(AsyncResource):
    """`client.trainings` on an `AsyncClient`: Fine-tune a model version into a new version of another model."""

    def list(
        self,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AsyncListing[Training]:
        """List the account's trainings, newest first. The async twin of `client.trainings.list`."""
        from ..api.trainings import trainings_list
        from . import _base

        return self._requester.list(
            trainings_list, _trainings_list(cursor), _base.check_limit(limit)
        )

    async def get(
        self,
        training_id: str,
    ) -> Training:
        """Get a training's current state. The async twin of `client.trainings.get`."""
        from ..api.trainings import trainings_get

        return await self._requester.call(trainings_get, _trainings_get(training_id))

    async def cancel(
        self,
        training_id: str,
    ) -> Training:
        """Cancel a training. The async twin of `client.trainings.cancel`."""
        from ..api.trainings import trainings_cancel

        return await self._requester.call(trainings_cancel, _trainings_cancel(training_id))


class RawTrainingsResource(SyncResource):
    """`client.trainings` with raw answers (`client.with_raw_response...`): Fine-tune a model version into a new version of another model."""

    def list(
        self,
        *,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedTrainings]:
        """`client.trainings.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.trainings import trainings_list

        return self._requester.raw(trainings_list, _trainings_list(cursor))

    def get(
        self,
        training_id: str,
    ) -> RawResponse[Training]:
        """`client.trainings.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.trainings import trainings_get

        return self._requester.raw(trainings_get, _trainings_get(training_id))

    def cancel(
        self,
        training_id: str,
    ) -> RawResponse[Training]:
        """`client.trainings.cancel`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.trainings import trainings_cancel

        return self._requester.raw(trainings_cancel, _trainings_cancel(training_id))


class AsyncRawTrainingsResource(AsyncResource):
    """`client.trainings` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: Fine-tune a model version into a new version of another model."""

    async def list(
        self,
        *,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedTrainings]:
        """`client.trainings.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.trainings import trainings_list

        return await self._requester.raw(trainings_list, _trainings_list(cursor))

    async def get(
        self,
        training_id: str,
    ) -> RawResponse[Training]:
        """`client.trainings.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.trainings import trainings_get

        return await self._requester.raw(trainings_get, _trainings_get(training_id))

    async def cancel(
        self,
        training_id: str,
    ) -> RawResponse[Training]:
        """`client.trainings.cancel`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.trainings import trainings_cancel

        return await self._requester.raw(trainings_cancel, _trainings_cancel(training_id))


__all__ = [
    "TrainingsResource",
    "AsyncTrainingsResource",
    "RawTrainingsResource",
    "AsyncRawTrainingsResource",
]
