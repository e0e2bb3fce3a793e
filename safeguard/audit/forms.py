from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeguard.design_system.forms import GovukDateField, GovukForm

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
