"""Reads of conferences, each authorised in the same call.

The access policy gives a conference chair the children on a plan; an initial conference's
child is not on one yet, so a chair's reach to conferences is decided here: a chair may see
and schedule any conference except a sealed child's (unless named on the seal or holding a
grant), and only the conference's own chair may record it. Everyone else reaches a
conference through the child: viewing needs the policy's VIEW, scheduling its DECIDE.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from safeguard.accounts.models import CASE_HOLDING_ROLES, Role, User
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessKind
from safeguard.audit.services import access_log_record, access_log_record_list, access_log_record_refused
from safeguard.casework.models import Assessment, AssessmentStatus, ClockKind, StatutoryClock
from safeguard.conferences.models import (
    FAMILY_ROLES,
    ChildViews,
    Conference,
    ConferenceKind,
    ConferenceStatus,
)
from safeguard.conferences.services import CHAIR_ROLES, chair_independence_refusal
from safeguard.people.models import Person
from safeguard.people.permissions import can, sealed_records_open_to

DIARY_WEEKS = 6


class ConferenceUse(StrEnum):
    VIEW = "view"
    SCHEDULE = "schedule"
    RECORD = "record"


def _chair_may_see(user: User, child: Person) -> bool:
    if user.role != Role.CONFERENCE_CHAIR or not user.is_active:
        return False
    return not child.is_sealed or sealed_records_open_to(user).filter(pk=child.pk).exists()


def may_see(user: User, conference: Conference) -> bool:
    return _chair_may_see(user, conference.child) or can(user, Action.VIEW, conference.child)


def may_schedule(user: User, conference: Conference) -> bool:
    if conference.status not in (ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED):
        return False
    return _chair_may_see(user, conference.child) or can(user, Action.DECIDE, conference.child)


def may_record(user: User, conference: Conference) -> bool:
    return (
        conference.status == ConferenceStatus.SCHEDULED
        and conference.chair_id == user.pk
        and may_see(user, conference)
    )


_ALLOWED = {
    ConferenceUse.VIEW: may_see,
    ConferenceUse.SCHEDULE: may_schedule,
    ConferenceUse.RECORD: may_record,
}


def conference_get_for_user(
    *,
    user: User,
    conference_id: uuid.UUID,
    use: ConferenceUse = ConferenceUse.VIEW,
    request: HttpRequest | None = None,
) -> Conference:
    """The conference, if ``user`` may ``use`` it: 404 if they may not see it (so its
    existence is not revealed), 403 if they may see it but not do this. Every answer is
    written to the access log."""
    conference = (
        Conference.objects.select_related(
            "child", "episode__team__service", "episode__worker", "section_47", "plan", "chair"
        )
        .filter(pk=conference_id)
        .first()
    )
    if conference is None or not may_see(user, conference):
        access_log_record_refused(
            user=user,
            what=AccessKind.CONFERENCE,
            model=Conference,
            object_id=conference_id,
            reason="no such record" if conference is None else "outside the user's reach",
            child_id=conference.child_id if conference is not None else None,
            request=request,
        )
        raise Http404("No such conference")
    if not _ALLOWED[use](user, conference):
        access_log_record_refused(
            user=user,
            what=AccessKind.CONFERENCE,
            model=Conference,
            object_id=conference_id,
            reason=f"the user may not {use} this conference",
            child_id=conference.child_id,
            request=request,
        )
        raise PermissionDenied(f"You cannot {use} this conference")
    access_log_record(
        user=user,
        what=AccessKind.CONFERENCE,
        instance=conference,
        child_id=conference.child_id,
        request=request,
    )
    return conference


def conference_for_enquiry(enquiry_id: uuid.UUID) -> Conference | None:
    """The enquiry's initial conference, if one has been proposed (for the propose page,
    which has already authorised the enquiry)."""
    return (
        Conference.objects.filter(section_47_id=enquiry_id, kind=ConferenceKind.INITIAL)
        .exclude(status=ConferenceStatus.CANCELLED)
        .first()
    )


def chair_choices(conference: Conference) -> list[tuple[User, str | None]]:
    """Everyone who could chair, each with the reason they may not chair this one (None if
    they may), independent chairs first."""
    users = User.objects.filter(is_active=True, role__in=CHAIR_ROLES).select_related("team__service")
    ordered = sorted(users, key=lambda u: (u.role != Role.CONFERENCE_CHAIR, u.last_name, u.first_name))
    return [(u, chair_independence_refusal(u, conference)) for u in ordered]


def lead_worker_choices(conference: Conference) -> QuerySet[User]:
    """Case-holding workers of the child's team (or service, if the team has none)."""
    team = conference.episode.team
    workers = User.objects.filter(is_active=True, role__in=CASE_HOLDING_ROLES)
    if team is not None:
        workers = workers.filter(Q(team=team) | Q(pk=conference.episode.worker_id))
    return workers.order_by("last_name", "first_name")


