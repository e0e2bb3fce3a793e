"""The contact page's "child's history": the child's other contacts, referrals and plans in
one list, newest first, each linked where the user may open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessLogEntry
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.selectors import child_history
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.history import HistoryKind
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


@pytest.fixture
def practitioner(make_user):
    return make_user("front_door_practitioner")


def test_history_is_one_list_in_date_order_without_the_contact_itself(client, practitioner):
    child = ChildFactory()
    old_contact = make_contact(received_at=_at(dt.date(2025, 11, 3)))
    episode = EpisodeFactory(
        child=child,
        referral_date=dt.date(2025, 11, 4),
        closure_date=dt.date(2026, 4, 1),
        reason_for_closure="RC1",
    )
    plan = CPPlanFactory(episode=episode, start_date=dt.date(2026, 1, 12), end_date=dt.date(2026, 3, 30))
    later_contact = make_contact(received_at=_at(dt.date(2026, 5, 20)))
    contact = make_contact()
    Contact.objects.filter(pk__in=[old_contact.pk, later_contact.pk, contact.pk]).update(child=child)
    contact.refresh_from_db()

    entries = child_history(user=practitioner, contact=contact, request=None)
    assert entries is not None
    assert [(e.kind, e.key) for e in entries] == [
        (HistoryKind.CONTACT, str(later_contact.pk)),
        (HistoryKind.PLAN, str(plan.pk)),
        (HistoryKind.REFERRAL, str(episode.pk)),
        (HistoryKind.CONTACT, str(old_contact.pk)),
    ]
    assert AccessLogEntry.objects.filter(user=practitioner, what="child_history", child_id=child.pk).exists()

    client.force_login(practitioner)
    html = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    section = html[html.index("The child's history") : html.index("Information from partner agencies")]
    links = [
        reverse("frontdoor:contact_detail", args=[later_contact.pk]),
        reverse("casework:episode_detail", args=[episode.pk]),
        reverse("frontdoor:contact_detail", args=[old_contact.pk]),
    ]
    positions = [section.index(f'href="{link}"') for link in links]
    assert positions == sorted(positions)
    assert contact.reference not in section
    assert "Closed 1 April 2026" in section and "Ended 30 March 2026" in section


def test_no_history_without_a_linked_child(practitioner):
    assert child_history(user=practitioner, contact=make_contact(), request=None) is None
