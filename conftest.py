from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

pytest_plugins = ["cairn.testing.fixtures", "cairn.testing.browser", "cairn.testing.smtp"]

# Property-based tests run a lean profile by default, so the suite stays fast; set
# HYPOTHESIS_PROFILE=thorough to search much harder (before a release, or after
# changing matching, import or the nudges). Deadlines are off in both: timings on a
# shared machine vary too much for a per-example deadline to mean anything.
settings.register_profile(
    "lean",
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "lean"))
