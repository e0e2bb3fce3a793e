"""The decision pages ask why a decision is late only when it is, and show the clock."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.tests.factories import TeamFactory
from safeguard.core.calendar import add_working_days
from safeguard.frontdoor.models import ContactStatus
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
LATE_QUESTION = "Why is the decision late?"


@pytest.fixture
def practitioner(make_user):
    return make_user("front_door_practitioner")


@pytest.fixture
def manager(make_user):
    return make_user("front_door_manager")


def _linked(client, contact):
    client.post(reverse("frontdoor:contact_link_child", args=[contact.pk]), {"child": str(ChildFactory().pk)})
    return contact


def test_an_on_time_decision_is_not_asked_why_it_is_late(client, practitioner):
    client.force_login(practitioner)
    contact = _linked(client, make_contact())
    assert (
        LATE_QUESTION
        not in client.get(reverse("frontdoor:contact_decide", args=[contact.pk])).content.decode()
    )


def test_a_late_decision_asks_why_and_the_contact_page_shows_the_clock(client, practitioner):
    client.force_login(practitioner)
    # Received on Friday 19 December 2025 at 4pm, due Monday 22 December 2025: long past.
    contact = _linked(client, make_contact(received_at=dt.datetime(2025, 12, 19, 16, tzinfo=LONDON)))
    url = reverse("frontdoor:contact_decide", args=[contact.pk])
    page = client.get(url).content.decode()
    assert LATE_QUESTION in page and "It was due on 22 December 2025." in page
    team = TeamFactory(name="Harrow South Assessment")
    referral = {"decision": "referral", "reason": "Assessment needed", "receiving_team": str(team.pk)}
    missing = client.post(url, referral)
    assert "Enter why the decision is late" in missing.content.decode()
    check = client.post(url, referral | {"late_reason": "Backlog"})
    # The check page shows both answers: why it is late and which team receives it.
    answers = client.get(check["Location"]).content.decode()
    assert "Why it is late" in answers and "Backlog" in answers and "Harrow South Assessment" in answers
    client.post(check["Location"])
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED and contact.decision_late_reason == "Backlog"
    assert contact.receiving_team == team and contact.episode is not None
    assert contact.episode.team == team
    detail = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Late: took effect" in detail and "Backlog" in detail
    assert "Time waiting for a manager" in detail and "0 working days" in detail


def test_an_on_time_decision_waiting_for_a_manager_shows_the_wait(client, practitioner, manager):
    client.force_login(practitioner)
    contact = _linked(client, make_contact())
    client.post(reverse("frontdoor:contact_decide", args=[contact.pk]), {"decision": "nfa", "reason": "Fine"})
    client.post(reverse("frontdoor:contact_decide_check", args=[contact.pk]))
    client.force_login(manager)
    authorise = reverse("frontdoor:contact_authorise", args=[contact.pk])
    # Received and decided today: due on the next working day, so not late.
    assert contact.decision_due == add_working_days(timezone.localdate(), 1)
    assert "why is the decision late" not in client.get(authorise).content.decode()
    detail = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Time waiting for a manager" in detail and "0 working days so far" in detail
