from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from safeguard.accounts.models import CASE_HOLDING_ROLES, Role, Team, User
from safeguard.core.codes import Disability, PrimaryNeed, ReferralSource, UPNUnknown
from safeguard.core.entry_checks import EntryCheckedForm
from safeguard.design_system.forms import GovukDateField, GovukForm
from safeguard.people.validators import validate_upn
from safeguard.returns.cin_census.spec import SCHEMAS


class WorkerChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def _year_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Census year",
        coerce=int,
        choices=[(year, f"{year - 1} to {year} (31 March {year})") for year in sorted(SCHEMAS, reverse=True)],
        error_messages={
            "required": "Select the census year",
            "invalid_choice": "Select a census year from the list",
        },
    )


class CINCensusRunForm(GovukForm):
    """Build the census file for a year whose schema is shipped."""

    year = _year_field()


class CINReportFilterForm(GovukForm):
    """The report's filters: a year whose schema is shipped, and optionally a team or a worker."""

    year = _year_field()
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), required=False, empty_label="All teams"
    )
    worker = WorkerChoiceField(
        label="Worker", queryset=User.objects.none(), required=False, empty_label="All workers"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        worker_field = self.fields["worker"]
        assert isinstance(team_field, forms.ModelChoiceField)
        assert isinstance(worker_field, forms.ModelChoiceField)
        team_field.queryset = Team.objects.order_by("name")
        worker_field.queryset = User.objects.filter(
            role__in=[*CASE_HOLDING_ROLES, Role.TEAM_MANAGER], is_active=True
        ).order_by("last_name", "first_name")


class ChildCensusForm(EntryCheckedForm, GovukForm):
    """A child's census identifiers and characteristics, checked by the census rules (ADR 13)."""

    entry_kind = "child_details"
    entry_fields = {
        "UPN": "upn",
        "FormerUPN": "former_upn",
        "UPNunknown": "upn_unknown_reason",
        "Disability": "disabilities",
        "PersonDeathDate": "date_of_death",
    }

    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=13,
        validators=[validate_upn],
        help_text="13 characters, from the child's school. Leave blank if the child has none.",
        error_messages={"max_length": "The UPN must be 13 characters"},
    )
    upn_unknown_reason = forms.ChoiceField(
        label="Why has the child no UPN?",
        choices=[("", "Not needed: the child has a UPN"), *UPNUnknown.choices],
        required=False,
    )
    former_upn = forms.CharField(
        label="Former UPN (optional)",
        required=False,
        max_length=13,
        validators=[validate_upn],
        error_messages={"max_length": "The former UPN must be 13 characters"},
    )
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        choices=Disability.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every disability the child has, or 'No disability'.",
        error_messages={"required": "Select the child's disabilities, or 'No disability'"},
    )
    date_of_death = GovukDateField(
        label="Date of death (only if the child has died)",
        subject="Date of death",
        must_be="past_or_today",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        # The form's own checks first: the census rules run only on a form that passes them.
        data = self.cleaned_data
        if not self.errors:
            if not data.get("upn") and not data.get("upn_unknown_reason"):
                self.add_error("upn_unknown_reason", "Select why the child has no UPN, or enter the UPN")
            if data.get("upn") and data.get("upn_unknown_reason"):
                self.add_error(
                    "upn_unknown_reason", "A child with a UPN needs no reason: select 'Not needed'"
                )
        return super().clean()


class EpisodeCensusForm(EntryCheckedForm, GovukForm):
    """An episode's census details: primary need, referral source, no further action."""

    entry_kind = "episode_details"
    entry_fields = {
        "PrimaryNeedCode": "primary_need",
        "ReferralSource": "referral_source",
        "ReferralNFA": "referral_nfa",
    }

    primary_need = forms.ChoiceField(
        label="What is the child's primary need?",
        choices=PrimaryNeed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's primary need"},
    )
    referral_source = forms.ChoiceField(
        label="Who made the referral?",
        choices=[("", "Select the source"), *ReferralSource.choices],
        error_messages={"required": "Select who made the referral"},
    )
    referral_nfa = forms.ChoiceField(
        label="Did the referral lead to no further action?",
        choices=[("yes", "Yes: no further action"), ("no", "No: it went on to assessment or more")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the referral led to no further action"},
    )

    def entry_values(self, data: Mapping[str, Any]) -> Mapping[str, Any] | None:
        values = dict(super().entry_values(data) or {})
        values["ReferralNFA"] = data.get("referral_nfa") == "yes"
        return values
