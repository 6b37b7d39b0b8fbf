"""mypy --strict sees the resource calls: their arguments and what they return."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

GOOD = """
from __future__ import annotations

import datetime
from typing import assert_type

import replicate_ext
from generated.models.account import Account
from generated.models.deployment import Deployment
from generated.models.file import File
from generated.models.hardware import Hardware
from generated.models.model import Model
from generated.models.model_version import ModelVersion
from generated.models.paginated_predictions import PaginatedPredictions
from generated.models.prediction import Prediction
from generated.models.search_response import SearchResponse
from generated.models.training import Training
from generated.models.webhook_secret import WebhookSecret
from generated.resources._base import RawResponse


def sync(client: replicate_ext.Client) -> None:
    assert_type(client.account.get(), Account)
    assert_type(client.models.get("replicate/hello-world"), Model)
    assert_type(client.models.versions.get("a/b", version_id="v"), ModelVersion)
    assert_type(client.models.readme.get(model_owner="a", model_name="b"), str)
    assert_type(client.hardware.list(), list[Hardware])
    assert_type(client.search("hello", limit=3), SearchResponse)
    assert_type(client.webhooks.default.secret.get(), WebhookSecret)
    assert_type(client.models.delete("a/b"), None)
    for prediction in client.predictions.list(created_after=datetime.datetime.now(), limit=3):
        assert_type(prediction, Prediction)
    for page in client.predictions.list(source="web").pages():
        assert_type(page.results[0], Prediction)
    for model in client.models.search("hello"):
        assert_type(model, Model)
    created = client.predictions.create(model="a/b", input={"text": "x"}, wait=5)
    assert_type(created, Prediction)
    assert_type(client.trainings.create("a/b:v", destination="me/m", input={}), Training)
    assert_type(client.files.create(b"data", filename="d.txt"), File)
    assert_type(client.files.download("f", owner="o", expiry=1, signature="s").read(), bytes)
    deployment = client.deployments.update("me/dep", min_instances=1)
    assert_type(deployment, Deployment)
    raw = client.with_raw_response.predictions.list()
    assert_type(raw.parse(), PaginatedPredictions)
    assert_type(raw.status_code, int)
    assert_type(client.with_options(timeout=5).models.get("a/b"), Model)
    assert_type(replicate_ext.models.get("a/b"), Model)
    assert_type(replicate_ext.search("x"), SearchResponse)


async def asynchronous(client: replicate_ext.AsyncClient) -> None:
    assert_type(await client.account.get(), Account)
    assert_type(await client.models.versions.get("a/b", version_id="v"), ModelVersion)
    async for prediction in client.predictions.list():
        assert_type(prediction, Prediction)
    async for model in client.models.search("hello", limit=2):
        assert_type(model, Model)
    created = await client.predictions.create(deployment="me/dep", input={})
    assert_type(created, Prediction)
    raw = await client.with_raw_response.account.get()
    assert_type(raw, RawResponse[Account])
"""

BAD = """
import replicate_ext


def bad(client: replicate_ext.Client) -> None:
    client.models.get(42)
    client.predictions.list(source="phone")
    client.models.create(owner="me", name="m", visibility="secret", hardware="cpu")
    client.predictions.get()
    client.models.versions.get("a/b")
    client.predictions.create(model="a/b", input={}, cancel_after="soon")
"""


def _mypy(folder: Path, *names: str) -> list[str]:
    config = folder / "mypy.ini"
    config.write_text("[mypy]\n")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--config-file", str(config)),
            *("--cache-dir", str(folder / ".mypy_cache"), *names),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=55,
        check=False,
    )
    return [line for line in done.stdout.splitlines() if ": error:" in line]


def test_mypy_strict_types_the_calls_and_their_answers(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(textwrap.dedent(GOOD))
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD))
    errors = _mypy(tmp_path, "good.py", "bad.py")  # one run: mypy is slow to start
    assert [line for line in errors if line.startswith("good.py")] == []
    lines = sorted({int(line.split(":")[1]) for line in errors if line.startswith("bad.py")})
    assert lines == [6, 7, 8, 9, 10, 11], errors
