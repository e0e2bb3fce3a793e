"""Question pages for reporting a concern, and the triage forms. Every message is specific.

Nothing typed is refused for containing HTML or script: it is stored as text and escaped
wherever it is shown. Names are checked with the people app's validator (letters from any
script, spaces, hyphens, apostrophes, full stops).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.core.codes import AssessmentFactor
from safeguard.design_system.forms import GovukDateField, GovukForm
from safeguard.frontdoor import config, queue_search
from safeguard.frontdoor.models import AgencyType, Consent, Danger, Decision, ReporterType
from safeguard.people.validators import (
    PHONE_LENGTH_MESSAGE,
    PHONE_MAX_LENGTH,
    POSTCODE_INVALID_MESSAGE,
    normalise_nhs_number,
    normalise_phone_number,
    normalise_postcode,
    validate_nhs_number,
    validate_person_name,
    validate_postcode,
)

LONG_TEXT = 5000
HONEYPOT_FIELD = "website"
HONEYPOT_LABEL = "Leave this field blank"
CHILD_AGE_LIMIT_YEARS = 18


class FrontDoorForm(GovukForm):
    """A tampered or replayed choice gets the same plain message as a missing one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField) and "required" in field.error_messages:
                field.error_messages["invalid_choice"] = field.error_messages["required"]


def _text(
    label: str, *, max_length: int = 200, required: bool = False, missing: str = "", **kw: Any
) -> forms.CharField:
    messages = {"max_length": f"{label.removesuffix(' (optional)')} must be {max_length} characters or fewer"}
    if required:
        messages["required"] = missing
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=messages, **kw
    )


def _long_text(label: str, *, required: bool = False, missing: str = "", **kw: Any) -> forms.CharField:
    return _text(label, max_length=LONG_TEXT, required=required, missing=missing, widget=forms.Textarea, **kw)


def _name(label: str) -> forms.CharField:
    return _text(
        label,
        max_length=100,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": False}),
    )


def _postcode_clean(value: str) -> str:
    if not value:
        return ""
    postcode = normalise_postcode(value)
    validate_postcode(postcode)
    return postcode


# Longer than any postcode, even typed with spaces: anything longer is not a postcode, and
# gets the same message as a postcode of the wrong shape (GOV.UK address pattern).
POSTCODE_TYPED_LENGTH = 16


