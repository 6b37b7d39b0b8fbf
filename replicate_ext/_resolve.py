"""Which version a model reference runs, and that version's schema: one flow, two callers.

`use()` and the command line both need, before anything runs, the
`openapi_schema` of the version a reference will run, to type and check the
input. `resolve_flow` finds it in one request (two for a deployment), and says
what to run: `owner/name` of an official model runs by name (the API creates
its predictions only that way); of any other model, it runs the latest version,
pinned, as a person typing the name means.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._context import Context, parse
from ._flow import Flow, Send
from ._predictions import is_concatenated_output
from ._refs import Ref

if TYPE_CHECKING:
    from generated.models.model_version import ModelVersion
    from generated.models.partial_model_version import PartialModelVersion

__all__ = ["ResolvedModel", "resolve_flow"]


@dataclass(frozen=True, slots=True)
class ResolvedModel:
    """What a reference runs: the `ref` to create predictions with, and its version's schema.

    `openapi_schema` is None for a bare version id (the API cannot look those
    up) and for a version published without one. `label` names the model for
    people (`owner/name`, `deployments/owner/name`, `version <id>`);
    `concatenates` says whether `run()` joins its output pieces into text.
    """

    ref: Ref
    label: str
    version: str | None = None
    openapi_schema: dict[str, Any] | None = None
    description: str | None = None
    concatenates: bool = False


def _get(ctx: Context, operation: ModuleType, *args: str) -> Flow[Any]:
    response = yield Send(operation._get_kwargs(*args))
    return parse(ctx, operation, response)


def _found(
    ref: Ref,
    label: str,
    version: ModelVersion | PartialModelVersion | None,
    description: object = None,
) -> ResolvedModel:
    schema: Any = getattr(version, "openapi_schema", None)
    return ResolvedModel(
        ref=ref,
        label=label,
        version=version.id if version is not None and isinstance(version.id, str) else None,
        openapi_schema=dict(schema.to_dict()) if hasattr(schema, "to_dict") else None,
        description=description if isinstance(description, str) and description else None,
        concatenates=is_concatenated_output(schema),
    )


def resolve_flow(ctx: Context, ref: Ref) -> Flow[ResolvedModel]:
    """Look up the version `ref` runs and its schema; raises `NotFoundError` for no such model."""
    from generated.api.models import models_get, models_versions_get
    from generated.models.partial_model_version import PartialModelVersion

    if ref.kind == "version" and ref.owner is None:
        return ResolvedModel(ref, f"version {ref.version}", ref.version)
    owner, name = str(ref.owner), str(ref.name)
    label = f"{owner}/{name}"
    if ref.kind == "deployment":
        from generated.api.deployments import deployments_get

        deployment = yield from _get(ctx, deployments_get, owner, name)
        release = deployment.current_release
        model = getattr(release, "model", None)
        version_id = getattr(release, "version", None)
        if not isinstance(model, str) or "/" not in model or not isinstance(version_id, str):
            # An answer without its release (none is required): run it unchecked.
            return _found(ref, f"deployments/{label}", None)
        model_owner, _, model_name = model.partition("/")
        version = yield from _get(ctx, models_versions_get, model_owner, model_name, version_id)
        return _found(ref, f"deployments/{label}", version)
    if ref.kind == "version":
        version = yield from _get(ctx, models_versions_get, owner, name, str(ref.version))
        return _found(ref, label, version)
    model = yield from _get(ctx, models_get, owner, name)
    latest = model.latest_version
    if not isinstance(latest, PartialModelVersion) or not isinstance(latest.id, str):
        latest = None  # none yet, or one without an id: nothing to pin
    if latest is not None and isinstance(latest.id, str) and model.is_official is False:
        ref = Ref("version", owner, name, latest.id)
    return _found(ref, label, latest, model.description)
