"""READING and QUESTION ids: the interpretive choices written next to the rules.

Every interpretive choice an encoding makes is a comment beside the rule it
concerns, and docs/interpretations.md explains them to lawyers.  Without a
shared key the two drift apart silently, so each comment carries a stable id:

    % READING westchester-1c-agencies: agency `police` is the Department of ...
    % QUESTION westchester-1g-authorises: the case does not say what the ...
    % READING usc-1373-info-broad (switch usc_1373=broad): "information ...

An id starts with the public id of the ordinance its file declares
(``ordinance/3``; a file that declares none uses its directory name), then the
section or term it concerns and a short slug, all lower case with hyphens.
The text of a comment runs over the following comment lines up to a blank
comment line, a heading, a rule, or the next READING/QUESTION/EXCEPTION/SWITCH
line.  ``(switch NAME=VALUE)`` ties a reading to the value of a
``switch/3`` it implements.

This module parses those comments, writes the per-id blocks of the document
(``python -m engine.core.readings --write``) and checks the document against
the rules (``python -m engine.core.readings``, and tests/core/test_readings.py):
a marker without an id, a duplicate or misplaced id, a stale block, an id the
rules lack (there, in tests, examples or other documents), or a switch value
without a reading is a failure.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

__all__ = ["Reading", "ReadingError", "parse_file", "parse_rules", "render_block", "render_switches",
           "write_document", "check_document", "check_citations", "citing_files", "ROOT", "DOCUMENT"]

#: The repository: the rule files and the document live beside the package.
ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "interpretations.md"

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)+"
#: Any use of a marker word that is followed, on its line, by a colon or a closing parenthesis.
_CANDIDATE = re.compile(r"\b(READING|QUESTION)\b([^:)\n]*[:)])")
#: The one accepted form of a marker, from the word to its colon.
_MARKER = re.compile(rf"(READING|QUESTION) ({_ID})(?: \(switch (\w+)=(\w+)\))?:")
#: Comment lines that end the text of a marker: blank, a heading or block comment, or another marker.
_STOP = re.compile(r"%\s*$|%[#*]|%\s*(READING|QUESTION|EXCEPTION|SWITCH)\b")
_ORDINANCE = re.compile(r'^ordinance\(\s*\w+\s*,\s*"([^"]+)"', re.MULTILINE)
_BLOCK = re.compile(r"<!-- readings: (?P<name>\S+) .*?-->\n(?P<body>.*?)<!-- end readings -->", re.DOTALL)
#: How a text cites a reading: the kind word, then the id (optionally as a link).  "% READING id:"
#: is a comment showing the syntax, not a citation.
_CITATION = re.compile(rf"(?<!% )\b(READING|QUESTION) \[?`?({_ID})`?\]?")
#: The ids used before this scheme ("READING T-6", "QUESTION T-Q5").
_LEGACY = re.compile(r"\b(?:READING|QUESTION) [A-Z]-[A-Za-z0-9-]+")
_LINK = re.compile(r"\]\(#([^)\s]+)\)")
SWITCHES_BLOCK = "switches"
#: Other files that cite readings by id: the README, the other documents, examples and fixtures.
CITING = ("README.md", "docs/**/*.md", "examples/**/*.yaml", "tests/**/*.yaml")


@dataclass(frozen=True)
class Reading:
    """One READING or QUESTION comment of a rule file."""

    id: str
    kind: str
    #: The rule file, relative to the repository (``asp/ordinances/beacon.lp``).
    file: str
    line: int
    #: The heading the comment stands under (``1(c) County Law Enforcement Agencies (CLEAs)``).
    heading: str
    #: The switch value this reading implements, ``(name, value)``, if any.
    switch: tuple[str, str] | None
    text: str


class ReadingError(Exception):
    """Rule comments that break the id scheme; every problem is listed, with file and line."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def _prefix(path: Path, text: str) -> str:
    """What the file's ids start with: the public id of the one ordinance it declares, else its directory.

    Ids then say which text a reading belongs to, and two files cannot collide.
    """
    declared = _ORDINANCE.findall(text)
    return declared[0] if len(declared) == 1 else path.parent.name


