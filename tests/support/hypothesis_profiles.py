"""Hypothesis profiles: `ci` runs today's example counts, `dev` a fifth of them, for a quicker edit-and-run loop.

`HYPOTHESIS_PROFILE` picks one (`ci` when unset: `make test` and `.ci/run` prove as much as before). A test
that sets its own count writes `max_examples=examples(N)`, N being its `ci` count: an explicit count would
otherwise win over the profile. Loaded by tests/conftest.py before any test module is imported.
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
DEV_SHARE = 0.2
DEV_DEFAULT_EXAMPLES = 20  # hypothesis' own default is 100

settings.register_profile("ci", settings())
settings.register_profile("dev", max_examples=DEV_DEFAULT_EXAMPLES)
if PROFILE not in ("ci", "dev"):
    raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE!r}: use 'ci' or 'dev'")
settings.load_profile(PROFILE)


def examples(ci_count: int) -> int:
    """How many examples a test that asks for `ci_count` in `ci` runs under the loaded profile."""
    return ci_count if PROFILE == "ci" else max(5, round(ci_count * DEV_SHARE))
