"""One child's census failures, each placed with the team and worker who can fix it.

Shared by the build (which keeps them on its ``ReturnRun`` for the work lists) and the
pre-submission report. A failure in an episode belongs to that episode's team and worker;
a failure about the child (their UPN, their sex) to the holder of the child's latest episode.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from safeguard.returns.cin_census.build import ChildRecord
from safeguard.returns.cin_census.rules import RULES, RuleFailure
from safeguard.returns.cin_census.validate import SchemaProblem


@dataclass(frozen=True)
class Found:
    child_id: uuid.UUID
    la_child_id: str
    episode_id: uuid.UUID | None
    rule: str
    severity: str
    message: str
    team_id: uuid.UUID | None
    worker_id: uuid.UUID | None
    # The record inside the episode (an assessment, a plan...) and which kind it is.
    record_id: uuid.UUID | None = None
    record_kind: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "child_id": str(self.child_id),
            "la_child_id": self.la_child_id,
            "episode_id": str(self.episode_id) if self.episode_id else None,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "team_id": str(self.team_id) if self.team_id else None,
            "worker_id": str(self.worker_id) if self.worker_id else None,
            "record_id": str(self.record_id) if self.record_id else None,
            "record_kind": self.record_kind,
        }

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Found:
        def key(name: str) -> uuid.UUID | None:
            return uuid.UUID(row[name]) if row.get(name) else None

        child_id = key("child_id")
        assert child_id is not None
        return cls(
            child_id=child_id,
            la_child_id=row["la_child_id"],
            episode_id=key("episode_id"),
            rule=row["rule"],
            severity=row["severity"],
            message=row["message"],
            team_id=key("team_id"),
            worker_id=key("worker_id"),
            record_id=key("record_id"),
            record_kind=row.get("record_kind", ""),
        )


def _latest_holder(child: ChildRecord) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The team and worker of the child's latest episode: who fixes a child-level failure."""
    if not child.episodes:
        return None, None
    latest = max(child.episodes, key=lambda e: e.referral_date)
    return latest.team_id, latest.worker_id


def located(child: ChildRecord, failures: list[RuleFailure], problems: list[SchemaProblem]) -> list[Found]:
    """The child's rule failures and schema problems, each with who holds the record."""
    holders = {e.id: (e.team_id, e.worker_id) for e in child.episodes}
    kinds = {
        item.id: kind
        for e in child.episodes
        for kind, items in (
            ("assessment", e.assessments),
            ("cin_plan", e.cin_plans),
            ("section_47", e.section_47s),
            ("cp_plan", e.cp_plans),
        )
        for item in items
    }
    latest = _latest_holder(child)
    found = []
    for failure in failures:
        team, worker = holders.get(failure.episode_id, latest) if failure.episode_id else latest
        found.append(
            Found(
                child.id,
                child.la_child_id,
                failure.episode_id,
                failure.rule,
                failure.severity,
                failure.message,
                team,
                worker,
                record_id=failure.record_id,
                record_kind=kinds.get(failure.record_id, "") if failure.record_id else "",
            )
        )
    for problem in problems:
        found.append(
            Found(
                child.id,
                child.la_child_id,
                None,
                "Schema",
                "error",
                f"The census schema refuses {problem.path.rsplit('/', 1)[-1]}: {problem.message}",
                *latest,
            )
        )
    return found


# An episode's own census details, set on its census details page.
EPISODE_DETAILS = frozenset({"PrimaryNeedCode", "ReferralSource", "ReferralNFA"})


def fix_url(found: Found) -> str:
    """The page to fix the failure on: the assessment or plan itself, the episode's or the
    child's census details, else the episode."""
    if found.record_kind == "assessment" and found.record_id:
        return reverse("casework:assessment", args=[found.record_id])
    if found.record_kind == "cin_plan" and found.episode_id:
        return reverse("casework:cin_plan", args=[found.episode_id])
    rule = RULES.get(found.rule)
    if found.episode_id and not found.record_id and rule and EPISODE_DETAILS & set(rule.fields):
        return reverse("returns:episode_census", args=[found.episode_id])
    if found.episode_id:
        return reverse("casework:episode_detail", args=[found.episode_id])
    return reverse("returns:child_census", args=[found.child_id])
