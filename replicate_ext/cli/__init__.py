"""The `replicate-ext` command line (needs the `cli` extra: click and rich).

The library never imports this package, so click and rich stay optional.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

INSTALL_HINT = "pip install 'replicate-ext[cli]'"


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line; exits with its exit code."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError as error:
        print(
            f"replicate-ext: the command line needs {error.name}: {INSTALL_HINT}", file=sys.stderr
        )
        sys.exit(1)
    from ._main import cli

    cli.main(args=list(argv) if argv is not None else None, prog_name="replicate-ext")
