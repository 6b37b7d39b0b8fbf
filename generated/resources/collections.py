"""`client.collections`: Curated groups of models.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from ..models.collection import Collection
    from ..models.paginated_collections import PaginatedCollections
    from ._base import AsyncListing, Listing, RawResponse


def _collections_list(cursor: Any) -> dict[str, Any]:
    """The request of `collections.list`, its arguments checked."""
    from ..api.collections import collections_list
    from . import _base

    return collections_list._get_kwargs(
        cursor=_base.optional(_base.string, "cursor", cursor),
    )


def _collections_get(collection_slug: Any) -> dict[str, Any]:
    """The request of `collections.get`, its arguments checked."""
    from ..api.collections import collections_get
    from . import _base

    return collections_get._get_kwargs(
        collection_slug=_base.segment("collection_slug", collection_slug),
    )


class CollectionsResource(SyncResource):
    """`client.collections`: Curated groups of models."""

    def list(
        self,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Listing[Collection]:
        """List collections of models.

        Returns every item, fetching pages as they are iterated (nothing is sent
        before); `.pages()` gives the pages.

        `collections.list`: GET /collections.

        Args:
            cursor: Opaque position in a list. Clients normally follow the page's `next` URL, which
                already carries it.
            limit: At most this many items (None: all of them).
        """
        from ..api.collections import collections_list
        from . import _base

        return self._requester.list(
            collections_list, _collections_list(cursor), _base.check_limit(limit)
        )

    def get(
        self,
        collection_slug: str,
    ) -> Collection:
        """Get a collection with its models.

        `collections.get`: GET /collections/{collection_slug}.

        Args:
            collection_slug: The collection's slug, such as `super-resolution`.
        """
        from ..api.collections import collections_get

        return self._requester.call(collections_get, _collections_get(collection_slug))


class AsyncCollectionsResource(AsyncResource):
    """`client.collections` on an `AsyncClient`: Curated groups of models."""

    def list(
        self,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AsyncListing[Collection]:
        """List collections of models. The async twin of `client.collections.list`."""
        from ..api.collections import collections_list
        from . import _base

        return self._requester.list(
            collections_list, _collections_list(cursor), _base.check_limit(limit)
        )

    async def get(
        self,
        collection_slug: str,
    ) -> Collection:
        """Get a collection with its models. The async twin of `client.collections.get`."""
        from ..api.collections import collections_get

        return await self._requester.call(collections_get, _collections_get(collection_slug))


class RawCollectionsResource(SyncResource):
    """`client.collections` with raw answers (`client.with_raw_response...`): Curated groups of models."""

    def list(
        self,
        *,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedCollections]:
        """`client.collections.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.collections import collections_list

        return self._requester.raw(collections_list, _collections_list(cursor))

    def get(
        self,
        collection_slug: str,
    ) -> RawResponse[Collection]:
        """`client.collections.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.collections import collections_get

        return self._requester.raw(collections_get, _collections_get(collection_slug))


class AsyncRawCollectionsResource(AsyncResource):
    """`client.collections` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: Curated groups of models."""

    async def list(
        self,
        *,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedCollections]:
        """`client.collections.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.collections import collections_list

        return await self._requester.raw(collections_list, _collections_list(cursor))

    async def get(
        self,
        collection_slug: str,
    ) -> RawResponse[Collection]:
        """`client.collections.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.collections import collections_get

        return await self._requester.raw(collections_get, _collections_get(collection_slug))


__all__ = [
    "CollectionsResource",
    "AsyncCollectionsResource",
    "RawCollectionsResource",
    "AsyncRawCollectionsResource",
]
