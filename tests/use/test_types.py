"""`replicate-ext types`: typed modules for the bundled models, checked by mypy --strict."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from replicate_ext.cli._main import cli
from replicate_ext.testing import HELLO_WORLD_VERSION, RunContext, version_id
from replicate_ext.testing._models import BUNDLED_MODELS

if TYPE_CHECKING:
    from replicate_ext.testing import LocalServer

MODELS = [model.full_name for model in BUNDLED_MODELS]


def _env(server: LocalServer) -> dict[str, str]:
    return {
        **os.environ,
        "REPLICATE_API_TOKEN": server.token,
        "REPLICATE_BASE_URL": server.base_url,
    }


def _types(server: LocalServer, *args: str) -> tuple[int, str, str]:
    runner = CliRunner(env=_env(server))
    result = runner.invoke(cli, ["types", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def modules(replicate_server: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the typed module of every bundled model, named after it."""
    folder = tmp_path_factory.mktemp("types")
    for model in MODELS:
        target = folder / f"{model.split('/')[1].replace('-', '_')}.py"
        code, _, stderr = _types(replicate_server, model, "-o", str(target))
        assert code == 0, stderr
        assert f"Wrote {target}" in stderr
    return folder


def _mypy(folder: Path, *files: str) -> tuple[int, list[str]]:
    """mypy --strict on `files` in `folder`, with no project configuration; its error lines."""
    config = folder / "mypy.ini"
    config.write_text("[mypy]\n")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--config-file", str(config)),
            *("--cache-dir", str(folder / ".mypy_cache"), *files),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=55,
        check=False,
    )
    return done.returncode, [line for line in done.stdout.splitlines() if ": error:" in line]


def test_every_generated_module_passes_mypy_strict_and_types_correct_calls(
    modules: Path,
) -> None:
    (modules / "good.py").write_text(
        textwrap.dedent(
            """
            from __future__ import annotations

            from pathlib import Path

            from echo import echo
            from hello_world import hello_world
            from make_image import make_image
            from repeat_file import repeat_file
            from split_words import async_split_words, split_words
            from stream_tokens import stream_tokens

            from replicate_ext import FileOutput

            greeting: str = hello_world(text="Alice")
            images: list[FileOutput] = make_image(color="blue", width=4)
            text: str = stream_tokens(prompt="hi", repeat=2)
            words: list[str] = split_words(text="a b", case="upper", limit=None)
            copy: FileOutput = repeat_file(file=Path("in.png"), times=2)
            again: FileOutput = repeat_file(file=copy)
            echoed = echo(text="t", files=[b"x", images[0]])


            async def main() -> list[str]:
                return await async_split_words(text="x")
            """
        )
    )
    generated = sorted(path.name for path in modules.glob("*.py") if path.name != "good.py")
    assert len(generated) == len(MODELS)
    code, errors = _mypy(modules, *generated, "good.py")
    assert errors == []
    assert code == 0


def test_mypy_rejects_a_misspelled_input_and_a_wrong_type(modules: Path) -> None:
    (modules / "bad.py").write_text(
        textwrap.dedent(
            """
            from make_image import make_image
            from repeat_file import repeat_file

            make_image(colour="blue")
            make_image(width="4")
            make_image(color="purple")
            repeat_file(file=b"x", times=4)
            repeat_file()
            """
        ).lstrip()
    )
    code, errors = _mypy(modules, "bad.py")
    assert code == 1
    found = [re.sub(r"^bad\.py:(\d+): error: ", r"\1 ", line) for line in errors]
    assert found[0].startswith('4 Unexpected keyword argument "colour" for "make_image"')
    assert 'did you mean "color"?' in found[0]
    assert found[1].startswith('5 Argument "width" to "make_image" has incompatible type "str"')
    assert found[2].startswith('6 Argument "color" to "make_image" has incompatible type')
    assert found[3].startswith('7 Argument "times" to "repeat_file" has incompatible type')
    assert found[4].startswith('8 Missing named argument "file" for "repeat_file"')
    assert len(found) == 5


def test_the_module_holds_the_input_the_output_and_the_functions(modules: Path) -> None:
    source = (modules / "make_image.py").read_text()
    assert "Color: TypeAlias = Literal['red', 'green', 'blue', 'black', 'white']" in source
    assert "class Input(TypedDict):" in source
    assert "    color: NotRequired[Color]" in source
    assert "Output: TypeAlias = list[FileOutput]" in source
    assert "REF = 'replicate/make-image'" in source  # an official model: by name
    assert "def make_image(**inputs: Unpack[Input]) -> Output:" in source
    assert "async def async_make_image(**inputs: Unpack[Input]) -> Output:" in source
    assert "width (int): Width in pixels. Default: 8. From 1 to 256." in source
    words = (modules / "split_words.py").read_text()
    assert "    text: str\n" in words  # required
    assert "    limit: NotRequired[int | None]" in words
    assert "Output: TypeAlias = list[str]" in words  # a plain iterator stays a list
    # Not official: its version pinned (too long for one line).
    assert "REF = (\n    'replicate/split-words:" in words
    repeat = (modules / "repeat_file.py").read_text()
    assert "    file: FileInput\n" in repeat
    assert "Output: TypeAlias = FileOutput" in repeat
    assert "Output: TypeAlias = str" in (modules / "stream_tokens.py").read_text()


