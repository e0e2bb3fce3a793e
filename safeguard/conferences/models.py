"""Child protection conferences: the initial conference (ICPC) a section 47 enquiry asks for,
and the review conferences of the plan it starts.

A conference is proposed with its statutory target date, scheduled with an independent
chair and a room or video link, then recorded: who came, whether it was quorate, and the
decision. Recording it sets the enquiry's date of initial conference, stops the ICPC clock
and, when a plan is decided, starts the child protection plan (census ChildProtectionPlans).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.casework.models import ChildProtectionPlan, CINEpisode, Section47Enquiry
from safeguard.core.codes import CategoryOfAbuse
from safeguard.core.models import BaseModel
from safeguard.people.models import Person


class ConferenceKind(models.TextChoices):
    INITIAL = "icpc", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"


class ConferenceStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


# Statuses that hold a place in a chair's or a room's diary, and count as "the" conference
# of an enquiry (a cancelled one can be proposed again).
LIVE_STATUSES = (ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED, ConferenceStatus.HELD)


class Conference(BaseModel):
    kind = models.CharField(max_length=8, choices=ConferenceKind.choices)
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conferences")
    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="conferences")
    section_47 = models.ForeignKey(
        Section47Enquiry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
        help_text="The enquiry whose outcome asked for this initial conference.",
    )
    plan = models.ForeignKey(
        ChildProtectionPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
        help_text="A review's plan; for an initial conference, the plan it started (if any).",
    )
    target_date = models.DateField(help_text="The statutory date it must be held by.")
    status = models.CharField(
        max_length=12, choices=ConferenceStatus.choices, default=ConferenceStatus.PROPOSED
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_conferences",
    )
    starts_at = models.DateTimeField(null=True, blank=True, db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    room = models.CharField(max_length=120, blank=True)
    video_link = models.URLField(blank=True)
    late_reason = models.TextField(blank=True, help_text="Why it is scheduled after its target date.")
    # The record of the conference.
    held_on = models.DateField(null=True, blank=True)
    not_quorate_reason = models.TextField(
        blank=True,
        help_text="Why the chair went ahead without children's social care and two other agencies.",
    )
    plan_needed = models.BooleanField(null=True, blank=True)
    category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices, blank=True)
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dissent = models.TextField(blank=True, help_text="Who disagreed with the decision, and why.")
    # After the conference: the outcome letter to the family and agencies within 1 working
    # day, and the full record within 15 (local policy), both on the chair's work list.
    letter_due = models.DateField(null=True, blank=True)
    letter_sent_on = models.DateField(null=True, blank=True)
    record_due = models.DateField(null=True, blank=True)
    record_completed_on = models.DateField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    # Bumped each time it moves, so calendars replace the event rather than add one.
    calendar_sequence = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "target_date"]
        constraints = [
            # One initial conference per enquiry: a second is refused (cancelled ones aside).
            models.UniqueConstraint(
                fields=["section_47"],
                condition=Q(kind="icpc") & ~Q(status="cancelled"),
                name="one_icpc_per_enquiry",
            ),
            models.CheckConstraint(
                condition=~Q(kind="icpc") | Q(section_47__isnull=False), name="icpc_has_section_47"
            ),
            models.CheckConstraint(
                condition=~Q(kind="review") | Q(plan__isnull=False), name="review_has_plan"
            ),
            models.CheckConstraint(
                condition=~Q(plan_needed=True) | ~Q(category=""), name="conference_plan_has_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child}"

    @property
    def ends_at(self) -> dt.datetime | None:
        if self.starts_at is None:
            return None
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def place(self) -> str:
        return self.room or self.video_link


class ConferenceAgency(models.TextChoices):
    CSC = "csc", "Children's social care"
    POLICE = "police", "Police"
    GP = "gp", "GP"
    HEALTH_VISITOR = "health_visitor", "Health visitor or school nurse"
    HEALTH = "health", "Other health service"
    SCHOOL = "school", "School or nursery"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    FAMILY = "family", "Family member or carer"
    OTHER = "other", "Other agency"


class AttendanceKind(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    REPORT_ONLY = "report_only", "Report only"


class ConferenceAttendance(BaseModel):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(max_length=120)
    agency = models.CharField(max_length=16, choices=ConferenceAgency.choices)
    role = models.CharField(max_length=120, blank=True)
    attendance = models.CharField(max_length=12, choices=AttendanceKind.choices)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name_plural = "conference attendance"


# -- invitations, the agency report portal and the family page --------------------------
# Someone outside the council is invited by a link (its token stored only as a SHA-256
# hash) and a one-time code sent separately (stored only as a password hash). Neither
# needs an account. See conferences/portal.py.


class InviteeRole(models.TextChoices):
    POLICE = "police", "Police"
    GP = "gp", "GP"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    SCHOOL = "school", "School"
    OTHER_AGENCY = "other", "Other agency"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    CHILD = "child", "Child or young person"
    ADVOCATE = "advocate", "Advocate"


FAMILY_ROLES = frozenset({InviteeRole.PARENT, InviteeRole.CARER, InviteeRole.CHILD, InviteeRole.ADVOCATE})


class ConferenceInvitation(BaseModel):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=16, choices=InviteeRole.choices)
    organisation = models.CharField(max_length=120, blank=True, help_text="The agency's name.")
    email = models.EmailField(blank=True, help_text="Blank: a letter is printed instead.")
    language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    accessibility_needs = models.TextField(blank=True)
    interpreter_booked = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_hash = models.CharField(max_length=128, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    failed_codes = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conference", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def is_family(self) -> bool:
        return self.role in FAMILY_ROLES


class AgencyReport(BaseModel):
    invitation = models.OneToOneField(ConferenceInvitation, on_delete=models.CASCADE, related_name="report")
    what_we_know = models.TextField()
    worries = models.TextField()
    what_is_working = models.TextField()
    recommendation = models.TextField()
    not_for_sharing = models.BooleanField(
        default=False, help_text="Not to be shown to the family (the chair decides what is said)."
    )
    submitted_at = models.DateTimeField()
    late = models.BooleanField(default=False)


class FamilyQuestion(BaseModel):
    invitation = models.ForeignKey(ConferenceInvitation, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class FeedbackAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class FamilyFeedback(BaseModel):
    invitation = models.OneToOneField(ConferenceInvitation, on_delete=models.CASCADE, related_name="feedback")
    listened_to = models.CharField(max_length=8, choices=FeedbackAnswer.choices)
    understood = models.CharField(max_length=8, choices=FeedbackAnswer.choices)
    reports_in_time = models.CharField(max_length=8, choices=FeedbackAnswer.choices)
    anything_else = models.TextField(blank=True)


# -- the child's views ------------------------------------------------------------------


class SafeAtHome(models.IntegerChoices):
    """How safe the child feels at home, on a five-point scale (1 is the least safe)."""

    NOT_SAFE = 1, "Not safe at all"
    NOT_VERY_SAFE = 2, "Not very safe"
    SOMETIMES = 3, "Sometimes safe"
    SAFE = 4, "Safe"
    VERY_SAFE = 5, "Very safe"


# A child answering this low feels unsafe: their worker and manager are told at once.
UNSAFE_AT_OR_BELOW = SafeAtHome.NOT_VERY_SAFE


class ViewsHelper(models.TextChoices):
    ON_MY_OWN = "own", "On my own"
    WORKER = "worker", "With my social worker"
    ADVOCATE = "advocate", "With an advocate"


class ChildViews(BaseModel):
    """What the child wants the conference to know, in their own words. One set for each
    conference; the chair reads it before the meeting and it stays on the child's record."""

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="child_views")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conference_views")
    invitation = models.ForeignKey(
        ConferenceInvitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The child's or advocate's link it came through (blank: entered by staff).",
    )
    helped_by = models.CharField(max_length=8, choices=ViewsHelper.choices)
    going_well = models.TextField(blank=True)
    worries = models.TextField(blank=True)
    safe_at_home = models.PositiveSmallIntegerField(choices=SafeAtHome.choices)
    would_like_to_happen = models.TextField(blank=True)
    would_like_there = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    # The alert a child who feels unsafe raises, until the worker or manager has acted.
    alert_seen_at = models.DateTimeField(null=True, blank=True)
    alert_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "child's views"

    @property
    def feels_unsafe(self) -> bool:
        return self.safe_at_home <= UNSAFE_AT_OR_BELOW


