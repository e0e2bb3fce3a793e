"""Django forms rendered as GOV.UK Frontend components.

``govuk_field(form["name"])`` chooses the component from the widget, fills in the label,
hint, value and error, and calls the ``govuk-frontend-jinja`` macro. Forms subclass
``GovukForm``, which refuses Django's generic error messages: every required field must say
what to enter ("Enter the child's date of birth"), as the GOV.UK error message pattern
asks.

``GovukForm`` also takes control characters out of what was submitted (see
``safeguard.core.text``) and says so on the field, so no form, and no journey draft,
hands the database a NUL or shows Django's "Null characters are not allowed."
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from jinja2 import Environment, pass_environment
from markupsafe import Markup

from safeguard.core.text import without_unusual_characters

_MACROS = {
    "govukInput": "input",
    "govukTextarea": "textarea",
    "govukCharacterCount": "character-count",
    "govukRadios": "radios",
    "govukCheckboxes": "checkboxes",
    "govukSelect": "select",
    "govukDateInput": "date-input",
    "govukPasswordInput": "password-input",
}

_DATE_PARTS = ("day", "month", "year")


class GovukDateWidget(forms.Widget):
    """Three text boxes (day, month, year), the GOV.UK date input pattern.

    The value is a dict of the three strings exactly as typed, so a bad date comes back to
    the user as they typed it.
    """

    template_name = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {part: str(data.get(f"{name}-{part}", "")).strip() for part in _DATE_PARTS}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in _DATE_PARTS)

    def format_value(self, value: Any) -> dict[str, str]:  # type: ignore[override]
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, dict):
            return {part: str(value.get(part, "")) for part in _DATE_PARTS}
        return {part: "" for part in _DATE_PARTS}


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK date error messages.

    ``subject`` names the date in messages ("Date of birth must include a month").
    ``must_be`` is "past", "future", "past_or_today", "future_or_today" or None.
    """

    widget = GovukDateWidget

    def __init__(
        self,
        *,
        subject: str,
        must_be: str | None = None,
        earliest: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        self.subject = subject
        self.must_be = must_be
        self.earliest = earliest or dt.date(1900, 1, 1)
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter the {subject.lower()}")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        parts = value if isinstance(value, dict) else {}
        typed = {p: str(parts.get(p, "")).strip() for p in _DATE_PARTS}
        if not any(typed.values()):
            return None
        missing = [p for p in _DATE_PARTS if not typed[p]]
        if missing:
            raise ValidationError(
                f"{self.subject} must include a {' and '.join(missing)}",
                code="incomplete",
                params={"parts": missing},
            )
        numbers = _parse_date_numbers(typed)
        if numbers is None:
            raise ValidationError(
                f"{self.subject} must be a real date", code="invalid", params={"parts": list(_DATE_PARTS)}
            )
        day, month, year = numbers
        if year < 1000:
            raise ValidationError(
                "Year must include 4 numbers", code="year_digits", params={"parts": ["year"]}
            )
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise ValidationError(
                f"{self.subject} must be a real date", code="invalid", params={"parts": list(_DATE_PARTS)}
            ) from exc

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        checks = {
            "past": (value < today, "must be in the past"),
            "past_or_today": (value <= today, "must be today or in the past"),
            "future": (value > today, "must be in the future"),
            "future_or_today": (value >= today, "must be today or in the future"),
        }
        if self.must_be in checks:
            ok, wording = checks[self.must_be]
            if not ok:
                raise ValidationError(f"{self.subject} {wording}", code=self.must_be)
        if value < self.earliest:
            raise ValidationError(
                f"{self.subject} must be after {self.earliest.day} {self.earliest:%B %Y}", code="too_early"
            )


def _parse_date_numbers(typed: dict[str, str]) -> tuple[int, int, int] | None:
    months = {
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
        )
    }
    try:
        day = int(typed["day"])
        month_text = typed["month"].lower()[:3]
        month = months[month_text] if month_text in months else int(typed["month"])
        year = int(typed["year"])
    except ValueError:
        return None
    return day, month, year


UNUSUAL_CHARACTERS = "unusual_characters"


def data_keys(form: forms.BaseForm, name: str) -> list[str]:
    """The keys of submitted data that one field reads (a date reads three)."""
    field, html_name = form.fields[name], form.add_prefix(name)
    if isinstance(field.widget, GovukDateWidget):
        return [f"{html_name}-{part}" for part in _DATE_PARTS]
    suffixes = getattr(field.widget, "widgets_names", None)  # a MultiWidget
    return [f"{html_name}{suffix}" for suffix in suffixes] if suffixes else [html_name]


