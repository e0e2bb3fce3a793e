"""The performance app's models (Django reads this module)."""

from safeguard.performance.measure_models import Benchmark, Day, LocalTarget, MeasureSnapshot
from safeguard.performance.need_models import ChildPopulation, NeedLookupLoad, PostcodeWard

__all__ = [
    "Benchmark",
    "ChildPopulation",
    "Day",
    "LocalTarget",
    "MeasureSnapshot",
    "NeedLookupLoad",
    "PostcodeWard",
]
