"""Workforce pages' forms. Every required field says what to enter."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from safeguard.accounts.models import Grade, Team, User
from safeguard.design_system.forms import GovukDateField, GovukForm
from safeguard.workforce.models import (
    AsyeCohort,
    AsyeOutcome,
    AsyeReview,
    AsyeReviewKind,
    CensusRole,
    CoverKind,
    EmploymentKind,
    EntryRoute,
    IncentiveKind,
    IncentiveScheme,
    LeavingReason,
    Origin,
    PanelDecision,
    Post,
    RecruitmentStage,
    RepaymentKind,
    RepaymentRule,
    StaffRecord,
    SupervisionKind,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


class _Named(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name if isinstance(obj, User) else obj)


class StaffForm(GovukForm):
    first_name = forms.CharField(
        label="First name", max_length=80, error_messages={"required": "Enter the first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=80, error_messages={"required": "Enter the last name"}
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), error_messages={"required": "Select the team"}
    )
    post = forms.ModelChoiceField(
        label="Post (optional)", queryset=Post.objects.select_related("team"), required=False
    )
    kind = forms.ChoiceField(
        label="Employment",
        choices=EmploymentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they are employed"},
    )
    agency_name = forms.CharField(label="Agency (if agency)", max_length=120, required=False)
    fte = forms.DecimalField(
        label="FTE",
        help_text="Full time is 1, for example 0.6 for three days a week",
        max_digits=3,
        decimal_places=2,
        error_messages={"required": "Enter the FTE", "invalid": "Enter the FTE as a number, like 0.6"},
    )
    grade = forms.ChoiceField(
        label="Grade", choices=Grade.choices, error_messages={"required": "Select the grade"}
    )
    census_role = forms.ChoiceField(
        label="Role in the workforce census",
        choices=CensusRole.choices,
        error_messages={"required": "Select the role in the workforce census"},
    )
    social_work_england_number = forms.CharField(
        label="Social Work England registration number (optional)",
        help_text="SW and then up to 7 digits, like SW123456",
        max_length=20,
        required=False,
    )
    start_date = GovukDateField(label="Start date", subject="Start date", help_text="For example, 1 4 2025")
    end_date = GovukDateField(label="End date (optional)", subject="End date", required=False)
    origin = forms.ChoiceField(
        label="Where they came from",
        choices=Origin.choices,
        error_messages={"required": "Select where they came from"},
    )
    entry_route = forms.ChoiceField(
        label="Route into social work",
        choices=EntryRoute.choices,
        error_messages={"required": "Select the route into social work"},
    )
    asye_cohort = forms.ModelChoiceField(
        label="ASYE cohort (optional)", queryset=AsyeCohort.objects.all(), required=False
    )
    over_establishment_reason = forms.CharField(
        label="If this takes the post over its funded FTE, why? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    agency_weekly_cost = forms.DecimalField(
        label="Agency cost per week in pounds (optional)",
        max_digits=8,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        error_messages={"invalid": "Enter the agency cost in pounds, like 1650.00"},
    )

    def staff_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        cost = data.pop("agency_weekly_cost")
        data["agency_weekly_cost_pence"] = int(cost * 100) if cost is not None else None
        data["is_social_worker"] = data["grade"] not in (Grade.BUSINESS_SUPPORT, Grade.OTHER)
        data["case_holding"] = data["census_role"] in (CensusRole.CASE_HOLDER, CensusRole.SENIOR_PRACTITIONER)
        return data


class LeaveForm(GovukForm):
    last_day = GovukDateField(label="Last day of employment", subject="Last day of employment")
    reason = forms.ChoiceField(
        label="Why did they leave?",
        choices=LeavingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why they left"},
    )
    destination = forms.CharField(label="Where did they go? (optional)", max_length=120, required=False)


class SupervisionForm(GovukForm):
    held_on = GovukDateField(
        label="Date of the supervision", subject="Date of the supervision", must_be="past_or_today"
    )
    kind = forms.ChoiceField(
        label="Kind of supervision",
        choices=SupervisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of supervision"},
    )
    case_decisions_recorded = forms.ChoiceField(
        label="Have the case decisions been recorded on each child's file?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the case decisions are recorded on each child's file"},
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )


class AsyeReviewForm(GovukForm):
    held_on = GovukDateField(
        label="Date of the review", subject="Date of the review", must_be="past_or_today"
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )

    def __init__(self, *args: Any, review: AsyeReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        final = review.kind == AsyeReviewKind.FINAL
        wanted = (
            (AsyeOutcome.PASSED, AsyeOutcome.FAILED)
            if final
            else (AsyeOutcome.ON_TRACK, AsyeOutcome.CONCERNS)
        )
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(o.value, o.label) for o in wanted]


class RecruitmentForm(GovukForm):
    stage = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in RecruitmentStage if s != RecruitmentStage.ADVERTISED],
        error_messages={"required": "Select the stage it has reached"},
    )
    on = GovukDateField(
        label="Date it reached this stage", subject="Date it reached this stage", must_be="past_or_today"
    )
    applications = forms.IntegerField(
        label="Applications received (optional)",
        min_value=0,
        required=False,
        error_messages={"invalid": "Enter the number of applications as a whole number"},
    )
    candidate = forms.CharField(label="Candidate offered (optional)", max_length=120, required=False)
    dbs_checked_on = GovukDateField(
        label="DBS check cleared (optional)", subject="DBS check date", required=False
    )
    registration_checked_on = GovukDateField(
        label="Registration checked (optional)", subject="Registration check date", required=False
    )
    references_received_on = GovukDateField(
        label="References received (optional)", subject="References date", required=False
    )
    right_to_work_checked_on = GovukDateField(
        label="Right to work checked (optional)", subject="Right to work check date", required=False
    )


class PostForm(GovukForm):
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), error_messages={"required": "Select the team"}
    )
    title = forms.CharField(
        label="Title of the post",
        help_text="For example, Social worker or Senior practitioner",
        max_length=120,
        error_messages={"required": "Enter the title of the post"},
    )
    grade = forms.ChoiceField(
        label="Grade", choices=Grade.choices, error_messages={"required": "Select the grade"}
    )
    funded_fte = forms.DecimalField(
        label="Funded FTE",
        help_text="Full time is 1, for example 2.5 for two full-time posts and one half-time",
        max_digits=4,
        decimal_places=2,
        error_messages={
            "required": "Enter the funded FTE",
            "invalid": "Enter the funded FTE as a number, like 2.5",
            "max_digits": "Enter a funded FTE of 10 or less for one post",
            "max_decimal_places": "Enter the funded FTE to 2 decimal places at most, like 0.75",
            "max_whole_digits": "Enter a funded FTE of 10 or less for one post",
        },
    )
    case_holding = forms.ChoiceField(
        label="Does the post hold cases?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the post holds cases"},
    )
    hard_to_fill = forms.ChoiceField(
        label="Is the post hard to fill?",
        help_text="Hard-to-fill posts can be offered a golden hello or retention payment",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the post is hard to fill"},
    )


def _current_staff() -> Any:
    return StaffRecord.objects.filter(end_date__isnull=True).select_related("team")


class _CoverFields(GovukForm):
    cover = forms.ChoiceField(
        label="How is it covered?",
        choices=CoverKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the vacancy is covered"},
    )
    covered_by = _Named(
        label="Who covers it (optional)",
        help_text="An agency worker, or the person working overtime or acting up",
        queryset=_current_staff(),
        required=False,
    )


class VacancyOpenForm(_CoverFields):
    post = forms.ModelChoiceField(
        label="Post",
        queryset=Post.objects.select_related("team"),
        error_messages={"required": "Select the post that is vacant"},
    )
    fte = forms.DecimalField(
        label="Vacant FTE",
        help_text="For example, 1 for a full-time post or 0.5 for half of one",
        max_digits=4,
        decimal_places=2,
        error_messages={
            "required": "Enter the vacant FTE",
            "invalid": "Enter the vacant FTE as a number, like 0.5",
            "max_digits": "Enter a vacant FTE of 10 or less",
            "max_decimal_places": "Enter the vacant FTE to 2 decimal places at most, like 0.75",
            "max_whole_digits": "Enter a vacant FTE of 10 or less",
        },
    )
    opened_on = GovukDateField(
        label="Date the post became vacant",
        subject="Date the post became vacant",
        help_text="For example, 1 4 2025",
    )

    field_order = ["post", "fte", "opened_on", "cover", "covered_by"]


class VacancyCoverForm(_CoverFields):
    pass


class VacancyCloseForm(GovukForm):
    closed_on = GovukDateField(
        label="Date the vacancy closed", subject="Date the vacancy closed", must_be="past_or_today"
    )


class RecruitmentStartForm(GovukForm):
    advertised_on = GovukDateField(
        label="Date the post was advertised", subject="Date the post was advertised", must_be="past_or_today"
    )


_INSTALMENT = re.compile(r"^£?\s*(?P<amount>[0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*,\s*(?P<months>[0-9]{1,3})$")


def _pence(pounds_typed: Decimal) -> int:
    return int((pounds_typed * 100).to_integral_value())


class IncentiveSchemeForm(GovukForm):
    name = forms.CharField(
        label="Name of the scheme",
        help_text="For example, Senior practitioner golden hello 2026",
        max_length=120,
        error_messages={"required": "Enter the name of the scheme"},
    )
    kind = forms.ChoiceField(
        label="Kind of incentive",
        choices=IncentiveKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of incentive"},
    )
    grade = forms.ChoiceField(
        label="Grade of post it is for",
        choices=Grade.choices,
        error_messages={"required": "Select the grade"},
    )
    amount_pence = forms.DecimalField(
        label="Amount in pounds",
        help_text="The whole amount paid to one person, for example 5000 or 2500.50",
        max_digits=9,
        decimal_places=2,
        error_messages={
            "required": "Enter the amount in pounds",
            "invalid": "Enter the amount in pounds as a number, like 5000",
            "max_digits": "Enter an amount of less than £10,000,000",
            "max_whole_digits": "Enter an amount of less than £10,000,000",
            "max_decimal_places": "Enter the amount in pounds and pence, like 2500.50",
        },
    )
    instalments = forms.CharField(
        label="Instalments",
        help_text=(
            "One a line: the amount in pounds, a comma, then the months after starting it is due"
            " (0 for on starting). For example, 2500, 0 on one line and 2500, 6 on the next."
            " They must add up to the amount."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter at least one instalment"},
    )
    clawback_months = forms.IntegerField(
        label="Months a person must stay not to repay",
        help_text="Leaving within this many months of starting means repaying",
        min_value=0,
        max_value=120,
        error_messages={
            "required": "Enter the months a person must stay not to repay",
            "invalid": "Enter the months as a whole number, like 24",
            "min_value": "Enter 0 months or more",
            "max_value": "Enter 120 months or fewer",
        },
    )
    repayment_rule = forms.ChoiceField(
        label="What a person who leaves early repays",
        choices=RepaymentRule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether repayment is in full or pro rata"},
    )
    conditions = forms.CharField(
        label="Conditions (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    def clean_amount_pence(self) -> int:
        return _pence(self.cleaned_data["amount_pence"])

    def clean_instalments(self) -> list[tuple[int, int]]:
        schedule: list[tuple[int, int]] = []
        for number, line in enumerate(self.cleaned_data["instalments"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = _INSTALMENT.match(line)
            if match is None:
                raise forms.ValidationError(
                    f"Write instalment {number} as the amount in pounds, a comma and the months"
                    f" after starting, like 2500, 6 (not {line})"
                )
            try:
                amount = Decimal(match["amount"].replace(",", ""))
            except InvalidOperation as error:
                raise forms.ValidationError(f"Instalment {number}'s amount is not a number") from error
            schedule.append((_pence(amount), int(match["months"])))
        if not schedule:
            raise forms.ValidationError("Enter at least one instalment")
        return schedule


class IncentiveAwardForm(GovukForm):
    scheme = forms.ModelChoiceField(
        label="Scheme",
        queryset=IncentiveScheme.objects.all(),
        error_messages={"required": "Select the scheme"},
    )
    starts_on = GovukDateField(
        label="Date it counts from",
        subject="Date it counts from",
        help_text="Usually their start date. Instalments fall due this many months after it.",
    )


class AbsenceForm(GovukForm):
    starts_on = GovukDateField(
        label="First day of absence", subject="First day of absence", must_be="past_or_today"
    )
    ends_on = GovukDateField(
        label="Last day of absence (optional)",
        subject="Last day of absence",
        help_text="Leave empty while they are still off",
        required=False,
    )
    working_days_lost = forms.DecimalField(
        label="Working days lost",
        help_text="In FTE days: half days are allowed, for example 2.5",
        max_digits=5,
        decimal_places=1,
        error_messages={
            "required": "Enter the working days lost",
            "invalid": "Enter the working days lost as a number, like 2.5",
            "max_digits": "Enter fewer than 10,000 working days",
            "max_whole_digits": "Enter fewer than 10,000 working days",
            "max_decimal_places": "Enter the working days lost to the nearest half day, like 2.5",
        },
    )


class ProgressionDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=[(d.value, d.label) for d in (PanelDecision.APPROVED, PanelDecision.DECLINED)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    decided_on = GovukDateField(
        label="Date of the decision", subject="Date of the decision", must_be="past_or_today"
    )
    panel = forms.CharField(
        label="Who sat on the panel",
        max_length=200,
        error_messages={"required": "Enter who sat on the panel"},
    )
    feedback = forms.CharField(
        label="Feedback (optional)", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )


class _CriteriaField(forms.MultipleChoiceField):
    """The next grade's criteria as checkboxes; whether what is sent belongs to the grade
    applied for is the service's check, so its message names the grade."""

    def valid_value(self, value: str) -> bool:
        return True


