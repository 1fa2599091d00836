"""Many cases at once: the batch solver, its input readers and row writers, the
worker pool, CSV columns, synthetic cases and the progress line."""

from engine.batch.solver import BatchOptions, decide_chunk, decide_partition, expand_derivation

__all__ = ["BatchOptions", "decide_chunk", "decide_partition", "expand_derivation"]
