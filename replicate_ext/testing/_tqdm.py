"""Progress lines as tqdm prints them, for the bundled models that report progress.

Real image and training models log a tqdm bar per loop. The bundled ones print
the same layout (percentage, bar, count, ``[elapsed<remaining, rate]``,
postfix), either one line per update, as Replicate's logs usually show them,
or redrawn in place with carriage returns, as tqdm writes to a terminal. Times
are the model's nominal ones (before the server's speed factor), so the lines
are the same at any speed.
"""

from __future__ import annotations

from ._jobs import RunContext

_WIDTH = 10  # tqdm's bar width when the output is not a terminal
_PARTIAL = " ▏▎▍▌▋▊▉"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _bar(fraction: float) -> str:
    eighths = int(min(max(fraction, 0.0), 1.0) * _WIDTH * 8)
    full, rest = divmod(eighths, 8)
    cells = "█" * full + (_PARTIAL[rest] if rest else "")
    return cells.ljust(_WIDTH)


def tqdm_line(
    step: int,
    total: int,
    elapsed: float,
    *,
    description: str | None = None,
    postfix: str | None = None,
) -> str:
    """One progress line, such as `` 46%|████▌     | 23/50 [00:02<00:03,  8.10it/s]``."""
    fraction = step / total if total else 1.0
    if step and elapsed > 0:
        rate = step / elapsed
        remaining = _clock((total - step) / rate)
        speed = f"{rate:5.2f}it/s" if rate >= 1 else f"{1 / rate:5.2f}s/it"
    else:
        remaining, speed = "?", "?it/s"
    extra = f", {postfix}" if postfix else ""
    prefix = f"{description}: " if description else ""
    return (
        f"{prefix}{fraction * 100:3.0f}%|{_bar(fraction)}| {step}/{total} "
        f"[{_clock(elapsed)}<{remaining}, {speed}{extra}]"
    )


async def log_steps(
    ctx: RunContext,
    total: int,
    interval: float,
    *,
    carriage_return: bool = False,
    description: str | None = None,
) -> None:
    r"""Run ``total`` steps of ``interval`` seconds, logging a progress line before and after each.

    With ``carriage_return`` the updates are written as tqdm writes them to a
    terminal, each after a ``\r`` on one line, ended by a newline.
    """
    if total <= 0:
        return
    for step in range(total + 1):
        if step:
            await ctx.sleep(interval)
        line = tqdm_line(step, total, step * interval, description=description)
        if carriage_return:
            await ctx.write("\r" + line)
        else:
            await ctx.log(line)
    if carriage_return:
        await ctx.write("\n")
