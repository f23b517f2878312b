"""Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (default: `default`, or `ci` when CI is set).

`default` keeps `make test` within minutes; `thorough` runs ten times the examples (the big property
test in test_properties.py then tries 2,000 random expressions). The assertions are the same in all.
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          max_examples=100)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))
