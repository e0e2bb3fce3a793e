"""Casework question pages. Every required field says what to enter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from safeguard.casework.models import AssessmentOutcome, Section47Outcome, StrategyAgency, VisitKind
from safeguard.core.codes import AssessmentFactor, ReasonForClosure
from safeguard.core.entry_checks import EntryCheckedForm
from safeguard.design_system.forms import GovukDateField, GovukForm

YES_NO = [("yes", "Yes"), ("no", "No")]


def _late_reason(label: str) -> forms.CharField:
    """The worker's reason when something was done after its clock's due date (the view puts
    the due date in the hint; the service refuses a late one without a reason)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if it was after its due date.",
    )


class AllocateForm(GovukForm):
    worker = forms.ChoiceField(
        label="Who will hold this child's case?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the worker who will hold the case"},
    )
    reason = forms.CharField(
        label="If they are absent or beyond their protected caseload, why allocate to them? (optional)",
        help_text="Needed only when the page warns you about the worker you choose",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, workers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = workers


class _TeamForm(GovukForm):
    """Choose a team, with a reason: ``team_label``, ``team_missing`` and ``reason_label``
    word it; ``reason_missing`` makes the reason required."""

    team_label = ""
    team_missing = ""
    reason_label = ""
    reason_missing = ""

    # Subclasses word the message; this default is never shown by them.
    team = forms.ChoiceField(error_messages={"required": "Select a team"})
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter a note"}
    )

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team, reason = self.fields["team"], self.fields["reason"]
        assert isinstance(team, forms.ChoiceField)
        team.choices = [("", "Select a team"), *teams]
        team.label = self.team_label
        team.error_messages.update(required=self.team_missing, invalid_choice=self.team_missing)
        reason.label = self.reason_label
        reason.required = bool(self.reason_missing)
        reason.error_messages.update(
            required=self.reason_missing or "Enter a note",
            max_length=f"{self.reason_label.removesuffix(' (optional)')} must be 2,000 characters or fewer",
        )


class SendToTeamForm(_TeamForm):
    team_label = "Which team will receive the referral?"
    team_missing = "Select the team that will receive the referral"
    reason_label = "Note for the team (optional)"


class TransferForm(_TeamForm):
    team_label = "Which team will hold the case?"
    team_missing = "Select the team that will hold the case"
    reason_label = "Why is the case moving?"
    reason_missing = "Enter the reason for the transfer"


class AssessmentStartForm(EntryCheckedForm, GovukForm):
    entry_kind = "assessment_start"
    entry_fields = {"AssessmentActualStartDate": "start_date"}

    start_date = GovukDateField(
        label="When did the assessment start?",
        subject="Start date",
        must_be="past_or_today",
        help_text="For example, 3 11 2026",
    )


class SectionForm(GovukForm):
    text = forms.CharField(
        label="",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"max_length": "This section must be 20,000 characters or fewer"},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "The page was incomplete: reload it and try again (your words are kept)",
            "invalid": "The page was changed: reload it and try again (your words are kept)",
        },
    )
    # Which open page this is (a token given when the page is drawn): its own saves, the
    # autosave and the final save, never conflict with each other. Blank from an old page.
    edit = forms.CharField(widget=forms.HiddenInput, required=False, max_length=36)


class AssessmentDetailsForm(EntryCheckedForm, GovukForm):
    entry_kind = "assessment_factors"
    entry_fields = {"AssessmentFactors": "factors"}

    child_seen_date = GovukDateField(
        label="When was the child seen?",
        subject="Date the child was seen",
        must_be="past_or_today",
        required=False,
    )
    child_seen_alone = forms.ChoiceField(
        label="Was the child seen alone?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    internal_review_date = GovukDateField(
        label="When did a manager review the assessment part-way? (optional)",
        subject="Date of the internal review",
        must_be="past_or_today",
        required=False,
        help_text="Leave blank if there was no review before the assessment was finished. "
        "For example, 3 11 2026",
    )
    factors = forms.MultipleChoiceField(
        label="Factors identified",
        choices=AssessmentFactor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. These are the children in need census codes.",
    )
    outcome = forms.ChoiceField(
        label="Outcome of the assessment",
        choices=AssessmentOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )


class AuthoriseForm(EntryCheckedForm, GovukForm):
    entry_kind = "assessment_authorise"
    entry_fields = {"AssessmentAuthorisationDate": "authorised_on"}

    authorised_on = GovukDateField(
        label="Date authorised", subject="Date authorised", must_be="past_or_today"
    )
    # The view keeps this only when the assessment's clock has passed its due date.
    late_reason = forms.CharField(
        label="Why was the assessment late?",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Required when the 45 working days have passed.",
    )


