"""`client.files`: Files uploaded for use as prediction inputs.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    from ..models.file import File
    from ..models.paginated_files import PaginatedFiles
    from ._base import AsyncListing, Listing, RawResponse


def _files_list(cursor: Any) -> dict[str, Any]:
    """The request of `files.list`, its arguments checked."""
    from ..api.files import files_list
    from . import _base

    return files_list._get_kwargs(
        cursor=_base.optional(_base.string, "cursor", cursor),
    )


def _files_get(file_id: Any) -> dict[str, Any]:
    """The request of `files.get`, its arguments checked."""
    from ..api.files import files_get
    from . import _base

    return files_get._get_kwargs(
        file_id=_base.segment("file_id", file_id),
    )


def _files_delete(file_id: Any) -> dict[str, Any]:
    """The request of `files.delete`, its arguments checked."""
    from ..api.files import files_delete
    from . import _base

    return files_delete._get_kwargs(
        file_id=_base.segment("file_id", file_id),
    )


class FilesResource(SyncResource):
    """`client.files`: Files uploaded for use as prediction inputs."""

    def list(
        self,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Listing[File]:
        """List the account's uploaded files.

        Returns every item, fetching pages as they are iterated (nothing is sent
        before); `.pages()` gives the pages.

        `files.list`: GET /files.

        Args:
            cursor: Opaque position in a list. Clients normally follow the page's `next` URL, which
                already carries it.
            limit: At most this many items (None: all of them).
        """
        from ..api.files import files_list
        from . import _base

        return self._requester.list(files_list, _files_list(cursor), _base.check_limit(limit))

    def get(
        self,
        file_id: str,
    ) -> File:
        """Get a file's metadata.

        `files.get`: GET /files/{file_id}.

        Args:
            file_id: The file's id.
        """
        from ..api.files import files_get

        return self._requester.call(files_get, _files_get(file_id))

    def delete(
        self,
        file_id: str,
    ) -> None:
        """Delete a file.

        `files.delete`: DELETE /files/{file_id}.

        Args:
            file_id: The file's id.
        """
        from ..api.files import files_delete

        self._requester.send(files_delete, _files_delete(file_id))


class AsyncFilesResource(AsyncResource):
    """`client.files` on an `AsyncClient`: Files uploaded for use as prediction inputs."""

    def list(
        self,
        *,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> AsyncListing[File]:
        """List the account's uploaded files. The async twin of `client.files.list`."""
        from ..api.files import files_list
        from . import _base

        return self._requester.list(files_list, _files_list(cursor), _base.check_limit(limit))

    async def get(
        self,
        file_id: str,
    ) -> File:
        """Get a file's metadata. The async twin of `client.files.get`."""
        from ..api.files import files_get

        return await self._requester.call(files_get, _files_get(file_id))

    async def delete(
        self,
        file_id: str,
    ) -> None:
        """Delete a file. The async twin of `client.files.delete`."""
        from ..api.files import files_delete

        await self._requester.send(files_delete, _files_delete(file_id))


class RawFilesResource(SyncResource):
    """`client.files` with raw answers (`client.with_raw_response...`): Files uploaded for use as prediction inputs."""

    def list(
        self,
        *,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedFiles]:
        """`client.files.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.files import files_list

        return self._requester.raw(files_list, _files_list(cursor))

    def get(
        self,
        file_id: str,
    ) -> RawResponse[File]:
        """`client.files.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.files import files_get

        return self._requester.raw(files_get, _files_get(file_id))

    def delete(
        self,
        file_id: str,
    ) -> RawResponse[None]:
        """`client.files.delete`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.files import files_delete

        return self._requester.raw(files_delete, _files_delete(file_id), empty=True)


class AsyncRawFilesResource(AsyncResource):
    """`client.files` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: Files uploaded for use as prediction inputs."""

    async def list(
        self,
        *,
        cursor: str | None = None,
    ) -> RawResponse[PaginatedFiles]:
        """`client.files.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.files import files_list

        return await self._requester.raw(files_list, _files_list(cursor))

    async def get(
        self,
        file_id: str,
    ) -> RawResponse[File]:
        """`client.files.get`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.files import files_get

        return await self._requester.raw(files_get, _files_get(file_id))

    async def delete(
        self,
        file_id: str,
    ) -> RawResponse[None]:
        """`client.files.delete`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.files import files_delete

        return await self._requester.raw(files_delete, _files_delete(file_id), empty=True)


__all__ = [
    "FilesResource",
    "AsyncFilesResource",
    "RawFilesResource",
    "AsyncRawFilesResource",
]
