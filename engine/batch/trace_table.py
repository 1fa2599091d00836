"""The compact `--explain` trace: the table its ids refer to, and explained rows read back.

Why: written in full, a row's derivation (every rule instance it rests on, as text) made an
explained batch ~108 KB a case, most of it the same instances repeated case after case.  In the
compact form (`engine.batch.solver.COMPACT`, docs/batch.md "--explain") a row names its rule
instances and case facts by integer ids (`engine.batch.solver.TraceIndex`), and the text of
each id is written once per run, in a table beside the output, ``<out>.trace.jsonl``:

* line 1, the header: ``{"layout", "table", "readings", "rules"}``: ``table`` is the key
  (`engine.batch.solver.table_key`) that every row of the run carries too, ``rules`` the
  SHA-256 of each rule file;
* then lines ``{"requests": K, "rules": {index: "file:line"}, "atoms": [atom, ...], "instances":
  {id: [rule index, head, [positive atoms], [negated atoms]]}, "facts": {id: atom}}`` adding the
  ids rows with K requests use, each id once, as the rows that first use them are written (an
  instance's atoms are numbers into the line's ``atoms``, each atom's text written once); a finished run
  rewrites the table in one canonical form (a line per K, ids in order), so the same input and
  options give the same table whatever the jobs, chunks or interruptions.

Workers send the entries of the ids they use for the first time (`new_entries`), the parent
writes those not yet written (`TableWriter`).  `read_explained` reads one case's row back with
its table: `ExplainedRow.firings_row` is the row as ``--explain-format firings`` writes it, and
`ExplainedRow.explain` the explanation ``ordinance explain`` gives (graph and text), built by
`engine.explain` on the case the row records (its facts), under the readings of the run,
only when asked.  A table of other rule files or readings, or of another run, is refused.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import clingo

from engine.batch.solver import BatchOptions, rule_file_hashes, table_key, trace_index
from engine.core.errors import EngineError
from engine.core.facts import case_from_atoms, fact_symbol
from engine.core.printable import printable
from engine.core.rulebase import RuleBase, load_rule_base
from engine.explain.trace import traced_program

if TYPE_CHECKING:
    from engine.core.cases import Case
    from engine.explain.explanation import Explanation

__all__ = ["TABLE_SUFFIX", "table_path", "Sent", "new_entries", "TableWriter", "TraceTable", "ExplainedRow",
           "read_explained"]

#: Appended to the output's name for its table.
TABLE_SUFFIX = ".trace.jsonl"
#: The version of the table's layout, so that a later layout is not misread.
LAYOUT = 1
_FIX_RERUN = "run the batch again with --explain (it writes the rows and their table together)"


def table_path(out: str | Path) -> Path:
    """Where the table of the compact trace of the rows in ``out`` is written."""
    return Path(f"{out}{TABLE_SUFFIX}")


@dataclass
class _Ids:
    """The ids of one request count written (or sent) so far."""

    rules: set[int] = field(default_factory=set)
    instances: set[int] = field(default_factory=set)
    facts: set[int] = field(default_factory=set)


#: Per request count, what a worker has sent the parent (kept per run by the worker's job).
Sent = dict[int, _Ids]


def new_entries(rows: Iterable[Mapping[str, Any]], rule_base: RuleBase, options: BatchOptions,
                sent: Sent) -> list[dict[str, Any]]:
    """The table entries of the ids these rows use that ``sent`` does not hold yet (added to
    it): one entry per request count, in the table's line form."""
    wanted: dict[int, tuple[set[int], set[int]]] = {}
    for row in rows:
        trace = row.get("trace")
        if trace is not None:
            instances, facts = wanted.setdefault(trace["requests"], (set(), set()))
            instances.update(trace["fired"])
            facts.update(trace["facts"])
    entries = []
    program = traced_program(rule_base)
    for requests in sorted(wanted):
        done = sent.setdefault(requests, _Ids())
        instances, facts = wanted[requests]
        instances -= done.instances
        facts -= done.facts
        if not instances and not facts:
            continue
        index = trace_index(rule_base, options, requests)
        entry: dict[str, Any] = {"requests": requests, "rules": {}, "instances": {}, "facts": {}}
        for instance in sorted(instances):
            firing = index.firing(instance)
            if firing.rule not in done.rules:
                done.rules.add(firing.rule)
                entry["rules"][firing.rule] = program.rules[firing.rule].where
            entry["instances"][instance] = [firing.rule, str(firing.head), [str(a) for a in firing.positive],
                                            [str(a) for a in firing.negative]]
        for fact in sorted(facts):
            entry["facts"][fact] = str(fact_symbol(index.inputs[fact]))
        done.instances |= instances
        done.facts |= facts
        entries.append(entry)
    return entries


