"""The command line with every command registered."""

from __future__ import annotations

from . import _batch, _commands, _run, _types  # noqa: F401 (importing them registers their commands)
from ._app import cli

__all__ = ["cli"]
