"""replicate-ext: a typed, fast client for Replicate's HTTP API.

Everything public is re-exported here but imported on first use, so that
``import replicate_ext`` stays cheap for serverless cold starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    pass

# public name -> module that defines it
_EXPORTS: dict[str, str] = {}


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


__all__ = ["__version__"]
