from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from safeguard.accounts.tests.factories import TeamFactory
from safeguard.audit.models import AccessLogEntry
from safeguard.casework.models import CINEpisode
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.core.models import Draft
from safeguard.frontdoor.models import Contact, ContactStatus
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import AddressFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def step(client: Client, slug: str, data: dict[str, Any]):
    return client.post(reverse("frontdoor:report:step", args=[slug]), data)


PUBLIC_CHILD = {
    "given_name": "Amira",
    "family_name": "Hughes",
    "date_of_birth-day": "14",
    "date_of_birth-month": "5",
    "date_of_birth-year": "2016",
    "age_text": "",
    "address": "14 Larch Grove",
    "postcode": "hm1 4ab",
    "school": "",
    "other_children": "",
}


def report_as_public(client: Client, **child: str):
    step(client, "who", {"reporter_type": "public", "website": ""})
    step(client, "danger", {"danger": "no"})
    step(client, "what-happened", {"concern": "Shouting every night.", "concern_when": "Last week"})
    step(client, "child", {**PUBLIC_CHILD, **child})
    step(client, "adults", {"adults": ""})
    return step(client, "about-you", {"name": "", "relationship": "", "phone": "", "email": ""})


def submit(client: Client):
    draft = Draft.objects.filter(journey="report_concern", submitted_at__isnull=True).latest("modified_at")
    return client.post(reverse("frontdoor:report:check"), {"draft": str(draft.pk)})


def test_start_page_says_call_999_and_has_exit_this_page(client):
    html = client.get(reverse("frontdoor:start")).content.decode()
    assert "call 999" in html and "0300 555 0999" in html
    assert "govuk-exit-this-page" in html and "bbc.co.uk/weather" in html


def test_anonymous_public_report_creates_one_contact(client):
    response = report_as_public(client)
    assert response["Location"] == reverse("frontdoor:report:check")
    check = client.get(reverse("frontdoor:report:check")).content.decode()
    assert "govuk-exit-this-page" in check and "Leave this field blank" not in check
    assert submit(client).status_code == 302
    contact = Contact.objects.get()
    assert contact.referral_source == "9" and contact.child_postcode == "HM1 4AB"
    done = client.get(reverse("frontdoor:report:done")).content.decode()
    assert contact.reference in done and "within one working day" in done and "govuk-exit-this-page" in done
    # No personal data in URLs or the title.
    assert "Amira" not in done.split("</title>")[0]


def test_a_double_submit_creates_one_contact(client):
    report_as_public(client)
    draft = Draft.objects.get(journey="report_concern")
    for _ in range(2):
        client.post(reverse("frontdoor:report:check"), {"draft": str(draft.pk)})
    assert Contact.objects.count() == 1


def test_a_tampered_draft_id_is_not_found(client):
    report_as_public(client)
    assert client.post(reverse("frontdoor:report:check"), {"draft": str(uuid.uuid4())}).status_code == 404
    assert client.post(reverse("frontdoor:report:check"), {"draft": "<script>"}).status_code == 404
    assert not Contact.objects.exists()


def test_the_honeypot_shows_success_but_records_nothing(client):
    step(client, "who", {"reporter_type": "public", "website": "http://spam.example"})
    report_as_public(client)
    step(client, "who", {"reporter_type": "public", "website": "http://spam.example"})
    submit(client)
    assert not Contact.objects.exists()
    assert "Your reference" in client.get(reverse("frontdoor:report:done")).content.decode()


