"""Exact ``--resume``: a state file beside the output says what wrote it and how far it got.

A batch writes rows in input order, a chunk at a time.  After each chunk it records, in
``<out>.resume`` (replaced atomically), how many input *records* are done and how many
bytes of the output hold their rows.  Resuming cuts the output back to that many bytes
and skips that many records, so:

* it never depends on case ids (duplicate ids, ``1`` and ``"1"``, ids with newlines or
  U+2028 cannot hide, repeat or break a case): records are counted by position;
* a chunk written but not yet recorded (a kill between the two) is cut and decided again;
* a run with other settings (input, output format, ordinances, readings, ``--all``,
  ``--explain``, the time limit, the rule files) is refused, naming each difference,
  because mixing the rows of two settings in one file would silently corrupt it.

The state file is kept after a complete run, so that ``--resume`` of a finished run
writes nothing and says so.  Outputs that are not regular files (``/dev/stdout``, a pipe)
get no state and cannot be resumed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from engine.core.errors import EngineError

__all__ = ["ResumeState", "run_settings", "state_path", "begin", "STATE_SUFFIX"]

#: Appended to the output's name for its state file.
STATE_SUFFIX = ".resume"
#: The version of the state file's layout, so that a later layout is not misread.
_LAYOUT = 1


def state_path(out: str | Path) -> Path:
    """Where the state of the batch writing ``out`` is kept."""
    return Path(f"{out}{STATE_SUFFIX}")


def _digest(paths: Iterable[Path]) -> str:
    """A hash of the files' names and contents: equal exactly when the rules are the same."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _input_identity(path: Path) -> dict[str, Any]:
    """What identifies the input's content cheaply: its path, and size and time of change of
    the file (or of each case file of a directory)."""
    path = path.resolve()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        status = file.stat()
        digest.update(f"{file.name}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    return {"input": str(path), "input_version": digest.hexdigest()}


def run_settings(input_path: str | Path, fmt: str, options: dict[str, Any],
                 rule_files: Iterable[Path]) -> dict[str, Any]:
    """Everything a row depends on besides the case: a resume must use the same.

    Made of JSON values only (tuples become lists), so it compares equal to its own saved copy.
    """
    identity = _input_identity(Path(input_path)) if input_path is not None else {"input": None}
    settings = {**identity, "format": fmt, "options": options, "rules": _digest(rule_files)}
    return json.loads(json.dumps(settings))


#: How a difference in each setting is named to the user.
_SETTING_NAMES = {"input": "the input file", "input_version": "the input's content (changed since)",
                  "format": "the output format", "rules": "the rule files (--rules, or an update)"}


def _differences(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    named = []
    for key in sorted(set(before) | set(now)):
        if key == "options":
            old, new = before.get(key) or {}, now.get(key) or {}
            named += [f"{name}: was {json.dumps(old.get(name))}, now {json.dumps(new.get(name))}"
                      for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
        elif before.get(key) != now.get(key):
            detail = ("" if key in ("rules", "input_version")
                      else f": was {json.dumps(before.get(key))}, now {json.dumps(now.get(key))}")
            named.append(_SETTING_NAMES.get(key, key) + detail)
    return named


@dataclass
class ResumeState:
    """The state file of one output: updated after every chunk written."""

    out: Path
    settings: dict[str, Any]
    records: int = 0
    output_bytes: int = 0
    complete: bool = False

    def save(self) -> None:
        """Replace the state file atomically (a kill leaves the old or the new one)."""
        target = state_path(self.out)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(json.dumps({"layout": _LAYOUT, "settings": self.settings,
                                         "records": self.records, "output_bytes": self.output_bytes,
                                         "complete": self.complete}, ensure_ascii=False),
                             encoding="utf-8")
        os.replace(temporary, target)

    def advance(self, records: int, written_bytes: int) -> None:
        """Record that ``records`` more records are done, their rows ``written_bytes`` long."""
        self.records += records
        self.output_bytes += written_bytes
        self.save()

    def finish(self) -> None:
        self.complete = True
        self.save()


def _regular_or_missing(out: Path) -> bool:
    try:
        return stat.S_ISREG(out.stat().st_mode)
    except FileNotFoundError:
        return True


def _earlier_state(out: Path, settings: dict[str, Any]) -> ResumeState:
    """The state an earlier run left, checked against this run's settings."""
    state_file = state_path(out)
    try:
        saved = json.loads(state_file.read_text(encoding="utf-8"))
        records, written, complete = saved["records"], saved["output_bytes"], saved["complete"]
        before = saved["settings"]
        if saved.get("layout") != _LAYOUT or not isinstance(records, int) or not isinstance(written, int):
            raise ValueError(saved.get("layout"))
    except FileNotFoundError:
        raise EngineError(f"{out}: there is no record of how far the run that wrote it got ({state_file} "
                          "is missing), so it cannot be continued exactly. Fix: run again without --resume "
                          "(it starts over), or write to a new --out.") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise EngineError(f"{state_file}: not a state file of `ordinance batch` (or damaged). Fix: run "
                          "again without --resume (it starts over).") from None
    differences = _differences(before, settings)
    if differences:
        raise EngineError(f"--resume: this run differs from the one that wrote {out}: "
                          + "; ".join(differences) + ". Fix: run with the same input and options, or "
                          "without --resume to start over (or with another --out).")
    size = out.stat().st_size if out.exists() else 0
    if size < written:
        raise EngineError(f"{out}: {size:,} bytes, but the run that wrote it recorded {written:,}: the file "
                          "was changed since. Fix: run again without --resume (it starts over).")
    return ResumeState(out, settings, records, written, complete)


def begin(out: str | Path | None, settings: dict[str, Any], resume: bool) -> ResumeState | None:
    """The state of this run: for ``resume``, the earlier run's (the output cut back to what it
    recorded); otherwise a new one.  None when the output cannot carry a state (standard output,
    a device or pipe); ``resume`` is then refused.
    """
    if out is None:
        return None
    out = Path(out)
    if not _regular_or_missing(out):
        if resume:
            raise EngineError(f"--resume {out}: not a regular file, so there is nothing to continue. Fix: "
                              "write to a file, or drop --resume.")
        return None
    if resume and ((out.exists() and out.stat().st_size > 0) or state_path(out).exists()):
        state = _earlier_state(out, settings)
        os.truncate(out, state.output_bytes)
        return state
    state = ResumeState(out, settings)
    state.save()
    return state