def test_the_generated_functions_run_the_model(
    modules: Path, replicate_server: LocalServer
) -> None:
    program = textwrap.dedent(
        """
        import asyncio
        from make_image import make_image
        from repeat_file import repeat_file
        from split_words import async_split_words
        from stream_tokens import stream_tokens

        images = make_image(width=2, num_outputs=2)
        print(len(images), images[0].read()[:4])
        print(repeat_file(file=images[0], times=2).read() == images[0].read() * 2)
        print(stream_tokens(prompt="a b"))
        print(asyncio.run(async_split_words(text="x y", case="upper")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=modules,
        env=_env(replicate_server),
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["2 b'\\x89PNG'", "True", "a b", "['X', 'Y']"]


def _ruff(folder: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """ruff check on `files`, with no project configuration: default rules, sorted imports,
    and lines of at most 100 characters."""
    return subprocess.run(
        [
            *(sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache"),
            *("--select", "E,F,W,I", "--line-length", "100", *files),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_every_written_module_passes_ruff(modules: Path) -> None:
    files = [f"{model.split('/')[1].replace('-', '_')}.py" for model in MODELS]
    done = _ruff(modules, *files)
    assert done.returncode == 0, done.stdout
    for file in files:
        # Within ruff's and black's default width, but for a word no line break can split.
        long = [line for line in (modules / file).read_text().splitlines() if len(line) > 88]
        assert all(len(line.split()) == 1 for line in long), long


AWKWARD_TEXT = (
    "A description far longer than any line should be, " * 4
    + 'with a regex \\d+ in it, quotes """ of its own,   \n'
    + "a second line ending in blanks   \nand a https://example.com/"
    + "a-very-long-address-that-no-wrapping-can-break-anywhere-at-all-" * 2
)


async def _answer(ctx: RunContext) -> str:
    return f"{ctx.input.get('choice', 'none')} from {ctx.input.get('text', 'nobody')}"


def test_awkward_models_give_clean_importable_modules(server: LocalServer, tmp_path: Path) -> None:
    inputs = {
        "text": {"type": "string", "description": AWKWARD_TEXT},
        "choice": {
            "type": "string",
            "enum": [f"a-rather-long-choice-number-{index}" for index in range(30)],
            "description": "One of many",
        },
        "tags": {"type": "array", "items": {"type": "string"}},  # typed list[str]
    }
    # `use` would shadow the import the module runs the model with; `list` a built-in
    # its types name; `replicate-ext` the package it comes from.
    names = {"replicate-ext": "replicate_ext", "use": "use_", "list": "list_"}
    for model in names:
        server.state.add_model(
            f"test-user/{model}", _answer, inputs=inputs, description=AWKWARD_TEXT
        )
    files = []
    before = os.umask(0o022)
    try:
        for model in names:
            target = tmp_path / f"model_{model.replace('-', '_')}.py"
            code, _, stderr = _types(server, f"test-user/{model}", "-o", str(target))
            assert code == 0, stderr
            files.append(target.name)
    finally:
        os.umask(before)
    assert all((tmp_path / file).stat().st_mode & 0o777 == 0o644 for file in files)
    done = _ruff(tmp_path, *files)
    assert done.returncode == 0, done.stdout
    program = textwrap.dedent(
        """
        import model_list, model_replicate_ext, model_use

        print(model_replicate_ext.replicate_ext(text="a", choice="a-rather-long-choice-number-3"))
        print(model_use.use_(text="b"), model_list.list_(), model_use.REF)
        """
    )
    ran = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        env=_env(server),
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == [
        "a-rather-long-choice-number-3 from a",
        f"none from b none from nobody test-user/use:{version_id('test-user/use', 1)}",
    ]
    assert names == {
        model: re.search(r"^def (\w+)\(", (tmp_path / file).read_text(), re.MULTILINE)[1]
        for model, file in zip(names, files, strict=True)
    }


def test_types_prints_the_module_without_o(server: LocalServer) -> None:
    code, stdout, _ = _types(server, f"replicate/hello-world:{HELLO_WORLD_VERSION}")
    assert code == 0
    assert stdout.startswith('"""Types for replicate/hello-world, and functions that run it.')
    assert f"REF = (\n    'replicate/hello-world:{HELLO_WORLD_VERSION}'\n)" in stdout
    compile(stdout, "hello_world.py", "exec")


def test_types_refuses_what_it_cannot_read(server: LocalServer, tmp_path: Path) -> None:
    code, _, stderr = _types(server, HELLO_WORLD_VERSION)
    assert code == 2
    assert "OWNER/NAME:VERSION" in stderr
    code, _, stderr = _types(server, "replicate/no-such-model", "-o", str(tmp_path / "x.py"))
    assert code == 3
    assert not (tmp_path / "x.py").exists()


def test_types_without_the_generator_says_what_to_install(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "datamodel_code_generator", None)
    code, stdout, stderr = _types(server, "replicate/hello-world")
    assert code == 1
    assert stdout == ""
    assert "pip install 'replicate-ext[types]'" in stderr
