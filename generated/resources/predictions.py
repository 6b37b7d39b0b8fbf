"""`client.predictions`: Run a model version once on an input.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    import datetime

    from ..models.paginated_predictions import PaginatedPredictions
    from ..models.prediction import Prediction
    from ..models.predictions_list_source import PredictionsListSource
    from ._base import AsyncListing, Listing, RawResponse


def _predictions_list(
    cursor: Any, created_after: Any, created_before: Any, source: Any
) -> dict[str, Any]:
    """The request of `predictions.list`, its arguments checked."""
    from ..api.predictions import predictions_list
    from ..models.predictions_list_source import PREDICTIONS_LIST_SOURCE_VALUES
    from . import _base

    return predictions_list._get_kwargs(
        cursor=_base.optional(_base.string, "cursor", cursor),
        created_after=_base.optional(_base.timestamp, "created_after", created_after),
        created_before=_base.optional(_base.timestamp, "created_before", created_before),
        source=_base.optional(_base.choice, "source", source, PREDICTIONS_LIST_SOURCE_VALUES),
    )


def _predictions_get(prediction_id: Any) -> dict[str, Any]:
    """The request of `predictions.get`, its arguments checked."""
    from ..api.predictions import predictions_get
    from . import _base

    return predictions_get._get_kwargs(
        prediction_id=_base.segment("prediction_id", prediction_id),
    )


def _predictions_cancel(prediction_id: Any) -> dict[str, Any]:
    """The request of `predictions.cancel`, its arguments checked."""
    from ..api.predictions import predictions_cancel
    from . import _base

    return predictions_cancel._get_kwargs(
        prediction_id=_base.segment("prediction_id", prediction_id),
    )


class PredictionsResource(SyncResource):
    """`client.predictions`: Run a model version once on an input."""

    def list(
        self,
        *,
        cursor: str | None = None,
        created_after: datetime.datetime | str | None = None,
        created_before: datetime.datetime | str | None = None,
        source: PredictionsListSource | None = None,
        limit: int | None = None,
    ) -> Listing[Prediction]:
        """List the account's predictions, newest first.

        Returns every item, fetching pages as they are iterated (nothing is sent
        before); `.pages()` gives the pages.

        `predictions.list`: GET /predictions.

        Args:
            cursor: Opaque position in a list. Clients normally follow the page's `next` URL, which
                already carries it.
            created_after: Only predictions created at or after this time (ISO 8601).
            created_before: Only predictions created before this time (ISO 8601).
            source: `web`: only the predictions made on the website.
            limit: At most this many items (None: all of them).
        """
        from ..api.predictions import predictions_list
        from . import _base

        return self._requester.list(
            predictions_list,
            _predictions_list(cursor, created_after, created_before, source),
            _base.check_limit(limit),
        )

    def get(
        self,
        prediction_id: str,
    ) -> Prediction:
        """Get a prediction's current state.

        `predictions.get`: GET /predictions/{prediction_id}.

        Args:
            prediction_id: The prediction's id.
        """
        from ..api.predictions import predictions_get

        return self._requester.call(predictions_get, _predictions_get(prediction_id))

    def cancel(
        self,
        prediction_id: str,
    ) -> Prediction:
        """Cancel a prediction.

        Canceling a prediction that already ended changes nothing and returns it.

        `predictions.cancel`: POST /predictions/{prediction_id}/cancel.

        Args:
            prediction_id: The prediction's id.
        """
        from ..api.predictions import predictions_cancel

        return self._requester.call(predictions_cancel, _predictions_cancel(prediction_id))


class AsyncPredictionsResource(AsyncResource):
    """`client.predictions` on an `AsyncClient`: Run a model version once on an input."""

    def list(
        self,
        *,
        cursor: str | None = None,
        created_after: datetime.datetime | str | None = None,
        created_before: datetime.datetime | str | None = None,
        source: PredictionsListSource | None = None,
        limit: int | None = None,
    ) -> AsyncListing[Prediction]:
        """List the account's predictions, newest first. The async twin of `client.predictions.list`."""
        from ..api.predictions import predictions_list
        from . import _base

        return self._requester.list(
            predictions_list,
            _predictions_list(cursor, created_after, created_before, source),
            _base.check_limit(limit),
        )

    async def get(
        self,
        prediction_id: str,
    ) -> Prediction:
        """Get a prediction's current state. The async twin of `client.predictions.get`."""
        from ..api.predictions import predictions_get

        return await self._requester.call(predictions_get, _predictions_get(prediction_id))

    async def cancel(
        self,
        prediction_id: str,
    ) -> Prediction:
        """Cancel a prediction. The async twin of `client.predictions.cancel`."""
        from ..api.predictions import predictions_cancel

        return await self._requester.call(predictions_cancel, _predictions_cancel(prediction_id))


class RawPredictionsResource(SyncResource):
    """`client.predictions` with raw answers (`client.with_raw_response...`): Run a model version once on an input."""

    def list(
        self,
        *,
        cursor: str | None = None,
        created_after: datetime.datetime | str | None = None,
        created_before: datetime.datetime | str | None = None,
        source: PredictionsListSource | None = None,
    ) -> RawResponse[PaginatedPredictions]:
        """`client.predictions.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.predictions import predictions_list

        return self._requester.raw(
            predictions_list, _predictions_list(cursor, created_after, created_before, source)
        )

    def get(
        self,
        prediction_id: str,
    ) -> RawResponse[Prediction]:
        """`client.predictions.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.predictions import predictions_get

        return self._requester.raw(predictions_get, _predictions_get(prediction_id))

    def cancel(
        self,
        prediction_id: str,
    ) -> RawResponse[Prediction]:
        """`client.predictions.cancel`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.predictions import predictions_cancel

        return self._requester.raw(predictions_cancel, _predictions_cancel(prediction_id))


class AsyncRawPredictionsResource(AsyncResource):
    """`client.predictions` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: Run a model version once on an input."""

    async def list(
        self,
        *,
        cursor: str | None = None,
        created_after: datetime.datetime | str | None = None,
        created_before: datetime.datetime | str | None = None,
        source: PredictionsListSource | None = None,
    ) -> RawResponse[PaginatedPredictions]:
        """`client.predictions.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.predictions import predictions_list

        return await self._requester.raw(
            predictions_list, _predictions_list(cursor, created_after, created_before, source)
        )

    async def get(
        self,
        prediction_id: str,
    ) -> RawResponse[Prediction]:
        """`client.predictions.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.predictions import predictions_get

        return await self._requester.raw(predictions_get, _predictions_get(prediction_id))

    async def cancel(
        self,
        prediction_id: str,
    ) -> RawResponse[Prediction]:
        """`client.predictions.cancel`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.predictions import predictions_cancel

        return await self._requester.raw(predictions_cancel, _predictions_cancel(prediction_id))


__all__ = [
    "PredictionsResource",
    "AsyncPredictionsResource",
    "RawPredictionsResource",
    "AsyncRawPredictionsResource",
]
