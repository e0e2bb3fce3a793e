"""Disposing of a child's record: only what the review lists, all of it, naming no one after."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.audit.models import AccessLogEntry, AuditEvent
from safeguard.audit.services import access_log_record
from safeguard.casework.models import CINEpisode, Section47Outcome, StrategyAgency, VisitKind
from safeguard.casework.services.enquiries import section_47_outcome_record, strategy_discussion_record
from safeguard.casework.services.episodes import episode_close, episode_open
from safeguard.casework.services.plans import cin_plan_end, cin_plan_review_record, cin_plan_start
from safeguard.casework.services.recording import case_note_add, chronology_entry_add, visit_record
from safeguard.casework.tests.factories import CPPlanFactory
from safeguard.core.codes import ReferralSource
from safeguard.core.models import Draft
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.models import (
    BreakGlassGrant,
    Person,
    ProfessionalInvolvement,
    Relationship,
    RelationshipKind,
)
from safeguard.people.tests.factories import AddressFactory, AdultFactory, ChildFactory
from safeguard.records.models import DisposalDecision, LegalHold
from safeguard.records.services import legal_hold_place, record_dispose

pytestmark = pytest.mark.django_db

REFERRED = dt.date(2008, 1, 7)
CLOSED = dt.date(2009, 5, 1)
# Words that appear only in the disposed child's record.
NAMES = ("Zephyrine", "Quillfeather", "Morwenna", "Wyvern Close", "Thistlewood")


def _full_record(actor, sibling):
    """A closed record with everything a child's record collects over a child protection enquiry."""
    child = ChildFactory(
        given_name="Zephyrine", family_name="Quillfeather", date_of_birth=dt.date(1990, 1, 1)
    )
    AddressFactory(person=child, line_1="7 Wyvern Close")
    mother = AdultFactory(given_name="Morwenna", family_name="Quillfeather")
    Relationship.objects.create(child=child, other=mother, kind=RelationshipKind.MOTHER)
    father = AdultFactory(given_name="Shared", family_name="Parent")
    Relationship.objects.create(child=child, other=father, kind=RelationshipKind.FATHER)
    Relationship.objects.create(child=sibling, other=father, kind=RelationshipKind.FATHER)
    Relationship.objects.create(child=sibling, other=child, kind=RelationshipKind.SIBLING)
    ProfessionalInvolvement.objects.create(
        child=child, name="Dr Thistlewood", role="gp", organisation="Harrowmere Surgery"
    )
    episode = episode_open(
        actor=actor, child=child, referral_date=REFERRED, referral_source=ReferralSource.FAMILY
    )
    strategy_discussion_record(
        actor=actor,
        episode=episode,
        held_on=REFERRED + dt.timedelta(days=1),
        agencies=[StrategyAgency.CSC, StrategyAgency.POLICE, StrategyAgency.HEALTH],
        information_shared="Zephyrine told her teacher about the bruises.",
        safety_actions="Stays with her grandmother at Wyvern Close.",
        start_section_47=True,
    )
    section_47_outcome_record(
        actor=actor, enquiry=episode.section_47s.get(), outcome=Section47Outcome.NOT_SUBSTANTIATED
    )
    CPPlanFactory(child=child, episode=episode, start_date=dt.date(2008, 3, 1), end_date=dt.date(2009, 3, 1))
    plan = cin_plan_start(actor=actor, episode=episode, start_date=dt.date(2008, 2, 1))
    cin_plan_review_record(
        actor=actor, plan=plan, held_on=dt.date(2008, 5, 1), summary="Zephyrine is settled."
    )
    cin_plan_end(actor=actor, plan=plan, end_date=dt.date(2009, 4, 1))
    visit_record(
        actor=actor,
        episode=episode,
        visit_date=dt.date(2008, 2, 3),
        kind=VisitKind.CIN,
        child_seen=True,
        child_seen_alone=True,
        observations="Zephyrine showed me her room.",
    )
    case_note_add(actor=actor, episode=episode, written_on=dt.date(2008, 2, 4), text="Called Morwenna.")
    chronology_entry_add(
        actor=actor,
        child=child,
        happened_on=dt.date(2008, 1, 1),
        event="Moved to Wyvern Close",
        source="Mother",
        analysis="",
    )
    episode_close(actor=actor, episode=episode, closure_date=CLOSED, reason="RC7")
    received = dt.datetime(2008, 1, 5, 10, tzinfo=dt.UTC)
    contact = make_contact(given_name="Zephyrine", family_name="Quillfeather", received_at=received)
    Contact.objects.filter(pk=contact.pk).update(child=child, episode=episode)
    duplicate = make_contact(given_name="Zephyrine", family_name="Quillfeather", received_at=received)
    Contact.objects.filter(pk=duplicate.pk).update(merged_into=contact)
    BreakGlassGrant.objects.create(
        person=child, user=actor, reason="Police asked about Zephyrine", expires_at=timezone.now()
    )
    LegalHold.objects.create(person=child, reason="Quillfeather inquiry", lifted_at=timezone.now())
    Draft.objects.create(
        journey="add_child",
        owner=actor,
        data={"raw": {"name": {"given_name": ["Zephyrine"]}}},
        submitted_at=timezone.now(),
        submitted_record=child.la_child_id,
    )
    Draft.objects.create(
        journey="report_concern",
        data={"raw": {"child": {"given_name": ["Zephyrine"]}}},
        submitted_at=timezone.now(),
        submitted_record=contact.reference,
    )
    access_log_record(user=actor, what="person_record", instance=child, child_id=child.pk)
    return child, mother, father, contact


