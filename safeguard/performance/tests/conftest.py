from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached measures pages and fingerprints must not leak from one test's records to the next."""
    cache.clear()
    yield
    cache.clear()
