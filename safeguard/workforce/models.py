"""The council's children's social work workforce: posts, people, vacancies, recruitment,
incentives, the newly qualified year (ASYE), career grades, supervision and absence.

Money is always whole pence (``*_pence`` integer columns), never floats. A staff record
may be linked to a sign-in account (``user``) or stand alone (an agency worker without
one, a starter before their account is made).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from safeguard.accounts.models import Grade, Team
from safeguard.core.models import BaseModel


class Post(BaseModel):
    """A funded post in a team's establishment."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=120)
    grade = models.CharField(max_length=32, choices=Grade.choices)
    funded_fte = models.DecimalField(max_digits=4, decimal_places=2)
    case_holding = models.BooleanField(default=True)
    hard_to_fill = models.BooleanField(default=False)

    class Meta:
        ordering = ["team__name", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.team.name})"


class EmploymentKind(models.TextChoices):
    EMPLOYED = "employed", "Employed (permanent)"
    AGENCY = "agency", "Agency"
    FIXED_TERM = "fixed_term", "Fixed term"
    SECONDED = "seconded", "Seconded"


class CensusRole(models.TextChoices):
    """The workforce census's role for a social worker."""

    CASE_HOLDER = "case_holder", "Case holder"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    FIRST_LINE_MANAGER = "first_line_manager", "First line manager"
    MIDDLE_MANAGER = "middle_manager", "Middle manager"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    OTHER = "other", "Other"


class EntryRoute(models.TextChoices):
    UNIVERSITY = "university", "University degree"
    STEP_UP = "step_up", "Step Up to Social Work"
    FRONTLINE = "frontline", "Frontline"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    OTHER = "other", "Other or not known"


class Origin(models.TextChoices):
    """Where a starter came from (census)."""

    NEWLY_QUALIFIED = "newly_qualified", "Newly qualified"
    OTHER_LA = "other_la", "Another local authority"
    AGENCY = "agency", "Agency work"
    OTHER_SECTOR = "other_sector", "Other social work employer"
    OTHER = "other", "Other or not known"


class LeavingReason(models.TextChoices):
    RESIGNED_OTHER_LA = "resigned_other_la", "Resigned: to another local authority"
    RESIGNED_AGENCY = "resigned_agency", "Resigned: to agency work"
    RESIGNED_LEFT_PROFESSION = "resigned_left_profession", "Resigned: left social work"
    RETIRED = "retired", "Retired"
    END_OF_CONTRACT = "end_of_contract", "End of contract"
    DISMISSED = "dismissed", "Dismissed"
    CAREER_BREAK = "career_break", "Career break"
    OTHER = "other", "Other or not known"


class AsyeCohort(BaseModel):
    """Newly qualified social workers who start their assessed year together."""

    name = models.CharField(max_length=80, unique=True)
    starts_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class StaffRecord(BaseModel):
    """One person's employment with the council's children's social care."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="staff_record"
    )
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="staff_records")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    over_establishment_reason = models.TextField(
        blank=True, help_text="Why this person takes their post over its funded FTE."
    )
    kind = models.CharField(max_length=16, choices=EmploymentKind.choices, default=EmploymentKind.EMPLOYED)
    agency_name = models.CharField(max_length=120, blank=True)
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("1.00"))
    grade = models.CharField(max_length=32, choices=Grade.choices)
    census_role = models.CharField(max_length=32, choices=CensusRole.choices, default=CensusRole.CASE_HOLDER)
    is_social_worker = models.BooleanField(default=True)
    case_holding = models.BooleanField(default=True)
    social_work_england_number = models.CharField(max_length=12, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The last day of employment.")
    leaving_reason = models.CharField(max_length=32, choices=LeavingReason.choices, blank=True)
    destination = models.CharField(max_length=120, blank=True)
    origin = models.CharField(max_length=32, choices=Origin.choices, default=Origin.OTHER)
    entry_route = models.CharField(max_length=32, choices=EntryRoute.choices, default=EntryRoute.OTHER)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="supervisees"
    )
    asye_cohort = models.ForeignKey(
        AsyeCohort, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # Agency cost, where recorded: what the council pays the agency per week for this person.
    agency_weekly_cost_pence = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["social_work_england_number"],
                condition=~models.Q(social_work_england_number=""),
                name="workforce_unique_swe_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_agency(self) -> bool:
        return self.kind == EmploymentKind.AGENCY


class CoverKind(models.TextChoices):
    AGENCY = "agency", "Agency worker"
    OVERTIME = "overtime", "Overtime"
    ACTING_UP = "acting_up", "Acting up"
    UNFILLED = "unfilled", "Not covered"


class Vacancy(BaseModel):
    """A funded post (or part of one) with nobody employed in it, and how it is covered."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="vacancies")
    fte = models.DecimalField(max_digits=4, decimal_places=2)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    cover = models.CharField(max_length=16, choices=CoverKind.choices, default=CoverKind.UNFILLED)
    covered_by = models.ForeignKey(
        StaffRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="covering"
    )

    class Meta:
        ordering = ["opened_on"]
        verbose_name_plural = "vacancies"

    def __str__(self) -> str:
        return f"Vacancy: {self.post}"


