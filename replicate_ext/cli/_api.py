"""What the commands need from the API, on top of the client and the generated calls.

The client's public methods cover most of it; creating a prediction without
waiting for it and turning a finished prediction into `run()`'s output use the
core's flows directly, and only here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .._errors import ReplicateError
from .._refs import Ref

if TYPE_CHECKING:
    from generated.models.prediction import Prediction
    from generated.models.problem import Problem
    from generated.types import Response

    from .._client import Client

T = TypeVar("T")


def checked(response: Response[T | Problem]) -> T:
    """The parsed answer of a generated `*_detailed` call, or the error it stands for."""
    from generated.models.problem import Problem

    parsed = response.parsed
    if response.status_code >= 300 or parsed is None or isinstance(parsed, Problem):
        raise ReplicateError.from_response(response)
    return parsed


def resolve(client: Client, ref: Ref) -> tuple[Ref, dict[str, Any] | None, str]:
    """The reference to run, the `openapi_schema` of the version it runs, and its name.

    The schema is None for a bare version id (the API cannot look those up)
    or a version without one. `owner/name` of a model that is not official
    (whose predictions the API only creates for a version) becomes its latest
    version, as a person typing it means.
    """
    from generated.api.models import models_get, models_versions_get
    from generated.models.model_version import ModelVersion

    api = client.api
    if ref.kind == "version" and ref.owner is None:
        return ref, None, f"version {ref.version}"
    owner, name = str(ref.owner), str(ref.name)
    label = f"{owner}/{name}"
    if ref.kind == "deployment":
        from generated.api.deployments import deployments_get

        deployment = checked(deployments_get.sync_detailed(owner, name, client=api))
        release = deployment.current_release
        model_owner, _, model_name = release.model.partition("/")
        version = checked(
            models_versions_get.sync_detailed(model_owner, model_name, release.version, client=api)
        )
        label = f"deployments/{label}"
    elif ref.kind == "version":
        version = checked(
            models_versions_get.sync_detailed(owner, name, str(ref.version), client=api)
        )
    else:
        model = checked(models_get.sync_detailed(owner, name, client=api))
        latest = model.latest_version
        if not isinstance(latest, ModelVersion):
            return ref, None, label
        version = latest
        if model.is_official is False:
            ref = Ref("version", owner, name, latest.id)
    schema = version.openapi_schema
    if schema is None or not hasattr(schema, "to_dict"):
        return ref, None, label
    return ref, dict(schema.to_dict()), label


def create_prediction(
    client: Client,
    ref: Ref,
    model_input: Mapping[str, Any],
    *,
    wait: bool | int,
    timeout: float | None,
) -> Prediction:
    """Create a prediction (uploading file inputs) and return it, waiting at most `wait` s.

    `wait=False` returns at once; `timeout` also tells the API to cancel the
    prediction once it passes (`Cancel-After`), even if nobody is watching.
    """
    from .._predictions import RunOptions, _Deadline, create_flow

    options = RunOptions(wait=wait, timeout=timeout)
    flow = create_flow(client._ctx, ref, dict(model_input), options, _Deadline(timeout))
    return client._drive(flow)


def final_output(client: Client, prediction: Prediction) -> Any:
    """What `run()` returns for a finished prediction: text joined, files as `FileOutput`s.

    Raises `ModelError` or `PredictionCanceled` as `run()` does.
    """
    from .._predictions import output_flow

    return client._drive(output_flow(client._ctx, prediction, True))


def to_json(value: Any) -> str:
    """`value` (a generated model, or plain data) as indented JSON."""
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)
