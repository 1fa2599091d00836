"""ordinance-engine: decide cases under local immigration ordinances and 8 U.S.C. § 1373.

    >>> from engine import load_rule_base, load_case, decide
    >>> rules = load_rule_base()
    >>> decision = decide(load_case("examples/ana-detainer.yaml", rules.catalog), rules)  # doctest: +SKIP

The rules live in the `.lp` files of `asp/`; this package loads them, checks
case files against the contract (CASES.md), solves and maps the answer to
typed results, and explains them (`explain`, `counterfactuals`).
"""

from engine.core.cases import Case, load_case, load_cases, parse_case
from engine.core.catalog import Catalog, Ordinance
from engine.explain.derivation import derivation_graph, derivation_to_dict
from engine.core.errors import CaseError, EngineError, RulesError
from engine.explain.explanation import Explanation, explain
from engine.core.facts import case_facts, case_to_lp
from engine.core.rulebase import RuleBase, load_rule_base
from engine.core.results import Decision, Result
from engine.explain.section_whatif import SectionCounterfactual, section_counterfactuals
from engine.core.solve import decide
from engine.explain.whatif import Counterfactual, counterfactuals

__all__ = [
    "Case", "load_case", "load_cases", "parse_case", "Catalog", "Ordinance",
    "CaseError", "EngineError", "RulesError", "case_facts", "case_to_lp", "RuleBase",
    "load_rule_base", "Decision", "Result", "decide",
    "derivation_graph", "derivation_to_dict", "Explanation", "explain", "Counterfactual", "counterfactuals",
    "SectionCounterfactual", "section_counterfactuals",
]


#: What ``__version__`` is when the code runs from a checkout that was never installed (no
#: package metadata): a valid PEP 440 version that says so, rather than a guess.
UNINSTALLED_VERSION = "0+unknown"


def __getattr__(name: str) -> str:
    """``engine.__version__``: the installed distribution's version, read from its metadata as
    the Python Packaging User Guide documents (pyproject.toml is not part of an installed
    package), when first asked for: importlib.metadata takes tens of milliseconds to import,
    which `ordinance decide` should not pay at every start."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("ordinance-engine")
        except PackageNotFoundError:
            return UNINSTALLED_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