class ProgressionApplicationForm(GovukForm):
    """An application for the next grade: the grade, the evidence, and which of that grade's
    criteria it meets (the choices are the next grade's criteria, one by one)."""

    to_grade = forms.ChoiceField(
        label="Grade applied for",
        help_text="The next grade on the career path",
        error_messages={"required": "Select the grade applied for"},
    )
    criteria_met = _CriteriaField(
        label="Which of the criteria does the evidence meet?",
        help_text="Select all that apply",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the criteria the evidence meets",
            "invalid_choice": "Choose from the criteria for the next grade",
        },
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text=(
            "What the panel should read or see: the portfolio, observations of practice, feedback, "
            "and how it shows each criterion"
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=8000,
        error_messages={
            "required": "Describe the evidence for the application",
            "max_length": "Describe the evidence in 8,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, grades: list[tuple[str, str]], criteria: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grade_field = self.fields["to_grade"]
        assert isinstance(grade_field, forms.ChoiceField)
        grade_field.choices = grades
        criteria_field = self.fields["criteria_met"]
        assert isinstance(criteria_field, forms.MultipleChoiceField)
        criteria_field.choices = [(c, c) for c in criteria]


def _pounds_field(label: str, help_text: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=9,
        decimal_places=2,
        required=required,
        error_messages={
            "required": "Enter the amount repaid in pounds",
            "invalid": "Enter the amount in pounds as a number, like 1250.50",
            "max_digits": "Enter an amount of less than £10,000,000",
            "max_whole_digits": "Enter an amount of less than £10,000,000",
            "max_decimal_places": "Enter the amount in pounds and pence, like 1250.50",
        },
    )


class RepaymentForm(GovukForm):
    """A repayment received from a leaver (an amount in pounds, kept in pence), or the rest
    of what they owe waived with a reason."""

    kind = forms.ChoiceField(
        label="What happened?",
        choices=RepaymentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a repayment was received or the rest is waived"},
    )
    amount_pence = _pounds_field(
        "Amount received in pounds (if received)",
        "For example, 1250 or 1250.50. It cannot be more than is outstanding.",
        required=False,
    )
    on = GovukDateField(
        label="Date received or waived",
        subject="Date received or waived",
        help_text="On or after their last day, for example 27 3 2026",
        must_be="past_or_today",
    )
    reason = forms.CharField(
        label="Why is it waived? (if waived)",
        help_text="Everything still outstanding is waived",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean_amount_pence(self) -> int | None:
        amount = self.cleaned_data["amount_pence"]
        return None if amount is None else _pence(amount)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if (
            kind == RepaymentKind.RECEIVED
            and data.get("amount_pence") is None
            and "amount_pence" not in self.errors
        ):
            self.add_error("amount_pence", "Enter the amount repaid in pounds")
        if kind == RepaymentKind.WAIVED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the repayment is waived")
        return data