def test_a_child_reporting_about_themselves_gets_simpler_questions(client):
    step(client, "who", {"reporter_type": "self"})
    response = client.get(reverse("frontdoor:report:step", args=["danger"]))
    assert response["Location"].endswith("/danger-you/")
    html = client.get(response["Location"]).content.decode()
    assert "Are you in danger right now?" in html
    step(client, "danger-you", {"danger": "yes"})
    step(client, "what-happened-you", {"concern": "My stepdad hits me."})
    step(client, "about-you-child", {"given_name": "Kofi"})
    step(client, "adults-you", {"adults": ""})
    step(client, "contact-you", {"name": "", "phone": "", "email": ""})
    submit(client)
    contact = Contact.objects.get()
    assert contact.referral_source == "1C" and contact.immediate_danger
    assert "Childline" in client.get(reverse("frontdoor:report:done")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"date_of_birth-day": "1", "date_of_birth-month": "1", "date_of_birth-year": "2099"},
            "Date of birth must be today or in the past",
        ),
        (
            {"date_of_birth-day": "1", "date_of_birth-month": "1", "date_of_birth-year": "7"},
            "Year must include 4 numbers",
        ),
        ({"given_name": "<script>alert(1)</script>"}, "Name must only include letters"),
        ({"postcode": "ZZ9 ZZZ9"}, "Enter a real postcode"),
        ({"school": "x" * 201}, "School or nursery must be 200 characters or fewer"),
    ],
)
def test_bad_child_details_get_specific_messages_and_keep_what_was_typed(client, data, message):
    step(client, "who", {"reporter_type": "public"})
    response = step(client, "child", {**PUBLIC_CHILD, **data})
    html = response.content.decode()
    assert response.status_code == 200 and message in html and "<title>Error:" in html
    assert "14 Larch Grove" in html  # nothing already typed is lost
    assert "<script>alert(1)</script>" not in html


def test_empty_required_answer_and_very_long_text(client):
    step(client, "who", {"reporter_type": "public"})
    assert "Tell us what has happened" in step(client, "what-happened", {"concern": ""}).content.decode()
    long = step(client, "what-happened", {"concern": "y" * 5001}).content.decode()
    assert "What has happened? must be 5000 characters or fewer" in long


def professional_referral(client: Client, **child: str):
    step(client, "who", {"reporter_type": "professional"})
    step(client, "danger", {"danger": "unknown"})
    step(
        client,
        "what-happened",
        {"concern": "Bruise on arm, <b>explained</b> differently.", "concern_when": ""},
    )
    response = step(
        client,
        "child-professional",
        {**PUBLIC_CHILD, "nhs_number": "943 476 5919", "expected_date_of_birth-day": "", **child},
    )
    step(client, "adults", {"adults": "Mother and her partner"})
    step(
        client,
        "organisation",
        {
            "organisation": "Harrowmere Primary",
            "agency_type": "school",
            "name": "Dee Lead",
            "role": "Designated safeguarding lead",
            "email": "dsl@school.example",
            "phone": "0300 555 0100",
            "agency_reference": "HP-22",
        },
    )
    step(client, "consent", {"consent": "not_sought", "consent_reason": "Risk to the child"})
    step(
        client, "need", {"threshold_level": "Level 4: specialist or statutory", "risk_factors": ["18C", "3B"]}
    )
    return response


def test_professional_referral_records_the_multi_agency_form(client):
    professional_referral(client)
    submit(client)
    contact = Contact.objects.get()
    assert contact.referral_source == "2A" and contact.risk_factors == ["18C", "3B"]
    assert contact.referrer.email == "dsl@school.example" and contact.child_nhs_number == "9434765919"


def test_professional_bad_nhs_number_and_past_due_date(client):
    response = professional_referral(
        client,
        nhs_number="943 476 5918",
        **{
            "expected_date_of_birth-day": "1",
            "expected_date_of_birth-month": "1",
            "expected_date_of_birth-year": "2020",
        },
    )
    html = response.content.decode()
    assert (
        "The NHS number is not valid" in html
        and "Expected date of birth must be today or in the future" in html
    )


def test_consent_reason_is_needed_when_not_sought(client):
    step(client, "who", {"reporter_type": "professional"})
    html = step(client, "consent", {"consent": "not_sought", "consent_reason": ""}).content.decode()
    assert "Tell us why the family does not agree, or why you did not ask" in html


@override_settings(FRONT_DOOR_REPORTS_PER_IP=1)
def test_reports_are_rate_limited_per_ip(client):
    report_as_public(client)
    submit(client)
    report_as_public(client)
    response = submit(client)
    assert response.status_code == 429 and "call" in response.content.decode().lower()
    assert Contact.objects.count() == 1


def test_a_tampered_choice_gets_a_plain_message(client):
    html = step(client, "who", {"reporter_type": "<script>x</script>"}).content.decode()
    assert "Select who you are" in html and "<script>x</script>" not in html


def test_unknown_step_goes_to_the_first_question(client):
    response = client.get(reverse("frontdoor:report:step", args=["nope"]))
    assert response["Location"].endswith("/who/")


# -- triage ---------------------------------------------------------------------------


@pytest.fixture
def practitioner(make_user):
    return make_user("front_door_practitioner")


