"""What the commands need from the API, beside the client's resources and verbs.

The client's own calls (`client.models.get(...)`, ...) cover most of it;
creating a prediction held to a deadline and turning a finished prediction into
`run()`'s output use the core's flows directly, and only here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._refs import Ref

if TYPE_CHECKING:
    from generated.models.prediction import Prediction

    from .._client import Client


def resolve(client: Client, ref: Ref) -> tuple[Ref, dict[str, Any] | None, str]:
    """The reference to run, the `openapi_schema` of the version it runs, and its name.

    The schema is None for a bare version id (the API cannot look those up)
    or a version without one. `owner/name` of a model that is not official
    (whose predictions the API only creates for a version) becomes its latest
    version, as a person typing it means. `use()` resolves references the same way.
    """
    from .._resolve import resolve_flow

    found = client._drive(resolve_flow(client._ctx, ref))
    return found.ref, found.openapi_schema, found.label


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
    from .._context import Deadline
    from .._predictions import RunOptions, create_flow

    options = RunOptions(wait=wait, timeout=timeout)
    flow = create_flow(client._ctx, ref, dict(model_input), options, Deadline(timeout))
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
