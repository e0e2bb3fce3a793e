"""The performance app's models (Django reads this module)."""

from safeguard.performance.need_models import ChildPopulation, NeedLookupLoad, PostcodeWard

__all__ = ["ChildPopulation", "NeedLookupLoad", "PostcodeWard"]
