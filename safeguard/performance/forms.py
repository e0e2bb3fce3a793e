"""The measures page's choices (scope, period, snapshot), the benchmark upload, the local
targets and the need analysis's lookups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from safeguard.design_system.forms import GovukDateField, GovukForm
from safeguard.performance import measures
from safeguard.performance.need_models import LookupKind

MAX_UPLOAD_BYTES = 1_000_000
# A council's postcode to ward lookup has a row per postcode: tens of thousands of lines.
MAX_LOOKUP_BYTES = 10_000_000


class MeasuresForm(GovukForm):
    scope = forms.ChoiceField(
        label="Whose figures",
        required=False,
        error_messages={"invalid_choice": "Choose a scope from the list"},
    )
    period_start = GovukDateField(label="Period from", subject="Start of the period", required=False)
    period_end = GovukDateField(label="Period to", subject="End of the period", required=False)
    snapshot = GovukDateField(
        label="Snapshot date (optional)",
        subject="Snapshot date",
        required=False,
        help_text="For the figures at a date (children on plans, in need). Blank: the end of the period.",
    )

    def __init__(self, *args: Any, scopes: list[measures.Scope], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.key, s.label) for s in scopes]
        # Any key is accepted here: a scope the viewer may not see gets its own message.
        field.valid_value = lambda value: True  # type: ignore[method-assign]


class BenchmarkUploadForm(GovukForm):
    file = forms.FileField(
        label="Upload a CSV file of benchmarks",
        help_text="Headings: measure, area, period, value, unit, source. One figure a line.",
        error_messages={"required": "Choose a CSV file to upload"},
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be saved as UTF-8 text (CSV UTF-8 in Excel)") from None


class LocalTargetsForm(GovukForm):
    """A box for each measure that may have a target, named by the measure's id; blank is
    no target. The numbers are checked by ``targets.local_targets_save``, so that a
    wrong one gets the same message wherever a target is set."""

    def __init__(self, *args: Any, current: dict[str, float], **kwargs: Any) -> None:
        self.current = current
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        for m in measures.MEASURES:
            if m.better == measures.Better.NEITHER:
                continue
            value = self.current.get(m.id)
            self.fields[m.id] = forms.CharField(
                label=f"Target for {m.name.lower()}",
                required=False,
                max_length=20,
                initial="" if value is None else f"{value:g}",
                error_messages={"max_length": f"The target for {m.name.lower()} must be a number, like 20"},
            )


class NeedLookupUploadForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is in the file",
        choices=LookupKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the file is a ward lookup or child populations",
            "invalid_choice": "Choose whether the file is a ward lookup or child populations",
        },
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Smaller than 10 MB, saved as CSV UTF-8.",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )

    def clean_file(self) -> tuple[str, str]:
        """The file's name and its text."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_LOOKUP_BYTES:
            raise forms.ValidationError("The file must be smaller than 10 MB")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError(
                "The file is not a text file (it has NUL bytes): save it from the spreadsheet as CSV UTF-8"
            )
        try:
            return str(upload.name), raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be saved as UTF-8 text (CSV UTF-8 in Excel)") from None


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """This month so far."""
    return today.replace(day=1), today
