"""The API's resources at module level: `replicate_ext.models.get(...)` on the default client.

Each name stands for the resource of the same name on the default client
(`default_client()`), looked up again at every use: the client is made on
the first call, not at import, and a module-level name always reaches the
client that is the default then. `search` is `Client.search` on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ._client import Client
from ._default import _on_default, default_client

if TYPE_CHECKING:
    from generated.resources.account import AccountResource
    from generated.resources.collections import CollectionsResource
    from generated.resources.deployments import DeploymentsResource
    from generated.resources.hardware import HardwareResource
    from generated.resources.webhooks import WebhooksResource

    from ._resources import FilesResource, ModelsResource, PredictionsResource, TrainingsResource

__all__ = [
    "account",
    "collections",
    "deployments",
    "files",
    "hardware",
    "models",
    "predictions",
    "search",
    "trainings",
    "webhooks",
]


class _Resource:
    """Stands for `default_client().<name>`, looked up at each attribute access."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(getattr(default_client(), self._name), attribute)

    def __dir__(self) -> list[str]:
        return dir(getattr(default_client(), self._name))

    def __repr__(self) -> str:
        return f"<replicate_ext.{self._name}: the default client's {self._name}>"


account = cast("AccountResource", _Resource("account"))
collections = cast("CollectionsResource", _Resource("collections"))
deployments = cast("DeploymentsResource", _Resource("deployments"))
files = cast("FilesResource", _Resource("files"))
hardware = cast("HardwareResource", _Resource("hardware"))
models = cast("ModelsResource", _Resource("models"))
predictions = cast("PredictionsResource", _Resource("predictions"))
trainings = cast("TrainingsResource", _Resource("trainings"))
webhooks = cast("WebhooksResource", _Resource("webhooks"))
search = _on_default(Client.search)
