"""Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (default: `default`, or `ci` when CI is set).

`default` keeps `make test` within minutes; `thorough` runs ten times the examples (the big property
test in test_properties.py then tries 1,000 random expressions, 250 for each kind of root). The assertions
are the same in all.
"""
import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          max_examples=100)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))


@pytest.fixture(autouse=True, scope="session")
def _private_user_folders(tmp_path_factory):
    """The verdict cache and practice progress go to this run's own folders, never the user's, so no
    test is answered from an earlier run's cache."""
    root = tmp_path_factory.mktemp("user")
    saved = {k: os.environ.get(k) for k in ("GRADWISE_CACHE_DIR", "GRADWISE_DATA_DIR")}
    os.environ["GRADWISE_CACHE_DIR"] = str(root / "cache")
    os.environ["GRADWISE_DATA_DIR"] = str(root / "data")
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