def _tokens(child, mother, contact):
    return [*NAMES, child.la_child_id, child.nhs_number, str(child.pk), str(mother.pk), contact.reference]


def _rows_mentioning(tokens):
    """Every row outside the append-only audit trail that mentions any token."""
    found = []
    for model in apps.get_models():
        if model in (AuditEvent, AccessLogEntry):
            continue
        rows = json.loads(serializers.serialize("json", model._base_manager.all()))
        for row in rows:
            if model is DisposalDecision:
                # The decision keeps the record's keys on purpose: it proves what was destroyed.
                row["fields"].pop("person_id_disposed")
                row["fields"].pop("la_child_id")
            text = json.dumps(row)
            found += [f"{model._meta.label}: {t}" for t in tokens if t and t in text]
    return found


def test_disposal_removes_every_row_about_the_child_and_names_no_one(client, make_user, social_worker):
    director = make_user(Role.DIRECTOR)
    sibling = ChildFactory(given_name="Sibling", family_name="Stays")
    child, mother, father, contact = _full_record(social_worker, sibling)
    tokens = _tokens(child, mother, contact)
    assert _rows_mentioning(tokens)  # the check below can see them while they exist
    events_before = AuditEvent.objects.count()
    reads_before = AccessLogEntry.objects.count()
    client.force_login(director)
    response = client.post(
        reverse("records:disposal_decide", args=[child.pk]),
        {"decision": "dispose", "reason": "Past every schedule."},
        follow=True,
    )
    assert "Your decision has been recorded." in response.content.decode()
    assert _rows_mentioning(tokens) == []
    assert not Person.objects.filter(pk__in=[child.pk, mother.pk]).exists()
    # The father and the sibling are on another child's record: they stay, linked to each other.
    assert Relationship.objects.filter(child=sibling, other=father).exists()
    assert not Relationship.objects.filter(child=sibling, other_id=child.pk).exists()
    # The audit trail is append-only: nothing removed, and the new event names no one.
    assert AccessLogEntry.objects.count() == reads_before
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.get(action="record_dispose")
    decision = DisposalDecision.objects.get()
    assert event.object_id == str(decision.pk) and event.child_id == child.pk
    changes = json.dumps(event.changes)
    assert [t for t in tokens if t in changes] == []
    assert "Past every schedule" not in changes
    assert event.changes["rows_disposed"]["after"]["casework.section47enquiry"] == 1