@dataclass(frozen=True)
class DiaryRow:
    conference: Conference
    mine: bool
    worker_allocated: bool
    assessment_authorised: bool
    place_booked: bool
    reports_expected: int = 0
    reports_in: int = 0
    views_in: bool = False
    interpreters_needed: int = 0
    interpreters_booked: int = 0

    @property
    def all_reports_in(self) -> bool:
        return self.reports_in >= self.reports_expected

    @property
    def interpreters_ready(self) -> bool:
        return self.interpreters_booked >= self.interpreters_needed

    @property
    def within_target(self) -> bool | None:
        if self.conference.starts_at is None:
            return None
        return timezone.localtime(self.conference.starts_at).date() <= self.conference.target_date

    @property
    def day(self) -> dt.date:
        """The conference's date, or its target while it has none."""
        if self.conference.starts_at is None:
            return self.conference.target_date
        return timezone.localtime(self.conference.starts_at).date()

    @property
    def ready(self) -> bool:
        return (
            self.worker_allocated
            and self.assessment_authorised
            and self.place_booked
            and self.all_reports_in
            and self.interpreters_ready
        )


def chairs_diary(
    *, user: User, today: dt.date, weeks: int = DIARY_WEEKS, request: HttpRequest | None = None
) -> list[DiaryRow]:
    """Every conference for the next ``weeks`` (and any not yet held whose date or target
    has passed), for the conference chairs: soonest first, unscheduled ones by their target.

    Readiness shows what the system holds today: an allocated worker, an authorised
    assessment (the worker's report to the conference), a room or video link, the invited
    agencies' reports in, the child's views in and every interpreter needed booked.
    """
    if user.role != Role.CONFERENCE_CHAIR:
        raise PermissionDenied("The diary is for conference chairs")
    until = today + dt.timedelta(weeks=weeks)
    until_at = timezone.make_aware(dt.datetime.combine(until, dt.time.max))
    live = Q(invitations__revoked_at__isnull=True)
    conferences = (
        Conference.objects.filter(
            Q(status=ConferenceStatus.SCHEDULED, starts_at__lte=until_at)
            | Q(status=ConferenceStatus.PROPOSED, target_date__lte=until)
        )
        .filter(Q(child__is_sealed=False) | Q(child__in=sealed_records_open_to(user)))
        .select_related("child", "chair", "episode__worker")
        .annotate(
            assessment_authorised=Exists(
                Assessment.objects.filter(episode=OuterRef("episode"), status=AssessmentStatus.AUTHORISED)
            ),
            views_in=Exists(ChildViews.objects.filter(conference=OuterRef("pk"))),
            reports_expected=Count("invitations", filter=live & ~Q(invitations__role__in=FAMILY_ROLES)),
            reports_in=Count("invitations", filter=live & Q(invitations__report__isnull=False)),
            interpreters_needed=Count("invitations", filter=live & Q(invitations__interpreter_needed=True)),
            interpreters_booked=Count(
                "invitations",
                filter=live & Q(invitations__interpreter_needed=True, invitations__interpreter_booked=True),
            ),
        )
        .order_by("starts_at", "target_date")
    )
    rows = [
        DiaryRow(
            conference=c,
            mine=c.chair_id == user.pk,
            worker_allocated=c.episode.worker_id is not None,
            assessment_authorised=bool(c.assessment_authorised),
            place_booked=bool(c.room or c.video_link),
            reports_expected=c.reports_expected,
            reports_in=c.reports_in,
            views_in=bool(c.views_in),
            interpreters_needed=c.interpreters_needed,
            interpreters_booked=c.interpreters_booked,
        )
        for c in conferences
    ]
    # In Python: the two databases put the unscheduled (no start) first and last.
    rows.sort(key=lambda row: (row.day, row.conference.starts_at is None))
    access_log_record_list(
        user=user,
        what=AccessKind.CONFERENCE_DIARY,
        model=Conference,
        detail=f"next {weeks} weeks from {today.isoformat()}; {len(rows)} conferences",
        request=request,
    )
    return rows


@dataclass(frozen=True)
class WhatComesNext:
    """After a conference that started or continued a plan: the next review conference
    and the plan's first core group, each with its due date."""

    review: Conference | None
    core_group: StatutoryClock | None


def what_comes_next(conference: Conference) -> WhatComesNext:
    """For the conference page, which has already authorised the conference."""
    if conference.status != ConferenceStatus.HELD or conference.plan_id is None:
        return WhatComesNext(None, None)
    review = (
        Conference.objects.filter(
            plan_id=conference.plan_id,
            kind=ConferenceKind.REVIEW,
            status__in=(ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED),
        )
        .order_by("target_date")
        .first()
    )
    core_group = (
        StatutoryClock.objects.filter(
            episode_id=conference.episode_id, kind=ClockKind.CORE_GROUP, source_id=conference.plan_id
        )
        .order_by("-start_date")
        .first()
    )
    return WhatComesNext(review, core_group)
