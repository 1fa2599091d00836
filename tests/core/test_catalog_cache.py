"""The catalog cache: an entry is read only for the exact rule files it was built from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.core import catalog_cache
from engine.core.catalog_cache import cached_catalog
from engine.core.rulebase import grounded_catalog, builtin_rules_dir


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of the built-in rules that a test may edit."""
    copy = tmp_path / "asp"
    shutil.copytree(builtin_rules_dir(), copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return copy


def _build(rules_dir: Path, calls: list[Path]):
    def build():
        calls.append(rules_dir)
        return grounded_catalog((rules_dir / "all.lp",))
    return build


def test_a_cached_catalog_equals_the_grounded_one_and_is_not_grounded_again(
        rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(catalog_cache.CACHE_ENV_VAR, str(tmp_path / "cache"))
    calls: list[Path] = []
    first = cached_catalog(rules_copy, _build(rules_copy, calls))
    second = cached_catalog(rules_copy, _build(rules_copy, calls))
    assert calls == [rules_copy]  # the second came from the file
    assert second == first == grounded_catalog((rules_copy / "all.lp",))
    assert len(list((tmp_path / "cache").glob("catalog-*.json"))) == 1


def test_an_edited_rule_file_is_never_read_from_an_older_entry(
        rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(catalog_cache.CACHE_ENV_VAR, str(tmp_path / "cache"))
    calls: list[Path] = []
    before = cached_catalog(rules_copy, _build(rules_copy, calls))
    beacon = rules_copy / "ordinances" / "beacon.lp"
    beacon.write_text(beacon.read_text(encoding="utf-8").replace(
        'ordinance(beacon, "beacon",', 'ordinance(beacon, "beacon-edited",', 1), encoding="utf-8")
    after = cached_catalog(rules_copy, _build(rules_copy, calls))
    assert len(calls) == 2
    assert "beacon-edited" in after.ordinances and "beacon-edited" not in before.ordinances


def test_a_damaged_or_unwritable_cache_is_not_an_error(
        rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(catalog_cache.CACHE_ENV_VAR, str(cache))
    calls: list[Path] = []
    good = cached_catalog(rules_copy, _build(rules_copy, calls))
    (entry,) = cache.glob("catalog-*.json")
    entry.write_text('{"ordinances": {', encoding="utf-8")
    assert cached_catalog(rules_copy, _build(rules_copy, calls)) == good and len(calls) == 2
    assert cached_catalog(rules_copy, _build(rules_copy, calls)) == good and len(calls) == 2  # repaired
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(catalog_cache.CACHE_ENV_VAR, str(blocked / "cache"))
    assert cached_catalog(rules_copy, _build(rules_copy, calls)) == good and len(calls) == 3


def test_off_turns_the_cache_off(rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(catalog_cache.CACHE_ENV_VAR, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    calls: list[Path] = []
    cached_catalog(rules_copy, _build(rules_copy, calls))
    cached_catalog(rules_copy, _build(rules_copy, calls))
    assert len(calls) == 2 and not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