class RecruitmentStage(models.TextChoices):
    ADVERTISED = "advertised", "Advertised"
    APPLICATIONS = "applications", "Applications closed"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEWED = "interviewed", "Interviewed"
    OFFERED = "offered", "Offered"
    CHECKS = "checks", "Pre-employment checks"
    STARTED = "started", "Started"
    WITHDRAWN = "withdrawn", "Withdrawn"


STAGE_ORDER: tuple[str, ...] = (
    RecruitmentStage.ADVERTISED,
    RecruitmentStage.APPLICATIONS,
    RecruitmentStage.SHORTLISTED,
    RecruitmentStage.INTERVIEWED,
    RecruitmentStage.OFFERED,
    RecruitmentStage.CHECKS,
    RecruitmentStage.STARTED,
)


class Recruitment(BaseModel):
    """A campaign to fill one vacancy."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="recruitments")
    stage = models.CharField(
        max_length=16, choices=RecruitmentStage.choices, default=RecruitmentStage.ADVERTISED
    )
    stage_since = models.DateField()
    advertised_on = models.DateField()
    applications = models.PositiveIntegerField(default=0)
    candidate = models.CharField(max_length=120, blank=True)
    dbs_checked_on = models.DateField(null=True, blank=True)
    registration_checked_on = models.DateField(null=True, blank=True)
    references_received_on = models.DateField(null=True, blank=True)
    right_to_work_checked_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["advertised_on"]

    @property
    def checks_done(self) -> bool:
        return all(
            (
                self.dbs_checked_on,
                self.registration_checked_on,
                self.references_received_on,
                self.right_to_work_checked_on,
            )
        )

    @property
    def time_to_hire_days(self) -> int | None:
        if self.started_on is None:
            return None
        return (self.started_on - self.advertised_on).days


class RecruitmentStep(BaseModel):
    """The pipeline's history: each stage a recruitment reached, and when."""

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=16, choices=RecruitmentStage.choices)
    on = models.DateField()

    class Meta:
        ordering = ["on", "created_at"]


class IncentiveKind(models.TextChoices):
    GOLDEN_HELLO = "golden_hello", "Golden hello"
    RETENTION = "retention", "Retention payment"


class RepaymentRule(models.TextChoices):
    FULL = "full", "In full"
    PRO_RATA = "pro_rata", "Pro rata by months served"