# -- the child protection plan the family can read ---------------------------------------
# The plan itself is casework's (census ChildProtectionPlans); what it says, its core group
# meetings and how it ended are written here.


class PlanOutcome(BaseModel):
    """One outcome of the plan, in words the family can read."""

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.CASCADE, related_name="outcomes")
    what_needs_to_change = models.TextField()
    who_does_what = models.TextField()
    by_when = models.DateField()
    how_we_will_know = models.TextField()

    class Meta:
        ordering = ["by_when", "created_at"]


class CoreGroupMeeting(BaseModel):
    """A meeting of the plan's core group (the first within 10 working days of the
    initial conference, on its clock)."""

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.CASCADE, related_name="core_groups")
    held_on = models.DateField()
    attended = models.TextField(blank=True, help_text="Who came, one a line.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on"]


class PlanEndReason(models.TextChoices):
    RISK_REDUCED = "risk_reduced", "The risk of harm has reduced: no longer at risk of significant harm"
    MOVED_AWAY = "moved_away", "The child moved to another council"
    IN_CARE = "in_care", "The child is looked after"
    ADULT = "adult", "The child turned 18"
    OTHER = "other", "Another reason"


class PlanEnding(BaseModel):
    plan = models.OneToOneField(ChildProtectionPlan, on_delete=models.CASCADE, related_name="ending")
    reason = models.CharField(max_length=16, choices=PlanEndReason.choices)
    detail = models.TextField(blank=True)
    stepped_down_to_cin = models.BooleanField(default=False)
