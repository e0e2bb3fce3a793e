from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeguard.design_system.forms import GovukDateField, GovukForm


class SubjectAccessForm(GovukForm):
    requested_by = forms.CharField(
        label="Who asked for the information?",
        max_length=200,
        help_text="For example, the young person, or their mother on their behalf.",
        error_messages={"required": "Enter who asked for the information"},
    )
    received_on = GovukDateField(
        label="When was the request received?", subject="Date received", must_be="past_or_today"
    )


class ReleaseForm(GovukForm):
    include = forms.MultipleChoiceField(
        label="Include information that is withheld by default",
        required=False,
        choices=[
            ("third_parties", "Names of family members and professionals"),
            ("referral_sources", "Where each referral came from"),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text="Addresses that must not be disclosed are always withheld.",
    )
    reason = forms.CharField(
        label="Reason for including it",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Required if you include anything above.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("include") and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter the reason for including withheld information")
        return cleaned


class LegalHoldForm(GovukForm):
    reason = forms.CharField(
        label="Why must this record be kept?",
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example, a court case, an inquiry or a police investigation.",
        error_messages={"required": "Enter why the record must be kept"},
    )


class DisposalForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("dispose", "Dispose of the record"), ("retain", "Keep it for 2 more years")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to dispose of or keep the record"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea,
        help_text="Do not name the child or their family: the decision is kept after the record is gone.",
        error_messages={"required": "Enter the reason for your decision"},
    )


MAX_EXPORT_DAYS = 366


class AuditExportForm(GovukForm):
    start = GovukDateField(
        label="From", subject="Start date", must_be="past_or_today", help_text="For example, 1 4 2026"
    )
    end = GovukDateField(
        label="To", subject="End date", must_be="past_or_today", help_text="For example, 30 4 2026"
    )
    format = forms.ChoiceField(
        label="File format",
        choices=[("csv", "CSV (opens in a spreadsheet)"), ("json", "JSON")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a file format"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: dt.date | None = cleaned.get("start")
        end: dt.date | None = cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", ValidationError("End date must be the same as or after the start date"))
            elif (end - start).days > MAX_EXPORT_DAYS:
                self.add_error("end", ValidationError("Export at most one year at a time"))
        return cleaned


class MergeForm(GovukForm):
    duplicate = forms.CharField(
        label="Local child identifier of the duplicate record",
        max_length=20,
        help_text="Everything recorded against the duplicate moves to this record; the duplicate is removed.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": False}),
        error_messages={"required": "Enter the local child identifier of the duplicate record"},
    )
    reason = forms.CharField(
        label="How do you know these are the same child?",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter how you know these are the same child"},
    )
    confirm = forms.ChoiceField(
        label="Have you checked both records?",
        choices=[("yes", "Yes, they are the same child")],
        widget=forms.RadioSelect,
        error_messages={"required": "Confirm that you have checked both records"},
    )