def _header(rule_base: RuleBase, options: BatchOptions) -> dict[str, Any]:
    return {"layout": LAYOUT, "table": table_key(rule_base, options), "readings": dict(options.readings),
            "rules": rule_file_hashes(rule_base)}


def _line(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _entry_line(entry: Mapping[str, Any]) -> bytes:
    """An entry as a line of the table: its instances' atoms as numbers into the line's ``atoms``."""
    atoms: dict[str, int] = {}

    def number(atom: str) -> int:
        return atoms.setdefault(atom, len(atoms))

    instances = {i: [rule, number(head), [number(a) for a in positive], [number(a) for a in negative]]
                 for i, (rule, head, positive, negative) in entry["instances"].items()}
    return _line({"requests": entry["requests"], "rules": entry["rules"], "atoms": list(atoms),
                  "instances": instances, "facts": entry["facts"]})


class TableWriter:
    """Writes the table beside a run's output: the header, then the entries not yet written.

    With ``resume`` the table of the earlier run is read back (and must be that run's: the
    resume check has compared the settings; the header is compared too), so only new ids are
    appended.  `finish` rewrites the whole table in its canonical form.
    """

    def __init__(self, out: str | Path | None, rule_base: RuleBase, options: BatchOptions, resume: bool) -> None:
        if out is None or (Path(out).exists() and not Path(out).is_file()):
            raise EngineError("--explain writes the table of its rule instances beside --out (OUT"
                              f"{TABLE_SUFFIX}), and rows on standard output or a device have no file to put "
                              "it beside. Fix: give --out a file, or use --explain-format firings (rows that "
                              "hold their derivation in full).")
        self.path = table_path(out)
        self.header = _header(rule_base, options)
        self.table = TraceTable(self.path, self.header)
        written = Path(out).is_file() and Path(out).stat().st_size > 0
        if resume and written and not self.path.exists():
            raise EngineError(f"--resume {out}: its rows name rule instances by ids whose table, {self.path}, is "
                              "missing, so it cannot be continued exactly. Fix: run again without --resume (it "
                              "starts over), or put the table back.")
        if resume and self.path.exists():
            earlier = TraceTable.load(self.path)
            if earlier.header != self.header:
                raise EngineError(f"{self.path}: the table of another run (other rules or readings). Fix: run "
                                  "again without --resume (it starts over).")
            self.table = earlier
        else:
            self.path.write_bytes(_line(self.header))

    def add(self, entries: Iterable[dict[str, Any]]) -> None:
        """Append the entries' ids not yet in the table (one line per request count)."""
        lines = []
        for entry in entries:
            fresh = self.table.merge(entry)
            if fresh is not None:
                lines.append(_entry_line(fresh))
        if lines:
            with self.path.open("ab") as handle:
                handle.write(b"".join(lines))

    def finish(self) -> None:
        """Rewrite the table in its canonical form (replaced atomically)."""
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_bytes(self.table.canonical())
        os.replace(temporary, self.path)


@dataclass
class _Requests:
    """The table's entries for one request count."""

    instances: dict[int, list[Any]] = field(default_factory=dict)
    facts: dict[int, str] = field(default_factory=dict)


class TraceTable:
    """A table read (or being written): its header, the rule locations, and per request count
    the instances and facts by id."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.path = path
        self.header = header
        self.rules: dict[int, str] = {}
        self.requests: dict[int, _Requests] = {}

    @classmethod
    def load(cls, path: str | Path) -> "TraceTable":
        """The table in ``path``, checked line by line (a damaged line is an error naming it)."""
        path = Path(path)
        try:
            lines = path.read_bytes().splitlines()
        except FileNotFoundError:
            raise EngineError(f"{path}: no such file: the rows' compact trace needs the table written beside "
                              f"them. Fix: keep {path.name} next to the rows, or {_FIX_RERUN}.") from None
        except IsADirectoryError:
            raise EngineError(f"{path}: a directory, not a table. Fix: {_FIX_RERUN}.") from None
        table: TraceTable | None = None
        for number, raw in enumerate(lines, start=1):
            try:
                value = json.loads(raw)
                if table is None:
                    if not isinstance(value, dict) or value.get("layout") != LAYOUT or \
                            not isinstance(value.get("table"), str):
                        raise ValueError("header")
                    table = cls(path, value)
                else:
                    table.merge(value)
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                raise EngineError(f"{path}:{number}: not a line of an `ordinance batch --explain` table (or "
                                  f"damaged). Fix: {_FIX_RERUN}.") from None
        if table is None:
            raise EngineError(f"{path}: empty, not a table. Fix: {_FIX_RERUN}.")
        return table

    def merge(self, entry: Mapping[str, Any]) -> dict[str, Any] | None:
        """Add an entry's ids not yet here (atoms as text, or as numbers into the entry's
        ``atoms`` as a line of the table writes them); returns the entry of those added (None: none)."""
        requests = int(entry["requests"])
        atoms = entry.get("atoms")
        text = (lambda atom: str(atom)) if atoms is None else (lambda atom: str(atoms[int(atom)]))
        known = self.requests.setdefault(requests, _Requests())
        fresh: dict[str, Any] = {"requests": requests, "rules": {}, "instances": {}, "facts": {}}
        for rule, where in entry["rules"].items():
            if int(rule) not in self.rules:
                self.rules[int(rule)] = fresh["rules"][int(rule)] = str(where)
        for instance, (rule, head, positive, negative) in entry["instances"].items():
            if int(instance) not in known.instances:
                known.instances[int(instance)] = fresh["instances"][int(instance)] = \
                    [int(rule), text(head), list(map(text, positive)), list(map(text, negative))]
        for fact, atom in entry["facts"].items():
            if int(fact) not in known.facts:
                known.facts[int(fact)] = fresh["facts"][int(fact)] = str(atom)
        return fresh if fresh["instances"] or fresh["facts"] or fresh["rules"] else None

    def canonical(self) -> bytes:
        """The whole table: the header, then a line per request count, ids in increasing order."""
        lines = [_line(self.header)]
        written: set[int] = set()
        for requests in sorted(self.requests):
            known = self.requests[requests]
            rules = sorted({known.instances[i][0] for i in known.instances} - written)
            written.update(rules)
            lines.append(_entry_line({"requests": requests, "rules": {r: self.rules[r] for r in rules},
                                      "instances": {i: known.instances[i] for i in sorted(known.instances)},
                                      "facts": {f: known.facts[f] for f in sorted(known.facts)}}))
        return b"".join(lines)

    def instance(self, requests: int, instance: int) -> dict[str, Any]:
        """Rule instance ``instance`` of cases with ``requests`` requests, as a row's ``firings``
        holds it: ``rule`` (file:line), ``head``, ``positive``, ``negative``."""
        rule, head, positive, negative = self._entry(requests, "instances", instance)
        return {"rule": self.rules[rule], "head": head, "positive": positive, "negative": negative}

    def rule_index(self, requests: int, instance: int) -> int:
        """The index of the traced rule (`engine.explain.trace.RuleInfo`) an instance is of."""
        return self._entry(requests, "instances", instance)[0]

    def fact(self, requests: int, fact: int) -> str:
        """Case fact ``fact`` of cases with ``requests`` requests, as the rules write it."""
        return self._entry(requests, "facts", fact)

    def _entry(self, requests: int, kind: str, number: int) -> Any:
        try:
            return getattr(self.requests[requests], kind)[number]
        except KeyError:
            raise EngineError(f"{self.path}: no {kind[:-1]} {number} for cases with {requests} requests: the "
                              f"table is not the one written with these rows. Fix: {_FIX_RERUN}.") from None

    def check_rules(self, rule_base: RuleBase) -> None:
        """Refuse a table written under other rule files than ``rule_base``'s, naming them."""
        options = BatchOptions(readings=tuple(sorted(self.readings.items())))
        if table_key(rule_base, options) == self.header["table"]:
            return
        now = set(rule_file_hashes(rule_base).values())
        then = self.header.get("rules") or {}
        changed = sorted(printable(name) for name, digest in then.items() if digest not in now)
        added = len(now - set(then.values()))
        named = (f"rule files changed or missing since: {', '.join(changed)}" if changed else "")
        named += ("; " if named and added else "") + (f"{added} rule file(s) added" if added else "")
        raise EngineError(f"{self.path}: written under other rule files ({named or 'other contents'}) than "
                          "these rules, so its ids would name other rule instances. Fix: give the --rules "
                          f"the batch was run with, or {_FIX_RERUN}.")

    @property
    def readings(self) -> dict[str, str]:
        """The readings (interpretive switches) of the run."""
        return dict(self.header.get("readings") or {})


