"""The public surface: every name resolves, and importing the package stays cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import replicate_ext


@pytest.mark.parametrize("name", replicate_ext.__all__)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(replicate_ext, name)
    assert value is not None
    if callable(value) and not isinstance(value, type):
        assert value.__doc__, f"{name} has no docstring"


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = replicate_ext.no_such_name  # type: ignore[attr-defined]


def test_import_is_lazy() -> None:
    probe = (
        "import sys, replicate_ext; "
        "heavy = [m for m in ('httpx', 'generated', 'attrs', 'anyio') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=30
    )
    assert done.stdout.strip() == ""


def test_one_generated_operation_does_not_import_every_model() -> None:
    probe = (
        "import sys, generated.api.predictions.predictions_get; "
        "print(sum(m.startswith('generated.models.') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=30
    )
    assert int(done.stdout) <= 8


def test_all_lists_exactly_the_lazy_exports() -> None:
    assert sorted(replicate_ext.__all__) == sorted([*replicate_ext._EXPORTS, "__version__"])