def test_a_child_recorded_minutes_ago_cannot_be_disposed_of(client, make_user):
    director = make_user(Role.DIRECTOR)
    child = ChildFactory()
    client.force_login(director)
    response = client.post(
        reverse("records:disposal_decide", args=[child.pk]),
        {"decision": "dispose", "reason": "Trying it."},
        follow=True,
    )
    assert "This record is not due for review" in response.content.decode()
    assert Person.objects.filter(pk=child.pk).exists()
    assert not DisposalDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="record_dispose").exists()


def test_a_record_still_within_its_schedule_cannot_be_kept_or_disposed_of(client, make_user, social_worker):
    director = make_user(Role.DIRECTOR)
    child = ChildFactory()
    episode = episode_open(
        actor=social_worker,
        child=child,
        referral_date=dt.date(2020, 1, 6),
        referral_source=ReferralSource.FAMILY,
    )
    episode_close(actor=social_worker, episode=episode, closure_date=dt.date(2020, 5, 1), reason="RC7")
    client.force_login(director)
    for decision in ("dispose", "retain"):
        client.post(
            reverse("records:disposal_decide", args=[child.pk]), {"decision": decision, "reason": "x"}
        )
    assert Person.objects.filter(pk=child.pk).exists() and not DisposalDecision.objects.exists()


def test_a_contact_after_closure_restarts_the_schedule(make_user, social_worker):
    from safeguard.records.selectors import records_due_for_disposal

    director = make_user(Role.DIRECTOR)
    child, _mother, _father, _contact = _full_record(social_worker, ChildFactory())
    today = timezone.localdate()
    assert [d.person for d in records_due_for_disposal(user=director, today=today)] == [child]
    later = make_contact(received_at=timezone.now() - dt.timedelta(days=30))
    Contact.objects.filter(pk=later.pk).update(child=child)
    assert records_due_for_disposal(user=director, today=today) == []
    with pytest.raises(ValidationError):
        record_dispose(actor=director, person=child, reason="Past schedule.")
    assert Person.objects.filter(pk=child.pk).exists()


def test_a_legal_hold_stops_disposal(client, make_user, social_worker):
    director = make_user(Role.DIRECTOR)
    child, *_ = _full_record(social_worker, ChildFactory())
    legal_hold_place(actor=make_user(Role.SERVICE_MANAGER), person=child, reason="Civil claim")
    with pytest.raises(ValidationError, match="legal hold"):
        record_dispose(actor=director, person=child, reason="Past schedule.")
    client.force_login(director)
    response = client.post(
        reverse("records:disposal_decide", args=[child.pk]),
        {"decision": "dispose", "reason": "Past schedule."},
        follow=True,
    )
    assert "This record is under a legal hold and cannot be disposed of" in response.content.decode()
    assert Person.objects.filter(pk=child.pk).exists()
    assert CINEpisode.objects.filter(child=child).exists()


def test_a_child_the_user_cannot_see_is_not_found(client, make_user, social_worker):
    child, *_ = _full_record(social_worker, ChildFactory())
    client.force_login(make_user(Role.SERVICE_MANAGER))
    response = client.post(
        reverse("records:disposal_decide", args=[child.pk]), {"decision": "dispose", "reason": "x"}
    )
    assert response.status_code == 404
    assert Person.objects.filter(pk=child.pk).exists()


def test_a_relative_with_their_own_legal_hold_is_kept(make_user, social_worker):
    director = make_user(Role.DIRECTOR)
    child, mother, _father, _contact = _full_record(social_worker, ChildFactory())
    LegalHold.objects.create(person=mother, reason="Her own civil claim")
    record_dispose(actor=director, person=child, reason="Past schedule.")
    assert not Person.objects.filter(pk=child.pk).exists()
    assert LegalHold.objects.filter(person=mother, lifted_at__isnull=True).exists()


def test_the_review_asks_for_a_reason_that_names_no_one(client, make_user, social_worker):
    _full_record(social_worker, ChildFactory())
    client.force_login(make_user(Role.DIRECTOR))
    html = client.get(reverse("records:disposal_review")).content.decode()
    assert "Do not name the child or their family" in html
