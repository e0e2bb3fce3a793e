from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.people.models import Person
from safeguard.people.services import child_create
from safeguard.people.validators import validate_la_child_id

pytestmark = pytest.mark.django_db


def test_child_create_generates_a_valid_identifier_and_audits(social_worker):
    child = child_create(
        actor=social_worker,
        given_name="Amira",
        family_name="Begum",
        date_of_birth=dt.date(2018, 1, 2),
        expected_date_of_birth=None,
        sex="F",
    )
    assert child.la_child_id is not None
    validate_la_child_id(child.la_child_id)
    event = AuditEvent.objects.get(action="child_create")
    assert event.actor == social_worker and event.child_id == child.pk
    assert event.changes["given_name"] == {"before": None, "after": "Amira"}


def test_unborn_child_is_recorded_with_sex_unknown(social_worker):
    child = child_create(
        actor=social_worker,
        given_name="Baby",
        family_name="Begum",
        date_of_birth=None,
        expected_date_of_birth=dt.date(2027, 2, 1),
        sex="F",
    )
    assert child.sex == "U" and child.is_unborn


def test_a_bad_address_saves_nothing(social_worker):
    with pytest.raises(ValidationError):
        child_create(
            actor=social_worker,
            given_name="Jack",
            family_name="Hughes",
            date_of_birth=dt.date(2015, 6, 1),
            expected_date_of_birth=None,
            sex="M",
            address={"line_1": "1 High Street", "town": "Harrowmere", "postcode": "NOT A CODE"},
        )
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_born_and_expected_dates_are_exclusive(social_worker):
    with pytest.raises(ValueError, match="either"):
        child_create(
            actor=social_worker,
            given_name="Jack",
            family_name="Hughes",
            date_of_birth=dt.date(2015, 6, 1),
            expected_date_of_birth=dt.date(2027, 1, 1),
            sex="M",
        )
