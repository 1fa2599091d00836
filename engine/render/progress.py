"""Progress lines on stderr for long runs: `Progress` (batch: cases done, rate, time left)
and `StepProgress` (report: the step it is at, how far, time so far and left).

Shown only when stderr is a terminal (and not with ``--quiet``), so piped or
logged runs stay clean; redrawn at most a few times a second.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "StepProgress", "clock"]


def clock(seconds: float) -> str:
    """``H:MM:SS``."""
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class Progress:
    """Counts finished cases and redraws ``12,000/100,000 cases 12% 9,850/s ETA 0:00:08``."""

    def __init__(self, total: int | None, stream: TextIO | None = None, enabled: bool | None = None,
                 interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.drawn = 0.0
        self.interval = interval

    def line(self) -> str:
        """The text of the progress line now."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        text = f"{self.done:,}"
        if self.total:
            left = (self.total - self.done) / rate if rate else 0.0
            text += f"/{self.total:,} cases {100 * self.done // self.total}% {rate:,.0f}/s ETA {clock(left)}"
        else:
            text += f" cases {rate:,.0f}/s {clock(elapsed)}"
        return text

    def advance(self, count: int) -> None:
        """Record ``count`` more finished cases; redraw if it is time."""
        self.done += count
        now = time.monotonic()
        if self.enabled and now - self.drawn >= self.interval:
            self.drawn = now
            self.stream.write("\r" + self.line() + "\033[K")
            self.stream.flush()

    def close(self) -> None:
        """Draw the final line and end it."""
        if self.enabled:
            self.stream.write("\r" + self.line() + "\033[K\n")
            self.stream.flush()


class StepProgress:
    """A progress line in steps (the report's) on standard error: the step it is at, how far, the time so far
    and, once a step has a rate, the time it has left.  Drawn only on a terminal (as `batch`
    draws its own), redrawn at most a few times a second, and cleared before anything else is
    written there (the summary, or an error)."""

    def __init__(self, stream: TextIO, enabled: bool, interval: float = 0.2,
                 prefix: str = "ordinance report") -> None:
        self.prefix = prefix
        self.stream = stream
        self.enabled = enabled
        self.interval = interval
        self.started = time.monotonic()
        self.step_started = self.started
        self.step = ""
        self.drawn = 0.0
        self.shown = False
        #: The last total of each step, for the summary.
        self.totals: dict[str, int] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        """``done`` of ``total`` units of ``step`` (checks, comparisons, graphs) are finished."""
        now = time.monotonic()
        if step != self.step:
            self.step, self.step_started = step, now
        self.totals[step] = total
        if not self.enabled or (now - self.drawn < self.interval and done < total):
            return
        self.drawn, self.shown = now, True
        line = f"{self.prefix}: {step} {done}/{total} · {clock(now - self.started)} so far"
        if 0 < done < total:
            line += f" · about {clock((now - self.step_started) / done * (total - done))} left for {step}"
        self.stream.write(f"\r{line}\033[K")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started