def parse_file(path: Path, root: Path = ROOT) -> tuple[list[Reading], list[str]]:
    """The readings of one rule file, and the problems found in its markers."""
    text = path.read_text(encoding="utf-8")
    name = path.resolve().relative_to(root.resolve()).as_posix()
    prefix = _prefix(path, text)
    lines = text.splitlines()
    readings: list[Reading] = []
    problems: list[str] = []
    heading = ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("%#"):  # the file's title (%#) opens its general part, %## and %### a section
            heading = stripped.lstrip("%#").strip() if stripped.startswith("%##") else ""
            continue
        if not stripped.startswith("%") or stripped.startswith("%*"):
            continue
        for candidate in _CANDIDATE.finditer(stripped):
            marker = _MARKER.match(stripped, candidate.start())
            where = f"{name}:{index + 1}"
            if marker is None:
                problems.append(f"{where}: {candidate.group(0)!r} has no well-formed id. Fix: write "
                                f"'{candidate.group(1)} {prefix}-<section>-<slug>: ...' (lower case, hyphens) "
                                "at the start of the comment.")
                continue
            if stripped[:candidate.start()].strip("% "):
                problems.append(f"{where}: {marker.group(1)} {marker.group(2)} must start its comment line.")
                continue
            kind, ident, law, value = marker.groups()
            if not ident.startswith(prefix + "-"):
                problems.append(f"{where}: {ident} must start with '{prefix}-', the id of the file's ordinance.")
            body = [stripped[marker.end():].strip()]
            for following in lines[index + 1:]:
                following = following.strip()
                if not following.startswith("%") or _STOP.match(following):
                    break
                body.append(following.lstrip("%").strip())
            readings.append(Reading(ident, kind, name, index + 1, heading,
                                    (law, value) if law else None, " ".join(" ".join(body).split())))
    return readings, problems


def parse_rules(directory: Path | None = None, root: Path = ROOT) -> list[Reading]:
    """Every reading of the rule files under ``directory`` (default ``asp/``), in file order.

    Raises ReadingError when a marker has no id, an id is misplaced, or two
    comments share an id.
    """
    directory = directory or root / "asp"
    readings: list[Reading] = []
    problems: list[str] = []
    for path in sorted(directory.rglob("*.lp")):
        found, wrong = parse_file(path, root)
        readings += found
        problems += wrong
    first: dict[str, Reading] = {}
    for reading in readings:
        if reading.id in first:
            problems.append(f"{reading.file}:{reading.line}: {reading.id} is already the id of "
                            f"{first[reading.id].file}:{first[reading.id].line}. Fix: choose another slug.")
        first.setdefault(reading.id, reading)
    if problems:
        raise ReadingError(problems)
    return readings


def render_block(readings: Iterable[Reading]) -> str:
    """The document's entry for each reading of one file: its id, kind and text, under its heading."""
    out: list[str] = []
    heading = None
    for reading in readings:
        if reading.heading != heading:
            heading = reading.heading
            out += ["", f"*{heading or 'The whole text'}*", ""]
        switch = f", switch `{reading.switch[0]}={reading.switch[1]}`" if reading.switch else ""
        out.append(f'- <a id="{reading.id}"></a>**`{reading.id}`** ({reading.kind}{switch}): {reading.text}')
    return "\n".join(out).lstrip("\n") + "\n"


def render_switches(readings: Iterable[Reading], switches: Mapping[str, tuple[str, Sequence[str]]]) -> str:
    """A table of every ``switch/3`` value with the readings that implement it."""
    by_value: dict[tuple[str, str], list[str]] = defaultdict(list)
    for reading in readings:
        if reading.switch:
            by_value[reading.switch].append(f"[`{reading.id}`](#{reading.id})")
    rows = ["| switch | value | readings |", "|---|---|---|"]
    for law, (default, values) in switches.items():  # in the order the rules declare them
        for value in [default, *sorted(v for v in values if v != default)]:
            label = f"`{value}` (default)" if value == default else f"`{value}`"
            rows.append(f"| `{law}` | {label} | {', '.join(by_value[(law, value)]) or 'none'} |")
    return "\n".join(rows) + "\n"


def _blocks(readings: Sequence[Reading], switches: Mapping[str, tuple[str, Sequence[str]]]) -> dict[str, str]:
    by_file: dict[str, list[Reading]] = defaultdict(list)
    for reading in readings:
        by_file[reading.file].append(reading)
    blocks = {name: render_block(items) for name, items in by_file.items()}
    blocks[SWITCHES_BLOCK] = render_switches(readings, switches)
    return blocks


def _opening(name: str) -> str:
    """The marker a block starts with; it tells an editor where its text comes from."""
    source = ("the switch/3 facts and the readings' (switch ...)" if name == SWITCHES_BLOCK
              else f"the comments of {name}")
    return (f"<!-- readings: {name} (generated by `python -m engine.core.readings --write` "
            f"from {source}; edit those, not this block) -->\n")


