"""ordinance-engine: decide cases under local immigration ordinances and 8 U.S.C. § 1373.

    >>> from engine import load_rule_base, load_case, decide
    >>> rules = load_rule_base()
    >>> decision = decide(load_case("examples/ana-detainer.yaml", rules.catalog), rules)  # doctest: +SKIP

The rules live in the `.lp` files of `asp/`; this package loads them, checks
case files against the contract (docs/contract.md), solves and maps the answer to
typed results, and explains them (`explain`, `counterfactuals`).
"""

import sys
from importlib import import_module
from types import ModuleType

#: Where each public name lives.  They are imported when first used (PEP 562), so that
#: importing one part of the engine (as `ordinance decide` does) does not import all of it:
#: the explanation and analysis machinery alone took about 0.1 s of every start.
_EXPORTS = {
    "Case": "engine.core.cases", "load_case": "engine.core.cases", "load_cases": "engine.core.cases",
    "parse_case": "engine.core.cases",
    "Catalog": "engine.core.catalog", "Ordinance": "engine.core.catalog",
    "CaseError": "engine.core.errors", "EngineError": "engine.core.errors", "RulesError": "engine.core.errors",
    "case_facts": "engine.core.facts", "case_to_lp": "engine.core.facts",
    "RuleBase": "engine.core.rulebase", "load_rule_base": "engine.core.rulebase",
    "Decision": "engine.core.results", "Result": "engine.core.results",
    "decide": "engine.core.solve",
    "derivation_graph": "engine.explain.derivation", "derivation_to_dict": "engine.explain.derivation",
    "Explanation": "engine.explain.explanation", "explain": "engine.explain.explanation",
    "Counterfactual": "engine.explain.whatif", "counterfactuals": "engine.explain.whatif",
    "SectionCounterfactual": "engine.explain.section_whatif",
    "section_counterfactuals": "engine.explain.section_whatif",
    "check": "engine.analysis.api", "compare": "engine.analysis.api",
    "count_conflicts": "engine.analysis.api", "count_differences": "engine.analysis.api",
    "rank_sections": "engine.analysis.api",
    "Check": "engine.analysis.findings", "Comparison": "engine.analysis.findings",
}

__all__ = [*_EXPORTS, "__version__"]


#: What ``__version__`` is when the code runs from a checkout that was never installed (no
#: package metadata): a valid PEP 440 version that says so, rather than a guess.
UNINSTALLED_VERSION = "0+unknown"


def __getattr__(name: str) -> object:
    """``engine.__version__``: the installed distribution's version, read from its metadata as
    the Python Packaging User Guide documents (pyproject.toml is not part of an installed
    package), when first asked for: importlib.metadata takes tens of milliseconds to import,
    which `ordinance decide` should not pay at every start."""
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value  # the next use is a plain attribute
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("ordinance-engine")
        except PackageNotFoundError:
            return UNINSTALLED_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


class _Package(ModuleType):
    """The `engine` module, whose ``explain`` stays the function once the subpackage of the same
    name (`engine.explain`) is imported: the import system sets a subpackage as an attribute of
    its parent, so ``from engine import counterfactuals, explain`` gave the subpackage, which is
    not callable.  The subpackage's modules are imported by their names as before
    (``from engine.explain.whatif import ...``)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _EXPORTS and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