@pytest.fixture
def manager(make_user):
    return make_user("front_door_manager")


@pytest.fixture
def fd_client(client, practitioner):
    client.force_login(practitioner)
    return client


def test_queue_shows_danger_first_with_clock_words(fd_client):
    calm = make_contact(danger="no")
    urgent = make_contact(danger="yes")
    html = fd_client.get(reverse("frontdoor:queue")).content.decode()
    assert html.index(urgent.reference) < html.index(calm.reference)
    assert "Due in 1 working day" in html or "Due today" in html
    filtered = fd_client.get(reverse("frontdoor:queue"), {"danger": "yes"}).content.decode()
    assert urgent.reference in filtered and calm.reference not in filtered


def test_queue_is_for_front_door_staff_only(client, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("frontdoor:queue")).status_code == 403


def test_contact_page_matches_known_children_and_logs_the_read(fd_client, practitioner):
    known = ChildFactory(given_name="Amira", family_name="Hughes", date_of_birth=dt.date(2016, 5, 14))
    AddressFactory(person=known, postcode="HM1 4AB")
    ChildFactory(given_name="Jack", family_name="Nowak", date_of_birth=dt.date(2012, 1, 1))
    contact = make_contact(family_name="Hewes", postcode="HM1 4AB")
    html = fd_client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Amira Hughes" in html and "Same date of birth" in html and "Jack Nowak" not in html
    assert AccessLogEntry.objects.filter(user=practitioner, what="contact").exists()
    assert AccessLogEntry.objects.filter(
        user=practitioner, what="match_candidate", child_id=known.pk
    ).exists()
    assert "<title>Contact" in html and "Amira" not in html.split("</title>")[0]


def test_link_child_and_repeat_concern_alert(fd_client):
    child = ChildFactory()
    EpisodeFactory(
        child=child,
        referral_date=dt.date.today() - dt.timedelta(days=60),
        closure_date=dt.date.today() - dt.timedelta(days=10),
        reason_for_closure="RC7",
    )
    earlier = make_contact()
    contact = make_contact()
    for c in (earlier, contact):
        fd_client.post(reverse("frontdoor:contact_link_child", args=[c.pk]), {"child": str(child.pk)})
    html = fd_client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Repeat concern" in html and "2 contacts about this child within 7 days" in html
    assert "would be a re-referral" in html


def test_decide_with_check_answers_opens_an_episode_in_the_receiving_team(fd_client):
    child = ChildFactory()
    AddressFactory(person=child, postcode="HM2 9ZZ")
    TeamFactory(name="Harrow North Assessment", postcode_districts="HM1")
    local = TeamFactory(name="Harrow South Assessment", postcode_districts="HM2, HM3")
    contact = make_contact()
    fd_client.post(reverse("frontdoor:contact_link_child", args=[contact.pk]), {"child": str(child.pk)})
    form = fd_client.get(reverse("frontdoor:contact_decide", args=[contact.pk])).content.decode()
    assert f'<option value="{local.pk}" selected>' in form  # the team covering HM2 is offered
    empty = fd_client.post(
        reverse("frontdoor:contact_decide", args=[contact.pk]),
        {"decision": "referral", "reason": "", "receiving_team": ""},
    )
    assert "Enter the reason for the decision" in empty.content.decode()
    assert "Select the team that will receive the referral" in empty.content.decode()
    assert "Harrow South Assessment" in empty.content.decode()  # the choices are still there
    response = fd_client.post(
        reverse("frontdoor:contact_decide", args=[contact.pk]),
        {"decision": "referral", "reason": "Assessment needed", "receiving_team": str(local.pk)},
    )
    assert response["Location"] == reverse("frontdoor:contact_decide_check", args=[contact.pk])
    check = fd_client.get(response["Location"]).content.decode()
    assert "Assessment needed" in check and "Harrow South Assessment" in check
    fd_client.post(response["Location"])
    fd_client.post(response["Location"])  # a double click changes nothing
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED and CINEpisode.objects.filter(child=child).count() == 1
    episode = CINEpisode.objects.get(child=child)
    assert contact.episode == episode and episode.team == local and episode.worker is None
    page = fd_client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert reverse("casework:episode_detail", args=[episode.pk]) in page
    assert "With Harrow South Assessment: waiting for a worker" in page


