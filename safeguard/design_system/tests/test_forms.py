from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.template import engines
from hypothesis import given
from hypothesis import strategies as st

import safeguard
from safeguard.design_system.forms import (
    GovukDateField,
    GovukForm,
    _subject,
    govuk_error_summary_params,
)


class DobForm(GovukForm):
    dob = GovukDateField(label="Date of birth", subject="Date of birth", must_be="past")


def _bind(day="", month="", year=""):
    return DobForm(data={"dob-day": day, "dob-month": month, "dob-year": year})


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the date of birth"),
        (("12", "", "2019"), "Date of birth must include a month"),
        (("", "", "2019"), "Date of birth must include a day and month"),
        (("31", "2", "2019"), "Date of birth must be a real date"),
        (("a", "2", "2019"), "Date of birth must be a real date"),
        (("1", "2", "19"), "Year must include 4 numbers"),
        (("1", "2", "2999"), "Date of birth must be in the past"),
    ],
)
def test_date_errors_follow_the_govuk_pattern(parts, message):
    form = _bind(*parts)
    assert not form.is_valid()
    assert form.errors["dob"] == [message]


def test_date_accepts_month_names():
    form = _bind("3", "March", "2019")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["dob"] == dt.date(2019, 3, 3)


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2025, 12, 31)))
def test_any_real_past_date_round_trips(day):
    form = _bind(str(day.day), str(day.month), str(day.year))
    assert form.is_valid()
    assert form.cleaned_data["dob"] == day


def _render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_date_input_renders_three_boxes_and_marks_only_the_missing_part():
    html = _render("{{ govuk_field(form['dob']) }}", form=_bind("12", "", "2019"))
    assert 'name="dob-day"' in html and 'name="dob-month"' in html and 'name="dob-year"' in html
    assert 'value="12"' in html and 'value="2019"' in html
    assert html.count("govuk-input--error") == 1
    assert "Date of birth must include a month" in html


def test_error_summary_links_to_the_part_with_the_problem():
    summary = govuk_error_summary_params(_bind("12", "", "2019"))
    assert summary == {
        "titleText": "There is a problem",
        "errorList": [{"text": "Date of birth must include a month", "href": "#id_dob-month"}],
    }


def test_no_summary_when_valid():
    assert govuk_error_summary_params(_bind("1", "1", "2019")) is None