def write_document(document: str, readings: Sequence[Reading],
                   switches: Mapping[str, tuple[str, Sequence[str]]]) -> str:
    """The document with every generated block rewritten; a rule file with no block yet gets one at the end."""
    blocks = _blocks(readings, switches)
    present: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        present.add(name)
        if name not in blocks:
            return match.group(0)  # left for check_document to report
        return f"{_opening(name)}\n{blocks[name]}\n<!-- end readings -->"

    document = _BLOCK.sub(replace, document)
    missing = [name for name in blocks if name not in present]
    if missing:
        document = document.rstrip("\n") + "\n\n## Readings of other rule files\n"
        for name in missing:
            document += f"\n{_opening(name)}\n{blocks[name]}\n<!-- end readings -->\n"
    return document


def _anchors(document: str) -> set[str]:
    """The anchors a link in the document may point to: explicit ids and GitHub heading slugs."""
    anchors = set(re.findall(r'<a id="([^"]+)">', document))
    for heading in re.findall(r"^#+ (.+)$", document, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def check_document(document: str, readings: Sequence[Reading],
                   switches: Mapping[str, tuple[str, Sequence[str]]]) -> list[str]:
    """Where the document and the rules disagree; empty when they agree."""
    problems: list[str] = []
    blocks = _blocks(readings, switches)
    seen: set[str] = set()
    for match in _BLOCK.finditer(document):
        name = match.group("name")
        if name in seen:
            problems.append(f"the block for {name} appears twice")
        seen.add(name)
        if name not in blocks:
            problems.append(f"the block for {name} names no rule file with readings; remove it")
        elif match.group("body").strip() != blocks[name].strip():
            problems.append(f"the block for {name} is not what the rules say")
    problems += [f"no block for {name}" for name in blocks if name not in seen]
    problems += [f"the document {problem}" for problem in check_citations(_BLOCK.sub("", document), readings)]
    anchors = _anchors(document)
    problems += [f"the link #{target} leads nowhere" for target in _LINK.findall(document) if target not in anchors]
    for law, (default, values) in switches.items():
        for value in {default, *values}:
            if not any(reading.switch == (law, value) for reading in readings):
                problems.append(f"switch {law}={value} has no READING (switch {law}={value}) in the rules")
    problems += [f"{reading.file}:{reading.line}: {reading.id} names an unknown switch value "
                 f"{reading.switch[0]}={reading.switch[1]}" for reading in readings
                 if reading.switch and reading.switch[1] not in switches.get(reading.switch[0], ("", ()))[1]]
    return problems


def check_citations(text: str, readings: Sequence[Reading]) -> list[str]:
    """Citations (``READING <id>``, ``QUESTION <id>``) in a text that name no reading of that kind.

    Tests, examples and other documents cite readings too; a citation of an id
    the rules lack, or of the ids used before this scheme (``READING T-6``),
    points a reader at nothing.
    """
    known = {reading.id: reading.kind for reading in readings}
    problems = [f"cites {kind} {ident}, which no rule file has" if ident not in known
                else f"cites {ident} as a {kind}; the rules have a {known[ident]}"
                for kind, ident in _CITATION.findall(text) if known.get(ident) != kind]
    problems += [f"cites {old}, an id of the old scheme" for old in _LEGACY.findall(text)]
    return problems


def citing_files(root: Path = ROOT) -> list[Path]:
    """The files besides the document whose citations of readings are checked (CITING)."""
    document = root / "docs" / DOCUMENT.name
    return sorted({path for pattern in CITING for path in root.glob(pattern) if path != document})


def _switches() -> dict[str, tuple[str, tuple[str, ...]]]:
    from engine.core.rulebase import load_rule_base  # only the command line needs the solver
    return load_rule_base(use_env=False).catalog.switches


def main(argv: Sequence[str] | None = None) -> int:
    """Check the document and the citations against the rules (after ``--write`` rewrote its blocks)."""
    parser = argparse.ArgumentParser(prog="python -m engine.core.readings", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite the generated blocks of {DOCUMENT.name}")
    parser.add_argument("--document", type=Path, default=DOCUMENT, help="the document (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        readings = parse_rules()
    except ReadingError as error:
        print(error, file=sys.stderr)
        return 1
    switches = _switches()
    document = args.document.read_text(encoding="utf-8")
    if args.write:
        document = write_document(document, readings, switches)
        args.document.write_text(document, encoding="utf-8")
    problems = [f"{args.document}: {problem}" for problem in check_document(document, readings, switches)]
    problems += [f"{path}: {problem}" for path in citing_files()
                 for problem in check_citations(path.read_text(encoding="utf-8"), readings)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(readings)} readings; {args.document.name} and the citations agree with the rules.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
