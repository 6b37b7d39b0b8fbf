"""Parsing the model references `run()` accepts."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

_NAME = r"[A-Za-z0-9_][A-Za-z0-9._-]*"
_VERSION = r"[0-9a-f]{64}"
_PATTERN = re.compile(
    rf"(?:(?P<deployments>deployments)/)?(?:(?P<owner>{_NAME})/(?P<name>{_NAME}))?"
    rf"(?::(?P<version>{_VERSION}))?"
)
_VERSION_ONLY = re.compile(_VERSION)

ACCEPTED_FORMS = (
    "'owner/name', 'owner/name:version', a 64-character hex version id, or 'deployments/owner/name'"
)


class Ref(NamedTuple):
    """A parsed model reference; `kind` says which endpoint creates its predictions.

    A named tuple rather than a frozen dataclass: as immutable, and made in a
    third of the time at import, which every first `run()` pays.
    """

    kind: Literal["version", "model", "deployment"]
    owner: str | None = None
    name: str | None = None
    version: str | None = None


def parse_ref(ref: str) -> Ref:
    """Parse `ref`, raising ValueError that names the accepted forms if it is none of them."""
    if not isinstance(ref, str):
        raise TypeError(f"a model reference must be a string, not {type(ref).__name__}")
    if _VERSION_ONLY.fullmatch(ref):
        return Ref("version", version=ref)
    match = _PATTERN.fullmatch(ref)
    if match is not None and match["owner"] and _is_plain(match["owner"], match["name"]):
        if match["deployments"]:
            if match["version"] is None:
                return Ref("deployment", match["owner"], match["name"])
        elif match["version"] is not None:
            return Ref("version", match["owner"], match["name"], match["version"])
        else:
            return Ref("model", match["owner"], match["name"])
    raise ValueError(f"invalid model reference {ref!r}: expected {ACCEPTED_FORMS}")


def _is_plain(*segments: str) -> bool:
    # "." and ".." would be resolved away in a URL path and reach another endpoint.
    return all(segment.strip(".") for segment in segments)
