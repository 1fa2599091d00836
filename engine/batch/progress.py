"""A progress line on stderr for long runs: done/total, rate and time left.

Shown only when stderr is a terminal (and not with ``--quiet``), so piped or
logged runs stay clean; redrawn at most a few times a second.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


def _clock(seconds: float) -> str:
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
            text += f"/{self.total:,} cases {100 * self.done // self.total}% {rate:,.0f}/s ETA {_clock(left)}"
        else:
            text += f" cases {rate:,.0f}/s {_clock(elapsed)}"
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
