"""The repeat-concern banner counts other contacts and earlier referrals, never the contact
itself, its merged duplicates or the referral it led to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.casework.models import CINEpisode
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.frontdoor import services
from safeguard.frontdoor.selectors import repeat_concern_alerts
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user("front_door_manager")


def _linked(manager, child, **kwargs):
    contact = make_contact(**kwargs)
    return services.contact_link_child(actor=manager, contact=contact, child=child)


def _refer(manager, contact):
    services.contact_decide(
        actor=manager,
        contact=contact,
        decision="referral",
        reason="Assessment needed",
        late_reason="Backdated contact",
    )
    contact.refresh_from_db()
    return contact


def test_the_referral_a_contact_made_is_not_a_repeat_concern(client, manager):
    child = ChildFactory()
    contact = _refer(manager, _linked(manager, child))
    assert contact.episode is not None and contact.episode.referral_date == contact.received_on
    today = timezone.localdate()
    assert repeat_concern_alerts(user=manager, contact=contact, today=today) == []
    client.force_login(manager)
    html = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert "Repeat concern" not in html


def test_an_earlier_referral_still_makes_it_a_re_referral(manager):
    child = ChildFactory()
    today = timezone.localdate()
    earlier = EpisodeFactory(
        child=child,
        referral_date=today - dt.timedelta(days=90),
        closure_date=today - dt.timedelta(days=30),
        reason_for_closure="RC7",
    )
    contact = _linked(manager, child)
    assert repeat_concern_alerts(user=manager, contact=contact, today=today) == [
        "A referral now would be a re-referral: the last referral was within 12 months, "
        f"on {earlier.referral_date.day} {earlier.referral_date:%B %Y}"
    ]
    contact = _refer(manager, contact)
    assert CINEpisode.objects.filter(child=child).count() == 2
    assert repeat_concern_alerts(user=manager, contact=contact, today=today) == [
        "This was a re-referral: the referral before it was within 12 months, "
        f"on {earlier.referral_date.day} {earlier.referral_date:%B %Y}"
    ]


def test_a_referral_after_the_contact_is_not_previous_to_it(manager):
    child = ChildFactory()
    received = timezone.now() - dt.timedelta(days=30)
    old = _refer(manager, _linked(manager, child, received_at=received))
    old.episode.closure_date = timezone.localdate() - dt.timedelta(days=5)
    old.episode.reason_for_closure = "RC7"
    old.episode.save()
    later = _refer(manager, _linked(manager, child))
    today = timezone.localdate()
    assert repeat_concern_alerts(user=manager, contact=old, today=today) == []
    [alert] = repeat_concern_alerts(user=manager, contact=later, today=today)
    assert alert.startswith("This was a re-referral")


def test_a_merged_duplicate_is_the_same_concern_not_a_second_one(manager):
    first = make_contact()
    duplicate = make_contact()
    today = timezone.localdate()
    assert repeat_concern_alerts(user=manager, contact=first, today=today) == [
        "2 contacts about this child within 7 days"
    ]
    services.contact_merge(actor=manager, contact=duplicate, into=first)
    duplicate.refresh_from_db()
    assert repeat_concern_alerts(user=manager, contact=first, today=today) == []
    assert repeat_concern_alerts(user=manager, contact=duplicate, today=today) == []
    third = make_contact()
    assert repeat_concern_alerts(user=manager, contact=third, today=today) == [
        "2 contacts about this child within 7 days"
    ]