def test_a_decision_that_is_not_a_referral_needs_no_team(fd_client):
    contact = make_contact()
    response = fd_client.post(
        reverse("frontdoor:contact_decide", args=[contact.pk]),
        {"decision": "advice", "reason": "Advice given", "receiving_team": ""},
    )
    assert response["Location"] == reverse("frontdoor:contact_decide_check", args=[contact.pk])


def test_the_manager_authorising_a_referral_may_send_it_to_another_team(client, practitioner, manager):
    child = ChildFactory()
    proposed = TeamFactory(name="Proposed Team")
    chosen = TeamFactory(name="Chosen Team")
    contact = make_contact()
    client.force_login(practitioner)
    client.post(reverse("frontdoor:contact_link_child", args=[contact.pk]), {"child": str(child.pk)})
    # A strategy discussion waits for a front door manager (the default policy).
    client.post(
        reverse("frontdoor:contact_decide", args=[contact.pk]),
        {"decision": "strategy", "reason": "Injury to a baby", "receiving_team": str(proposed.pk)},
    )
    client.post(reverse("frontdoor:contact_decide_check", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.status == ContactStatus.AWAITING_AUTHORISATION and contact.episode is None
    client.force_login(manager)
    url = reverse("frontdoor:contact_authorise", args=[contact.pk])
    assert f'<option value="{proposed.pk}" selected>' in client.get(url).content.decode()
    client.post(url, {"approve": "yes", "note": "", "receiving_team": str(chosen.pk)})
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED and contact.receiving_team == chosen
    assert contact.episode is not None and contact.episode.team == chosen


def test_nfa_waits_for_the_manager(client, practitioner, manager):
    contact = make_contact()
    client.force_login(practitioner)
    client.post(reverse("frontdoor:contact_decide", args=[contact.pk]), {"decision": "nfa", "reason": "Fine"})
    client.post(reverse("frontdoor:contact_decide_check", args=[contact.pk]))
    assert client.get(reverse("frontdoor:contact_authorise", args=[contact.pk])).status_code == 403
    client.force_login(manager)
    client.post(reverse("frontdoor:contact_authorise", args=[contact.pk]), {"approve": "yes", "note": ""})
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED


def test_referrer_is_confidential_outside_the_front_door(client, social_worker, manager):
    child = ChildFactory()
    EpisodeFactory(child=child, worker=social_worker, team=social_worker.team)
    contact = make_contact(referrer={"name": "Nosy Neighbour", "phone": "0700"})
    contact.child = child
    contact.save()
    client.force_login(social_worker)
    html = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Referrer details are confidential" in html and "Nosy Neighbour" not in html
    assert client.get(reverse("frontdoor:contact_decide", args=[contact.pk])).status_code == 403
    client.force_login(manager)
    client.post(
        reverse("frontdoor:contact_release_referrer", args=[contact.pk]), {"reason": "Agreed with legal"}
    )
    client.force_login(social_worker)
    assert (
        "Nosy Neighbour"
        in client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    )


def test_contacts_about_other_children_are_absent(client, social_worker):
    contact = make_contact()
    client.force_login(social_worker)
    assert client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).status_code == 404


def test_assign_merge_partner_information(fd_client, practitioner):
    child = ChildFactory()
    first, second = make_contact(), make_contact()
    for c in (first, second):
        fd_client.post(reverse("frontdoor:contact_link_child", args=[c.pk]), {"child": str(child.pk)})
    fd_client.post(reverse("frontdoor:contact_assign", args=[first.pk]), {"assignee": str(practitioner.pk)})
    fd_client.post(reverse("frontdoor:contact_merge", args=[second.pk]), {"into": str(first.pk)})
    response = fd_client.post(
        reverse("frontdoor:contact_partner_information", args=[first.pk]),
        {
            "agency": "Harrowmere Police",
            "given_by": "PC Lane",
            "received_on-day": "1",
            "received_on-month": "11",
            "received_on-year": "2026",
            "information": "Two call-outs this month",
            "consent_basis": "safeguarding",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.assigned_to == practitioner and second.status == ContactStatus.MERGED
    assert (
        "Two call-outs this month"
        in fd_client.get(reverse("frontdoor:contact_detail", args=[first.pk])).content.decode()
    )


def test_create_child_from_contact(fd_client):
    contact = make_contact()
    fd_client.post(reverse("frontdoor:contact_child_create", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.child is not None and contact.child.family_name == "Hughes"
