"""The statutory episode of work with a child, shaped like the CIN census ``CINdetails``.

Each model maps onto one census block (and one SSD table), so the return is a projection
of these rows. Services that create and change them, and the statutory clocks, live in
this app's ``services.py``; simple derived values are properties here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.accounts.models import Team
from safeguard.core.codes import CategoryOfAbuse, PrimaryNeed, ReasonForClosure, ReferralSource
from safeguard.core.models import BaseModel
from safeguard.people.models import Person


class CINEpisode(BaseModel):
    """From referral to closure (census ``CINdetails``; SSD ``cin_episodes``)."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    referral_date = models.DateField(db_index=True)
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, default=PrimaryNeed.N0)
    referral_nfa = models.BooleanField(
        "referral no further action",
        default=False,
        help_text="Census ReferralNFA: the referral ended with no further action; no other activity.",
    )
    closure_date = models.DateField(null=True, blank=True, db_index=True)
    reason_for_closure = models.CharField(max_length=3, choices=ReasonForClosure.choices, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="episodes")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_episodes",
    )
    # When the episode reached its current team: how long it has waited there for a worker.
    team_since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-referral_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=models.F("referral_date")),
                name="episode_closes_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | ~Q(reason_for_closure=""),
                name="episode_closure_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "closure_date"]),
            # A child's earlier referrals, for re-referrals and the front door's history.
            models.Index(fields=["child", "referral_date"], name="episode_child_referral"),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.referral_date:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class AssessmentOutcome(models.TextChoices):
    SERVICES = "services", "Services needed"
    NFA = "nfa", "No further action"
    EARLY_HELP = "early_help", "Early help"
    STRATEGY = "strategy", "Strategy discussion"


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Waiting for a manager to authorise"
    AUTHORISED = "authorised", "Authorised"


class Assessment(BaseModel):
    """Child and family assessment (census ``Assessments``; SSD ``cin_assessments``)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField()
    child_seen_date = models.DateField(null=True, blank=True)
    child_seen_alone = models.BooleanField(null=True, blank=True)
    internal_review_date = models.DateField(
        null=True,
        blank=True,
        help_text="Census AssessmentInternalReviewDate: when a manager reviewed the assessment "
        "part-way, before it was finished.",
    )
    authorised_date = models.DateField(
        null=True, blank=True, help_text="Census AssessmentAuthorisationDate: the manager's sign-off."
    )
    factors = models.JSONField(
        default=list, blank=True, help_text="Assessment factor codes (census AssessmentFactors)."
    )
    outcome = models.CharField(max_length=16, choices=AssessmentOutcome.choices, blank=True)
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    submitted_date = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who sent it for authorisation; they may not authorise it.",
    )
    details_recorded_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Everyone who recorded the dates seen, factors or outcome; none may authorise it.",
    )
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-start_date"]
        # The measures count assessments by the date they were authorised.
        indexes = [models.Index(fields=["authorised_date"], name="assessment_authorised")]
        constraints = [
            models.CheckConstraint(
                condition=Q(authorised_date__isnull=True) | Q(authorised_date__gte=models.F("start_date")),
                name="assessment_authorised_after_start",
            ),
            models.CheckConstraint(
                condition=Q(internal_review_date__isnull=True)
                | Q(internal_review_date__gte=models.F("start_date")),
                name="assessment_reviewed_after_start",
            ),
        ]


class StrategyDiscussion(BaseModel):
    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="strategy_discussions")
    held_on = models.DateField()
    section_47_started = models.BooleanField(default=False)
    agencies = models.JSONField(
        default=list, blank=True, help_text="Agencies present (police, health, CSC at least)."
    )
    information_shared = models.TextField(blank=True)
    safety_actions = models.TextField(blank=True, help_text="Immediate actions to keep the child safe.")
    record_circulated_on = models.DateField(
        null=True, blank=True, help_text="When the record of the discussion went to the agencies."
    )

    class Meta:
        ordering = ["-held_on"]


class Section47Outcome(models.TextChoices):
    ICPC = "icpc", "Concerns substantiated: initial child protection conference needed"
    NOT_SUBSTANTIATED = "not_substantiated", "Concerns not substantiated"
    ICPC_NOT_REQUIRED = "icpc_not_required", "Concerns substantiated: conference not required"


class Section47Enquiry(BaseModel):
    """Census ``Section47``; starting one starts the 15-working-day ICPC clock."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="section_47s")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(help_text="Census S47ActualStartDate: the strategy discussion.")
    icpc_target_date = models.DateField(
        null=True, blank=True, help_text="Census InitialCPCtarget: 15 working days after start."
    )
    icpc_date = models.DateField(null=True, blank=True)
    icpc_not_required = models.BooleanField(default=False)
    outcome = models.CharField(max_length=24, choices=Section47Outcome.choices, blank=True)

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["start_date"], name="s47_start"),
            models.Index(fields=["icpc_date"], name="s47_icpc"),
        ]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"