@dataclass(frozen=True)
class ExplainedRow:
    """One case's row of a compact ``--explain`` run, with its table and rules."""

    row: dict[str, Any]
    table: TraceTable
    rule_base: RuleBase
    where: str

    @property
    def requests(self) -> int:
        return self.row["trace"]["requests"]

    def firings_row(self) -> dict[str, Any]:
        """The row as ``--explain-format firings`` writes it: ``firings`` (every instance the
        results rest on, each once, breadth first) and each result's ``derivation`` as numbers
        into it, rebuilt from the ids as `engine.batch.solver._Derivations` numbers them."""
        requests, trace = self.requests, self.row["trace"]
        by_head: dict[str, list[int]] = {}
        for instance in trace["fired"]:
            by_head.setdefault(self.table.instance(requests, instance)["head"], []).append(instance)
        number: dict[int, int] = {}
        steps: list[dict[str, Any]] = []
        seen: set[str] = set()
        queue: list[str] = []

        def add(instance: int) -> int:
            found = number.get(instance)
            if found is None:
                found = number[instance] = len(steps)
                step = self.table.instance(requests, instance)
                steps.append(step)
                for atom in step["positive"]:
                    if atom not in seen:
                        seen.add(atom)
                        queue.append(atom)
            return found

        results = [{**{k: v for k, v in result.items() if k != "derivation"},
                    "derivation": [add(instance) for instance in result["derivation"]]}
                   for result in self.row["results"]]
        for atom in queue:  # grows while it is read: a breadth-first walk
            for instance in by_head.get(atom, ()):
                add(instance)
        return {"case": self.row["case"], "results": results, "firings": steps}

    @property
    def case(self) -> Case:
        """The case the row was decided on, from the facts its trace records."""
        requests = self.requests
        try:
            atoms = [clingo.parse_term(self.table.fact(requests, fact)) for fact in self.row["trace"]["facts"]]
        except RuntimeError:  # clingo's error for a text that is no term: a damaged table
            raise EngineError(f"{self.table.path}: a case fact of {self.where} is not an atom (a damaged "
                              f"table). Fix: {_FIX_RERUN}.") from None
        return case_from_atoms(atoms, str(self.row["case"]))

    def explain(self, ordinance: str, action: str) -> Explanation:
        """What ``ordinance explain`` gives for this pair of the case (the graph, the text), built
        now by `engine.explain` on the case the row records, under the run's readings; refused
        if the row's result for the pair or its recorded derivation disagrees with it."""
        from engine.explain.explanation import explain_pairs

        explanation = explain_pairs(self.case, self.rule_base, [(ordinance, action)], self.table.readings)[0]
        for result in self.row["results"]:
            if (result["ordinance"], result["action"]) != (ordinance, action):
                continue
            heads = {self.table.instance(self.requests, i)["head"] for i in result["derivation"]}
            conclusion = explanation.graph.graph["conclusion"]
            status = conclusion if isinstance(conclusion, str) else conclusion[0]
            if result["status"] != explanation.status or (heads and status not in heads):
                raise EngineError(f"{self.where}: the row says {action} is {result['status']} under {ordinance}, "
                                  f"derived by {sorted(heads)}, but these rules give {explanation.status}: the "
                                  f"rows, their table or the rules are not of one run. Fix: {_FIX_RERUN}.")
        return explanation


