"""Results as pandas DataFrames, for a notebook: one row per (case, ordinance, action).

pandas is an optional extra (``pip install 'ordinance-engine[notebook]'``), imported only when
a frame is asked for; without it the call fails with a `ModuleNotFoundError` that says so.
The columns are the fields of the contract's JSON (docs/contract.md, "A result"), lists kept as
lists, so that a frame holds what ``--format json`` prints: `decision_frame` for decisions, and
`engine.batch.rows` for what ``ordinance batch`` wrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    import pandas

    from engine.core.results import Decision

__all__ = ["RESULT_COLUMNS", "INSTALL_HINT", "import_pandas", "result_records", "frame", "decision_frame"]

#: A frame's columns: the contract's result fields, the case first.  ``restrictions`` and
#: ``items`` are empty lists where the JSON leaves them out (it writes them only when a row has them).
RESULT_COLUMNS = ("case", "ordinance", "action", "status", "sections", "exceptions", "tensions",
                  "restrictions", "items")
#: How to get pandas with the project (pyproject.toml's ``notebook`` extra).
INSTALL_HINT = "pip install 'ordinance-engine[notebook]'"


def import_pandas() -> Any:
    """The pandas module, or an error naming the extra that installs it."""
    try:
        import pandas
    except ImportError:
        raise ModuleNotFoundError(f"a DataFrame needs pandas, which is not installed. Fix: {INSTALL_HINT} "
                                  "(or pip install pandas).", name="pandas") from None
    return pandas


def result_records(case: str, results: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One record per result of a case, from the contract's JSON object of each result
    (`Result.to_dict`, or a row ``ordinance batch`` wrote): statuses as plain words."""
    return [{"case": case, "ordinance": r["ordinance"], "action": r["action"], "status": str(r["status"]),
             "sections": list(r["sections"]), "exceptions": list(r["exceptions"]),
             "tensions": list(r["tensions"]), "restrictions": list(r.get("restrictions", ())),
             "items": [{**item, "status": str(item["status"])} for item in r.get("items", ())]}
            for r in results]


def frame(records: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> pandas.DataFrame:
    """A DataFrame of ``records`` with exactly ``columns``, in that order (also when there are none)."""
    return import_pandas().DataFrame.from_records(list(records), columns=list(columns))


def decision_frame(decisions: Decision | Iterable[Decision]) -> pandas.DataFrame:
    """One row per (case, ordinance, action) of one decision or several, silent rows included
    (``df[df.status != "silent"]`` leaves the rows `ordinance decide` tables)."""
    from engine.core.results import Decision

    chosen = [decisions] if isinstance(decisions, Decision) else list(decisions)
    records = [record for d in chosen for record in result_records(d.case, (r.to_dict() for r in d.results))]
    return frame(records, RESULT_COLUMNS)
