"""The front door decision against its 1-working-day clock (WT2023 ch.3, "Referral").

Dates worked by hand. A contact received on Friday 19 December 2025 has its decision due
1 working day later, on Monday 22 December 2025. Bank holidays in England and Wales used
below: Thursday 25 and Friday 26 December 2025.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from safeguard.casework.models import ClockKind, StatutoryClock
from safeguard.frontdoor import services
from safeguard.frontdoor.models import ContactStatus, Decision
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
RECEIVED = dt.datetime(2025, 12, 19, 16, 0, tzinfo=LONDON)  # Friday


@pytest.fixture
def practitioner(make_user):
    return make_user("front_door_practitioner")


@pytest.fixture
def manager(make_user):
    return make_user("front_door_manager")


def _at(day: dt.date, hour: int = 10) -> mock._patch[mock.MagicMock]:
    """Run the service as if it were ``day`` in London (Django reads the time from here)."""
    return mock.patch(
        "django.utils.timezone.now",
        return_value=dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON),
    )


def _contact(practitioner):
    contact = make_contact(received_at=RECEIVED)
    services.contact_link_child(actor=practitioner, contact=contact, child=ChildFactory())
    assert contact.decision_due == dt.date(2025, 12, 22)
    return contact


def test_a_decision_on_its_due_date_is_met(practitioner):
    contact = _contact(practitioner)
    with _at(dt.date(2025, 12, 22)):
        services.contact_decide(
            actor=practitioner, contact=contact, decision=Decision.REFERRAL, reason="Needs an assessment"
        )
    timing = contact.decision_timing(dt.date(2025, 12, 22))
    assert contact.status == ContactStatus.DECIDED
    assert timing.met is True
    assert (timing.days_to_decision, timing.days_waiting_for_manager) == (1, 0)


def test_a_late_decision_needs_the_practitioners_reason(practitioner):
    contact = _contact(practitioner)
    # Tuesday 23 December 2025 is 2 working days after receipt: late.
    with _at(dt.date(2025, 12, 23)), pytest.raises(ValidationError, match="due on 22 December 2025"):
        services.contact_decide(
            actor=practitioner, contact=contact, decision=Decision.REFERRAL, reason="Needs an assessment"
        )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.NEW and contact.decision == ""
    with _at(dt.date(2025, 12, 23)):
        services.contact_decide(
            actor=practitioner,
            contact=contact,
            decision=Decision.REFERRAL,
            reason="Needs an assessment",
            late_reason="Waited for the school's information",
        )
    timing = contact.decision_timing(dt.date(2025, 12, 23))
    assert timing.met is False and timing.days_to_decision == 2
    assert contact.decision_late_reason == "Waited for the school's information"


def test_the_wait_for_a_manager_is_shown_apart_and_a_late_authorisation_needs_a_reason(practitioner, manager):
    contact = _contact(practitioner)
    # The practitioner decides on Monday 22 December 2025: on time (1 working day).
    with _at(dt.date(2025, 12, 22)):
        services.contact_decide(
            actor=practitioner, contact=contact, decision=Decision.STRATEGY, reason="Bruising seen"
        )
    assert contact.status == ContactStatus.AWAITING_AUTHORISATION
    waiting = contact.decision_timing(dt.date(2025, 12, 24))
    assert waiting.met is False and waiting.days_waiting_for_manager == 2  # 23, 24 Dec so far

    # The manager authorises on Monday 29 December 2025: after the due date, so the manager
    # says why. The wait: 23 Dec (1), 24 Dec (2), 25 and 26 Dec bank holidays, 29 Dec (3).
    with _at(dt.date(2025, 12, 29)), pytest.raises(ValidationError, match="due on 22 December 2025"):
        services.contact_authorise(actor=manager, contact=contact, approve=True)
    with _at(dt.date(2025, 12, 29)):
        services.contact_authorise(actor=manager, contact=contact, approve=True, late_reason="On leave")
    contact.refresh_from_db()
    timing = contact.decision_timing(dt.date(2025, 12, 29))
    assert contact.status == ContactStatus.DECIDED
    assert timing.met is False and timing.final_on == dt.date(2025, 12, 29)
    assert (timing.days_to_decision, timing.days_waiting_for_manager) == (1, 3)
    assert contact.decision_late_reason == "Manager: On leave"

    # The strategy decision starts the clock to the strategy discussion: from Mon 29 Dec 2025,
    # 1 working day (local default) -> Tuesday 30 December 2025.
    clock = StatutoryClock.objects.get(kind=ClockKind.STRATEGY_DISCUSSION)
    assert clock.start_date == dt.date(2025, 12, 29) and clock.due_date == dt.date(2025, 12, 30)


def test_a_manager_is_not_asked_again_when_the_practitioner_gave_the_reason(practitioner, manager):
    contact = _contact(practitioner)
    with _at(dt.date(2025, 12, 23)):
        services.contact_decide(
            actor=practitioner,
            contact=contact,
            decision=Decision.NFA,
            reason="Family moved away",
            late_reason="Phone lines down",
        )
    with _at(dt.date(2025, 12, 24)):
        services.contact_authorise(actor=manager, contact=contact, approve=True)
    assert contact.status == ContactStatus.DECIDED
    assert contact.decision_late_reason == "Phone lines down"


def test_a_returned_decision_is_timed_afresh(practitioner, manager):
    contact = _contact(practitioner)
    with _at(dt.date(2025, 12, 23)):
        services.contact_decide(
            actor=practitioner,
            contact=contact,
            decision=Decision.NFA,
            reason="No concerns",
            late_reason="Busy",
        )
        services.contact_authorise(actor=manager, contact=contact, approve=False, note="Check with school")
    assert contact.status == ContactStatus.NEW and contact.decision_late_reason == ""
