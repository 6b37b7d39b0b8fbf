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


def test_a_client_builds_its_resources_on_first_use() -> None:
    probe = (
        "import sys, replicate_ext; "
        "client = replicate_ext.Client('token', base_url='http://127.0.0.1:9/v1'); "
        "before = sorted(m for m in sys.modules if m.startswith('generated.resources.')); "
        "client.hardware; "
        "after = sorted(m for m in sys.modules if m.startswith('generated.resources.')); "
        "models = sum(m.startswith('generated.models.') for m in sys.modules); "
        "print(before, after, models, 'httpx' in sys.modules, sep='|')"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=30
    )
    before, after, models, httpx = done.stdout.split("|")
    assert before == "[]"  # no resource module for a client that makes no call
    assert "'generated.resources.hardware'" in after
    assert "generated.resources.models" not in after  # one resource, not all of them
    assert int(models) == 0  # and none of the answer models
    assert httpx.strip() == "True"  # reaching a resource prepares its requester


def test_making_a_client_stays_cheap() -> None:
    probe = (
        "import sys, replicate_ext; replicate_ext.Client('token'); "
        "heavy = ('httpx', 'attrs', 'anyio', 'dataclasses', 'inspect', 'generated.types'); "
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=30
    )
    assert done.stdout.strip() == ""