def _as_lists(data: Any) -> MultiValueDict[str, Any]:
    if isinstance(data, MultiValueDict):
        return data.copy()
    return MultiValueDict({k: list(v) if isinstance(v, list | tuple) else [v] for k, v in data.items()})


def own_data(form: forms.BaseForm, data: Any) -> MultiValueDict[str, Any]:
    """Only the submitted values that ``form``'s fields read: anything else posted is dropped."""
    submitted = _as_lists(data)
    keys = [key for name in form.fields for key in data_keys(form, name)]
    return MultiValueDict({key: submitted.getlist(key) for key in keys if key in submitted})


def without_unusual_submitted(form: forms.BaseForm, data: Any) -> tuple[MultiValueDict[str, Any], set[str]]:
    """``data`` with control characters taken out, and the names of the fields that had any.

    Tabs and line breaks stay only in multi-line answers (text areas).
    """
    owner = {key: name for name in form.fields for key in data_keys(form, name)}
    multiline = {name for name, field in form.fields.items() if isinstance(field.widget, forms.Textarea)}
    cleaned = _as_lists(data)
    changed: set[str] = set()
    for key, values in cleaned.lists():
        name = owner.get(key, "")
        new = [
            without_unusual_characters(v, multiline=name in multiline or not name)
            if isinstance(v, str)
            else v
            for v in values
        ]
        if new != values:
            cleaned.setlist(key, new)
            if name:
                changed.add(name)
    return cleaned, changed


_QUESTION_WORDS = frozenset({"what", "who", "why", "when", "where", "how", "which", "if", "is", "do", "does"})


def _subject(label: str) -> str:
    """How a message names a field: "the postcode", "your full name", "your answer"."""
    label = re.sub(r"\s*\([^)]*\)$", "", label).strip()  # "(optional)", "(if it was)"
    words = label.split()
    if not words or label.endswith("?") or words[0].lower() in _QUESTION_WORDS:
        return "your answer"
    if words[0].isupper() and len(words[0]) > 1:  # an abbreviation: "NHS number"
        return f"the {label}"
    label = label[0].lower() + label[1:]
    return label if words[0].lower() in ("your", "a", "an", "the") else f"the {label}"


class GovukForm(forms.Form):
    """A question-page form. Subclasses give every required field a specific message.

    Control characters are taken out of the submitted data before anything reads it; a
    field that had some gets an error, so the person checks the answer they now see (set
    ``error_messages["unusual_characters"]`` to word it differently).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.add_fields()
        self._unusual_fields: set[str] = set()
        if self.is_bound:
            self.data, self._unusual_fields = without_unusual_submitted(self, self.data)

    def add_fields(self) -> None:
        """Add fields that are made when the form is, not declared on the class. They are
        added here, before the answers are checked for unusual characters, so that theirs
        are checked too."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in sorted(self._unusual_fields):
            if name in self.fields and name not in self.errors:
                field = self.fields[name]
                message = field.error_messages.get(
                    UNUSUAL_CHARACTERS,
                    f"Check {_subject(str(field.label or ''))}: "
                    "we removed unusual characters that cannot be saved",
                )
                self.add_error(name, ValidationError(message, code=UNUSUAL_CHARACTERS))


def _error_parts(bf: BoundField) -> list[str]:
    for error in bf.form.errors.as_data().get(bf.name, []):
        if error.params and "parts" in error.params:
            return list(error.params["parts"])
    return list(_DATE_PARTS)


def _field_id(bf: BoundField) -> str:
    return bf.auto_id or f"id_{bf.html_name}"


def error_href(bf: BoundField) -> str:
    """Where the error summary link sends focus: the first input with the problem."""
    field = bf.field
    if isinstance(field, GovukDateField):
        return f"#{_field_id(bf)}-{_error_parts(bf)[0]}"
    if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"#{_field_id(bf)}"
    return f"#{_field_id(bf)}"


def govuk_error_summary_params(*forms_: forms.BaseForm) -> dict[str, Any] | None:
    items: list[dict[str, str]] = []
    for form in forms_:
        for error in form.non_field_errors():
            items.append({"text": str(error), "href": "#main-content"})
        for name in form.errors:
            if name == "__all__":
                continue
            bf = form[name]
            for error in bf.errors:
                items.append({"text": str(error), "href": error_href(bf)})
    if not items:
        return None
    return {"titleText": "There is a problem", "errorList": items}


