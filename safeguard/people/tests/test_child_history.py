"""The child's page lists contacts and referrals together, newest first, each linked where
the user may open it (sources registered with people.history by the front door and casework)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.history import HistoryKind
from safeguard.people.selectors import child_history
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


@pytest.fixture
def history(worker):
    """Two contacts and two referrals about one child, interleaved in time, and a contact
    about somebody else."""
    child = ChildFactory(given_name="Ruby", family_name="Evans")
    first_contact = make_contact(received_at=_at(dt.date(2026, 1, 9)))
    first_referral = EpisodeFactory(
        child=child,
        referral_date=dt.date(2026, 1, 9),
        closure_date=dt.date(2026, 3, 2),
        reason_for_closure="RC7",
    )
    second_contact = make_contact(received_at=_at(dt.date(2026, 6, 1)))
    second_referral = EpisodeFactory(
        child=child, referral_date=dt.date(2026, 6, 2), worker=worker, team=worker.team
    )
    Contact.objects.filter(pk__in=[first_contact.pk, second_contact.pk]).update(child=child)
    elsewhere = make_contact(received_at=_at(dt.date(2026, 5, 1)))
    Contact.objects.filter(pk=elsewhere.pk).update(child=ChildFactory())
    return child, [second_referral, second_contact, first_referral, first_contact], elsewhere


def test_contacts_and_referrals_together_newest_first(worker, history):
    child, expected, _elsewhere = history
    entries = child_history(user=worker, child=child)
    assert [e.key for e in entries] == [str(r.pk) for r in expected]
    assert [e.kind for e in entries] == [
        HistoryKind.REFERRAL,
        HistoryKind.CONTACT,
        HistoryKind.REFERRAL,
        HistoryKind.CONTACT,
    ]
    # On the same day, the contact comes before the referral it led to.
    assert entries[2].date == entries[3].date


def test_the_childs_page_links_each_one(client, worker, history):
    child, expected, elsewhere = history
    client.force_login(worker)
    html = client.get(reverse("people:child_detail", args=[child.pk])).content.decode()
    second_referral, second_contact, first_referral, first_contact = expected
    links = [
        reverse("casework:episode_detail", args=[second_referral.pk]),
        reverse("frontdoor:contact_detail", args=[second_contact.pk]),
        reverse("casework:episode_detail", args=[first_referral.pk]),
        reverse("frontdoor:contact_detail", args=[first_contact.pk]),
    ]
    positions = [html.index(f'href="{link}"') for link in links]
    assert positions == sorted(positions)
    assert f"Contact {second_contact.reference}" in html and "Waiting for a decision" in html
    assert "Closed 2 March 2026" in html and worker.display_name in html
    assert elsewhere.reference not in html
    section = html[html.index("Contacts and referrals") :]
    assert re.search(r"1 June 2026.*9 January 2026", section, re.S)


def test_a_child_with_no_history_says_so(client, make_user):
    child = ChildFactory()
    client.force_login(make_user("front_door_practitioner"))
    html = client.get(reverse("people:child_detail", args=[child.pk])).content.decode()
    assert "No contacts or referrals recorded." in html


def test_nothing_is_listed_for_a_user_who_may_not_see_the_child(make_user, history):
    child, _expected, _elsewhere = history
    assert child_history(user=make_user("social_worker"), child=child) == []
