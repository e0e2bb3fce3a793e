from __future__ import annotations

from typing import Any

from django import forms

from safeguard.accounts.models import CASE_HOLDING_ROLES, Role, Team, User
from safeguard.design_system.forms import GovukForm
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
