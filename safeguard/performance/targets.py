"""The council's local targets, and a figure's status against its target in words.

A target is set per measure (the council's own ambition, often near England's figure);
"close" is within a tolerance of it on the wrong side (2.5 percentage points for a
percentage, 10% of the target otherwise). Measures that describe demand rather than
performance (contacts, referrals) have no target: more is neither better nor worse.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.performance.measures import Better, Measure, Unit

LOCAL_TARGETS: dict[str, float] = {
    "re_referrals": 20.0,
    "assessments_45": 90.0,
    "assessments_45_from_referral": 85.0,
    "assessment_median": 30.0,
    "icpc_15": 85.0,
    "icpc_median": 14.0,
    "cp_repeat": 20.0,
    "cp_two_years": 4.0,
    "cp_reviews_on_time": 95.0,
    "cp_visits_on_time": 90.0,
}


class Status:
    ON = "On target"
    CLOSE = "Close to target"
    OFF = "Off target"
    NONE = "No target"
    NO_DATA = "No data"


@dataclass(frozen=True)
class TargetStatus:
    target: float | None
    words: str

    @property
    def tag_colour(self) -> str:
        return {
            Status.ON: "govuk-tag--green",
            Status.CLOSE: "govuk-tag--yellow",
            Status.OFF: "govuk-tag--red",
        }.get(self.words, "govuk-tag--grey")


def target_status(m: Measure, value: float | None) -> TargetStatus:
    target = LOCAL_TARGETS.get(m.id)
    if target is None or m.better == Better.NEITHER:
        return TargetStatus(None, Status.NONE)
    if value is None:
        return TargetStatus(target, Status.NO_DATA)
    shortfall = target - value if m.better == Better.HIGHER else value - target
    if shortfall <= 0:
        return TargetStatus(target, Status.ON)
    tolerance = 2.5 if m.unit == Unit.PERCENT else 0.1 * target
    return TargetStatus(target, Status.CLOSE if shortfall <= tolerance else Status.OFF)
