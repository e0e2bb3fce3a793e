from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from safeguard.accounts.models import TeamKind
from safeguard.accounts.tests.factories import TeamFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.models import CINEpisode
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.frontdoor import services
from safeguard.frontdoor.models import Contact, ContactStatus, Decision, PartnerAgency, ReporterType
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def practitioner(make_user):
    return make_user("front_door_practitioner")


@pytest.fixture
def manager(make_user):
    return make_user("front_door_manager")


def test_a_contact_gets_a_random_reference_and_a_one_working_day_clock():
    friday = dt.datetime(2026, 12, 18, 16, 0, tzinfo=LONDON)
    contact = make_contact(received_at=friday)
    assert len(contact.reference) == 8 and set(contact.reference) <= set(services.REFERENCE_ALPHABET)
    assert contact.received_on == dt.date(2026, 12, 18)
    assert contact.decision_due == dt.date(2026, 12, 21)  # timescales.md worked example
    assert AuditEvent.objects.filter(action="contact_create", object_id=str(contact.pk)).exists()


@pytest.mark.parametrize(
    ("reporter", "anonymous", "agency", "code"),
    [
        ("public", True, "", "9"),
        ("public", False, "", "1D"),
        ("family", False, "", "1A"),
        ("self", False, "", "1C"),
        ("professional", False, "police", "6"),
        ("professional", False, "school", "2A"),
        ("agency", False, "hospital", "3E"),
        ("agency", False, "", "8"),
    ],
)
def test_referral_source_follows_from_the_reporter_and_agency(reporter, anonymous, agency, code):
    assert (
        services.referral_source_for(reporter_type=reporter, anonymous=anonymous, agency_type=agency) == code
    )


def test_anonymous_public_report_is_recorded_as_anonymous():
    contact = make_contact()
    assert contact.referrer.anonymous and contact.referral_source == "9"


def test_referral_opens_an_episode_and_tells_the_professional(practitioner):
    contact = make_contact(
        reporter_type=ReporterType.PROFESSIONAL,
        referrer={"name": "Ms Teacher", "email": "dsl@school.example"},
    )
    child = ChildFactory()
    services.contact_link_child(actor=practitioner, contact=contact, child=child)
    with pytest.raises(ValidationError):
        services.contact_decide(actor=practitioner, contact=contact, decision=Decision.REFERRAL, reason=" ")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.contact_decide(
            actor=practitioner, contact=contact, decision=Decision.REFERRAL, reason="Needs an assessment"
        )
    contact.refresh_from_db()
    episode = CINEpisode.objects.get(child=child)
    assert contact.status == ContactStatus.DECIDED and contact.episode == episode
    assert (episode.referral_date, episode.referral_source) == (contact.received_on, "2A")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dsl@school.example"]
    body = mail.outbox[0].body
    assert contact.reference in body and "Needs an assessment" not in body and child.family_name not in body


def test_referral_needs_a_linked_child(practitioner):
    contact = make_contact()
    with pytest.raises(ValidationError):
        services.contact_decide(actor=practitioner, contact=contact, decision=Decision.REFERRAL, reason="x")


def test_a_referral_for_a_child_with_an_open_episode_joins_it(practitioner):
    child = ChildFactory()
    open_episode = EpisodeFactory(child=child)
    contact = make_contact()
    services.contact_link_child(actor=practitioner, contact=contact, child=child)
    services.contact_decide(
        actor=practitioner, contact=contact, decision=Decision.REFERRAL, reason="More worry"
    )
    assert contact.episode == open_episode and CINEpisode.objects.filter(child=child).count() == 1


def test_nfa_waits_for_a_manager_and_anonymous_reporters_are_not_contacted(practitioner, manager):
    contact = make_contact()
    services.contact_decide(actor=practitioner, contact=contact, decision=Decision.NFA, reason="No concerns")
    assert contact.status == ContactStatus.AWAITING_AUTHORISATION
    with pytest.raises(PermissionError):
        services.contact_authorise(actor=practitioner, contact=contact, approve=True)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.contact_authorise(actor=manager, contact=contact, approve=True)
    assert contact.status == ContactStatus.DECIDED and contact.authorised_by == manager
    assert mail.outbox == []


def test_a_manager_can_return_a_decision(practitioner, manager):
    contact = make_contact()
    services.contact_decide(actor=practitioner, contact=contact, decision=Decision.NFA, reason="No concerns")
    services.contact_authorise(actor=manager, contact=contact, approve=False, note="Check with school")
    assert contact.status == ContactStatus.NEW and contact.decision == ""


def test_a_manager_decides_nfa_without_waiting(manager):
    contact = make_contact()
    services.contact_decide(actor=manager, contact=contact, decision=Decision.NFA, reason="No concerns")
    assert contact.status == ContactStatus.DECIDED


