"""Files in both directions: encoding file inputs, and `FileOutput` for file outputs.

Encoding is I/O-free apart from reading small files for data URLs: it walks the
input once, checks every value, and lists the files that have to be uploaded;
the prediction flow uploads them and fills their URLs in.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import os
import stat
import tempfile
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    import httpx

FileEncoding: TypeAlias = Literal["auto", "upload", "data_uri"]

MAX_DATA_URL_SIZE = 256 * 1024
"""Under `file_encoding="auto"`, files up to this many bytes go as data URLs."""
MAX_UPLOAD_SIZE = 100 * 1024 * 1024
"""The API refuses uploads larger than this."""

_CHUNK = 64 * 1024
_FILE_ENCODINGS = ("auto", "upload", "data_uri")
_JSON_SCALARS = (str, int, float, bool, type(None))


class PendingUpload:
    """A file input to upload; its URL then goes to `container[key]`."""

    __slots__ = ("container", "content_type", "filename", "key", "key_path", "size", "source")

    def __init__(
        self,
        key_path: str,
        source: Path | IO[bytes],
        filename: str,
        content_type: str,
        size: int,
        container: dict[str, Any] | list[Any],
        key: Any,
    ) -> None:
        self.key_path = key_path
        self.source = source
        self.filename = filename
        self.content_type = content_type
        self.size = size
        self.container = container
        self.key = key

    def __repr__(self) -> str:
        return f"PendingUpload({self.key_path}, {self.filename!r}, {self.size} bytes)"

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The file to send; a path is opened (and closed) here, streamed, never read whole."""
        if isinstance(self.source, Path):
            with self.source.open("rb") as file:
                yield file
        else:
            self.source.seek(0)
            yield self.source


def encode_input(
    value: Mapping[str, Any] | None, file_encoding: FileEncoding = "auto"
) -> tuple[dict[str, Any], list[PendingUpload]]:
    """A JSON-ready copy of `value` and the uploads it still needs.

    File inputs (paths, bytes, binary file objects) become data URLs or pending
    uploads; a `FileOutput` becomes its URL. Everything is checked before any
    request: unknown types, unreadable paths, directories and files over
    `MAX_UPLOAD_SIZE` raise TypeError or ValueError naming the key path, like
    `input["images"][2]`.
    """
    if file_encoding not in _FILE_ENCODINGS:
        raise ValueError(f"file_encoding must be one of {_FILE_ENCODINGS}, not {file_encoding!r}")
    if value is None:
        return {}, []
    if not isinstance(value, Mapping):
        raise TypeError(
            f"input must be a mapping of input names to values, not {type(value).__name__}"
        )
    uploads: list[PendingUpload] = []
    encoded = _Encoder(file_encoding, uploads).mapping(value, "input")
    return encoded, uploads


