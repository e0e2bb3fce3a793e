from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.audit.models import AccessLogEntry, AuditEvent
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.core.models import Draft
from safeguard.people.models import Person
from safeguard.people.tests.factories import AddressFactory, ChildFactory

pytestmark = pytest.mark.django_db


def team_child(worker, **kwargs):
    """A child with an open episode allocated to ``worker`` in their team."""
    child = ChildFactory(**kwargs)
    EpisodeFactory(child=child, worker=worker, team=worker.team)
    return child


def test_child_list_searches_by_name_and_nhs_number(staff_client, social_worker):
    team_child(social_worker, given_name="Amira", family_name="Hughes", nhs_number="9434765919")
    team_child(social_worker, given_name="Jack", family_name="Nowak")
    by_name = _search(staff_client, "hughes")
    assert "Amira Hughes" in by_name and "Jack Nowak" not in by_name
    by_nhs = _search(staff_client, "943 476 5919")
    assert "Amira Hughes" in by_nhs and "Jack Nowak" not in by_nhs


def _search(client: Client, query: str) -> str:
    response = client.post(reverse("people:child_list"), {"q": query})
    assert response.status_code == 302
    # The search terms never appear in the URL.
    assert query not in response["Location"] and "hughes" not in response["Location"].lower()
    return client.get(response["Location"]).content.decode()


def test_control_characters_in_a_search_are_not_a_server_error(staff_client, social_worker):
    """PostgreSQL cannot compare text with a NUL in it: such a search must never reach it."""
    team_child(social_worker, given_name="Amira", family_name="Hughes")
    html = _search(staff_client, "Hug\x00hes")  # refused by the form, so no search is made
    assert "Amira Hughes" in html and "Null characters" not in html and "\x00" not in html
    odd = staff_client.get(reverse("people:child_list"), {"search": "\x00", "page": "\x00"})
    assert odd.status_code == 200


def test_a_search_token_from_another_session_finds_nothing(staff_client, social_worker):
    team_child(social_worker, given_name="Amira", family_name="Hughes")
    location = staff_client.post(reverse("people:child_list"), {"q": "hughes"})["Location"]
    client = Client()
    client.force_login(social_worker)
    html = client.get(location).content.decode()
    assert 'value="hughes"' not in html


def test_child_list_paginates(staff_client, social_worker):
    for _ in range(30):
        team_child(social_worker)
    page_2 = staff_client.get(reverse("people:child_list"), {"page": 2})
    html = page_2.content.decode()
    assert page_2.status_code == 200
    assert "page 2 of 2" in html
    assert 'class="govuk-pagination' in html and "page=1" in html


def test_child_list_hides_sealed_children(staff_client, social_worker):
    team_child(social_worker, given_name="Sealed", family_name="Record", is_sealed=True)
    assert "Sealed Record" not in staff_client.get(reverse("people:child_list")).content.decode()