class CINPlan(BaseModel):
    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "CIN plan"


class ChildProtectionPlan(BaseModel):
    """Census ``ChildProtectionPlans``; one open plan per child at most."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="cp_plans")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cp_plans")
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True, db_index=True)
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    number_of_previous_plans = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "child protection plan"
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_cp_plan_per_child"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="cp_plan_ends_after_start",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class ChildProtectionReview(BaseModel):
    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()

    class Meta:
        ordering = ["held_on"]


class ClockKind(models.TextChoices):
    ASSESSMENT = "assessment", "Child and family assessment (45 working days)"
    ICPC = "icpc", "Initial child protection conference (15 working days from strategy discussion)"
    STRATEGY_RECORD = "strategy_record", "Strategy discussion record circulated"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion after the front door decision"
    CORE_GROUP = "core_group", "First core group meeting"
    CP_REVIEW = "cp_review", "Child protection review conference"
    CP_VISIT = "cp_visit", "Child protection visit"
    CIN_REVIEW = "cin_review", "Child in need plan review"
    CIN_VISIT = "cin_visit", "Child in need visit"


class StatutoryClock(BaseModel):
    """A statutory or local timescale running for a child.

    The due date is computed and stored when the clock starts (so reports are a plain
    comparison in SQL), from the timescale in force that day: a change of local policy
    applies to clocks started after it. ``clocks_recompute`` re-times open clocks when the
    bank holiday list changes.
    """

    kind = models.CharField(max_length=24, choices=ClockKind.choices)
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="clocks")
    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="clocks")
    source_type = models.CharField(max_length=64, help_text="The record that started the clock.")
    source_id = models.UUIDField()
    start_date = models.DateField()
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date = models.DateField(db_index=True)
    met_date = models.DateField(null=True, blank=True)
    stopped_reason = models.CharField(
        max_length=120,
        blank=True,
        help_text="Why a clock stopped without being met (e.g. no conference needed).",
    )
    late_reason = models.TextField(
        blank=True, help_text="Required when the clock was met after its due date."
    )

    class Meta:
        ordering = ["due_date"]
        indexes = [models.Index(fields=["met_date", "stopped_reason", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__isnull=False) | Q(months__isnull=False),
                name="clock_has_a_timescale",
            ),
        ]

    @property
    def is_running(self) -> bool:
        return self.met_date is None and not self.stopped_reason


class AssessmentSection(BaseModel):
    """One section of an assessment in the worker's words, saved as a draft as they type.

    ``version`` increases on every save: a save based on an older version is refused with a
    conflict message, so two people editing the same section never overwrite each other.
    ``edit`` names the open page that wrote the current version, so that page's own saves
    (its autosave and its final save, which may cross in flight) never conflict with each other.
    """

    assessment = models.ForeignKey("Assessment", on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=32)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    edit = models.CharField(
        max_length=36,
        blank=True,
        help_text="The editing page (a random token per page) that saved the current version.",
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Everyone who has saved words in this section; none of them may authorise the assessment.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "key"], name="assessment_section_once")]


class StrategyAgency(models.TextChoices):
    CSC = "csc", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    OTHER = "other", "Other agency"


class VisitKind(models.TextChoices):
    CIN = "cin", "Child in need visit"
    CP = "cp", "Child protection visit"
    OTHER = "other", "Other visit"


class Visit(BaseModel):
    """A visit to the child (SSD cin_visits / cp_visits): seen, seen alone, what was observed."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="visits")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="visits")
    visit_date = models.DateField()
    kind = models.CharField(max_length=8, choices=VisitKind.choices)
    child_seen = models.BooleanField()
    child_seen_alone = models.BooleanField(
        null=True, blank=True, help_text="Recorded for every visit where the child was seen."
    )
    observations = models.TextField(blank=True)
    late_reason = models.TextField(
        blank=True, help_text="The worker's reason, when the visit was after its due date."
    )

    class Meta:
        ordering = ["-visit_date"]
        # A child's latest visit, for the measures' visits within timescale.
        indexes = [models.Index(fields=["child", "visit_date"], name="visit_child_date")]


class CaseNote(BaseModel):
    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="notes")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_notes")
    written_on = models.DateField()
    text = models.TextField()

    class Meta:
        ordering = ["-written_on", "-created_at"]


class ChronologyEntry(BaseModel):
    """A significant event a worker adds to the child's chronology, with what it means."""

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="chronology_entries")
    happened_on = models.DateField()
    event = models.TextField()
    source = models.CharField(max_length=200, blank=True, help_text="Where the information came from.")
    analysis = models.TextField(blank=True, help_text="What this means for the child.")

    class Meta:
        ordering = ["happened_on", "created_at"]
        verbose_name_plural = "chronology entries"


class CINPlanReview(BaseModel):
    """A review of a child in need plan: when it was held and what was decided."""

    plan = models.ForeignKey(CINPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField(help_text="What was reviewed and decided, for the family to read.")

    class Meta:
        ordering = ["held_on"]
