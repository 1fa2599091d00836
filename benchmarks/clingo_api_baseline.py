"""What a competent clingo user would write: the clingo Python API, multi-shot, one grounding per
number of requests with the case inputs open as choices, one solve() under assumptions per case,
the shown atoms turned into the same JSON rows `ordinance batch` writes.  No validation of input.

    python benchmarks/clingo_api_baseline.py CASES.jsonl OUT.jsonl [JOBS]

The yardstick of issue 15 ("batch >= 4x this on one core"). Adapted from the script the
performance review of issue 15 measured (the project's shared spec,
perf/compiled/clingo_api_baseline.py) to case model v2: the fields a request may state
(outcome, findings) and the results' restrictions and items.  Like the original it uses
nothing of the engine: the rule files, the clingo API and the standard library; the domains of
flags are read from the rules' own ``domain/2`` facts.  `benchmarks/run.py` checks its rows are
byte-identical to the engine's.
"""

import json
import os
import re
import sys
from pathlib import Path

import clingo

RULES = os.environ.get("RULES", str(Path(__file__).resolve().parent.parent / "asp" / "all.lp"))
#: Case predicate -> the domain its values come from.
PLAIN = {"agency": "agency", "person": "person", "role": "role", "conviction": "conviction",
         "determination": "determination"}
REQ = {"request": "request_kind", "request_from": "request_from", "request_has": "request_has",
       "request_info": "request_info", "request_purpose": "request_purpose", "request_topic": "request_topic",
       "request_outcome": "request_outcome", "request_determination": "determination"}
SECTIONS = {"decided_by": "sections", "excepted_by": "exceptions", "tension": "tensions",
            "restricted_by": "restrictions"}


def sort_key(section):
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.findall(r"\d+|[A-Za-z]+|[^\dA-Za-z]", section))


def inputs_program(k):
    lines = [f"_slot(1..{k})."] if k else []
    lines += [f"{{ {n}(X) : domain({d}, X) }}." for n, d in PLAIN.items()]
    if k:
        lines += [f"{{ {n}(Q, X) : _slot(Q), domain({d}, X) }}." for n, d in REQ.items()]
    return "\n".join(lines)


