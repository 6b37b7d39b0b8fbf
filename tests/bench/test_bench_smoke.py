"""The benchmark harness still runs end to end (tiny mode, our client only, no timings checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_ROWS = (
    "1. `import`",
    "2. blocking",
    "3. client CPU",
    "4. completion",
    "5. HTTP",
    "6.",
    "7.",
    "8.",
)


@pytest.mark.timeout(60)
def test_tiny_benchmark_runs_every_scenario(tmp_path: Path) -> None:
    report = tmp_path / "results.md"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--tiny", "--clients", "ours", "--output", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = report.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for prefix in SCENARIO_ROWS:
        assert any(row.startswith(f"| {prefix}") for row in rows), (prefix, text)
    # Every row has a number for our client: no scenario silently failed.
    for row in rows[1:]:
        assert row.split("|")[2].strip() not in ("", "n/a"), row
    assert "## Errors" not in text
