"""Hypothesis profiles: `ci` (the default, `make test`'s short profile) runs half of each test's written count on a
fixed seed, `dev` a fifth of it, `explore` ten times as many on a fresh random seed each run.

`ci` is derandomized so that `make test` proves the same examples on every machine and a submission does not
land or fail on luck; `explore` (`make test-explore`) is how new counterexamples are hunted: it found the
restart that forgot who had declined a contact. A failure prints a `@reproduce_failure` blob.

`ci` runs half so that `make test` stays within its six minutes on a 2-core machine: the property tests were a
quarter of the suite's CPU. `explore` is the search; `ci` proves that what it found stays fixed.

`HYPOTHESIS_PROFILE` picks one. A test that sets its own count writes `max_examples=examples(N)`, N being its
written count: an explicit count would otherwise win over the profile. Loaded by tests/conftest.py before any
test module is imported.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SHARE = {"ci": 0.5, "dev": 0.2, "explore": 10.0}
HYPOTHESIS_DEFAULT_EXAMPLES = 100

# Time is not what these tests prove, and the suite runs two workers a core: a draw or an example that takes
# 1 s or 200 ms at load 8 is the machine, not the code (a run failed on "input generation is slow").
# Performance is measured by `make bench`.
NOT_TIMED: dict[str, Any] = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile(
    "ci", max_examples=round(HYPOTHESIS_DEFAULT_EXAMPLES * SHARE["ci"]), derandomize=True, print_blob=True, **NOT_TIMED
)
settings.register_profile("dev", max_examples=round(HYPOTHESIS_DEFAULT_EXAMPLES * SHARE["dev"]), **NOT_TIMED)
settings.register_profile(
    "explore", max_examples=round(HYPOTHESIS_DEFAULT_EXAMPLES * SHARE["explore"]), print_blob=True, **NOT_TIMED
)
if PROFILE not in SHARE:
    raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE!r}: use one of {', '.join(SHARE)}")
settings.load_profile(PROFILE)


def examples(ci_count: int) -> int:
    """How many examples a test whose written count is `ci_count` runs under the loaded profile."""
    return max(5, round(ci_count * SHARE[PROFILE]))
