"""Many cases at once: the batch solver, its input readers and row writers, the
worker pool, CSV columns, synthetic cases and the progress line.

The public names are imported when first used (PEP 562): `ordinance generate` and the
CSV column helpers need none of the solver machinery.
"""

from importlib import import_module

_EXPORTS = {**{name: "engine.batch.solver"
               for name in ("BatchOptions", "decide_chunk", "decide_partition", "expand_derivation")},
            "read_rows": "engine.batch.rows", "rows_to_pandas": "engine.batch.rows",
            "read_explained": "engine.batch.trace_table"}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