class Engine:
    def __init__(self):
        self.solvers = {}
        self.decoded = {}      # Symbol -> ((ordinance constant, action), kind, values)
        self.results = {}      # (pair, frozenset of decoded) -> JSON text of the result
        ctl = clingo.Control(["--warn=none"])
        ctl.load(RULES)
        ctl.ground([("base", [])])
        fed = {str(a.symbol.arguments[0]) for a in ctl.symbolic_atoms.by_signature("federal", 1)}
        self.ordinances = sorted(((str(a.symbol.arguments[0]), a.symbol.arguments[1].string)
                                  for a in ctl.symbolic_atoms.by_signature("ordinance", 3)
                                  if str(a.symbol.arguments[0]) not in fed), key=lambda o: o[1])
        self.actions = sorted(str(a.symbol.arguments[0]) for a in ctl.symbolic_atoms.by_signature("action", 2))
        self.domain = {}
        for a in ctl.symbolic_atoms.by_signature("domain", 2):
            self.domain.setdefault(str(a.symbol.arguments[0]), set()).add(str(a.symbol.arguments[1]))

    def case_keys(self, d):
        """JSON case -> input atoms as (name, args...) tuples (no validation)."""
        keys = []
        if d.get("agency"):
            keys.append(("agency", d["agency"]))
        p = d.get("person") or {}
        keys += [("person", k) for k, v in p.items() if v is True]
        keys += [("role", r) for r in p.get("roles", ())]
        keys += [("conviction", c) for c in p.get("convictions", ())]
        for q, r in enumerate(d.get("requests") or (), start=1):
            keys.append(("request", q, r["kind"]))
            keys.append(("request_from", q, r.get("from", "ice")))
            keys += [("request_has", q, f) for f, v in r.items() if v is True and f in self.domain["request_has"]]
            keys += [("request_outcome", q, f) for f, v in r.items()
                     if v is True and f in self.domain["request_outcome"]]
            keys += [("request_info", q, i) for i in r.get("info", ())]
            if r.get("purpose"):
                keys.append(("request_purpose", q, r["purpose"]))
            if r.get("topic"):
                keys.append(("request_topic", q, r["topic"]))
            keys += [("request_determination", q, k) for k, v in (r.get("determinations") or {}).items() if v]
        keys += [("determination", k) for k, v in (d.get("determinations") or {}).items() if v]
        return keys

    def solver(self, k):
        s = self.solvers.get(k)
        if s is None:
            ctl = clingo.Control(["--warn=none"])
            ctl.load(RULES)
            ctl.add("base", [], inputs_program(k))
            ctl.ground([("base", [])])
            names = set(PLAIN) | set(REQ)
            lits = {}
            for a in ctl.symbolic_atoms:
                sym = a.symbol
                if sym.name in names and not a.is_fact:
                    lits[(sym.name, *(x.number if x.type == clingo.SymbolType.Number else x.name
                                      for x in sym.arguments))] = a.literal
            keys = sorted(lits)
            s = self.solvers[k] = (ctl, {key: i for i, key in enumerate(keys)}, [lits[key] for key in keys])
        return s

    def decide(self, d):
        keys = self.case_keys(d)
        ctl, pos, lits = self.solver(len(d.get("requests") or ()))
        assumptions = [-lit for lit in lits]
        for key in keys:
            i = pos[key]
            assumptions[i] = lits[i]
        shown = []
        ctl.solve(assumptions=assumptions, on_model=lambda m: shown.extend(m.symbols(shown=True)))
        return d.get("id"), shown

    def row(self, case_id, shown):
        by_pair = {}
        dec = self.decoded
        for sym in shown:
            t = dec.get(sym)
            if t is None:
                o, a, *rest = sym.arguments
                values = tuple(v.string if v.type == clingo.SymbolType.String else
                               str(v.number) if v.type == clingo.SymbolType.Number else v.name for v in rest)
                t = dec[sym] = ((o.name, a.name), sym.name, values)
            by_pair.setdefault(t[0], []).append(t)
        out = []
        for const, public in self.ordinances:
            for action in self.actions:
                items = by_pair.get((const, action))
                if items is None:
                    continue
                key = (const, action, frozenset(items))
                text = self.results.get(key)
                if text is None:
                    text = self.results[key] = self.result(public, action, items)
                out.append(text)
        return '{"case":%s,"results":[%s]}\n' % (json.dumps(case_id, ensure_ascii=False), ",".join(out))

    @staticmethod
    def result(public, action, items):
        status = "silent"
        found = {name: set() for name in SECTIONS.values()}
        item_status, item_sections = {}, {}
        for _, kind, values in items:
            if kind == "status":
                status = values[0]
            elif kind == "item_status":
                item_status[(int(values[0]), values[1])] = values[2]
            elif kind == "item_decided_by":
                item_sections.setdefault((int(values[0]), values[1]), set()).add(values[2])
            else:
                found[SECTIONS[kind]].add(values[0])
        data = {"ordinance": public, "action": action, "status": status}
        for name in ("sections", "exceptions", "tensions"):
            data[name] = sorted(found[name], key=sort_key)
        if found["restrictions"]:
            data["restrictions"] = sorted(found["restrictions"], key=sort_key)
        if item_status:
            data["items"] = [{"request": q, "info": i, "status": s,
                              "sections": sorted(item_sections.get((q, i), ()), key=sort_key)}
                             for (q, i), s in sorted(item_status.items())]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


_E = None


def work(lines):
    global _E
    if _E is None:
        _E = Engine()
    return "".join(_E.row(*_E.decide(json.loads(line))) for line in lines)


def chunks(f, n=500):
    buf = []
    for line in f:
        buf.append(line)
        if len(buf) == n:
            yield buf
            buf = []
    if buf:
        yield buf


if __name__ == "__main__":
    src, dst = sys.argv[1], sys.argv[2]
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with open(src) as f, open(dst, "w") as out:
        if jobs == 1:
            for c in chunks(f):
                out.write(work(c))
        else:
            import multiprocessing
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for text in pool.imap(work, chunks(f), chunksize=1):
                    out.write(text)
