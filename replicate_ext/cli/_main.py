"""The command line with every command registered."""

from __future__ import annotations

from . import _batch, _commands, _manage, _run, _train, _types  # noqa: F401 (registers the commands)
from ._app import cli

__all__ = ["cli"]
