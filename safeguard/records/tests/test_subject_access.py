from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit.models import AccessLogEntry, AuditEvent
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.models import Relationship
from safeguard.people.tests.factories import AddressFactory, AdultFactory, ChildFactory
from safeguard.records.models import SubjectAccessRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(social_worker):
    child = ChildFactory(given_name="Tia", family_name="Mensah")
    EpisodeFactory(child=child, worker=social_worker, team=social_worker.team, referral_source="1B")
    AddressFactory(person=child, line_1="1 Hidden Refuge Lane", must_not_be_disclosed=True)
    AddressFactory(person=child, line_1="22 Old Street", end_date=dt.date(2025, 1, 1))
    father = AdultFactory(given_name="Kwame", family_name="Mensah")
    Relationship.objects.create(child=child, other=father, kind="father", is_alleged_perpetrator=True)
    manager = UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)
    return child, manager


def _prepare(client, child):
    response = client.post(
        reverse("records:subject_access_new", args=[child.pk]),
        {
            "requested_by": "Tia's mother",
            "received_on-day": "2",
            "received_on-month": "11",
            "received_on-year": "2026",
        },
    )
    assert response.status_code == 302
    return SubjectAccessRequest.objects.get(), response["Location"]


def test_prepared_export_withholds_third_parties_sources_and_hidden_addresses(staff_client, family):
    child, _manager = family
    _sar, location = _prepare(staff_client, child)
    html = staff_client.get(location).content.decode()
    assert "Tia Mensah" in html and "22 Old Street" in html
    assert "Hidden Refuge" not in html and "Address withheld" in html
    assert "Kwame" not in html and "Third party: withheld" in html
    assert (
        "acquaintance" not in html.lower() and "Withheld to protect the person who raised the concern" in html
    )
    assert "Release the export" not in html  # the preparer cannot release it
    assert AccessLogEntry.objects.filter(what="subject_access_export", child_id=child.pk).exists()


def test_manager_releases_with_a_reason_and_the_hidden_address_stays_hidden(staff_client, client, family):
    child, manager = family
    sar, location = _prepare(staff_client, child)
    client.force_login(manager)
    no_reason = client.post(
        reverse("records:subject_access_release", args=[sar.pk]), {"include": ["third_parties"]}
    )
    assert "Enter the reason for including withheld information" in no_reason.content.decode()
    client.post(
        reverse("records:subject_access_release", args=[sar.pk]),
        {
            "include": ["third_parties", "referral_sources"],
            "reason": "Mother's own family; agreed with legal.",
        },
    )
    sar.refresh_from_db()
    assert sar.status == "released" and sar.released_by == manager
    html = client.get(location).content.decode()
    assert "Kwame Mensah" in html and "Hidden Refuge" not in html
    assert AuditEvent.objects.filter(action="subject_access_release", actor=manager).exists()


def test_the_preparer_cannot_release_by_posting_directly(staff_client, social_worker, family):
    child, _manager = family
    social_worker.role = Role.TEAM_MANAGER
    social_worker.save()
    sar, _location = _prepare(staff_client, child)
    html = staff_client.post(
        reverse("records:subject_access_release", args=[sar.pk]), {"reason": ""}
    ).content.decode()
    assert "Someone other than the person who prepared it" in html
    sar.refresh_from_db()
    assert sar.status == "ready"


def test_a_request_about_a_child_you_cannot_see_is_not_found(client, make_user, staff_client, family):
    child, _manager = family
    _sar, location = _prepare(staff_client, child)
    client.force_login(make_user(Role.SOCIAL_WORKER))
    assert client.get(location).status_code == 404


def test_a_sealed_sibling_is_left_out_even_when_third_parties_are_released(social_worker, family):
    from safeguard.people.models import SealedRecordAccess
    from safeguard.records.selectors import subject_access_document

    child, _manager = family
    sealed = ChildFactory(given_name="Zephyrine", family_name="Quillfeather", is_sealed=True)
    # Named on the seal or not, the reader of the export is the family.
    SealedRecordAccess.objects.create(person=sealed, user=social_worker)
    Relationship.objects.create(child=child, other=sealed, kind="half_sibling")
    for everything in (True, False):
        sar = SubjectAccessRequest.objects.create(
            person=child,
            requested_by="parent",
            received_on=dt.date(2026, 11, 1),
            include_third_parties=everything,
        )
        rows = [row for section in subject_access_document(sar) for row in section.rows]
        assert ("Father", "Kwame Mensah" if everything else "[Third party: withheld]") in rows
        assert not [row for row in rows if row[0] == "Half-sibling" or "Quillfeather" in row[1]]


def test_a_release_the_service_refuses_is_shown_with_what_was_typed(staff_client, client, family):
    child, manager = family
    sar, _location = _prepare(staff_client, child)
    client.force_login(manager)
    release = reverse("records:subject_access_release", args=[sar.pk])
    client.post(release, {"include": [], "reason": ""})
    typed = "Asked again by the family's solicitor"
    response = client.post(release, {"include": ["referral_sources"], "reason": typed})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "This export has already been released" in html
    assert typed.replace("'", "&#39;") in html and 'value="referral_sources" checked' in html
    assert AuditEvent.objects.filter(action="subject_access_release").count() == 1
