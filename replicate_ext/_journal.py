"""The journal of a batch: what it did, kept on disk, so that a batch killed at any moment resumes.

A journal is a file of JSON lines, only ever appended to. Its first line says
which batch it belongs to (the model reference, how many inputs, a digest of
them); each line after it records one step of one input, by index ``i``::

    {"journal": "replicate-ext batch", "version": 1, "ref": "owner/name", "inputs": 60, ...}
    {"e": "send", "i": 7, "t": 1733212345.12}        input 7's creation is about to be sent
    {"e": "id", "i": 7, "id": "p1"}                  its prediction (from the answer, or adopted)
    {"e": "none", "i": 7}                            its creation made no prediction (refused)
    {"e": "done", "i": 7, "id": "p1", "output": ...} its result: the output, or "error": {...}
    {"e": "cancel", "i": 7, "id": "p1"}              an interruption canceled it: run it again

What depends on what decides when a line must be on disk. A ``send`` line is
written and fsynced *before* the request goes out: a prediction can then only
exist if the journal says it may, and ``t`` (our clock) bounds when it was
made; ``cancel`` lines likewise before their cancels go out. The other lines
are written at once (a killed process loses nothing it wrote) and fsynced
with the next ``send`` or at the end; losing one to a power cut only costs a
lookup, as the line before it still says what to look for.

fsyncs run on a worker thread, one at a time, each covering every line
written before it started (group commit), so the event loop never blocks on
the disk. And a ``send`` line may come early: the batch writes them for the
next inputs it will create, a few dozen at a time, under one fsync (a send
line says a creation *may* have been sent since ``t``; one that never was is
looked for, not found, and created). A batch thus pays an fsync per few
dozen creations, not per creation.

Reading a journal back replays the lines into each input's last state
(`Entry`): ``done`` is reused; ``id`` is waited on; ``cancel`` is looked at
and run again if it ended canceled; ``send`` with nothing after it is an
*unresolved* creation, which the batch looks for in the account's recent
predictions (`lookalikes_flow`) before creating it again. A torn last line
(the process was killed mid-write) is dropped, and cut off the file so that
the next line starts clean; any other unreadable line is an error, since
skipping it could forget a prediction, and a file that is not a journal is
never written to. An exclusive lock (where the system has `fcntl`) keeps two
processes from running one journal at once.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Final

import anyio

from ._errors import (
    ModelError,
    PredictionAborted,
    PredictionCanceled,
    PredictionError,
    PredictionTimeout,
    ReplicateError,
)
from ._files import FileOutput
from ._flow import Flow, Send
from ._refs import Ref, parse_ref

__all__ = [
    "CLOCK_SKEW",
    "Entry",
    "Journal",
    "Lookalike",
    "assign_lookalikes",
    "is_final",
    "lookalikes_flow",
]

FORMAT: Final = "replicate-ext batch"
VERSION: Final = 1
CLOCK_SKEW: Final = 60.0
"""Seconds of difference between our clock and the API's tolerated when looking for a creation."""

_NOT_RERUN = ("canceled", "aborted")
_MAGIC = f'{{"journal":"{FORMAT}"'.encode()  # how every journal begins


@dataclass(slots=True)
class Entry:
    """One input's last state in the journal.

    `state` is ``"send"`` (creation sent, no answer recorded: `sent_at`,
    and `sent` when the input cannot be recomputed), ``"id"`` (a prediction to
    wait for), ``"cancel"`` (one an interruption canceled), or ``"done"``
    (`record` holds the result).
    """

    state: str
    prediction_id: str | None = None
    sent_at: float = 0.0
    sent: Any = None
    record: dict[str, Any] | None = None


# -- the digest of the inputs -----------------------------------------------------------------


def _fingerprint(value: Any) -> Any:
    # What stands for a value JSON cannot hold, in the digest: the same file
    # path or bytes on the next run give the same digest.
    if isinstance(value, FileOutput):
        return value.url
    if isinstance(value, PurePath):
        return {"path": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"sha256": hashlib.sha256(bytes(value)).hexdigest()}
    name = getattr(value, "name", None)
    return {"file": os.fspath(name) if isinstance(name, (str, os.PathLike)) else repr(type(value))}


