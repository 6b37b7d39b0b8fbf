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
    from ._client import AsyncClient, Client
    from ._default import (
        async_paginate,
        async_run,
        async_search_models,
        async_upload_file,
        async_wait,
        get_webhook_secret,
        paginate,
        run,
        search_models,
        upload_file,
        wait,
    )
    from ._errors import (
        AuthenticationError,
        ModelError,
        NotFoundError,
        PredictionCanceled,
        PredictionTimeout,
        RateLimitError,
        ReplicateError,
    )
    from ._files import FileOutput
    from ._sse import ServerSentEvent
    from ._webhooks import (
        WebhookVerificationError,
        sign_webhook,
        validate_webhook,
        verify_webhook,
    )

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "Client": "._client",
    "AsyncClient": "._client",
    "run": "._default",
    "async_run": "._default",
    "wait": "._default",
    "async_wait": "._default",
    "paginate": "._default",
    "async_paginate": "._default",
    "search_models": "._default",
    "async_search_models": "._default",
    "upload_file": "._default",
    "async_upload_file": "._default",
    "get_webhook_secret": "._default",
    "ReplicateError": "._errors",
    "AuthenticationError": "._errors",
    "NotFoundError": "._errors",
    "RateLimitError": "._errors",
    "ModelError": "._errors",
    "PredictionCanceled": "._errors",
    "PredictionTimeout": "._errors",
    "FileOutput": "._files",
    "ServerSentEvent": "._sse",
    "WebhookVerificationError": "._webhooks",
    "validate_webhook": "._webhooks",
    "verify_webhook": "._webhooks",
    "sign_webhook": "._webhooks",
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
    "AsyncClient",
    "AuthenticationError",
    "Client",
    "FileOutput",
    "ModelError",
    "NotFoundError",
    "PredictionCanceled",
    "PredictionTimeout",
    "RateLimitError",
    "ReplicateError",
    "ServerSentEvent",
    "WebhookVerificationError",
    "__version__",
    "async_paginate",
    "async_run",
    "async_search_models",
    "async_upload_file",
    "async_wait",
    "get_webhook_secret",
    "paginate",
    "run",
    "search_models",
    "sign_webhook",
    "upload_file",
    "validate_webhook",
    "verify_webhook",
    "wait",
]
