"""`client.hardware`: Hardware SKUs models can run on.

Written by scripts/generate_resources.py from openapi/replicate.yaml: never edited by hand.
Each resource is here four times: for `Client`, `AsyncClient`, and their `with_raw_response`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import AsyncResource, SyncResource

if TYPE_CHECKING:
    import builtins

    from ..models.hardware import Hardware
    from ._base import RawResponse


def _hardware_list() -> dict[str, Any]:
    """The request of `hardware.list`, its arguments checked."""
    from ..api.hardware import hardware_list

    return hardware_list._get_kwargs()


class HardwareResource(SyncResource):
    """`client.hardware`: Hardware SKUs models can run on."""

    def list(
        self,
    ) -> builtins.list[Hardware]:
        """List the hardware models can run on.

        `hardware.list`: GET /hardware.
        """
        from ..api.hardware import hardware_list

        return self._requester.call(hardware_list, _hardware_list())


class AsyncHardwareResource(AsyncResource):
    """`client.hardware` on an `AsyncClient`: Hardware SKUs models can run on."""

    async def list(
        self,
    ) -> builtins.list[Hardware]:
        """List the hardware models can run on. The async twin of `client.hardware.list`."""
        from ..api.hardware import hardware_list

        return await self._requester.call(hardware_list, _hardware_list())


class RawHardwareResource(SyncResource):
    """`client.hardware` with raw answers (`client.with_raw_response...`): Hardware SKUs models can run on."""

    def list(
        self,
    ) -> RawResponse[builtins.list[Hardware]]:
        """`client.hardware.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.hardware import hardware_list

        return self._requester.raw(hardware_list, _hardware_list())


class AsyncRawHardwareResource(AsyncResource):
    """`client.hardware` with raw answers (`client.with_raw_response...`) on an `AsyncClient`: Hardware SKUs models can run on."""

    async def list(
        self,
    ) -> RawResponse[builtins.list[Hardware]]:
        """`client.hardware.list`'s answer as it came: status, headers, and `.parse()`."""
        from ..api.hardware import hardware_list

        return await self._requester.raw(hardware_list, _hardware_list())


__all__ = [
    "HardwareResource",
    "AsyncHardwareResource",
    "RawHardwareResource",
    "AsyncRawHardwareResource",
]
