r"""Progress read from a model's logs: the last tqdm-style line, parsed.

Image, video and training models on Replicate report progress the way Python
code usually does, with tqdm, so their logs hold lines such as::

    Sampling:  46%|████▌     | 23/50 [00:02<00:03,  8.10it/s, loss=0.41]

`parse_progress` finds the last such line and returns it as a `LogProgress`
(the official client's `percentage`, `current` and `total`, plus the rate,
the elapsed time, the time left and the description when the line has them),
or None when there is none.

It runs on every update of a running prediction, whose logs only grow, so it
reads from the end, in windows growing from 1 KiB: only the lines where a
percentage meets a bar (``46%|``) are tried against the pattern. Every search is
bounded: a line is looked for at most `_MAX_LINE` characters around its
``%``, and the bar at most `_SEARCH` characters from the end, so a call
costs the same for a kilobyte of logs as for a hundred megabytes, even one
long line of wget-style redraws, or logs without a bar at all. Lines are
split at ``\n`` and at ``\r`` alike: tqdm redraws its bar with carriage
returns, so one "line" of raw logs can hold many updates, of which the last
counts. Terminal escapes are ignored: tqdm ends the redraws of a bar nested
in another with a cursor move (``\x1b[A``), and the bar drawn last counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = ["HasLogs", "LogProgress", "parse_progress"]

# tqdm lines are under 200 characters; a longer "line" (a JSON dump, say) is
# not one, and skipping it bounds the cost of a pattern attempt.
_MAX_LINE = 4096
# A bar followed by this much other output has ended; looking no further back
# bounds the cost of a call whatever the size of the logs.
_SEARCH = 64 * 1024
# Where a bar's percentage meets the bar ("46%|"): only lines with one are tried.
_MARK = re.compile(r"%[ \t]*\|")
_MARK_REACH = 64
_FIRST_SPAN = 1024
# Terminal escape sequences (CSI such as colours and tqdm's cursor-up, OSC, and
# the two-character ones), which tqdm and coloured logs write between bars.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")

# tqdm's unit_scale suffixes (its `format_sizeof`, by powers of 1000).
_SCALE = {"": 1.0, **{prefix: 1000.0**power for power, prefix in enumerate("kMGTPEZY", 1)}}
_NUMBER = r"\d+(?:\.\d+)?"
_TIME = r"(?:\d+:)?\d+:\d\d|\?"

# tqdm's default layout: "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}
# [{elapsed}<{remaining}, {rate_fmt}{postfix}]"; the bracket is optional, as
# custom bar_formats often drop it, and so is the rate inside it.
_LINE = re.compile(
    rf"""
    (?:(?P<desc>.*?):\s*|\s*)
    (?P<percent>{_NUMBER})%\s*\|
    [^|]*\|\s*
    (?P<current>{_NUMBER})(?P<current_scale>[kMGTPEZY]?)
    /(?P<total>{_NUMBER})(?P<total_scale>[kMGTPEZY]?)
    (?:
        \s+\[\s*(?P<elapsed>{_TIME})\s*<\s*(?P<remaining>{_TIME})
        (?:,\s*(?:
            (?P<rate>{_NUMBER}|\?|inf|nan)(?P<rate_scale>[kMGTPEZY](?=[^\W\d]))?
            (?:(?P<unit>[^\W\d][^\s,/\]]*)/s|s/(?P<per_unit>[^\W\d][^\s,\]]*))
        ))?
        (?:,.*)?
        \]
    )?
    \s*
    """,
    re.VERBOSE,
)


class HasLogs(Protocol):
    """Anything with the `logs` of a run: a generated `Prediction` or `Training`, or your own."""

    @property
    def logs(self) -> object:
        """What the model printed so far (a string, or None/UNSET when there is nothing)."""
        ...


@dataclass(frozen=True, slots=True)
class LogProgress:
    """Progress reported by a model in its logs (the last tqdm-style line).

    ``percentage`` is a fraction, as in Replicate's official clients: 0.46 for
    46% (so ``f"{p.percentage:.0%}"`` prints ``46%``). It is the percentage the
    line shows and may exceed 1 when a model overshoots its announced total.
    Counts written with unit suffixes (``450M/1.00G``) are scaled to integers.
    """

    percentage: float
    """Done so far, as a fraction (0.46 for 46%)."""
    current: int
    """Steps (or items, or bytes) done."""
    total: int
    """Steps announced in all."""
    elapsed: float | None = None
    """Seconds since the bar started, when the line shows them."""
    remaining: float | None = None
    """Estimated seconds left, when the line shows them (None while tqdm shows ``?``)."""
    rate: float | None = None
    """Units per second, when the line shows it (``1.67s/it`` is a rate of 0.6)."""
    unit: str | None = None
    """The unit of `rate` and of the counts: ``it`` unless the model chose another."""
    description: str | None = None
    """The text before the bar (tqdm's ``desc``), such as ``Sampling``."""
    line: str = ""
    """The log line this was read from."""


def _count(number: str, scale: str) -> int:
    return round(float(number) * _SCALE[scale])


def _seconds(text: str | None) -> float | None:
    if text is None or text == "?":
        return None
    seconds = 0
    for part in text.split(":"):
        seconds = seconds * 60 + int(part)
    return float(seconds)


def parse_line(line: str) -> LogProgress | None:
    """The progress one log line shows, or None when it is not a progress line."""
    if len(line) > _MAX_LINE or "%" not in line or "|" not in line or "/" not in line:
        return None
    if "\x1b" in line:
        line = _ESCAPES.sub("", line)
    match = _LINE.fullmatch(line)
    if match is None:
        return None
    group = match.group
    rate: float | None = None
    unit = group("unit") or group("per_unit")
    number = group("rate")
    # "?" before the first step, "inf" after a first step that took no time.
    if number is not None and number not in ("?", "inf", "nan"):
        rate = float(number) * _SCALE[group("rate_scale") or ""]
        if group("per_unit") is not None:
            # "1.67s/it": seconds per unit; a rate of 0 would be no rate at all.
            rate = 1 / rate if rate else None
    description = (group("desc") or "").strip()
    return LogProgress(
        percentage=float(group("percent")) / 100,
        current=_count(group("current"), group("current_scale")),
        total=_count(group("total"), group("total_scale")),
        elapsed=_seconds(group("elapsed")),
        remaining=_seconds(group("remaining")),
        rate=rate,
        unit=unit,
        description=description or None,
        line=line.strip(),
    )


def _line_bounds(logs: str, index: int, floor: int) -> tuple[int, int]:
    r"""The start and end of the line (split at ``\n`` and ``\r``) around ``logs[index]``.

    Each search stops `_MAX_LINE` characters away (and the backward one at
    `floor`): a start or an end not found within reach is -1, and the line is
    then too long to be a progress line.
    """
    low = max(floor, index - _MAX_LINE)
    newline = logs.rfind("\n", low, index)
    # Bounded by the newline: logs without any "\r" are not scanned twice for one.
    carriage = logs.rfind("\r", max(low, newline + 1), index)
    before = max(newline, carriage)
    start = -1 if before == -1 and low > 0 else before + 1
    high = min(len(logs), index + _MAX_LINE)
    stop = logs.find("\n", index, high)
    stop = high if stop == -1 else stop
    carriage = logs.find("\r", index, stop)
    stop = stop if carriage == -1 else carriage
    return start, -1 if stop == high < len(logs) else stop


def _last_progress(logs: str) -> LogProgress | None:
    floor = max(0, len(logs) - _SEARCH)
    end = len(logs)
    span = _FIRST_SPAN
    while end > floor:
        # Windows growing from the end: the bar is usually on one of the last lines.
        start = max(floor, end - span)
        # A mark may begin before `end` and finish after it.
        reach = min(len(logs), end + _MARK_REACH)
        marks = [mark.start() for mark in _MARK.finditer(logs, start, reach)]
        for index in reversed(marks):
            if index >= end:
                continue  # on a line already tried
            line_start, stop = _line_bounds(logs, index, floor)
            if line_start == -1:
                end = max(floor, index - _MAX_LINE)  # every mark back there is on this long line
                continue
            if stop != -1:
                found = parse_line(logs[line_start:stop])
                if found is not None:
                    return found
            end = line_start  # the rest of this line is not progress either
        end = min(end, start)
        span *= 4
    return None


def parse_progress(source: str | HasLogs | Mapping[str, object] | None) -> LogProgress | None:
    """The progress a prediction or training reports in its logs, or None if it reports none.

    ``source`` is a prediction or a training (the generated models, or
    anything with a ``logs`` attribute), their JSON as a dict (a webhook's
    body, say), or the logs themselves. The last tqdm-style line in the logs
    counts, including the last update of a bar redrawn with carriage returns
    and the bar drawn last of nested ones; lines that merely contain a
    percentage or a fraction do not. Only the last 64 KiB of the logs are
    read, so each call is cheap however long the run.
    Use it in a ``progress=`` callback::

        def show(prediction):
            progress = replicate_ext.parse_progress(prediction)
            if progress is not None:
                print(f"{progress.current}/{progress.total}")

    Raises TypeError for anything else, such as a number or an output list.
    """
    logs: object
    if source is None or isinstance(source, str):
        logs = source
    elif isinstance(source, Mapping):
        logs = source.get("logs")
    elif hasattr(source, "logs"):
        logs = source.logs
    else:
        raise TypeError(
            "parse_progress() takes a prediction, a training, their JSON or their logs, "
            f"not {type(source).__name__}"
        )
    # None, or the generated models' UNSET: nothing logged.
    return _last_progress(logs) if isinstance(logs, str) else None
