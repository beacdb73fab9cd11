"""Hypothesis profiles for the fuzz tests (imported by tests/test_fuzz_*.py).

* ``ci`` (default): few examples, derandomised (the same examples on every run,
  so a red suite always means a code change, never luck), no per-example
  deadline (the machine is shared), no example database in the tree.  The whole
  fuzz suite stays well under a minute on a busy 2-core machine.
* ``long``: random examples, about thirty times as many, with an example
  database so a failure found once is replayed first next time.  Run it by hand
  before a release or after touching a reader or a stage::

      HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -q -p no:warnings \
          tests/test_fuzz_readers.py tests/test_fuzz_analyze.py

``examples(n)`` gives a test's example count: ``n`` under ``ci`` and
``n * LONG_FACTOR`` under ``long``, so costly tests (a spaCy parse per
example) and cheap ones (a reader over bytes) keep their proportions.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG_FACTOR = 30

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
          HealthCheck.function_scoped_fixture]

settings.register_profile("ci", max_examples=10, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("long", max_examples=10 * LONG_FACTOR, deadline=None,
                          suppress_health_check=_QUIET, print_blob=True)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """Examples for a test that runs ``n`` of them in the ci profile."""
    return n * LONG_FACTOR if PROFILE == "long" else n
