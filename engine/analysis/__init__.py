"""Analysis over every possible case: the case space, one search -> minimal witness ->
re-decide pipeline, and the questions asked of it (federal conflicts, internal
consistency, savings clauses, comparisons), gathered by `check`."""
