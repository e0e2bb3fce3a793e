"""The "Add a child" journey: question pages, Check answers, confirmation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from safeguard.design_system.journey import Answers, Journey, Step
from safeguard.people import forms
from safeguard.people.permissions import can_add_child
from safeguard.people.services import child_create


def _born(answers: Answers) -> bool:
    return answers.get("born", {}).get("born") == "yes"


def _unborn(answers: Answers) -> bool:
    return answers.get("born", {}).get("born") == "no"


def _submit(request: HttpRequest, answers: Answers) -> str:
    user: Any = request.user
    if not can_add_child(user):
        raise PermissionDenied
    address = dict(answers["address"])
    address["must_not_be_disclosed"] = address["must_not_be_disclosed"] == "yes"
    child = child_create(
        actor=user,
        given_name=answers["name"]["given_name"],
        family_name=answers["name"]["family_name"],
        date_of_birth=answers.get("date-of-birth", {}).get("date_of_birth"),
        expected_date_of_birth=answers.get("expected-date", {}).get("expected_date_of_birth"),
        sex=answers.get("sex", {}).get("sex", "U"),
        nhs_number=answers["nhs-number"]["nhs_number"],
        ethnicity=answers["ethnicity"]["ethnicity"],
        address=address,
    )
    return str(child.la_child_id)


ADD_CHILD = Journey(
    name="add_child",
    title="Add a child",
    url_namespace="people:add_child",
    start_url_name="people:child_list",
    submit=_submit,
    check_heading="Check the child's details",
    confirmation_title="Child added",
    submit_text="Add child",
    steps=(
        Step("name", forms.ChildNameForm, "What is the child's name?", caption="Add a child"),
        Step("born", forms.ChildBornForm, "Has the child been born?"),
        Step("date-of-birth", forms.DateOfBirthForm, "Date of birth", show_if=_born),
        Step("expected-date", forms.ExpectedDateForm, "Expected date of birth", show_if=_unborn),
        Step("sex", forms.SexForm, "Sex", show_if=_born),
        Step("nhs-number", forms.NHSNumberForm, "NHS number"),
        Step("address", forms.AddressForm, "Where does the child live?", caption="Add a child"),
        Step("ethnicity", forms.EthnicityForm, "Ethnicity"),
    ),
)