def _label(bf: BoundField, heading: bool, size: str) -> dict[str, Any]:
    label: dict[str, Any] = {"text": str(bf.label)}
    if heading:
        label.update({"isPageHeading": True, "classes": f"govuk-label--{size}"})
    return label


def _legend(bf: BoundField, heading: bool, size: str) -> dict[str, Any]:
    legend: dict[str, Any] = {"text": str(bf.label)}
    if heading:
        legend.update({"isPageHeading": True, "classes": f"govuk-fieldset__legend--{size}"})
    else:
        legend["classes"] = "govuk-fieldset__legend--s"
    return {"legend": legend}


def _choice_items(bf: BoundField, multiple: bool) -> list[dict[str, Any]]:
    value = bf.value()
    chosen = (
        {str(v) for v in value}
        if multiple and value
        else ({str(value)} if value not in (None, "") else set())
    )
    items: list[dict[str, Any]] = []
    for choice_value, choice_label in bf.field.choices:  # type: ignore[attr-defined]
        if choice_value == "" and not isinstance(bf.field.widget, forms.Select):
            continue
        if choice_value == "__divider__":
            items.append({"divider": str(choice_label)})
            continue
        items.append(
            {"value": str(choice_value), "text": str(choice_label), "checked": str(choice_value) in chosen}
        )
    return items


def field_component(bf: BoundField, **overrides: Any) -> tuple[str, dict[str, Any]]:
    """The component and its parameters for one bound field."""
    field, widget = bf.field, bf.field.widget
    heading = bool(overrides.pop("page_heading", False))
    size = overrides.pop("heading_size", "l")
    params: dict[str, Any] = {"id": _field_id(bf), "name": bf.html_name}
    if field.help_text:
        params["hint"] = {"text": str(field.help_text)}
    if bf.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bf.errors)}
    value = bf.value()

    if isinstance(field, GovukDateField):
        parts = widget.format_value(value)
        bad = set(_error_parts(bf)) if bf.errors else set()
        widths = {"day": 2, "month": 2, "year": 4}
        params.pop("name")
        params.update(
            {
                "namePrefix": bf.html_name,
                "fieldset": _legend(bf, heading, size),
                "items": [
                    {
                        "name": part,
                        "value": parts[part],
                        "classes": f"govuk-input--width-{widths[part]}"
                        + (" govuk-input--error" if part in bad else ""),
                    }
                    for part in _DATE_PARTS
                ],
            }
        )
        name = "govukDateInput"
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        # Checked before RadioSelect: Django's CheckboxSelectMultiple subclasses it.
        params.update({"fieldset": _legend(bf, heading, size), "items": _choice_items(bf, True)})
        params.pop("id")
        params["idPrefix"] = _field_id(bf)
        name = "govukCheckboxes"
    elif isinstance(widget, forms.RadioSelect):
        params.update({"fieldset": _legend(bf, heading, size), "items": _choice_items(bf, False)})
        params.pop("id")
        params["idPrefix"] = _field_id(bf)
        name = "govukRadios"
    elif isinstance(widget, forms.Select):
        params.update({"label": _label(bf, heading, size), "items": _choice_items(bf, False)})
        params["value"] = "" if value is None else str(value)
        name = "govukSelect"
    elif isinstance(widget, forms.Textarea):
        params.update({"label": _label(bf, heading, size), "value": value or ""})
        max_length = getattr(field, "max_length", None)
        if max_length:
            params["maxlength"] = max_length
            name = "govukCharacterCount"
        else:
            name = "govukTextarea"
    elif isinstance(widget, forms.PasswordInput):
        params.update({"label": _label(bf, heading, size)})
        name = "govukPasswordInput"
    else:
        input_type = getattr(widget, "input_type", "text")
        params.update(
            {
                "label": _label(bf, heading, size),
                "value": "" if value is None else str(value),
                "type": input_type if input_type in ("email", "tel") else "text",
            }
        )
        for attr in ("autocomplete", "spellcheck", "inputmode"):
            if attr in widget.attrs:
                params[attr] = widget.attrs[attr]
        if "class" in widget.attrs:
            params["classes"] = widget.attrs["class"]
        name = "govukInput"
    params.update(overrides)
    return name, params


@pass_environment
def govuk_field(env: Environment, bf: BoundField, **overrides: Any) -> Markup:
    name, params = field_component(bf, **overrides)
    template = env.get_template(f"govuk_frontend_jinja/components/{_MACROS[name]}/macro.html")
    # The macro escapes every value it is given; its output is trusted HTML.
    return Markup(getattr(template.module, name)(params))  # noqa: S704