def _canonical(value: Mapping[str, Any]) -> tuple[str, bool]:
    """`value` as canonical JSON, and whether it is plain JSON (no files in it)."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":")), True
    except (TypeError, ValueError):
        pass
    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=_fingerprint)
    except (TypeError, ValueError):  # keys that do not sort: the input fails on its own later
        text = repr(value)
    return text, False


def digest(inputs: Sequence[Mapping[str, Any]]) -> tuple[str, list[bool]]:
    """A digest of `inputs` (their order included), and which of them are plain JSON."""
    hasher = hashlib.sha256()
    plain: list[bool] = []
    for value in inputs:
        text, is_plain = _canonical(value)
        hasher.update(text.encode())
        hasher.update(b"\n")
        plain.append(is_plain)
    return f"sha256:{hasher.hexdigest()}", plain


def as_sent(value: Mapping[str, Any]) -> Any:
    """A plain input as the API echoes it back (tuples as lists, keys as strings)."""
    return json.loads(json.dumps(value))


# -- results as lines, and back -----------------------------------------------------------------


def _to_json(value: Any) -> Any:
    if isinstance(value, FileOutput):
        return value.url
    if isinstance(value, PurePath):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def is_final(error: BaseException | None) -> bool:
    """Whether a result with `error` is final: the prediction ended (None: it succeeded).

    Anything else (a creation refused, a network failure while waiting, a
    download that failed) leaves the input to be run, or waited on, again.
    """
    return error is None or isinstance(error, PredictionError)


def _error_record(error: PredictionError) -> dict[str, Any]:
    record: dict[str, Any] = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, ModelError):
        record["error"] = error.error
    elif isinstance(error, PredictionTimeout):
        record["timeout"] = error.timeout
    return record


class _Ended:
    """What the errors' constructors read of a prediction, for one read back from a journal."""

    __slots__ = ("error", "id", "logs", "status")

    def __init__(self, prediction_id: str, error: str | None = None) -> None:
        self.id = prediction_id
        self.error = error
        self.logs = None
        self.status = None


def _error_from(record: Mapping[str, Any], prediction_id: str) -> PredictionError:
    kind, message = record.get("type"), str(record.get("message", ""))
    error: PredictionError
    if kind == "ModelError":
        error = ModelError(_Ended(prediction_id, record.get("error")))  # type: ignore[arg-type]
    elif kind == "PredictionTimeout" and isinstance(record.get("timeout"), (int, float)):
        error = PredictionTimeout(prediction_id, float(record["timeout"]))
    elif kind == "PredictionAborted":
        error = PredictionAborted(_Ended(prediction_id))  # type: ignore[arg-type]
    elif kind == "PredictionCanceled":
        error = PredictionCanceled(_Ended(prediction_id))  # type: ignore[arg-type]
    else:
        error = PredictionError(message, None)
        error.prediction_id = prediction_id  # type: ignore[attr-defined]
    # The prediction itself was not kept: only what the message needs.
    error.prediction = None
    return error


def _restore_saved(value: Any, saved: set[str]) -> Any:
    if isinstance(value, str):
        return Path(value) if value in saved else value
    if isinstance(value, list):
        return [_restore_saved(item, saved) for item in value]
    if isinstance(value, dict):
        return {key: _restore_saved(item, saved) for key, item in value.items()}
    return value


# -- the file ---------------------------------------------------------------------------------