def _postcode_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=POSTCODE_TYPED_LENGTH,
        error_messages={"max_length": POSTCODE_INVALID_MESSAGE},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code", "spellcheck": False}
        ),
    )


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    """A UK or international telephone number, cleaned to E.164 ("+447700900982")."""

    def __init__(self, *, label: str, required: bool = False, missing: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "For international numbers include the country code, like +33")
        super().__init__(
            label=label,
            required=required,
            max_length=PHONE_MAX_LENGTH,
            error_messages={"required": missing, "max_length": PHONE_LENGTH_MESSAGE},
            widget=TelInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        return normalise_phone_number(text) if text else ""


class WhoForm(FrontDoorForm):
    reporter_type = forms.ChoiceField(
        label="Who are you?",
        choices=[
            (ReporterType.PUBLIC, "A member of the public, for example a neighbour or friend"),
            (ReporterType.FAMILY, "A family member or carer"),
            (ReporterType.SELF, "A child or young person worried about myself"),
            (ReporterType.PROFESSIONAL, "A professional, for example a teacher, doctor or police officer"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are"},
    )
    # Spam resistance without a puzzle: people never see this field; bots fill it in.
    website = forms.CharField(label=HONEYPOT_LABEL, required=False, max_length=200)


def _danger_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Danger.choices,
        widget=forms.RadioSelect,
        help_text="If someone is in immediate danger, call 999 now.",
        error_messages={"required": "Select yes, no or I do not know"},
    )


class DangerForm(FrontDoorForm):
    danger = _danger_field("Is the child in danger right now?")


class SelfDangerForm(FrontDoorForm):
    danger = _danger_field("Are you in danger right now?")


class ConcernForm(FrontDoorForm):
    concern = _long_text(
        "What has happened?",
        required=True,
        missing="Tell us what has happened",
        help_text="Use your own words. Tell us what you saw or heard, and anything the child said.",
    )
    concern_when = _text(
        "When did it happen? (optional)",
        max_length=500,
        help_text="For example, last night, or every weekend since May",
    )


class SelfConcernForm(FrontDoorForm):
    concern = _long_text(
        "What is happening?",
        required=True,
        missing="Tell us what is happening",
        help_text="Write as much or as little as you want.",
    )
    concern_when = _text("When did it happen? (optional)", max_length=500, help_text="For example, yesterday")


class ChildForm(FrontDoorForm):
    given_name = _name("First name (optional)")
    family_name = _name("Last name (optional)")
    date_of_birth = GovukDateField(
        label="Date of birth (optional)",
        subject="Date of birth",
        must_be="past_or_today",
        required=False,
        help_text="For example, 27 3 2019",
    )
    age_text = _text(
        "If you do not know their date of birth, how old are they? (optional)",
        max_length=40,
        help_text="For example, about 7",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    address = _text("Address (optional)", max_length=300)
    postcode = _postcode_field("Postcode (optional)")
    school = _text("School or nursery (optional)")
    other_children = _long_text(
        "Other children in the home (optional)", help_text="Their names and ages, if you know them."
    )

    def clean_postcode(self) -> str:
        return _postcode_clean(self.cleaned_data["postcode"])

    def clean_date_of_birth(self) -> dt.date | None:
        born: dt.date | None = self.cleaned_data["date_of_birth"]
        if born is not None and timezone.localdate().year - born.year > CHILD_AGE_LIMIT_YEARS:
            raise ValidationError("Date of birth must be within the last 18 years for a child")
        return born


class SelfChildForm(ChildForm):
    """The same facts, asked of the child about themselves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_name"].label = "Your first name (optional)"
        self.fields["family_name"].label = "Your last name (optional)"
        self.fields["date_of_birth"].label = "Your birthday (optional)"
        self.fields["age_text"].label = "If you do not know your birthday, how old are you? (optional)"
        self.fields["address"].label = "Where do you live? (optional)"
        self.fields["school"].label = "Your school (optional)"
        self.fields["other_children"].label = "Other children who live with you (optional)"
        self.fields["other_children"].help_text = ""


class ProfessionalChildForm(ChildForm):
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=20,
        help_text="A 10 digit number, like 943 476 5919",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"max_length": "NHS number must be 10 digits"},
    )
    expected_date_of_birth = GovukDateField(
        label="If the baby is not born yet, when is it due? (optional)",
        subject="Expected date of birth",
        must_be="future_or_today",
        required=False,
        help_text="For example, 14 2 2027",
    )

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value:
            validate_nhs_number(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_of_birth") and data.get("expected_date_of_birth"):
            self.add_error("expected_date_of_birth", "Enter a date of birth or a due date, not both")
        return data


class AdultsForm(FrontDoorForm):
    adults = _long_text(
        "Who are the adults involved? (optional)",
        help_text="Their names, how they know the child, and where they live, if you know.",
    )


class SelfAdultsForm(FrontDoorForm):
    adults = _long_text(
        "Is someone hurting you or worrying you? (optional)", help_text="You can tell us who they are."
    )


class OrganisationForm(FrontDoorForm):
    organisation = _text("Organisation", required=True, missing="Enter the name of your organisation")
    agency_type = forms.ChoiceField(
        label="Type of organisation",
        choices=[("", "Select the type of organisation"), *AgencyType.choices],
        error_messages={"required": "Select the type of organisation"},
    )
    name = _text("Your full name", required=True, missing="Enter your full name")
    role = _text(
        "Your role", required=True, missing="Enter your role, for example designated safeguarding lead"
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="We will tell you the outcome by email.",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    phone = PhoneField(label="Phone number", required=True, missing="Enter a phone number we can call you on")
    agency_reference = _text("Your organisation's reference (optional)", max_length=64)


class PartnerReferrerForm(FrontDoorForm):
    """A signed-in partner's own details: their name, email and organisation come from their
    account, so only what an account does not hold is asked."""

    role = _text(
        "Your role", required=True, missing="Enter your role, for example designated safeguarding lead"
    )
    phone = PhoneField(label="Phone number", required=True, missing="Enter a phone number we can call you on")
    agency_reference = _text("Your organisation's reference (optional)", max_length=64)


class ConsentForm(FrontDoorForm):
    consent = forms.ChoiceField(
        label="Does the family know about this referral and agree to it?",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the family knows and agrees"},
    )
    consent_reason = _long_text(
        "If the family does not agree, or you did not ask, tell us why (optional if they agree)",
        help_text="For example, asking would put the child at greater risk.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("consent") in (Consent.KNOWS, Consent.NOT_SOUGHT)
            and not data.get("consent_reason", "").strip()
        ):
            self.add_error("consent_reason", "Tell us why the family does not agree, or why you did not ask")
        return data


RISK_FACTORS = [
    AssessmentFactor(code)
    for code in (
        "3B",
        "3C",
        "1B",
        "2B",
        "4B",
        "16A",
        "17A",
        "18C",
        "19C",
        "11A",
        "24A",
        "10A",
        "15A",
        "22A",
        "20",
    )
]


class NeedForm(FrontDoorForm):
    threshold_level = forms.ChoiceField(
        label="Level of need, under our threshold document",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of need"},
    )
    risk_factors = forms.MultipleChoiceField(
        label="Risk factors (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(f.value, f.label) for f in RISK_FACTORS],
        help_text="Select all that apply.",
        error_messages={"invalid_choice": "Select risk factors from the list"},
    )
    support_given = _long_text("What support has already been given? (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = config.threshold_levels()
        self.fields["threshold_level"].choices = [(level, level) for level in levels]  # type: ignore[attr-defined]


class AboutYouForm(FrontDoorForm):
    name = _text("Your name (optional)")
    relationship = _text("How do you know the child? (optional)", help_text="For example, neighbour or aunt")
    phone = PhoneField(label="Phone number (optional)")
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )


class SelfContactForm(FrontDoorForm):
    name = _text("Your name (optional)")
    phone = PhoneField(label="A phone number that is safe to call (optional)")
    email = forms.EmailField(
        label="An email address that is safe to use (optional)",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )


# -- triage ----------------------------------------------------------------------------------


class QueueFilterForm(FrontDoorForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("open", "Waiting for a decision or a manager"),
            ("awaiting_authorisation", "Waiting for a manager"),
            ("decided", "Decided"),
            ("merged", "Merged"),
            ("any", "Any status"),
        ],
    )
    assigned = forms.ChoiceField(
        label="Assigned to",
        required=False,
        choices=[("", "Anyone"), ("me", "Me"), ("unassigned", "Nobody yet")],
    )
    danger = forms.MultipleChoiceField(
        label="Danger",
        required=False,
        choices=[("yes", "Only children reported in danger now")],
        widget=forms.CheckboxSelectMultiple,
    )


class QueueSearchForm(FrontDoorForm):
    """The queue's one search box; what it was understood as is in ``cleaned_data["search"]``."""

    q = _text(
        "Search contacts",
        max_length=100,
        help_text="Reference, child's name, date of birth (like 3/4/2019 or 3 April 2019) or postcode",
    )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        try:
            self.cleaned_data["search"] = queue_search.parse(text)
        except queue_search.SearchError as error:
            raise ValidationError(
                "Date of birth must be today or in the past"
                if str(error) == "future"
                else "Enter a real date of birth, like 3/4/2019 or 3 April 2019"
            ) from error
        return text


class AssignForm(FrontDoorForm):
    assignee = forms.ChoiceField(
        label="Assign to", error_messages={"required": "Select who to assign the contact to"}
    )

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Select a person"), *staff]  # type: ignore[attr-defined]


class DecisionForm(FrontDoorForm):
    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    reason = _long_text("Reason for the decision", required=True, missing="Enter the reason for the decision")
    # Kept only when the decision is late (the view removes it otherwise).
    late_reason = _long_text(
        "Why is the decision late?",
        required=True,
        missing="Enter why the decision is late",
        help_text="The decision was due within 1 working day of the contact.",
    )
    receiving_team = forms.ChoiceField(
        label="Which team will receive the referral?",
        help_text=(
            "For a referral or a strategy discussion. The team covering the child's postcode "
            "is chosen for you, if there is one."
        ),
        required=False,
        error_messages={"invalid_choice": "Select the team that will receive the referral"},
    )

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_team_choices(self.fields["receiving_team"], teams)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") in REFERRING and not data.get("receiving_team"):
            self.add_error("receiving_team", "Select the team that will receive the referral")
        if data.get("decision") not in REFERRING:
            data["receiving_team"] = ""  # only a referral goes to a team
        return data


REFERRING = (Decision.REFERRAL, Decision.STRATEGY)


def _set_team_choices(field: forms.Field, teams: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", "Select a team"), *teams]


class AuthoriseForm(FrontDoorForm):
    approve = forms.ChoiceField(
        label="Do you agree with this decision?",
        choices=[("yes", "Yes, authorise it"), ("no", "No, return it to be decided again")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you agree with the decision"},
    )
    note = _long_text("Note (optional)")
    # Kept only when authorising now would be late and nobody has said why (see the view).
    late_reason = _long_text(
        "If you authorise it, why is the decision late?",
        help_text="The decision was due within 1 working day of the contact.",
    )
    receiving_team = forms.ChoiceField(
        label="Which team will receive the referral?",
        help_text="The team proposed is chosen. You can send it to another.",
        required=False,
        error_messages={"invalid_choice": "Select the team that will receive the referral"},
    )

    def __init__(self, *args: Any, teams: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teams is None:
            del self.fields["receiving_team"]  # not a referral: nothing goes to a team
        else:
            _set_team_choices(self.fields["receiving_team"], teams)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "receiving_team" in self.fields
            and data.get("approve") == "yes"
            and not data.get("receiving_team")
        ):
            self.add_error("receiving_team", "Select the team that will receive the referral")
        return data


class PartnerInformationForm(FrontDoorForm):
    agency = _text("Agency", required=True, missing="Enter the agency that gave the information")
    given_by = _text("Who gave it", required=True, missing="Enter who gave the information")
    received_on = GovukDateField(label="When was it given?", subject="Date given", must_be="past_or_today")
    information = _long_text("What they told us", required=True, missing="Enter what the agency told us")
    consent_basis = forms.ChoiceField(
        label="On what basis was it shared?",
        widget=forms.RadioSelect,
        choices=[
            ("consent", "With the family's consent"),
            ("safeguarding", "Without consent, to safeguard the child"),
            ("legal_duty", "Under a legal duty"),
        ],
        error_messages={"required": "Select the basis on which the information was shared"},
    )


class ReleaseReferrerForm(FrontDoorForm):
    reason = _long_text(
        "Why are you releasing the referrer's details?",
        required=True,
        missing="Enter the reason for releasing the referrer's details",
    )
