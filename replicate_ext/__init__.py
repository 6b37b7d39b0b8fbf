"""replicate-ext: a typed, fast client for Replicate's HTTP API.

Run a model in one line::

    import replicate_ext

    output = replicate_ext.run("replicate/hello-world", input={"text": "Alice"})

Everything public is re-exported here but imported on first use, so that
``import replicate_ext`` loads neither httpx nor the generated client until a
name is actually used (serverless cold starts pay only for what they touch).
"""

from __future__ import annotations

import importlib
import os as _os
from typing import TYPE_CHECKING, Any

from ._version import __version__

if _os.environ.get("REPLICATE_EXT_LOG"):  # the logger on stderr, asked for by the environment
    from ._log import configure_from_environment

    configure_from_environment()

if TYPE_CHECKING:
    from . import _proxies
    from ._batch import (
        BatchProgress,
        BatchResult,
        RateLimiter,
    )
    from ._client import (
        AsyncClient,
        Client,
    )
    from ._default import (
        async_paginate,
        async_run,
        async_run_batch,
        async_stream,
        async_stream_prediction,
        async_train,
        async_wait,
        paginate,
        run,
        run_batch,
        set_default_client,
        stream,
        stream_prediction,
        train,
        use,
        wait,
    )
    from ._errors import (
        APIConnectionError,
        APITimeoutError,
        AuthenticationError,
        CreationFateUnknown,
        InputError,
        ModelError,
        NotFoundError,
        PredictionAborted,
        PredictionCanceled,
        PredictionError,
        PredictionTimeout,
        RateLimitError,
        ReplicateError,
        ResponseParseError,
        StreamInterrupted,
        WebhookVerificationError,
        raise_for_response,
        unwrap,
    )
    from ._events import PredictionEvent
    from ._files import (
        FileOutput,
    )
    from ._pagination import AsyncPager, Pager
    from ._progress import (
        LogProgress,
        parse_progress,
    )
    from ._requester import APIResponse
    from ._schema import (
        FileInput,
    )
    from ._sse import (
        ServerSentEvent,
    )
    from ._stream import AsyncEventStream, EventStream
    from ._trainings import (
        trained_ref,
    )
    from ._use import (
        AsyncModelFunction,
        AsyncModelRun,
        AsyncOutputStream,
        AsyncStreamingModelFunction,
        ModelFunction,
        ModelRun,
        OutputStream,
    )
    from ._webhooks import (
        sign_webhook,
        validate_webhook,
        verify_webhook,
    )

    # The resources on the default client: exported, but not in __all__ (see _RESOURCES).
    account = _proxies.account
    collections = _proxies.collections
    deployments = _proxies.deployments
    files = _proxies.files
    hardware = _proxies.hardware
    models = _proxies.models
    predictions = _proxies.predictions
    search = _proxies.search
    trainings = _proxies.trainings
    webhooks = _proxies.webhooks

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "BatchProgress": "._batch",
    "BatchResult": "._batch",
    "RateLimiter": "._batch",
    "AsyncClient": "._client",
    "Client": "._client",
    "async_paginate": "._default",
    "async_run": "._default",
    "async_run_batch": "._default",
    "async_stream": "._default",
    "async_stream_prediction": "._default",
    "async_train": "._default",
    "async_wait": "._default",
    "paginate": "._default",
    "run": "._default",
    "run_batch": "._default",
    "stream": "._default",
    "stream_prediction": "._default",
    "train": "._default",
    "set_default_client": "._default",
    "wait": "._default",
    "APIConnectionError": "._errors",
    "APITimeoutError": "._errors",
    "AuthenticationError": "._errors",
    "CreationFateUnknown": "._errors",
    "InputError": "._errors",
    "ModelError": "._errors",
    "NotFoundError": "._errors",
    "PredictionAborted": "._errors",
    "PredictionCanceled": "._errors",
    "PredictionError": "._errors",
    "PredictionTimeout": "._errors",
    "RateLimitError": "._errors",
    "ReplicateError": "._errors",
    "ResponseParseError": "._errors",
    "raise_for_response": "._errors",
    "unwrap": "._errors",
    "FileOutput": "._default",
    "AsyncPager": "._pagination",
    "Pager": "._pagination",
    "APIResponse": "._requester",
    "LogProgress": "._progress",
    "parse_progress": "._progress",
    "FileInput": "._schema",
    "ServerSentEvent": "._sse",
    "AsyncEventStream": "._stream",
    "EventStream": "._stream",
    "PredictionEvent": "._events",
    "StreamInterrupted": "._errors",
    "trained_ref": "._trainings",
    "AsyncModelFunction": "._use",
    "AsyncModelRun": "._use",
    "AsyncOutputStream": "._use",
    "AsyncStreamingModelFunction": "._use",
    "ModelFunction": "._use",
    "ModelRun": "._use",
    "OutputStream": "._use",
    "use": "._default",
    "WebhookVerificationError": "._errors",
    "sign_webhook": "._webhooks",
    "validate_webhook": "._webhooks",
    "verify_webhook": "._webhooks",
}

# The API's resources on the default client (`replicate_ext.models.get(...)`). Not in
# __all__: `from replicate_ext import *` must not bind names such as `collections`.
_RESOURCES: dict[str, str] = {
    name: "._proxies"
    for name in (
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
    )
}


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS.get(name) or _RESOURCES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*_EXPORTS, *_RESOURCES, "__version__"])


__all__ = [
    "APIConnectionError",
    "APIResponse",
    "APITimeoutError",
    "AsyncClient",
    "AsyncEventStream",
    "AsyncModelFunction",
    "AsyncModelRun",
    "AsyncOutputStream",
    "AsyncPager",
    "AsyncStreamingModelFunction",
    "AuthenticationError",
    "BatchProgress",
    "BatchResult",
    "Client",
    "CreationFateUnknown",
    "EventStream",
    "FileInput",
    "FileOutput",
    "InputError",
    "LogProgress",
    "ModelError",
    "ModelFunction",
    "ModelRun",
    "NotFoundError",
    "OutputStream",
    "Pager",
    "PredictionAborted",
    "PredictionCanceled",
    "PredictionError",
    "PredictionEvent",
    "PredictionTimeout",
    "RateLimitError",
    "RateLimiter",
    "ReplicateError",
    "ResponseParseError",
    "ServerSentEvent",
    "StreamInterrupted",
    "WebhookVerificationError",
    "__version__",
    "async_paginate",
    "async_run",
    "async_run_batch",
    "async_stream",
    "async_stream_prediction",
    "async_train",
    "async_wait",
    "paginate",
    "parse_progress",
    "raise_for_response",
    "run",
    "run_batch",
    "set_default_client",
    "sign_webhook",
    "stream",
    "stream_prediction",
    "train",
    "trained_ref",
    "unwrap",
    "use",
    "validate_webhook",
    "verify_webhook",
    "wait",
]
