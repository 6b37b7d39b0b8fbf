"""A local, in-memory, Replicate-compatible HTTP server for offline tests.

Needs the ``server`` extra (Starlette, uvicorn, python-multipart). Importing this
package is cheap; the server modules load on first use of the names below.

* :class:`LocalServer` runs the server in a background thread.
* :class:`ServerState` is the handle to inspect and steer it (``server.state``).
* ``python -m replicate_ext.testing`` serves it from the command line.
* The pytest plugin provides the ``replicate_server`` and ``fresh_replicate_server``
  fixtures.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._faults import Fault, FiredFault
    from ._jobs import ModelError, RunContext
    from ._models import BUNDLED_MODELS, HELLO_WORLD_VERSION, version_id
    from ._server import LocalServer
    from ._state import RecordedRequest, ServerState
    from ._webhooks import WebhookDelivery

__all__ = [
    "BUNDLED_MODELS",
    "HELLO_WORLD_VERSION",
    "Fault",
    "FiredFault",
    "LocalServer",
    "ModelError",
    "RecordedRequest",
    "RunContext",
    "ServerState",
    "WebhookDelivery",
    "create_app",
    "version_id",
]

_LAZY = {
    "BUNDLED_MODELS": "._models",
    "HELLO_WORLD_VERSION": "._models",
    "version_id": "._models",
    "Fault": "._faults",
    "FiredFault": "._faults",
    "ModelError": "._jobs",
    "RunContext": "._jobs",
    "LocalServer": "._server",
    "RecordedRequest": "._state",
    "ServerState": "._state",
    "WebhookDelivery": "._webhooks",
    "create_app": "._app",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