def test_text_input_escapes_what_was_typed():
    class NameForm(GovukForm):
        name = forms.CharField(label="Name", error_messages={"required": "Enter a name"})

    html = _render("{{ govuk_field(form['name']) }}", form=NameForm(data={"name": "<script>x</script>"}))
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def _all_govuk_forms() -> list[type[GovukForm]]:
    for module in pkgutil.walk_packages(safeguard.__path__, "safeguard."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found: list[type[GovukForm]] = []
    stack = list(GovukForm.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls.__module__.startswith("safeguard.") and ".tests." not in cls.__module__:
            found.append(cls)
        stack.extend(cls.__subclasses__())
    return found


def test_every_required_field_has_a_specific_message():
    """GOV.UK error messages say what to do; Django's "This field is required." does not."""
    forms_found = _all_govuk_forms()
    assert forms_found
    default = str(forms.Field.default_error_messages["required"])
    for form_class in forms_found:
        for name, field in form_class.base_fields.items():
            if field.required:
                message = str(field.error_messages["required"])
                assert message != default, f"{form_class.__name__}.{name} uses Django's default message"


def test_several_choices_render_as_checkboxes_and_keep_every_choice():
    class PickForm(GovukForm):
        picks = forms.MultipleChoiceField(
            label="Pick",
            choices=[("a", "A"), ("b", "B"), ("c", "C")],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Select at least one"},
        )

    html = _render("{{ govuk_field(form['picks']) }}", form=PickForm(data={"picks": ["a", "c"]}))
    assert html.count('type="checkbox"') == 3 and 'type="radio"' not in html
    assert html.count("checked") == 2


def test_one_choice_renders_as_radios():
    class OneForm(GovukForm):
        one = forms.ChoiceField(
            label="One",
            choices=[("a", "A"), ("b", "B")],
            widget=forms.RadioSelect,
            error_messages={"required": "Select one"},
        )

    html = _render("{{ govuk_field(form['one']) }}", form=OneForm())
    assert html.count('type="radio"') == 2


class StoryForm(GovukForm):
    name = forms.CharField(
        label="Your full name", max_length=100, error_messages={"required": "Enter a name"}
    )
    story = forms.CharField(label="What has happened?", widget=forms.Textarea, required=False)
    nhs = forms.CharField(label="NHS number (optional)", required=False)


def test_control_characters_are_removed_and_the_field_says_so():
    form = StoryForm(data={"name": "Kofi\x00\tMensah", "story": "One\x0b\r\n\ttwo\x00", "nhs": "943\x07"})
    assert not form.is_valid()
    assert form.errors == {
        "name": ["Check your full name: we removed unusual characters that cannot be saved"],
        "story": ["Check your answer: we removed unusual characters that cannot be saved"],
        "nhs": ["Check the NHS number: we removed unusual characters that cannot be saved"],
    }
    # Nothing else typed is lost: tabs and line breaks stay in multi-line answers only.
    assert form["name"].value() == "Kofi Mensah"
    assert form["story"].value() == "One\r\n\ttwo"
    html = _render("{{ govuk_field(form['name']) }}", form=form)
    assert 'value="Kofi Mensah"' in html and "\x00" not in html


def test_a_field_with_another_problem_shows_only_that_one():
    form = StoryForm(data={"name": "\x00", "story": "", "nhs": ""})
    assert form.errors == {"name": ["Enter a name"]}


def test_ordinary_text_is_untouched():
    form = StoryForm(data={"name": "Zoë O'Connor", "story": "Line\r\n\tline", "nhs": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["story"] == "Line\r\n\tline"


_EXTRA_ARGUMENTS = {
    "workers": [],
    "staff": [],
    "candidates": [],
    "teams": [],
    "user": SimpleNamespace(check_password=lambda password: password == "ab"),
    "review": SimpleNamespace(kind="six_month"),  # the newly qualified year's review being recorded
    "scopes": [],
    "grades": [],  # a progression application's grades on the career path
    "criteria": [],  # and the next grade's criteria
    "current": {},  # the local targets already set
}


def _bind_any(form_class: type[GovukForm], data: dict[str, str]) -> GovukForm:
    wanted = inspect.signature(form_class.__init__).parameters
    return form_class(data=data, **{k: v for k, v in _EXTRA_ARGUMENTS.items() if k in wanted})


def test_no_form_shows_djangos_null_character_message():
    """Django's CharField refuses NUL with "Null characters are not allowed.": every GovukForm
    text field takes the character out instead, keeps the rest and says so in our words."""
    default = str(ProhibitNullCharactersValidator.message)
    checked = 0
    for form_class in _all_govuk_forms():
        for name, field in _bind_any(form_class, {}).fields.items():
            if not isinstance(field, forms.CharField):
                continue
            typed = _bind_any(form_class, {name: "ab"})
            form = _bind_any(form_class, {name: "a\x00b"})
            errors: list[str] = form.errors.get(name, [])
            assert default not in errors, f"{form_class.__name__}.{name}"
            assert form[name].value() == "ab", f"{form_class.__name__}.{name} lost what was typed"
            if name not in typed.errors:
                assert errors == [
                    f"Check {_subject(str(form.fields[name].label or ''))}: "
                    "we removed unusual characters that cannot be saved"
                ], f"{form_class.__name__}.{name}"
                checked += 1
    assert checked > 10


def test_fields_added_when_the_form_is_made_are_checked_for_unusual_characters():
    """The local targets' boxes and the census query boxes are made with the form: a NUL in
    them is refused in words too, not taken out without a word."""
    from safeguard.casework.forms import AuthoriseForm
    from safeguard.core.entry_checks import CONFIRM_FIELD, REASON_FIELD
    from safeguard.performance.forms import LocalTargetsForm

    targets = LocalTargetsForm(data={"re_referrals": "2\x002"}, current={})
    assert not targets.is_valid()
    assert targets["re_referrals"].value() == "22"
    assert targets.errors["re_referrals"] == [
        "Check the target for re-referrals within 12 months: "
        "we removed unusual characters that cannot be saved"
    ]

    posted = {"authorised_on-day": "3", "authorised_on-month": "11", "authorised_on-year": "2026"}
    queried = AuthoriseForm(data={**posted, CONFIRM_FIELD: "on", REASON_FIELD: "Late\x00 because"})
    assert not queried.is_valid()
    assert queried[REASON_FIELD].value() == "Late because"
    assert queried.errors[REASON_FIELD] == [
        "Check your answer: we removed unusual characters that cannot be saved"
    ]
