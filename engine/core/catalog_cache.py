"""The built-in rules' catalog, kept on disk between runs, keyed by the rule files' contents.

Reading the catalog means loading and grounding every rule file, a second grounding
of the rule base besides the one that decides the case, and about a fifth of what a
single `ordinance decide` costs.  The built-in files change only with the engine, so
their catalog is stored once as JSON under the user's cache directory
(``$XDG_CACHE_HOME/ordinance-engine``, else ``~/.cache/ordinance-engine``; the
``ORDINANCE_CACHE`` variable names another directory, or ``off`` turns the cache off).

The file's name is a hash of every ``.lp`` file under the rules directory (names and
contents) and of this format's version, so an edited rule file, an upgraded engine or a
checkout on another branch each get their own entry: a stale catalog is never read.  A
cache that cannot be read or written is simply not used; the catalog is then grounded,
as without a cache.  A user's own rule files (``--rules``) are not cached: they are
parsed and checked at every load anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from engine.core.catalog import Catalog, Ordinance

__all__ = ["cached_catalog", "CACHE_ENV_VAR"]

#: Where the cache lives, or ``off``.
CACHE_ENV_VAR = "ORDINANCE_CACHE"
#: Raised whenever the stored form of a catalog changes, so old entries are not read.
FORMAT_VERSION = 1


def _cache_dir() -> Path | None:
    chosen = os.environ.get(CACHE_ENV_VAR)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ordinance-engine"


def _key(rules_dir: Path) -> str:
    """A hash of every rule file's path (relative to ``rules_dir``) and contents."""
    digest = hashlib.sha256(f"catalog format {FORMAT_VERSION}\n".encode())
    for file in sorted(rules_dir.rglob("*.lp")):
        digest.update(str(file.relative_to(rules_dir)).encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _encoded(catalog: Catalog) -> str:
    stored = asdict(catalog)
    stored["descriptions"] = [[field, value, text] for (field, value), text in catalog.descriptions.items()]
    return json.dumps(stored, ensure_ascii=False)


def _decoded(text: str) -> Catalog:
    stored = json.loads(text)
    return Catalog(
        ordinances={key: Ordinance(**value) for key, value in stored["ordinances"].items()},
        actions=stored["actions"],
        domains={key: tuple(values) for key, values in stored["domains"].items()},
        switches={key: (default, tuple(values)) for key, (default, values) in stored["switches"].items()},
        descriptions={(field, value): text for field, value, text in stored["descriptions"]},
    )


def cached_catalog(rules_dir: Path, build: Callable[[], Catalog]) -> Catalog:
    """The catalog of the rule files under ``rules_dir``: from the cache when it holds
    the one of these exact files, else ``build()`` (which grounds them), then stored."""
    directory = _cache_dir()
    if directory is None:
        return build()
    path = directory / f"catalog-{_key(rules_dir)}.json"
    try:
        return _decoded(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):  # absent, unreadable or damaged: build it again
        pass
    catalog = build()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Written whole to a file of this process and renamed, so that a run started
        # meanwhile reads either no entry or a complete one.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(_encoded(catalog), encoding="utf-8")
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError:  # a read-only home or a full disk: run without the cache
        pass
    return catalog