def test_child_record_shows_details_and_logs_the_read(staff_client, social_worker):
    child = team_child(social_worker, given_name="Ruby", family_name="Evans")
    AddressFactory(person=child, must_not_be_disclosed=True)
    response = staff_client.get(reverse("people:child_detail", args=[child.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ruby Evans" in html and "Must not be disclosed" in html
    # No personal data in the page title.
    assert "<title>Child record" in html and "Ruby" not in html.split("</title>")[0]
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.child_id, entry.what) == (social_worker, child.pk, "child_record")


def test_sealed_or_unknown_child_is_absent_not_forbidden(staff_client, social_worker):
    sealed = team_child(social_worker, is_sealed=True)
    assert staff_client.get(reverse("people:child_detail", args=[sealed.pk])).status_code == 404
    assert staff_client.get(reverse("people:child_detail", args=[uuid.uuid4()])).status_code == 404
    # Nothing was read: the two attempts are logged only as refused.
    assert not AccessLogEntry.objects.exclude(action="refused").exists()


def test_partner_agency_user_cannot_see_children(client, partner_user):
    child = ChildFactory()
    client.force_login(partner_user)
    assert client.get(reverse("people:child_detail", args=[child.pk])).status_code == 404
    assert child.full_name not in client.get(reverse("people:child_list")).content.decode()


def _step(client, slug, data):
    return client.post(reverse("people:add_child:step", args=[slug]), data)


ADDRESS = {
    "line_1": "14 Larch Grove",
    "line_2": "",
    "town": "Harrowmere",
    "postcode": "hm1 4ab",
    "must_not_be_disclosed": "no",
}


def _complete_born_child(client):
    _step(client, "name", {"given_name": "Zoë", "family_name": "O'Connor-Ní Bhriain"})
    _step(client, "born", {"born": "yes"})
    _step(
        client,
        "date-of-birth",
        {"date_of_birth-day": "3", "date_of_birth-month": "4", "date_of_birth-year": "2019"},
    )
    _step(client, "sex", {"sex": "F"})
    _step(client, "nhs-number", {"nhs_number": "943 476 5919"})
    _step(client, "address", ADDRESS)
    return _step(client, "ethnicity", {"ethnicity": "WBRI"})


def test_add_child_journey_creates_one_audited_child(staff_client, social_worker):
    response = _complete_born_child(staff_client)
    assert response["Location"] == reverse("people:add_child:check")
    check = staff_client.get(reverse("people:add_child:check")).content.decode()
    assert "3 April 2019" in check and "HM1 4AB" in check
    draft_id = check.split('name="draft" value="')[1].split('"')[0]
    first = staff_client.post(reverse("people:add_child:check"), {"draft": draft_id})
    again = staff_client.post(reverse("people:add_child:check"), {"draft": draft_id})
    assert first["Location"] == again["Location"] == reverse("people:add_child:done")
    child = Person.objects.get()
    assert child.given_name == "Zoë" and child.nhs_number == "9434765919"
    assert child.addresses.get().postcode == "HM1 4AB"
    done = staff_client.get(reverse("people:add_child:done")).content.decode()
    assert child.la_child_id in done
    actions = set(AuditEvent.objects.filter(actor=social_worker).values_list("action", flat=True))
    assert actions == {"child_create", "address_add"}


def test_unborn_child_skips_date_of_birth_and_sex(staff_client):
    _step(staff_client, "name", {"given_name": "Baby", "family_name": "Nowak"})
    response = _step(staff_client, "born", {"born": "no"})
    assert response["Location"] == reverse("people:add_child:step", args=["expected-date"])
    due = dt.date.today() + dt.timedelta(days=60)
    response = _step(
        staff_client,
        "expected-date",
        {
            "expected_date_of_birth-day": due.day,
            "expected_date_of_birth-month": due.month,
            "expected_date_of_birth-year": due.year,
        },
    )
    assert response["Location"] == reverse("people:add_child:step", args=["nhs-number"])
    back = staff_client.get(reverse("people:add_child:step", args=["nhs-number"])).content.decode()
    assert reverse("people:add_child:step", args=["expected-date"]) in back


def test_invalid_answer_shows_specific_error_and_keeps_what_was_typed(staff_client):
    _step(staff_client, "name", {"given_name": "Kofi", "family_name": "Mensah"})
    _step(staff_client, "born", {"born": "yes"})
    _step(
        staff_client,
        "date-of-birth",
        {"date_of_birth-day": "3", "date_of_birth-month": "4", "date_of_birth-year": "2019"},
    )
    _step(staff_client, "sex", {"sex": "M"})
    response = _step(staff_client, "nhs-number", {"nhs_number": "943 476 5918"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    assert "943 476 5918" in html
    assert "not valid" in html


def test_draft_survives_signing_out(client, social_worker):
    client.force_login(social_worker)
    _step(client, "name", {"given_name": "Ruby", "family_name": "Alvarez"})
    client.post(reverse("accounts:logout"))
    client.force_login(social_worker)
    html = client.get(reverse("people:add_child:step", args=["name"])).content.decode()
    assert 'value="Ruby"' in html and 'value="Alvarez"' in html


def test_change_link_returns_to_check_answers(staff_client):
    _complete_born_child(staff_client)
    response = staff_client.post(reverse("people:add_child:step", args=["sex"]) + "?change=1", {"sex": "M"})
    assert response["Location"] == reverse("people:add_child:check")


def test_cannot_submit_another_users_draft(staff_client, make_user, client):
    _complete_born_child(staff_client)
    check = staff_client.get(reverse("people:add_child:check")).content.decode()
    draft_id = check.split('name="draft" value="')[1].split('"')[0]
    client.force_login(make_user("social_worker"))
    assert client.post(reverse("people:add_child:check"), {"draft": draft_id}).status_code == 404
    assert not Person.objects.exists()


def test_roles_without_permission_cannot_add_children(client, make_user):
    client.force_login(make_user("performance_analyst"))
    assert client.get(reverse("people:add_child:step", args=["name"])).status_code == 403


@pytest.mark.parametrize("hostile", ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>'])
def test_markup_typed_into_answers_is_escaped(staff_client, hostile):
    _complete_born_child(staff_client)
    _step(staff_client, "address", {**ADDRESS, "line_1": hostile})
    html = staff_client.get(reverse("people:add_child:check")).content.decode()
    assert hostile not in html
    assert "&lt;" in html


def test_template_syntax_typed_into_answers_is_not_evaluated(staff_client):
    _complete_born_child(staff_client)
    _step(staff_client, "address", {**ADDRESS, "line_1": "{{ 7*7 }} Main Street"})
    html = staff_client.get(reverse("people:add_child:check")).content.decode()
    assert "{{ 7*7 }} Main Street" in html and "49 Main Street" not in html


def test_over_long_answers_get_a_specific_message_and_are_kept(staff_client):
    long_name = "A" * 101
    html = _step(staff_client, "name", {"given_name": long_name, "family_name": "Hughes"}).content.decode()
    assert "First name must be 100 characters or fewer" in html
    assert f'value="{long_name}"' in html


def test_tampered_step_name_is_not_found(staff_client):
    assert staff_client.get(reverse("people:add_child:step", args=["no-such-step"])).status_code == 404


def test_a_form_posted_without_its_csrf_token_is_refused(social_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    response = client.post(
        reverse("people:add_child:step", args=["name"]), {"given_name": "A", "family_name": "B"}
    )
    assert response.status_code == 403
    assert not Draft.objects.exists()
