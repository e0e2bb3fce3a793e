"""Conference pages' forms. Every required field says what to enter."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.conferences.models import AttendanceKind, ConferenceAgency, PlanEndReason
from safeguard.conferences.services import AttendanceRow
from safeguard.core.codes import CategoryOfAbuse
from safeguard.core.entry_checks import EntryCheckedForm
from safeguard.design_system.forms import GovukDateField, GovukForm

YES_NO = [("yes", "Yes"), ("no", "No")]
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
# Enough rows for a typical conference; more people can be added when the record is
# edited (a later wave: invitations fill these in).
ATTENDANCE_ROWS = 8


class ProposeForm(GovukForm):
    """The propose page has only its button."""


class ScheduleForm(GovukForm):
    chair = forms.ChoiceField(
        label="Who will chair the conference?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will chair the conference"},
    )
    day = GovukDateField(
        label="Date of the conference", subject="Date of the conference", help_text="For example, 18 11 2026"
    )
    time = forms.CharField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 09:30 or 14:00",
        max_length=5,
        error_messages={"required": "Enter the start time"},
    )
    room = forms.CharField(label="Room", required=False, max_length=120)
    video_link = forms.URLField(
        label="Video link",
        required=False,
        help_text="If people will join online",
        assume_scheme="https",
        error_messages={"invalid": "Enter the video link as a full web address, starting https://"},
    )
    late_reason = forms.CharField(
        label="If the date is after the target, why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, candidates: list[tuple[User, str | None]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["chair"]
        assert isinstance(field, forms.ChoiceField)
        # Everyone is listed, with why someone may not chair, so the refusal is no surprise.
        field.choices = [
            (str(u.pk), u.display_name if why is None else f"{u.display_name} (not independent: {why})")
            for u, why in candidates
        ]

    def clean_time(self) -> dt.time:
        match = _TIME.match(self.cleaned_data["time"].strip())
        if match is None:
            raise forms.ValidationError("Enter the start time as hours and minutes, for example 09:30")
        return dt.time(int(match.group(1)), int(match.group(2)))

    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"]))


class RecordForm(EntryCheckedForm, GovukForm):
    # The census rules on the conference date and the plan it starts (ADR 13); a review
    # conference's date is the plan's review date (``review=True``).
    entry_kind = "initial_conference"
    entry_fields = {
        "DateOfInitialCPC": "held_on",
        "CPPstartDate": "held_on",
        "CPPreviewDate": "held_on",
        "InitialCategoryOfAbuse": "category",
    }

    held_on = GovukDateField(
        label="Date the conference was held", subject="Date the conference was held", must_be="past_or_today"
    )
    not_quorate_reason = forms.CharField(
        label="If it was not quorate, why did it go ahead?",
        help_text="Quorate means children's social care and at least two other agencies were present",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    plan_needed = forms.ChoiceField(
        label="Does the child need a child protection plan?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the child needs a child protection plan"},
    )
    category = forms.ChoiceField(
        label="Category of abuse",
        choices=CategoryOfAbuse.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Only if the child needs a plan",
    )
    lead_worker = forms.ChoiceField(
        label="Lead social worker", required=False, help_text="Only if the child needs a plan"
    )
    dissent = forms.CharField(
        label="Dissent",
        help_text="Who disagreed with the decision, and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    late_reason = forms.CharField(
        label="If the conference was late, why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, workers: list[User], review: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry_kind = "cp_plan_review" if review else "initial_conference"  # type: ignore[misc]
        lead = self.fields["lead_worker"]
        assert isinstance(lead, forms.ChoiceField)
        lead.choices = [("", "Choose a worker"), *((str(u.pk), u.display_name) for u in workers)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, ATTENDANCE_ROWS + 1):
            if not (data.get(f"name_{i}") or "").strip():
                continue
            if not data.get(f"agency_{i}"):
                self.add_error(f"agency_{i}", f"Select the agency of person {i}")
            if not data.get(f"attendance_{i}"):
                self.add_error(
                    f"attendance_{i}",
                    f"Select whether person {i} was present, sent apologies or a report only",
                )
        return data

    def entry_values(self, data: Mapping[str, Any]) -> Mapping[str, Any] | None:
        held = data.get("held_on")
        if self.entry_kind == "cp_plan_review":
            return {"CPPreviewDate": held}
        values = {"DateOfInitialCPC": held}
        if data.get("plan_needed") == "yes":
            values |= {"CPPstartDate": held, "InitialCategoryOfAbuse": data.get("category")}
        return values

    def attendance(self) -> list[AttendanceRow]:
        data = self.cleaned_data
        return [
            AttendanceRow(
                name=data[f"name_{i}"],
                agency=data[f"agency_{i}"],
                role=data[f"role_{i}"],
                attendance=data[f"attendance_{i}"],
            )
            for i in range(1, ATTENDANCE_ROWS + 1)
            if (data.get(f"name_{i}") or "").strip()
        ]

    def attendance_rows(self) -> list[list[Any]]:
        """The bound fields of each attendance row, for the template."""
        return [
            [self[f"{part}_{i}"] for part in ("name", "agency", "role", "attendance")]
            for i in range(1, ATTENDANCE_ROWS + 1)
        ]


def _attendance_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for i in range(1, ATTENDANCE_ROWS + 1):
        fields[f"name_{i}"] = forms.CharField(label=f"Name (person {i})", required=False, max_length=120)
        fields[f"agency_{i}"] = forms.ChoiceField(
            label=f"Agency (person {i})",
            choices=[("", "Choose an agency"), *ConferenceAgency.choices],
            required=False,
        )
        fields[f"role_{i}"] = forms.CharField(label=f"Role (person {i})", required=False, max_length=120)
        fields[f"attendance_{i}"] = forms.ChoiceField(
            label=f"Attendance (person {i})",
            choices=[("", "Choose one"), *AttendanceKind.choices],
            required=False,
        )
    return fields


# Declared on the class (not added per form in __init__), so that GovukForm's cleaning of
# unusual characters, which runs first in __init__, covers the attendance rows too.
RecordForm.base_fields.update(_attendance_fields())


class CancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the conference cancelled?",
        help_text="Everyone invited is told, and their links stop working",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Give the reason the conference is cancelled"},
    )


class OutcomeForm(GovukForm):
    """One outcome of the plan, written for the family to read."""

    what_needs_to_change = forms.CharField(
        label="What needs to change",
        help_text="Say it so the family can understand it, for example: Kai gets to school on time every day",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter what needs to change"},
    )
    who_does_what = forms.CharField(
        label="Who does what",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter who does what"},
    )
    by_when = GovukDateField(label="By when", subject="Date", help_text="For example, 27 2 2027")
    how_we_will_know = forms.CharField(
        label="How we will know it has happened",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter how you will know it has happened"},
    )


class CoreGroupForm(GovukForm):
    held_on = GovukDateField(
        label="Date of the core group meeting", subject="Date of the meeting", must_be="past_or_today"
    )
    attended = forms.CharField(
        label="Who came",
        help_text="One person a line, with their role",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    notes = forms.CharField(
        label="What was agreed", required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    late_reason = forms.CharField(
        label="If this first core group is late, why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PlanEndForm(GovukForm):
    end_date = GovukDateField(label="Date the plan ends", subject="End date", must_be="past_or_today")
    reason = forms.ChoiceField(
        label="Why is the plan ending?",
        choices=PlanEndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the plan is ending"},
    )
    detail = forms.CharField(
        label="More about the reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    step_down = forms.ChoiceField(
        label="Does the child still need a child in need plan?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="If yes, a child in need plan starts the day this plan ends",
        error_messages={"required": "Select if the child still needs a child in need plan"},
    )
