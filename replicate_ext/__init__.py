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
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
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
        async_cancel_prediction,
        async_cancel_training,
        async_create_prediction,
        async_create_training,
        async_get_prediction,
        async_get_training,
        async_get_webhook_secret,
        async_paginate,
        async_run,
        async_run_batch,
        async_search_models,
        async_stream,
        async_stream_prediction,
        async_train,
        async_upload_file,
        async_wait,
        cancel_prediction,
        cancel_training,
        create_prediction,
        create_training,
        get_prediction,
        get_training,
        get_webhook_secret,
        paginate,
        run,
        run_batch,
        search_models,
        stream,
        stream_prediction,
        train,
        upload_file,
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
    from ._progress import (
        LogProgress,
        parse_progress,
    )
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

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "BatchProgress": "._batch",
    "BatchResult": "._batch",
    "RateLimiter": "._batch",
    "AsyncClient": "._client",
    "Client": "._client",
    "async_cancel_prediction": "._default",
    "async_cancel_training": "._default",
    "async_create_prediction": "._default",
    "async_create_training": "._default",
    "async_get_prediction": "._default",
    "async_get_training": "._default",
    "async_get_webhook_secret": "._default",
    "async_paginate": "._default",
    "async_run": "._default",
    "async_run_batch": "._default",
    "async_search_models": "._default",
    "async_stream": "._default",
    "async_stream_prediction": "._default",
    "async_train": "._default",
    "async_upload_file": "._default",
    "async_wait": "._default",
    "cancel_prediction": "._default",
    "cancel_training": "._default",
    "create_prediction": "._default",
    "create_training": "._default",
    "get_prediction": "._default",
    "get_training": "._default",
    "get_webhook_secret": "._default",
    "paginate": "._default",
    "run": "._default",
    "run_batch": "._default",
    "search_models": "._default",
    "stream": "._default",
    "stream_prediction": "._default",
    "train": "._default",
    "upload_file": "._default",
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


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*_EXPORTS, "__version__"])


__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncEventStream",
    "AsyncModelFunction",
    "AsyncModelRun",
    "AsyncOutputStream",
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
    "async_cancel_prediction",
    "async_cancel_training",
    "async_create_prediction",
    "async_create_training",
    "async_get_prediction",
    "async_get_training",
    "async_get_webhook_secret",
    "async_paginate",
    "async_run",
    "async_run_batch",
    "async_search_models",
    "async_stream",
    "async_stream_prediction",
    "async_train",
    "async_upload_file",
    "async_wait",
    "cancel_prediction",
    "cancel_training",
    "create_prediction",
    "create_training",
    "get_prediction",
    "get_training",
    "get_webhook_secret",
    "paginate",
    "parse_progress",
    "raise_for_response",
    "run",
    "run_batch",
    "search_models",
    "sign_webhook",
    "stream",
    "stream_prediction",
    "train",
    "trained_ref",
    "unwrap",
    "upload_file",
    "use",
    "validate_webhook",
    "verify_webhook",
    "wait",
]
