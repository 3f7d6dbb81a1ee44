"""Hypothesis profiles of the fast tests, chosen by HYPOTHESIS_PROFILE (or by
pytest's --hypothesis-profile, as tests/conftest.py imports this module).

- "default" (the same as "ci"): 25 examples per test, so `make fast` stays
  quick; derandomized and without an example database, so every run, in CI or
  on a laptop, tries the very same examples: a red build always means the code
  changed, never that a new random example was drawn. A fixed seed is right
  for a gate; exploring new ground is the fuzz profile's job.
- "fuzz" (`make fuzz`, or HYPOTHESIS_PROFILE=fuzz pytest tests -m hostile -n auto):
  24 times as many examples, a new random seed each run. A failure prints the
  falsifying example and a `@reproduce_failure(...)` line that replays it
  (print_blob); a flaky or erroring run also prints its seed, replayed with
  `--hypothesis-seed=N`.

Both keep a deadline: a request takes milliseconds, so 2 s (3 s fuzzing) is
generous on a loaded 2-core machine, and a quadratic pattern fed 60 KiB trips it.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

_BOUNDED = dict(
    max_examples=25,
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    print_blob=True,
    # Building a 70 KB string is cheap, but a busy CI machine may make it look slow.
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("default", **_BOUNDED)
settings.register_profile("ci", **_BOUNDED)
settings.register_profile("fuzz", parent=settings.get_profile("default"),
                          max_examples=600, deadline=timedelta(seconds=3), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
