"""Question pages for adding a child. One form per page, every message specific."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeguard.core.codes import Ethnicity, Sex
from safeguard.core.entry_checks import EntryCheckedForm
from safeguard.design_system.forms import GovukDateField, GovukForm
from safeguard.people.models import SealReason
from safeguard.people.validators import (
    normalise_nhs_number,
    normalise_postcode,
    validate_nhs_number,
    validate_person_name,
    validate_postcode,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _name_field(label: str, missing: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=100,
        validators=[validate_person_name],
        error_messages={
            "required": missing,
            "max_length": f"{label} must be 100 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": False}),
    )


class ChildNameForm(GovukForm):
    given_name = _name_field("First name", "Enter the child's first name")
    family_name = _name_field("Last name", "Enter the child's last name")


class ChildBornForm(GovukForm):
    born = forms.ChoiceField(
        label="Has the child been born?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Select no for pre-birth work with an unborn child.",
        error_messages={"required": "Select yes if the child has been born"},
    )


class _ChildDetail(EntryCheckedForm, GovukForm):
    """A child's census detail: checked by the census rules as it is entered (ADR 13)."""

    entry_kind = "child_details"
    entry_without_target = True


class DateOfBirthForm(_ChildDetail):
    entry_fields = {"PersonBirthDate": "date_of_birth"}

    date_of_birth = GovukDateField(
        label="What is the child's date of birth?",
        subject="Date of birth",
        must_be="past_or_today",
        help_text="For example, 27 3 2019",
    )

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        from django.utils import timezone

        today = timezone.localdate()
        if born and (today.year - born.year) > 18:
            raise ValidationError("Date of birth must be within the last 18 years for a child")
        return born


class ExpectedDateForm(_ChildDetail):
    entry_fields = {"ExpectedPersonBirthDate": "expected_date_of_birth"}

    expected_date_of_birth = GovukDateField(
        label="When is the baby due?",
        subject="Expected date of birth",
        must_be="future_or_today",
        help_text="For example, 14 2 2027",
    )


class SexForm(_ChildDetail):
    entry_fields = {"Sex": "sex"}

    sex = forms.ChoiceField(
        label="What is the child's sex?",
        choices=[(Sex.FEMALE, "Female"), (Sex.MALE, "Male"), (Sex.UNKNOWN, "Not known")],
        widget=forms.RadioSelect,
        help_text="As recorded at birth, for the children in need census.",
        error_messages={"required": "Select the child's sex, or not known"},
    )


class NHSNumberForm(GovukForm):
    nhs_number = forms.CharField(
        label="What is the child's NHS number?",
        required=False,
        max_length=20,
        help_text="A 10 digit number, like 943 476 5919. Leave this blank if you do not know it.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"max_length": "NHS number must be 10 digits"},
    )

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value:
            validate_nhs_number(value)
        return value


class AddressForm(GovukForm):
    line_1 = forms.CharField(
        label="Address line 1",
        max_length=120,
        error_messages={"required": "Enter address line 1, typically the building and street"},
    )
    line_2 = forms.CharField(label="Address line 2 (optional)", max_length=120, required=False)
    town = forms.CharField(
        label="Town or city",
        max_length=80,
        error_messages={"required": "Enter town or city"},
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter postcode"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
    )
    must_not_be_disclosed = forms.ChoiceField(
        label="Must this address be kept from anyone outside the child's professional network?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="For example, a parent and child who have fled domestic abuse.",
        error_messages={"required": "Select yes if the address must not be disclosed"},
    )

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data["postcode"])
        validate_postcode(value)
        return value


class EthnicityForm(_ChildDetail):
    entry_fields = {"Ethnicity": "ethnicity"}

    ethnicity = forms.ChoiceField(
        label="What is the child's ethnicity?",
        choices=Ethnicity.choices,
        initial=Ethnicity.NOBT,
        widget=forms.Select,
        help_text="Choose 'Information not yet obtained' if you do not know.",
        error_messages={"required": "Select the child's ethnicity, or information not yet obtained"},
    )


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name, NHS number or local child identifier",
        required=False,
        max_length=100,
    )


class BreakGlassForm(GovukForm):
    """Emergency access: the reason is kept and shown to the record's managers."""

    la_child_id = forms.CharField(
        label="Local child identifier",
        max_length=20,
        help_text="For example, C123456789. You will find it on documents about the child.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": False}),
        error_messages={"required": "Enter the child's local child identifier"},
    )
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        min_length=20,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Your reason is recorded and sent to the managers responsible for the child.",
        error_messages={
            "required": "Enter why you need to see this record",
            "min_length": "Reason must be at least 20 characters: say what has happened",
            "max_length": "Reason must be 2,000 characters or fewer",
        },
    )
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To confirm it is you.",
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("Your password is not correct")
        return password


class SealForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why must this record be sealed?",
        choices=SealReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the record must be sealed"},
    )
    named_users = forms.MultipleChoiceField(
        label="Who else may see this record?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone else, including managers, will not be able to find it. You will stay named.",
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(u.pk): u for u in candidates}
        named = self.fields["named_users"]
        assert isinstance(named, forms.MultipleChoiceField)
        named.choices = [
            (pk, f"{u.display_name} ({u.get_role_display()})") for pk, u in self.candidates.items()
        ]

    def chosen_users(self) -> list[Any]:
        return [self.candidates[pk] for pk in self.cleaned_data["named_users"]]
