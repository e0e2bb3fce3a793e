from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """Rate limits are counted in the cache, which outlives each test's database."""
    cache.clear()
