"""The README stays true: the two set-up lines, the layout list and the example files it names.

Its command blocks are run, as a user runs them, by tests/cli/test_docs_blocks.py."""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_first_lines_give_the_two_commands() -> None:
    block = README.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    main_job, tests = block
    assert "pip install ." in main_job and "ordinance decide examples/" in main_job
    assert "pytest" in tests
    assert tests in CI, ".ci/run must run the README's test command verbatim"


def test_readme_layout_names_every_module() -> None:
    """Each module of engine/ is named in the Layout section, under its subpackage's line."""
    layout = README.split("## Layout", 1)[1].split("```", 2)[1]
    for module in sorted((ROOT / "engine").rglob("*.py")):
        if module.stem == "__init__":
            continue
        package = module.parent.name
        if package == "engine":
            assert re.search(rf"\b{module.stem}\b", layout), module
            continue
        block = re.search(rf"^  {package}/(.*?)(?=^  \w+/|^\S)", layout, re.MULTILINE | re.DOTALL).group(1)
        assert re.search(rf"\b{module.stem}\b", block), module


def test_readme_names_only_existing_examples() -> None:
    for name in re.findall(r"examples/[\w.-]+", README):
        assert (ROOT / name).exists(), name