def _rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except ValueError:
                        raise EngineError(f"{path}:{number}: not JSON. Fix: give a JSON Lines file that "
                                          "`ordinance batch --explain` wrote (finish an interrupted run with "
                                          "--resume).") from None
    except FileNotFoundError:
        raise EngineError(f"{path}: no such file. Fix: check the path.") from None
    except UnicodeDecodeError:
        raise EngineError(f"{path}: not UTF-8 text. Fix: give a JSON Lines file `ordinance batch` wrote.") from None


def read_explained(rows_path: str | Path, case_id: str, rule_base: RuleBase | None = None,
                   table: str | Path | None = None) -> ExplainedRow:
    """The row of case ``case_id`` (the first, if several cases share the id) in a JSON Lines
    file that ``ordinance batch --explain`` wrote, with the table beside it (``table``: another
    path) and the rule base (default: the built-in rules and ``ORDINANCE_RULES``).

    Refused, with an error naming the file and the fix: a row without a compact trace, a table
    of another run, a table written under other rule files.
    """
    path = Path(rows_path)
    rule_base = rule_base or load_rule_base()
    for number, row in _rows(path):
        if not isinstance(row, dict) or str(row.get("case")) != case_id:
            continue
        where = f"{path}:{number} (case {printable(case_id)!r})"
        if "error" in row:
            raise EngineError(f"{where}: an error row, with nothing to explain: {row['error'].get('message')}")
        trace = row.get("trace")
        if not isinstance(trace, dict):
            raise EngineError(f"{where}: the row has no compact trace (\"trace\"). Fix: run the batch with "
                              "--explain (compact, the default); rows written with --explain-format firings "
                              "hold their derivation in full already.")
        loaded = TraceTable.load(table or table_path(path))
        if trace.get("table") != loaded.header["table"]:
            raise EngineError(f"{loaded.path}: table {loaded.header['table']}, but {where} was written with "
                              f"table {printable(str(trace.get('table')))}: the table of another run. Fix: keep "
                              f"the table the same run wrote beside the rows, or {_FIX_RERUN}.")
        loaded.check_rules(rule_base)
        return ExplainedRow(row, loaded, rule_base, where)
    raise EngineError(f"{path}: no row of case {printable(case_id)!r}. Fix: check the case id (the \"case\" of "
                      "each row).")
