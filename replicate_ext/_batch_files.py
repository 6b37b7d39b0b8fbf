"""A batch's output files, saved into a directory as each prediction succeeds.

Replicate deletes an API prediction's output files an hour after it ends, so
a batch that keeps only URLs may be left with nothing: `OutputSaver` downloads
each file as soon as its prediction succeeds and hands back the output with
`Path`s where the URLs were. Names are fixed by the input's index and the
file's own name (``007-out-0.png``), so the same input always saves to the
same paths: a resumed batch that saves an input again replaces its files
rather than adding copies. Every file is written atomically (a temporary file
in the same directory, fsynced, then renamed), so a path that exists holds the
whole file; temporary files a killed process left behind are removed when the
next batch starts.

Downloads go through the batch's own httpx client (its event loop's pool),
which sends the API token to the API's host only.
"""

from __future__ import annotations

import mimetypes
import os
import re
import urllib.parse
from pathlib import Path
from typing import Any

import anyio
import httpx

from ._errors import ReplicateError
from ._files import FileOutput, atomic_writer, decode_data_url
from ._flow import network_error

__all__ = ["OutputSaver"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class OutputSaver:
    """Saves the files of each input's output under `directory`, named by the input's index."""

    __slots__ = ("_width", "directory")

    def __init__(self, directory: str | os.PathLike[str], total: int) -> None:
        self.directory = Path(directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ValueError(
                f"cannot create output_dir {self.directory}: {error.strerror or error}"
            ) from None
        if not self.directory.is_dir():
            raise ValueError(f"output_dir {self.directory} is not a directory")
        self._width = len(str(max(total - 1, 0)))

    def __repr__(self) -> str:
        return f"OutputSaver({str(self.directory)!r})"

    def remove_leftovers(self) -> None:
        """Remove the temporary files of downloads a killed process never finished."""
        for leftover in self.directory.glob(".*.part"):
            if re.fullmatch(r"\.\d+-.+\.part", leftover.name):
                leftover.unlink(missing_ok=True)

    def names(self, index: int, output: Any) -> list[tuple[FileOutput, Path]]:
        """Each file of `output` (in order) and the path it is saved to."""
        files: list[tuple[FileOutput, Path]] = []
        taken: set[str] = set()
        for position, file in enumerate(_file_outputs(output)):
            name = f"{index:0{self._width}d}-{_file_name(file.url, position)}"
            stem, dot, suffix = name.rpartition(".")
            if not dot or not stem:
                stem, dot, suffix = name, "", ""
            counter = 1
            while name in taken:
                name = f"{stem}-{counter}{dot}{suffix}"
                counter += 1
            taken.add(name)
            files.append((file, self.directory / name))
        return files

    async def save(
        self, http: httpx.AsyncClient, index: int, output: Any
    ) -> tuple[Any, list[Path]]:
        """Download the files of input `index`'s `output`; that output with paths, and the paths."""
        files = self.names(index, output)
        for file, path in files:
            await _download(http, file.url, path)
        saved = {id(file): path for file, path in files}
        return _replace(output, saved), [path for _, path in files]


def _file_outputs(value: Any) -> list[FileOutput]:
    if isinstance(value, FileOutput):
        return [value]
    if isinstance(value, list):
        return [file for item in value for file in _file_outputs(item)]
    if isinstance(value, dict):
        return [file for item in value.values() for file in _file_outputs(item)]
    return []


def _replace(value: Any, saved: dict[int, Path]) -> Any:
    if isinstance(value, FileOutput):
        return saved.get(id(value), value)
    if isinstance(value, list):
        return [_replace(item, saved) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, saved) for key, item in value.items()}
    return value


def _file_name(url: str, position: int) -> str:
    if url.startswith("data:"):
        mime = url[5:].split(";", 1)[0].split(",", 1)[0]
        return f"output-{position}{mimetypes.guess_extension(mime) or '.bin'}"
    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name).strip("._")
    return name or f"output-{position}"


async def _download(http: httpx.AsyncClient, url: str, path: Path) -> None:
    with atomic_writer(path) as file:
        if url.startswith("data:"):
            file.write(decode_data_url(url))
        else:
            try:
                async with http.stream("GET", url, follow_redirects=True) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        raise ReplicateError(
                            f"downloading {path.name} failed: HTTP {response.status_code}",
                            status=response.status_code,
                        )
                    async for chunk in response.aiter_bytes():
                        file.write(chunk)
            except httpx.RequestError as failure:
                raise network_error(failure) from failure
        file.flush()
        # On disk before the rename, so a path that exists never holds less
        # than the whole file, even after a power cut.
        await anyio.to_thread.run_sync(os.fsync, file.fileno())
