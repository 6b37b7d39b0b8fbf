"""Every Python example in the README runs against the local server, so the docs cannot rot.

Each ```python block runs in a fresh interpreter whose environment points the
default client at the test server, exactly as a reader's shell would with
REPLICATE_API_TOKEN and REPLICATE_BASE_URL set. A block right after an HTML
comment `<!-- readme: continue -->` runs together with the block before it. A
```bash block right after `<!-- readme: run -->` is run first, by bash, in the
same folder (the commands a reader types before the Python that follows).
The files a reader would have saved beforehand (a model's JSON from the real
API) are copied from `tests/docs/files` into that folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
FILES = Path(__file__).resolve().parent / "files"
_BLOCK = re.compile(
    r"(<!-- readme: continue -->\s*)?```python\n(.*?)```|<!-- readme: run -->\s*```bash\n(.*?)```",
    re.DOTALL,
)
_SHELL = "# shell: "  # marks the commands of a bash block at the top of an example


def examples() -> list[tuple[str, str]]:
    """(id, code) for every runnable example, continuation blocks joined to their first part."""
    text = README.read_text(encoding="utf-8")
    found: list[tuple[str, str]] = []
    for match in _BLOCK.finditer(text):
        if match.group(3) is not None:
            line = text.count("\n", 0, match.start(3))
            commands = "".join(f"{_SHELL}{command}\n" for command in match.group(3).splitlines())
            found.append((f"README.md:{line}", commands))
            continue
        line = text.count("\n", 0, match.start(2))
        if match.group(1) and found:
            first_id, code = found[-1]
            found[-1] = (first_id, code + "\n" + match.group(2))
        else:
            found.append((f"README.md:{line}", match.group(2)))
    return found


def test_the_readme_has_examples() -> None:
    assert len(examples()) >= 10


@pytest.mark.parametrize(("where", "code"), examples(), ids=[where for where, _ in examples()])
def test_readme_example_runs(where: str, code: str, replicate_server: Any, tmp_path: Path) -> None:
    for saved in FILES.iterdir():
        shutil.copy(saved, tmp_path / saved.name)
    env = {
        **os.environ,
        "REPLICATE_API_TOKEN": replicate_server.token,
        "REPLICATE_BASE_URL": replicate_server.base_url,
    }
    bin_dir = str(Path(sys.executable).parent)  # where the console scripts are
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    commands = [line[len(_SHELL) :] for line in code.splitlines() if line.startswith(_SHELL)]
    for args in [["bash", "-c", command] for command in commands] + [[sys.executable, "-c", code]]:
        done = subprocess.run(
            args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=50, check=False
        )
        assert done.returncode == 0, f"{where}: {args[-1]} failed:\n{done.stdout}\n{done.stderr}"