class _Encoder:
    __slots__ = ("mode", "uploads")

    def __init__(self, mode: FileEncoding, uploads: list[PendingUpload]) -> None:
        self.mode = mode
        self.uploads = uploads

    def mapping(self, value: Mapping[Any, Any], path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path} has a key {key!r}: input keys must be strings")
            out[key] = self.value(item, f"{path}[{key!r}]", out, key)
        return out

    def value(self, item: Any, path: str, container: dict[str, Any] | list[Any], key: Any) -> Any:
        if isinstance(item, _JSON_SCALARS):
            if type(item) is float and not math.isfinite(item):
                raise ValueError(f"{path} is {item}, which JSON cannot represent")
            return item
        if isinstance(item, Mapping):
            return self.mapping(item, path)
        if isinstance(item, (list, tuple)):
            out: list[Any] = [None] * len(item)
            for index, element in enumerate(item):
                out[index] = self.value(element, f"{path}[{index}]", out, index)
            return out
        if isinstance(item, FileOutput):
            return item.url
        if isinstance(item, PurePath):
            return self.path(Path(item), path, container, key)
        if isinstance(item, (bytes, bytearray, memoryview)):
            return self.buffer(bytes(item), path, container, key)
        if hasattr(item, "read"):
            return self.fileobj(item, path, container, key)
        raise TypeError(
            f"{path} is a {type(item).__name__}, which cannot be sent as JSON: use str, int, "
            "float, bool, None, dicts and lists of those, or a file (Path, bytes, binary file)"
        )

    def path(self, file: Path, path: str, container: Any, key: Any) -> Any:
        try:
            mode = os.stat(file).st_mode
        except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
            reason = getattr(error, "strerror", None) or str(error)
            raise ValueError(f"{path} cannot be read ({file!s:.200}): {reason}") from None
        if stat.S_ISDIR(mode):
            raise ValueError(f"{path} is a directory ({file}); give a file")
        if not stat.S_ISREG(mode):
            # Opening a FIFO would block until a writer comes; a device never ends.
            raise ValueError(
                f"{path} is not a regular file ({file}); pass special files as open binary files"
            )
        try:
            with file.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                self._check_size(size, path)
                if self._as_data_url(size):
                    return data_url(handle.read(), guess_content_type(file.name))
        except OSError as error:
            reason = error.strerror or str(error)
            raise ValueError(f"{path} cannot be read ({file}): {reason}") from None
        self._upload(file, file.name, size, path, container, key)
        return None  # the URL goes here once uploaded

    def buffer(self, data: bytes, path: str, container: Any, key: Any) -> Any:
        self._check_size(len(data), path)
        if self._as_data_url(len(data)):
            return data_url(data, "application/octet-stream")
        self._upload(io.BytesIO(data), "file", len(data), path, container, key)
        return None

    def fileobj(self, file: Any, path: str, container: Any, key: Any) -> Any:
        if isinstance(file, io.TextIOBase):
            raise TypeError(f"{path} is a file opened in text mode; open it in binary mode ('rb')")
        name = getattr(file, "name", None)
        # Files opened from a descriptor are named by an int; from a Path, by the Path.
        name = os.fspath(name) if isinstance(name, os.PathLike) else name
        filename = os.path.basename(name) if isinstance(name, str) and name else "file"
        seekable = getattr(file, "seekable", None)
        if callable(seekable) and seekable():
            # The whole file is sent, as httpx rewinds a file before uploading it.
            size = file.seek(0, os.SEEK_END)
            file.seek(0)
        else:
            file, size = _spool(file, path)
        self._check_size(size, path)
        if self._as_data_url(size):
            content = file.read()
            if not isinstance(content, bytes):
                raise TypeError(
                    f"{path} is a file whose read() returns text; open it in binary mode"
                )
            return data_url(content, guess_content_type(filename))
        self._upload(file, filename, size, path, container, key)
        return None

    def _as_data_url(self, size: int) -> bool:
        return self.mode == "data_uri" or (self.mode == "auto" and size <= MAX_DATA_URL_SIZE)

    @staticmethod
    def _check_size(size: int, path: str) -> None:
        if size > MAX_UPLOAD_SIZE:
            raise ValueError(
                f"{path} is {size / 2**20:.1f} MiB; files may be at most "
                f"{MAX_UPLOAD_SIZE // 2**20} MiB (the limit of Replicate's Files API): put it "
                "where the model can download it and pass its https URL instead"
            )

    def _upload(
        self,
        source: Path | IO[bytes],
        filename: str,
        size: int,
        path: str,
        container: Any,
        key: Any,
    ) -> None:
        self.uploads.append(
            PendingUpload(
                path, source, filename, guess_content_type(filename), size, container, key
            )
        )


def _spool(file: Any, path: str) -> tuple[IO[bytes], int]:
    # A stream that cannot seek is copied to a temporary file (in memory while
    # small), so its size is known before anything is sent.
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=MAX_DATA_URL_SIZE)  # noqa: SIM115
    size = 0
    while chunk := file.read(_CHUNK):
        if not isinstance(chunk, bytes):
            raise TypeError(f"{path} is a file whose read() returns text; open it in binary mode")
        size += len(chunk)
        if size > MAX_UPLOAD_SIZE:
            spool.close()
            _Encoder._check_size(size, path)
        spool.write(chunk)
    spool.seek(0)
    return spool, size