class Journal:
    """An open journal: the inputs' states read from it, and the appending of new lines.

    Made by `Journal.open`; written from one thread (the batch's event loop)
    at a time; `close()` makes everything durable and releases the lock.
    """

    def __init__(
        self,
        path: Path,
        fd: int,
        entries: dict[int, Entry],
        claimed: set[str],
        plain: list[bool],
        abandoned: list[str],
    ) -> None:
        self.path = path
        self.entries = entries
        self.claimed = claimed  # every prediction id the journal has named
        self.abandoned = abandoned  # a restarted journal's predictions that may still run
        self.failure: OSError | None = None  # why the journal could not be written, if so
        self._fd: int | None = fd
        self._plain = plain
        self._written = 0  # lines written so far
        self._synced = 0  # lines known durable
        self._syncing: anyio.Event | None = None

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        ref: str,
        inputs: Sequence[Mapping[str, Any]],
        *,
        restart: bool = False,
    ) -> Journal:
        """Open (or create) the journal at `path` for running `ref` over `inputs`.

        Raises ValueError when it belongs to another model or other inputs
        (unless `restart`, which starts it over) or is damaged, and OSError
        when it cannot be opened or another process holds it.
        """
        target = Path(path)
        if target.is_dir():
            raise ValueError(f"journal {target} is a directory; give a file path")
        identity, plain = digest(inputs)
        header = {
            "journal": FORMAT,
            "version": VERSION,
            "ref": ref,
            "inputs": len(inputs),
            "digest": identity,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        existed = target.exists()
        fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            _lock(fd, target)
            lines = _read_lines(fd, target)
            found = _parse_header(lines[0]) if lines else None
            abandoned: list[str] = []
            if found is not None and not restart and not _same_batch(found, header):
                raise ValueError(_mismatch(target, found, header))
            if found is None or restart:
                if found is not None:
                    abandoned = _unfinished(_replay(lines[1:], target, None)[0])
                os.ftruncate(fd, 0)
                _write_all(fd, _line(header))
                os.fsync(fd)
                if not existed:
                    _sync_directory(target.parent)
                lines = []
            entries, claimed = _replay(lines[1:], target, len(inputs))
        except BaseException:
            os.close(fd)
            raise
        return cls(target, fd, entries, claimed, plain, abandoned)

    # -- what the batch reads -------------------------------------------------------------------

    def result(
        self, index: int, wrap: Callable[[Any], Any]
    ) -> tuple[Any, PredictionError | None, str | None]:
        """The output, error and prediction id a ``done`` line recorded for input `index`.

        `wrap` turns the recorded output's file URLs into what the caller wants
        (`FileOutput`s); saved files come back as `Path`s.
        """
        record = self.entries[index].record or {}
        prediction_id = record.get("id")
        error = record.get("error")
        if isinstance(error, dict):
            return None, _error_from(error, str(prediction_id)), prediction_id
        output = record.get("output")
        saved = record.get("saved")
        if isinstance(saved, list):
            return _restore_saved(output, set(saved)), None, prediction_id
        return wrap(output), None, prediction_id

    def sent_input(self, index: int, value: Mapping[str, Any]) -> Any:
        """The input that an unresolved creation of input `index` sent, to recognise it by."""
        entry = self.entries.get(index)
        if entry is not None and entry.sent is not None:
            return entry.sent
        return as_sent(value) if self._plain[index] else None

    # -- what the batch writes ------------------------------------------------------------------

    def is_plain(self, index: int) -> bool:
        """Whether input `index` is plain JSON: what it sends can be recomputed from it."""
        return self._plain[index]

    def sending(self, indices: Sequence[int], sent: Any = None) -> int:
        """Record that the creations of `indices` may be sent from now on.

        Returns the mark to `sync(through=...)` before they are. `sent` is the
        input one creation sends, for an input with files (uploaded files get
        new URLs on every run: keep what this one sent).
        """
        t = round(time.time(), 3)
        records: list[dict[str, Any]] = [{"e": "send", "i": index, "t": t} for index in indices]
        if sent is not None:
            records[0]["sent"] = sent
        self._write(*records)
        return self._written

    def created(self, index: int, prediction_id: str) -> None:
        """Record input `index`'s prediction, from its creation's answer."""
        self.claimed.add(prediction_id)
        self._write({"e": "id", "i": index, "id": prediction_id})

    def adopted(self, index: int, prediction_id: str) -> None:
        """Record that the prediction found for input `index`'s unanswered creation is its own."""
        self.claimed.add(prediction_id)
        self._write({"e": "id", "i": index, "id": prediction_id, "adopted": True})

    def refused(self, index: int) -> None:
        """Record that input `index`'s creation made no prediction."""
        self._write({"e": "none", "i": index})

    def canceling(self, index: int, prediction_id: str) -> None:
        """Record that an interruption cancels input `index`'s prediction (to run it again)."""
        self._write({"e": "cancel", "i": index, "id": prediction_id})

    def finished(
        self,
        index: int,
        prediction_id: str,
        output: Any = None,
        error: PredictionError | None = None,
        saved: Sequence[Path] | None = None,
    ) -> None:
        """Record input `index`'s final result (see `is_final`)."""
        record: dict[str, Any] = {"e": "done", "i": index, "id": prediction_id}
        if error is not None:
            record["error"] = _error_record(error)
        else:
            record["output"] = output
            if saved is not None:
                record["saved"] = [str(path) for path in saved]
        self._write(record)

    def _write(self, *records: dict[str, Any]) -> None:
        if self.failure is not None:
            raise self.failure
        if self._fd is None:
            raise ValueError(f"journal {self.path} is closed")
        try:
            _write_all(self._fd, b"".join(_line(record) for record in records))
        except OSError as error:
            self.failure = error
            raise
        self._written += len(records)

    async def sync(self, through: int | None = None) -> None:
        """Make the lines written so far (or the first `through`) durable.

        The fsync runs on a worker thread, and callers share it: one that
        finds an fsync under way waits for it, then starts the next if its
        lines came too late for it.
        """
        target = self._written if through is None else through
        while self._synced < target:
            if self._syncing is not None:
                await self._syncing.wait()
                continue
            fd, covered = self._fd, self._written
            if fd is None:
                return
            self._syncing = done = anyio.Event()
            try:
                await anyio.to_thread.run_sync(os.fsync, fd)
                self._synced = max(self._synced, covered)
            except OSError as error:
                self.failure = error
                raise
            finally:
                self._syncing = None
                done.set()

    def close(self) -> None:
        """Make the journal durable and release it (and its lock)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _line(record: Mapping[str, Any]) -> bytes:
    # ASCII, with escapes: any string JSON can hold (a lone surrogate too) can
    # be written, and a line is bytes that decode the same way on any system.
    text = json.dumps(record, separators=(",", ":"), default=_to_json)
    return (text + "\n").encode()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _sync_directory(path: Path) -> None:
    # A new file's name is durable once its directory is: without it, a power
    # cut could take the whole journal away, send lines and all.
    with contextlib.suppress(OSError):  # not every system opens directories
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _lock(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise OSError(
            f"journal {path} is in use by another batch (another process is running it)"
        ) from None


def _read_lines(fd: int, path: Path) -> list[bytes]:
    """The complete lines of the file; a torn last line is cut off the file.

    A file that is not a journal (nor the start of one, cut short) is left
    alone: ValueError, before anything is written to it.
    """
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    data = b"".join(chunks)
    if not (data.startswith(_MAGIC) or _MAGIC.startswith(data)):
        raise ValueError(
            f"{path} is not a batch journal: give the journal another path "
            "(it would be overwritten)"
        )
    end = data.rfind(b"\n") + 1
    if end < len(data):
        # Killed mid-write: the line never finished, and the next must not
        # be glued to it.
        os.ftruncate(fd, end)
    return data[:end].splitlines()


def _parse_header(line: bytes) -> dict[str, Any] | None:
    with contextlib.suppress(ValueError):
        header = json.loads(line)
        if isinstance(header, dict) and header.get("journal") == FORMAT:
            return header
    return None


def _same_batch(found: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    try:
        same_ref: bool = parse_ref(str(found.get("ref"))) == parse_ref(str(wanted["ref"]))
    except ValueError:
        same_ref = False
    return (
        found.get("version") == VERSION
        and same_ref
        and found.get("inputs") == wanted["inputs"]
        and found.get("digest") == wanted["digest"]
    )


def _mismatch(path: Path, found: Mapping[str, Any], wanted: Mapping[str, Any]) -> str:
    if found.get("version") != VERSION:
        what = f"by another version of this format ({found.get('version')!r})"
    elif found.get("ref") != wanted["ref"]:
        what = f"for another model ({found.get('ref')}, not {wanted['ref']})"
    elif found.get("inputs") != wanted["inputs"]:
        what = f"for {found.get('inputs')} inputs, not these {wanted['inputs']}"
    else:
        what = f"for other inputs (the same number, {wanted['inputs']}, but not the same ones)"
    return (
        f"journal {path} was made {what}: pass restart=True (replicate-ext batch --restart) "
        "to start it over, forgetting its results, or use another journal"
    )


def _replay(
    lines: Sequence[bytes], path: Path, count: int | None
) -> tuple[dict[int, Entry], set[str]]:
    """Each input's last state, and every prediction id named; `count` None reads leniently."""
    entries: dict[int, Entry] = {}
    claimed: set[str] = set()
    for number, line in enumerate(lines, start=2):
        try:
            record = json.loads(line)
            kind, index = record["e"], record["i"]
            if not isinstance(index, int) or (count is not None and not 0 <= index < count):
                raise ValueError(f"input index {index!r} out of range")
        except (ValueError, KeyError, TypeError) as error:
            if count is None:
                continue
            raise ValueError(
                f"journal {path} is damaged at line {number} ({error}); move it away to start over"
            ) from None
        prediction_id = record.get("id")
        if isinstance(prediction_id, str):
            claimed.add(prediction_id)
        if kind == "send":
            t = record.get("t")
            sent_at = float(t) if isinstance(t, (int, float)) and math.isfinite(t) else 0.0
            entries[index] = Entry("send", sent_at=sent_at, sent=record.get("sent"))
        elif kind == "id" and isinstance(prediction_id, str):
            entries[index] = Entry("id", prediction_id)
        elif kind == "cancel" and isinstance(prediction_id, str):
            entries[index] = Entry("cancel", prediction_id)
        elif kind == "done":
            entries[index] = Entry("done", prediction_id, record=record)
        elif kind == "none":
            entries.pop(index, None)
        # Lines of a kind this version does not know are skipped: a newer
        # version may add some.
    return entries, claimed


def _unfinished(entries: Mapping[int, Entry]) -> list[str]:
    return [
        entry.prediction_id
        for entry in entries.values()
        if entry.state in ("id", "cancel") and entry.prediction_id is not None
    ]


# -- finding the predictions of unanswered creations ------------------------------------------


@dataclass(frozen=True, slots=True)
class Lookalike:
    """A prediction of the batch's model with some input, as the account's list shows it."""

    id: str
    input: Any
    created_at: float
    status: str


def _matches_ref(item: Mapping[str, Any], ref: Ref) -> bool:
    if ref.kind == "version":
        return item.get("version") == ref.version
    name = f"{ref.owner}/{ref.name}"
    if ref.kind == "model":
        return item.get("model") == name
    return item.get("deployment") == name


def _timestamp(value: Any) -> float:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return math.nan


def lookalikes_flow(ref: Ref, since: float) -> Flow[list[Lookalike]]:
    """The predictions of `ref`'s model (version, deployment) created since `since` (a Unix time).

    Every page is read: the list is newest first and bounded by
    `created_after`, so it ends where the batch's creations began. Raises
    the error of a page that could not be fetched: without the whole list,
    an input cannot be told to have no prediction.
    """
    from generated.api.predictions import predictions_list

    after = datetime.datetime.fromtimestamp(since - CLOCK_SKEW, tz=datetime.UTC)
    request: dict[str, Any] | None = predictions_list._get_kwargs(created_after=after)
    found: list[Lookalike] = []
    seen: set[str] = set()
    while request is not None:
        response = yield Send(request)
        if response.status_code != 200:
            raise ReplicateError.from_response(response)
        page = response.json()
        for item in page.get("results") or ():
            if not isinstance(item, dict) or not _matches_ref(item, ref):
                continue
            prediction_id = item.get("id")
            if isinstance(prediction_id, str) and prediction_id not in seen:
                seen.add(prediction_id)
                status = item.get("status")
                found.append(
                    Lookalike(
                        prediction_id,
                        item.get("input"),
                        _timestamp(item.get("created_at")),
                        status if isinstance(status, str) else "",
                    )
                )
        next_url = page.get("next")
        request = {"method": "GET", "url": next_url} if isinstance(next_url, str) else None
    return found


def assign_lookalikes(
    wanted: Sequence[tuple[int, Any, float]], found: Sequence[Lookalike], claimed: set[str]
) -> dict[int, str]:
    """Which listed prediction each unanswered creation made: input index -> prediction id.

    `wanted` holds (index, input sent, when it was sent). A prediction
    matches when its input is exactly the one sent and no input of the
    journal has it yet (`claimed`, updated here); of several, the one
    created closest to the send. Identical inputs are interchangeable, so
    each takes one, and a match is only read, never canceled: it may be
    another caller's. Canceled and aborted ones are passed over: they have
    no output to give, and the input runs again.
    """
    assigned: dict[int, str] = {}
    usable = [item for item in found if item.status not in _NOT_RERUN]
    for index, sent, sent_at in sorted(wanted, key=lambda want: want[2]):
        if sent is None:
            continue
        best: Lookalike | None = None
        for item in usable:
            if item.id in claimed or item.input != sent:
                continue
            if best is None or _distance(item, sent_at) < _distance(best, sent_at):
                best = item
        if best is not None:
            claimed.add(best.id)
            assigned[index] = best.id
    return assigned


def _distance(item: Lookalike, sent_at: float) -> float:
    return math.inf if math.isnan(item.created_at) else abs(item.created_at - sent_at)