def test_merge_and_new_child(practitioner):
    first, second = make_contact(), make_contact()
    services.contact_child_create(actor=practitioner, contact=first)
    assert first.child is not None and first.child.la_child_id
    services.contact_merge(actor=practitioner, contact=second, into=first)
    assert second.status == ContactStatus.MERGED and second.merged_into == first
    with pytest.raises(ValidationError):
        services.contact_merge(actor=practitioner, contact=first, into=first)


def test_only_front_door_staff_triage(make_user):
    with pytest.raises(PermissionError):
        services.contact_assign(actor=make_user("social_worker"), contact=make_contact(), assignee=None)


def test_referrer_release_is_a_managers_recorded_decision(practitioner, manager):
    contact = make_contact(referrer={"name": "A Neighbour"})
    with pytest.raises(PermissionError):
        services.referrer_release(actor=practitioner, contact=contact, reason="x")
    referrer = services.referrer_release(actor=manager, contact=contact, reason="Court ordered disclosure")
    assert referrer.released_at and AuditEvent.objects.filter(action="referrer_release").exists()


def test_partner_keys_are_stored_hashed():
    agency = PartnerAgency.objects.create(name="Harrowmere Police", agency_type="police")
    key, raw = services.partner_key_create(actor=None, agency=agency)
    assert raw not in key.key_hash and key.key_hash == services.hash_key(raw) and key.prefix in raw
    services.partner_key_revoke(actor=None, key=key)
    assert key.revoked_at is not None


def test_a_contact_is_decided_once(practitioner, manager):
    contact = make_contact()
    stale = Contact.objects.get(pk=contact.pk)
    services.contact_decide(actor=manager, contact=contact, decision=Decision.ADVICE, reason="Advice")
    stale.status = ContactStatus.NEW  # another tab still showing the undecided contact
    with pytest.raises(ValidationError):
        services.contact_decide(actor=practitioner, contact=stale, decision=Decision.EARLY_HELP, reason="x")


# -- the hand-off to a receiving team ---------------------------------------------------


def _linked(practitioner) -> Contact:
    contact = make_contact()
    return services.contact_link_child(actor=practitioner, contact=contact, child=ChildFactory())


def test_a_referral_goes_to_the_team_chosen_with_the_decision(practitioner):
    team = TeamFactory(name="East Assessment Team")
    contact = services.contact_decide(
        actor=practitioner,
        contact=_linked(practitioner),
        decision=Decision.REFERRAL,
        reason="Assess",
        receiving_team=team,
    )
    contact.refresh_from_db()
    episode = contact.episode
    assert episode is not None and episode.team == team and episode.worker is None
    assert contact.receiving_team == team
    actions = list(
        AuditEvent.objects.filter(object_id=str(episode.pk))
        .order_by("occurred_at")
        .values_list("action", flat=True)
    )
    assert actions == ["episode_open", "episode_send_to_team"]


def test_a_decision_waiting_for_a_manager_opens_nothing_until_authorised(practitioner, manager):
    proposed, chosen = TeamFactory(), TeamFactory()
    contact = services.contact_decide(
        actor=practitioner,
        contact=_linked(practitioner),
        decision=Decision.STRATEGY,
        reason="Injury",
        receiving_team=proposed,
    )
    assert contact.status == ContactStatus.AWAITING_AUTHORISATION and contact.episode is None
    assert not CINEpisode.objects.exists()
    services.contact_authorise(actor=manager, contact=contact, approve=True, receiving_team=chosen)
    contact.refresh_from_db()
    assert contact.receiving_team == chosen and contact.episode.team == chosen
    assert AuditEvent.objects.filter(action="contact_receiving_team_change").exists()


def test_a_returned_decision_forgets_its_team(practitioner, manager):
    contact = services.contact_decide(
        actor=practitioner,
        contact=_linked(practitioner),
        decision=Decision.STRATEGY,
        reason="Injury",
        receiving_team=TeamFactory(),
    )
    services.contact_authorise(actor=manager, contact=contact, approve=False, note="Gather more")
    contact.refresh_from_db()
    assert contact.status == ContactStatus.NEW and contact.receiving_team is None


def test_a_child_whose_case_a_team_holds_stays_with_that_team(practitioner, social_worker):
    contact = _linked(practitioner)
    held = EpisodeFactory(child=contact.child, team=social_worker.team, worker=social_worker)
    services.contact_decide(
        actor=practitioner,
        contact=contact,
        decision=Decision.REFERRAL,
        reason="More",
        receiving_team=TeamFactory(),
    )
    contact.refresh_from_db()
    held.refresh_from_db()
    assert contact.episode == held and held.team == social_worker.team and held.worker == social_worker


def test_only_a_case_holding_team_receives_a_referral(practitioner):
    chairs = TeamFactory(kind=TeamKind.CONFERENCE_CHAIRS)
    contact = _linked(practitioner)
    with pytest.raises(ValidationError, match="holds their cases"):
        services.contact_decide(
            actor=practitioner,
            contact=contact,
            decision=Decision.REFERRAL,
            reason="Assess",
            receiving_team=chairs,
        )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.NEW and not CINEpisode.objects.exists()