class IncentiveScheme(BaseModel):
    """A golden hello or retention scheme for a kind of post."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=IncentiveKind.choices)
    grade = models.CharField(max_length=32, choices=Grade.choices, help_text="The grade of post it is for.")
    amount_pence = models.PositiveIntegerField()
    conditions = models.TextField(blank=True)
    clawback_months = models.PositiveSmallIntegerField(
        help_text="Leaving before this many months from the start date means repaying."
    )
    repayment_rule = models.CharField(max_length=16, choices=RepaymentRule.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchemeInstalment(BaseModel):
    scheme = models.ForeignKey(IncentiveScheme, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    amount_pence = models.PositiveIntegerField()
    due_after_months = models.PositiveSmallIntegerField(
        help_text="Months after the start date (0: on starting)."
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="workforce_instalment_number")
        ]


class IncentiveAward(BaseModel):
    """A scheme awarded to one person, counted from ``starts_on``."""

    staff = models.ForeignKey(StaffRecord, on_delete=models.PROTECT, related_name="awards")
    scheme = models.ForeignKey(IncentiveScheme, on_delete=models.PROTECT, related_name="awards")
    starts_on = models.DateField()
    # Set when the person leaves: what the scheme's rule says they repay.
    repayable_pence = models.PositiveIntegerField(null=True, blank=True)
    # Set when nothing is outstanding any more: the day of the last repayment or the waiver.
    repaid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "scheme"], name="workforce_one_award_per_scheme")
        ]

    def recovered_pence(self) -> int:
        """What has been repaid or waived so far (in pence)."""
        return sum(r.amount_pence for r in self.repayments.all())

    def outstanding_pence(self) -> int:
        """What the leaver still owes: repayable, less what was repaid or waived."""
        return max((self.repayable_pence or 0) - self.recovered_pence(), 0)


class RepaymentKind(models.TextChoices):
    RECEIVED = "received", "Repayment received"
    WAIVED = "waived", "Waived"


class IncentiveRepayment(BaseModel):
    """Money a leaver repaid on an award, or the rest of what they owed, waived with a reason."""

    award = models.ForeignKey(IncentiveAward, on_delete=models.PROTECT, related_name="repayments")
    kind = models.CharField(max_length=16, choices=RepaymentKind.choices)
    amount_pence = models.PositiveIntegerField()
    on = models.DateField()
    reason = models.TextField(blank=True, help_text="Why the rest was waived.")

    class Meta:
        ordering = ["on", "created_at"]


class IncentivePayment(BaseModel):
    award = models.ForeignKey(IncentiveAward, on_delete=models.CASCADE, related_name="payments")
    number = models.PositiveSmallIntegerField()
    amount_pence = models.PositiveIntegerField()
    due_on = models.DateField()
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "number"]


class AsyeReviewKind(models.TextChoices):
    THREE_MONTH = "three_month", "3-month review"
    SIX_MONTH = "six_month", "6-month review"
    FINAL = "final", "Final assessment (12 months)"


class AsyeOutcome(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    CONCERNS = "concerns", "Concerns: support plan agreed"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Not passed"


class AsyeReview(BaseModel):
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="asye_reviews")
    kind = models.CharField(max_length=16, choices=AsyeReviewKind.choices)
    due_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=AsyeOutcome.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "kind"], name="workforce_one_asye_review_each")
        ]


class GradeCriteria(BaseModel):
    """What a person must show to reach a grade."""

    grade = models.CharField(max_length=32, choices=Grade.choices, unique=True)
    rank = models.PositiveSmallIntegerField(help_text="Order on the career path (lowest first).")
    criteria = models.TextField()

    class Meta:
        ordering = ["rank"]
        verbose_name_plural = "grade criteria"

    def items(self) -> list[str]:
        """The criteria one by one: a line each, or parts of a line split at semicolons."""
        found = []
        for line in self.criteria.splitlines():
            for part in line.split(";"):
                part = part.strip().rstrip(".").strip()
                if part:
                    found.append(part[0].upper() + part[1:])
        return found


class GradeRoute(models.TextChoices):
    APPOINTED = "appointed", "Recruited from outside at this grade"
    PROGRESSED = "progressed", "Progressed from inside"


class GradeHistory(BaseModel):
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="grade_history")
    grade = models.CharField(max_length=32, choices=Grade.choices)
    since = models.DateField()
    route = models.CharField(max_length=16, choices=GradeRoute.choices)

    class Meta:
        ordering = ["since", "created_at"]
        verbose_name_plural = "grade history"


class PanelDecision(models.TextChoices):
    PENDING = "pending", "Waiting for the panel"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Not approved"


class ProgressionApplication(BaseModel):
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="applications")
    to_grade = models.CharField(max_length=32, choices=Grade.choices)
    submitted_on = models.DateField()
    evidence = models.TextField()
    # Which of the grade's criteria (``GradeCriteria.items``) the applicant says the evidence meets.
    criteria_met = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=16, choices=PanelDecision.choices, default=PanelDecision.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    panel = models.CharField(max_length=200, blank=True, help_text="Who sat on the panel.")
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_on"]


class SupervisionKind(models.TextChoices):
    CASE = "case", "Case supervision"
    REFLECTIVE = "reflective", "Reflective supervision"
    GROUP = "group", "Group supervision"
    ASYE = "asye", "ASYE supervision"


class Supervision(BaseModel):
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="supervisions")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    kind = models.CharField(max_length=16, choices=SupervisionKind.choices)
    case_decisions_recorded = models.BooleanField(
        default=False, help_text="The case decisions made were recorded on each child's file."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]


class Absence(BaseModel):
    """Sickness absence: ``working_days_lost`` is in FTE days (half days allowed)."""

    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty while the person is still off.")
    working_days_lost = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("0"))

    class Meta:
        ordering = ["-starts_on"]