class StrategyDiscussionForm(EntryCheckedForm, GovukForm):
    # A discussion that starts a section 47 starts it on the day it is held.
    entry_kind = "section_47_start"
    entry_fields = {"S47ActualStartDate": "held_on"}

    held_on = GovukDateField(
        label="When was the strategy discussion held?",
        subject="Date of the strategy discussion",
        must_be="past_or_today",
    )
    agencies = forms.MultipleChoiceField(
        label="Which agencies took part?",
        choices=StrategyAgency.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Police, health and children's social care at least.",
        error_messages={"required": "Select the agencies that took part"},
    )
    information_shared = forms.CharField(
        label="Information shared",
        max_length=20_000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the information shared"},
    )
    safety_actions = forms.CharField(
        label="Immediate actions to keep the child safe",
        max_length=20_000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the immediate safety actions, or 'none needed'"},
    )
    start_section_47 = forms.ChoiceField(
        label="Was a section 47 enquiry started?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if a section 47 enquiry was started"},
    )
    late_reason = _late_reason("If the discussion was late, why?")

    def entry_values(self, data: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return super().entry_values(data) if data.get("start_section_47") == "yes" else None


class Section47OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What was the outcome of the enquiry?",
        choices=Section47Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the enquiry"},
    )


class CloseForm(EntryCheckedForm, GovukForm):
    entry_kind = "episode_close"
    entry_fields = {"CINclosureDate": "closure_date", "ReasonForClosure": "reason"}

    closure_date = GovukDateField(label="Closure date", subject="Closure date", must_be="past_or_today")
    reason = forms.ChoiceField(
        label="Why is the episode closing?",
        choices=ReasonForClosure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason for closing the episode"},
    )


class VisitForm(GovukForm):
    visit_date = GovukDateField(
        label="Date of the visit", subject="Date of the visit", must_be="past_or_today"
    )
    kind = forms.ChoiceField(
        label="What kind of visit was it?",
        choices=VisitKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of visit"},
    )
    child_seen = forms.ChoiceField(
        label="Was the child seen?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the child was seen"},
    )
    child_seen_alone = forms.ChoiceField(
        label="Was the child seen alone?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text="Answer for every visit where the child was seen.",
    )
    observations = forms.CharField(
        label="What did you see and hear?",
        max_length=20_000,
        widget=forms.Textarea,
        error_messages={"required": "Enter what you saw and heard"},
    )
    late_reason = _late_reason("If the visit was late, why?")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("child_seen") == "yes" and not data.get("child_seen_alone"):
            self.add_error("child_seen_alone", "Select yes if the child was seen alone")
        if data.get("child_seen") == "no" and data.get("child_seen_alone") == "yes":
            self.add_error("child_seen_alone", "A child who was not seen cannot have been seen alone")
        return data


class CaseNoteForm(GovukForm):
    written_on = GovukDateField(label="Date", subject="Date of the note", must_be="past_or_today")
    text = forms.CharField(
        label="Note", max_length=20_000, widget=forms.Textarea, error_messages={"required": "Enter the note"}
    )


class ChronologyEntryForm(GovukForm):
    happened_on = GovukDateField(label="When did it happen?", subject="Date", must_be="past_or_today")
    event = forms.CharField(
        label="What happened?",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter what happened"},
    )
    source = forms.CharField(label="Where the information came from", max_length=200, required=False)
    analysis = forms.CharField(
        label="What this means for the child",
        max_length=5000,
        widget=forms.Textarea,
        required=False,
        help_text="Your analysis: why it matters, what it tells us.",
    )


class PlanDateForm(EntryCheckedForm, GovukForm):
    """A child in need plan's start or end date: the view says which (``entry_kind``)."""

    entry_kind = "cin_plan_start"
    entry_fields = {"CINPlanStartDate": "on", "CINPlanEndDate": "on"}

    on = GovukDateField(label="Date", subject="Date", must_be="past_or_today")

    def __init__(self, *args: Any, ending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry_kind = "cin_plan_end" if ending else "cin_plan_start"  # type: ignore[misc]


class CINPlanReviewForm(GovukForm):
    held_on = GovukDateField(
        label="When was the review held?", subject="Date of the review", must_be="past_or_today"
    )
    summary = forms.CharField(
        label="What was reviewed and decided",
        max_length=20_000,
        widget=forms.Textarea,
        help_text="Write it so the family can read it.",
        error_messages={"required": "Enter what was decided"},
    )
    late_reason = _late_reason("If the review was late, why?")


class StrategyRecordForm(GovukForm):
    circulated_on = GovukDateField(
        label="When was the record sent to the agencies?",
        subject="Date the record was sent",
        must_be="past_or_today",
    )
    late_reason = _late_reason("If it was sent late, why?")