def guess_content_type(filename: str | None) -> str:
    """The MIME type a file name suggests, or application/octet-stream."""
    if filename:
        import mimetypes

        guessed, _ = mimetypes.guess_type(filename, strict=False)
        if guessed:
            return guessed
    return "application/octet-stream"


def data_url(content: bytes, content_type: str) -> str:
    """`content` as a base64 data URL."""
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def decode_data_url(url: str) -> bytes:
    """The bytes a `data:` URL holds (base64 or percent-encoded)."""
    header, sep, payload = url.partition(",")
    if not sep or not header.startswith("data:"):
        raise ValueError("malformed data URL: expected 'data:[<type>][;base64],<data>'")
    if header.endswith(";base64"):
        try:
            return base64.b64decode(payload, validate=False)
        except binascii.Error as error:
            raise ValueError(f"malformed data URL: {error}") from None
    return urllib.parse.unquote_to_bytes(payload)


def is_file_url(value: str) -> bool:
    """Whether an output string is a file: an http(s) URL or a data URL."""
    return value.startswith(("https://", "http://", "data:"))


def wrap_file_outputs(value: Any, make: Callable[[str], FileOutput]) -> Any:
    """`value` with every URL or data URL string, nested anywhere, made a `FileOutput`."""
    if isinstance(value, str):
        return make(value) if is_file_url(value) else value
    if isinstance(value, list):
        return [wrap_file_outputs(item, make) for item in value]
    if isinstance(value, dict):
        return {key: wrap_file_outputs(item, make) for key, item in value.items()}
    return value


class Downloader:
    """Where `FileOutput`s get their bytes: the httpx clients of the client that made them.

    The clients never send the API token to other hosts, so outputs stored
    elsewhere are fetched without it.
    """

    __slots__ = ("_async_http", "_sync_http")

    def __init__(
        self,
        sync_http: Callable[[], httpx.Client],
        async_http: Callable[[], httpx.AsyncClient],
    ) -> None:
        self._sync_http = sync_http
        self._async_http = async_http

    def stream(self, url: str) -> Any:
        """A context manager for a streamed GET of `url`."""
        return self._sync_http().stream("GET", url, follow_redirects=True)

    def astream(self, url: str) -> Any:
        """An async context manager for a streamed GET of `url`."""
        return self._async_http().stream("GET", url, follow_redirects=True)


def _raise_for_download(response: httpx.Response, url: str) -> None:
    if response.status_code >= 400:
        from ._errors import ReplicateError

        raise ReplicateError(
            f"downloading {_short(url)} failed: HTTP {response.status_code}",
            status=response.status_code,
            response=response,
        )


def _network_error(failure: httpx.RequestError) -> Exception:
    from ._flow import network_error

    return network_error(failure)


def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 3] + "..."


NAME_MAX = 255
"""The longest file name, in bytes, most file systems take (ext4, XFS, APFS, NTFS)."""


