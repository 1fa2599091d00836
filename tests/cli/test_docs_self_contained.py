"""The repository is all a user has: nothing in it may send them to a file it does not hold.

The texts the encodings cite are copied in (sources/), the case contract is docs/contract.md,
and the licence pyproject declares is in LICENSE.  These tests fail on a tracked text file
that points outside the repository (to the directory beside it where the project's seeds and
specification were kept while it was written), on a Markdown link or anchor that leads
nowhere, and on a `source(...)` of a built-in encoding (what `ordinance list` prints) naming
a missing file.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from functools import cache
from pathlib import Path

import pytest

from engine import RuleBase
from tests.conftest import ROOT

#: The directory outside the repository the project was written beside.
OUTSIDE = "../" + "shared"  # split, so that this file does not name it itself

_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)
_HTML_ID = re.compile(r"""\b(?:id|name)=["'](?P<id>[^"']+)["']""")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in filter(None, listed.decode().split("\0")) if (ROOT / name).is_file()]


def text_of(path: Path) -> str | None:
    """The file's text, or None for a binary file."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


MARKDOWN = [path for path in tracked_files() if path.suffix == ".md"]


def test_no_tracked_file_points_outside_the_repository() -> None:
    offending = []
    for path in tracked_files():
        text = text_of(path)
        for number, line in enumerate((text or "").splitlines(), start=1):
            if OUTSIDE in line:
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offending, "a user does not have these files; cite the copy in the repository " \
                          "(sources/, docs/contract.md):\n" + "\n".join(offending)


def github_slug(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    title = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", title)
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """The anchors a Markdown file offers: its headings' slugs (GitHub's -1, -2 for repeats) and ids."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    found: set[str] = set(match["id"] for match in _HTML_ID.finditer(text))
    seen: dict[str, int] = {}
    for match in _HEADING.finditer(text):
        slug = github_slug(match["title"])
        found.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return frozenset(found)


@pytest.mark.parametrize("document", MARKDOWN, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_link_of_a_document_leads_somewhere(document: Path) -> None:
    broken = []
    text = _FENCE.sub("", document.read_text(encoding="utf-8"))
    for match in _LINK.finditer(text):
        target = match["target"]
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        name, _, anchor = target.partition("#")
        path = (document.parent / name).resolve() if name else document
        if not path.exists() or ROOT not in (path, *path.parents):
            broken.append(f"{target}: no such file in the repository")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: {path.relative_to(ROOT)} has no heading or id '{anchor}'")
    assert not broken, f"{document.relative_to(ROOT)}:\n" + "\n".join(broken)


def test_every_source_an_encoding_cites_is_in_the_repository(rules: RuleBase) -> None:
    """`ordinance list` prints each built-in ordinance's source(...): the files it names ship."""
    for ordinance in rules.catalog.ordinances.values():
        cited = re.findall(r"sources/\S+?\.(?:txt|md)\b", ordinance.source)
        assert cited, f"{ordinance.id}: source(...) names no file under sources/: {ordinance.source}"
        for name in cited:
            assert (ROOT / name).is_file(), f"{ordinance.id}: {name} is not in the repository"


def test_the_sources_are_package_data() -> None:
    """A wheel carries sources/ beside asp/, as a checkout has them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "sources" in config["packages"]
    patterns = config["package-data"]["sources"]
    shipped = {path for pattern in patterns for path in (ROOT / "sources").glob(pattern)}
    assert {path for path in (ROOT / "sources").rglob("*") if path.is_file()} == shipped


def test_the_licence_pyproject_declares_is_in_the_repository() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert declared == {"text": "MIT"} and licence.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in licence
