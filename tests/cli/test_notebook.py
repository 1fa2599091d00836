"""examples/notebook.ipynb runs headless, as Jupyter runs it, and shows what its text says.

The notebook is executed with nbclient in a Python kernel of the interpreter running the tests
(ipykernel's own kernel spec), from the repository's root; its outputs are then read as a
notebook front end would show them (the ``text/html`` of each result).
"""

from __future__ import annotations

import re
import shutil

import pytest

from tests.conftest import ROOT

NOTEBOOK = ROOT / "examples" / "notebook.ipynb"
MISSING = "running examples/notebook.ipynb needs nbclient, nbformat and ipykernel (the test extra: pip install '.[test]')"
nbformat = pytest.importorskip("nbformat", reason=MISSING)
nbclient = pytest.importorskip("nbclient", reason=MISSING)
pytest.importorskip("ipykernel", reason=MISSING)
pytest.importorskip("pandas", reason="the notebook's DataFrames need pandas (the test extra: pip install '.[test]')")
if shutil.which("dot") is None:
    pytest.skip("the notebook draws graphs, which needs Graphviz's `dot` program (apt-get install graphviz); "
                "tests/core/test_notebook_api.py checks the note shown without it", allow_module_level=True)


@pytest.fixture(scope="module")
def outputs() -> list[tuple[str, list[dict]]]:
    """Each code cell's source and outputs, after running the whole notebook once."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    return [(cell.source, cell.outputs) for cell in notebook.cells if cell.cell_type == "code"]


def _html(outputs: list[tuple[str, list[dict]]], source_start: str) -> str:
    """The HTML the cell whose source starts with ``source_start`` displays as its result."""
    for source, shown in outputs:
        if source.startswith(source_start):
            return "".join(o.get("data", {}).get("text/html", "") for o in shown)
    raise AssertionError(f"no cell starts with {source_start!r}")


def test_every_cell_runs_without_error(outputs) -> None:
    errors = [o for _, shown in outputs for o in shown if o["output_type"] == "error"]
    assert not errors, errors


def test_a_decision_shows_a_table_of_statuses(outputs) -> None:
    html = _html(outputs, "case = load_case")
    assert '<div class="ordinance-engine decision">' in html
    assert re.search(r"<td[^>]*>westchester</td><td[^>]*>honor_detainer</td><td[^>]*><span[^>]*>forbidden</span>", html)
    assert "silent pairs not shown" in html


def test_an_explanation_shows_its_reasons_and_graph(outputs) -> None:
    html = _html(outputs, "why = explain")
    assert "§ 10(b) forbids it" in html
    assert "<svg" in html and "westchester § 10(b)" in html  # the lawyer's view, drawn


def test_checks_compares_and_what_ifs_are_tables(outputs) -> None:
    check = _html(outputs, "check(")
    assert "Conflicts with usc-1373" in check and "share_nonpublic_info" in check and "&quot;requests&quot;" in check
    compare = _html(outputs, "compare(")
    assert '<div class="ordinance-engine comparison">' in compare and "<th" in compare
    what_if = _html(outputs, "counterfactuals(")
    assert "request 1 is a civil immigration detainer" in what_if


def test_dataframes_and_the_engineers_graph_are_shown(outputs) -> None:
    frames = [_html(outputs, "frame = decision.to_pandas()"), _html(outputs, "import subprocess")]
    assert all('class="dataframe"' in html for html in frames)
    assert "<th>typo</th>" in frames[1]  # a case of the batch input, with its statuses counted
    errors = next(shown for source, shown in outputs if source.startswith("for case, error in rows"))
    assert "typo: " in errors[0]["text"] and "'person.convictions[0]': unknown value 'jaywalking'" in errors[0]["text"]
    graph = next(shown for source, shown in outputs if source.startswith("from visualize import"))
    assert "<svg" in graph[0]["data"]["image/svg+xml"]