def name_max(directory: str | os.PathLike[str]) -> int:
    """The longest file name `directory`'s file system takes, in bytes (`NAME_MAX` if unknown)."""
    try:
        found = os.pathconf(directory, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # no pathconf (Windows), or no answer
        return NAME_MAX
    return found if found > 0 else NAME_MAX


def fit_name(name: str, limit: int = NAME_MAX) -> str:
    """`name` cut to at most `limit` bytes, as the file system counts them, its suffix kept.

    The stem is shortened at a character boundary (a UTF-8 name is never cut
    inside a character); a suffix too long to keep is cut with the rest.
    """
    if len(os.fsencode(name)) <= limit:
        return name
    suffix = PurePath(name).suffix
    room = limit - len(os.fsencode(suffix))
    if not suffix or room < limit // 2:
        suffix, room = "", limit
    stem = name[: len(name) - len(suffix)]
    kept: list[str] = []
    for character in stem:
        room -= len(os.fsencode(character))
        if room < 0:
            break
        kept.append(character)
    return "".join(kept) + suffix


_TEMPORARY_EXTRA = len(".") + len(".") + 8 + len(".part")  # around the name: .NAME.XXXXXXXX.part


def _create_temporary(target: Path) -> tuple[int, str]:
    """A new file beside `target`, open for writing, named after it, with `target`'s mode.

    Made by `os.open` with mode 0o666, so that the umask (and a default ACL)
    applies to it as to any new file, where `mkstemp` would make it 0600; when
    it replaces a file, it takes that file's mode.
    """
    directory = target.parent
    stem = fit_name(target.name, name_max(directory) - _TEMPORARY_EXTRA)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temporary = str(directory / f".{stem}.{os.urandom(4).hex()}.part")
        try:
            descriptor = os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            return descriptor, temporary  # a new file: the umask decided
        try:
            os.chmod(temporary, mode)
        except BaseException:
            os.close(descriptor)
            with suppress(OSError):
                os.unlink(temporary)
            raise
        return descriptor, temporary
    raise FileExistsError(f"no free temporary name beside {target}")


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A file to write `path` through: it appears complete or not at all.

    The bytes go to a temporary file in the same directory, renamed over `path`
    on success and removed on any error or interruption. A new file's mode
    follows the umask, as `open()`'s does; a file replaced keeps its mode.
    """
    target = Path(path)
    descriptor, temporary = _create_temporary(target)
    try:
        with os.fdopen(descriptor, "wb") as file:
            yield file
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


_default_downloader: Callable[[], Downloader] | None = None


def set_default_downloader(find: Callable[[], Downloader]) -> None:
    """Where a `FileOutput` made without a downloader gets its bytes: the default client's.

    Set by `_default` when it is imported (as `replicate_ext.FileOutput` is),
    so that this module needs nothing above it.
    """
    global _default_downloader
    _default_downloader = find


class FileOutput:
    """A file a model produced: `url`, and methods to get its bytes.

    `str()` is the URL. `read()` returns the bytes, iterating gives them in
    chunks, `save(path)` writes them atomically; `aread()`, `aiter_bytes()`
    (also `async for`) and `asave()` are the async versions. Data URLs are
    decoded locally, without a request.
    """

    __slots__ = ("_downloader", "url")

    def __init__(self, url: str, downloader: Downloader | None = None) -> None:
        self.url = url
        self._downloader = downloader

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"FileOutput({_short(self.url)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileOutput) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)

    def _data(self) -> bytes | None:
        return decode_data_url(self.url) if self.url.startswith("data:") else None

    def _get_downloader(self) -> Downloader:
        if self._downloader is not None:
            return self._downloader
        if _default_downloader is None:
            raise TypeError(
                "this FileOutput has no client to download with: make it with "
                "replicate_ext.FileOutput(url), or FileOutput(url, client._ctx.downloader)"
            )
        return _default_downloader()

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_bytes()

    def iter_bytes(self) -> Iterator[bytes]:
        """The file's bytes, chunk by chunk, as they arrive."""
        data = self._data()
        if data is not None:
            yield data
            return
        import httpx

        try:
            with self._get_downloader().stream(self.url) as response:
                if response.status_code >= 400:
                    response.read()
                    _raise_for_download(response, self.url)
                yield from response.iter_bytes()
        except httpx.RequestError as failure:
            raise _network_error(failure) from failure

    def read(self) -> bytes:
        """All of the file's bytes."""
        return b"".join(self.iter_bytes())

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the file to `path` atomically (never partially) and return the path."""
        with atomic_writer(path) as file:
            for chunk in self.iter_bytes():
                file.write(chunk)
        return Path(path)

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.aiter_bytes()

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """Async: the file's bytes, chunk by chunk, as they arrive."""
        data = self._data()
        if data is not None:
            yield data
            return
        import httpx

        try:
            async with self._get_downloader().astream(self.url) as response:
                if response.status_code >= 400:
                    await response.aread()
                    _raise_for_download(response, self.url)
                async for chunk in response.aiter_bytes():
                    yield chunk
        except httpx.RequestError as failure:
            raise _network_error(failure) from failure

    async def aread(self) -> bytes:
        """Async: all of the file's bytes."""
        return b"".join([chunk async for chunk in self.aiter_bytes()])

    async def asave(self, path: str | os.PathLike[str]) -> Path:
        """Async: write the file to `path` atomically (never partially) and return the path."""
        with atomic_writer(path) as file:
            async for chunk in self.aiter_bytes():
                file.write(chunk)
        return Path(path)
