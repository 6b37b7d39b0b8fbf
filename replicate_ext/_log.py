"""`REPLICATE_EXT_LOG`: the ``replicate_ext`` logger on stderr, without configuring `logging`.

``REPLICATE_EXT_LOG=info`` shows each HTTP request (method, URL without its
query, status, time, retries), each retry and its wait, each stream
reconnection, and the start and end of every unit of work (`_telemetry`):
the prediction's id, status and timings. ``debug`` adds the status changes
seen while waiting and the cleanup after an interruption. Read once, when
`replicate_ext` is imported, as the OpenAI SDK reads ``OPENAI_LOG``.

What is logged never holds a token: no header is ever logged, URLs are
logged without their query (a signed file URL carries its credentials
there), and, in case a message ever quoted one, the handler masks anything
shaped like a Replicate token or a bearer credential.
"""

from __future__ import annotations

import logging
import os
import re
import sys

__all__ = ["ENVIRONMENT", "configure_from_environment"]

ENVIRONMENT = "REPLICATE_EXT_LOG"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT = "%(asctime)s.%(msecs)03d replicate_ext %(levelname)s %(message)s"
_DATE_FORMAT = "%H:%M:%S"
_SECRETS = re.compile(r"\br8_[A-Za-z0-9_-]{20,}|(?i:bearer)\s+\S+")


class _Masked(logging.Formatter):
    """Formats as `_FORMAT`, masking anything shaped like a token in the line."""

    def format(self, record: logging.LogRecord) -> str:
        return _SECRETS.sub("[token hidden]", super().format(record))


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `REPLICATE_EXT_LOG` adds (told apart from the application's)."""


def configure_from_environment() -> None:
    """Send the ``replicate_ext`` logger to stderr at the level `REPLICATE_EXT_LOG` names.

    Unset or empty: nothing is done. Another value is reported on stderr and
    ignored. The logger stops passing its records to the root logger's
    handlers, which would print them a second time.
    """
    value = os.environ.get(ENVIRONMENT, "").strip().lower()
    if not value:
        return
    level = _LEVELS.get(value)
    if level is None:
        sys.stderr.write(f"replicate_ext: ignoring {ENVIRONMENT}={value!r}: use info or debug\n")
        return
    logger = logging.getLogger("replicate_ext")
    logger.setLevel(level)
    if any(isinstance(handler, _Handler) for handler in logger.handlers):
        return
    handler = _Handler(sys.stderr)
    handler.setFormatter(_Masked(_FORMAT, _DATE_FORMAT))
    logger.addHandler(handler)
    logger.propagate = False
