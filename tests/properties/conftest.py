"""Hypothesis settings for the property tests of the case formats (issue 12, item 7).

The ``ci`` profile, loaded by default, draws the same examples on every run
(``derandomize``: a fixed seed per test, no example database) and a bounded
number of them, so the suite is reproducible and takes well under a minute on
one core.  ``HYPOTHESIS_PROFILE=thorough`` draws many more, with a random seed,
to hunt for new counterexamples locally; a failure it finds belongs in the
tests as an ``@example``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, database=None, max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], print_blob=False)
settings.register_profile(
    "thorough", derandomize=False, database=None, max_examples=1000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
