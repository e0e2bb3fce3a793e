"""A partner agency user's pages, with two agencies: a school and the police.

Each page is tried by the school's users (their own referrals), the police's user (the
school's referrals are not theirs), a partner account linked to no agency, and staff.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from safeguard.accounts.models import Role, User
from safeguard.audit.models import AccessLogEntry, AuditEvent
from safeguard.core.models import Draft
from safeguard.frontdoor.models import (
    AgencyType,
    Channel,
    Contact,
    PartnerAgency,
    PartnerMembership,
    ReporterType,
)
from safeguard.frontdoor.partner_selectors import Stage, partner_agency_for
from safeguard.frontdoor.partner_services import partner_membership_set
from safeguard.frontdoor.services import (
    ContactDetails,
    contact_assign,
    contact_create,
    contact_decide,
    contact_link_child,
    contact_merge,
)
from safeguard.frontdoor.tests.test_views import PUBLIC_CHILD
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

REFERRALS = reverse("frontdoor:partner_referrals")
START = reverse("frontdoor:partner_referral_start")


@dataclass
class World:
    school: PartnerAgency
    police: PartnerAgency
    dsl: User  # the school's designated safeguarding lead
    deputy: User  # the school's deputy lead
    officer: User  # a police user
    unlinked: User  # a partner account nobody has linked to an agency
    manager: User  # a front door manager


@pytest.fixture
def world(make_user: Any) -> World:
    school = PartnerAgency.objects.create(
        name="Larchfield Primary School", agency_type=AgencyType.SCHOOL, email="office@larchfield.example"
    )
    police = PartnerAgency.objects.create(name="Harrowmere Police", agency_type=AgencyType.POLICE)
    dsl = make_user(Role.PARTNER_AGENCY, first_name="Dee", last_name="Lead", email="dsl@larchfield.example")
    deputy = make_user(Role.PARTNER_AGENCY, first_name="Dan", last_name="Deputy")
    officer = make_user(Role.PARTNER_AGENCY, first_name="Pat", last_name="Constable")
    for user, agency in ((dsl, school), (deputy, school), (officer, police)):
        partner_membership_set(actor=None, user=user, agency=agency)
    return World(
        school=school,
        police=police,
        dsl=dsl,
        deputy=deputy,
        officer=officer,
        unlinked=make_user(Role.PARTNER_AGENCY),
        manager=make_user(Role.FRONT_DOOR_MANAGER),
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def agency_contact(
    agency: PartnerAgency, given: str = "Kofi", family: str = "Okafor", **child: Any
) -> Contact:
    """A contact the agency sent through the API."""
    return contact_create(
        actor=None,
        channel=Channel.API,
        agency=agency,
        details=ContactDetails(
            reporter_type=ReporterType.AGENCY,
            concern="Bruising on the child's arm, said a parent did it.",
            child={
                "given_name": given,
                "family_name": family,
                "address": "9 Quarry Lane",
                "postcode": "HM3 9QL",
                **child,
            },
            referrer={"name": "Named Person", "organisation": agency.name, "email": "named@agency.example"},
        ),
    )


CHILD = {
    **PUBLIC_CHILD,
    "school": "Larchfield Primary School",
    "nhs_number": "",
    "expected_date_of_birth-day": "",
    "expected_date_of_birth-month": "",
    "expected_date_of_birth-year": "",
}


def step(client: Client, slug: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("frontdoor:partner_referral:step", args=[slug]), data)


def make_referral(client: Client, *, phone: str = "07700 900 982") -> Any:
    step(client, "danger", {"danger": "no"})
    step(client, "what-happened", {"concern": "Came to school hungry all week.", "concern_when": "This week"})
    step(client, "child-professional", CHILD)
    step(client, "adults", {"adults": "Mother"})
    last = step(
        client,
        "referrer",
        {"role": "Designated safeguarding lead", "phone": phone, "agency_reference": "LPS-7"},
    )
    step(client, "consent", {"consent": "yes", "consent_reason": ""})
    step(client, "need", {"threshold_level": "Level 3: targeted (children in need)", "risk_factors": ["3B"]})
    return last


def send(client: Client) -> Any:
    draft = Draft.objects.filter(journey="partner_referral", submitted_at__isnull=True).latest("modified_at")
    return client.post(reverse("frontdoor:partner_referral:check"), {"draft": str(draft.pk)})


# -- making a referral ------------------------------------------------------------------------


def test_a_partner_makes_a_referral_that_is_their_agencys(world: World) -> None:
    client = signed_in(world.dsl)
    make_referral(client)
    check = client.get(reverse("frontdoor:partner_referral:check")).content.decode()
    assert "07700 900982" in check and "Check your answers before sending your referral" in check
    done = send(client)
    assert done.status_code == 302
    contact = Contact.objects.get()
    assert contact.agency == world.school and contact.channel == Channel.ONLINE
    assert contact.reporter_type == ReporterType.PROFESSIONAL and contact.referral_source == "2A"  # schools
    assert contact.created_by == world.dsl and contact.child_postcode == "HM1 4AB"
    assert contact.consent == "yes" and contact.risk_factors == ["3B"] and contact.agency_reference == "LPS-7"
    referrer = contact.referrer
    assert (referrer.name, referrer.email, referrer.organisation) == (
        "Dee Lead",
        "dsl@larchfield.example",
        "Larchfield Primary School",
    )
    assert referrer.phone == "+447700900982" and referrer.role == "Designated safeguarding lead"
    assert AuditEvent.objects.filter(action="contact_create", actor=world.dsl).exists()
    sent = client.get(done["Location"]).content.decode()
    assert contact.reference in sent and f'href="{REFERRALS}"' in sent


def test_a_referral_is_sent_once_however_often_it_is_submitted(world: World) -> None:
    client = signed_in(world.dsl)
    make_referral(client)
    draft = Draft.objects.get(journey="partner_referral")
    for _ in range(2):
        client.post(reverse("frontdoor:partner_referral:check"), {"draft": str(draft.pk)})
    assert Contact.objects.count() == 1


def test_the_referral_uses_the_public_forms_rules_and_loses_nothing(world: World) -> None:
    client = signed_in(world.dsl)
    response = make_referral(client, phone="the school office")
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in page
    assert "Enter a telephone number, like 01632 960 001" in page and "the school office" in page
    assert "Designated safeguarding lead" in page  # what was typed is kept
    bad_child = step(client, "child-professional", {**CHILD, "postcode": "NOT A POSTCODE"}).content.decode()
    assert "Enter a real postcode" in bad_child
    assert not Contact.objects.exists()


def test_one_partners_draft_is_not_anothers(world: World) -> None:
    make_referral(signed_in(world.dsl))
    colleague = signed_in(world.deputy)
    page = colleague.get(reverse("frontdoor:partner_referral:step", args=["what-happened"])).content.decode()
    assert "Came to school hungry" not in page
    draft = Draft.objects.get(journey="partner_referral", owner=world.dsl)
    colleague.post(reverse("frontdoor:partner_referral:check"), {"draft": str(draft.pk)})
    assert not Contact.objects.exists()


def test_an_unknown_question_goes_to_the_first_one(world: World) -> None:
    response = signed_in(world.dsl).get(reverse("frontdoor:partner_referral:step", args=["nope"]))
    assert response["Location"] == reverse("frontdoor:partner_referral:step", args=["danger"])


# -- seeing the agency's referrals -------------------------------------------------------------


def test_the_list_shows_every_referral_of_the_agency_and_no_other(world: World) -> None:
    own_api = agency_contact(world.school, "Kofi", "Okafor")
    client = signed_in(world.dsl)
    make_referral(signed_in(world.deputy))
    send(signed_in(world.deputy))
    by_colleague = Contact.objects.get(created_by=world.deputy)
    other = agency_contact(world.police, "Bethan", "Morgan")
    public = Contact.objects.create(
        reference="PUBLIC23",
        received_at=own_api.received_at,
        received_on=own_api.received_on,
        decision_due=own_api.decision_due,
        reporter_type=ReporterType.PUBLIC,
        referral_source="9",
        concern="A neighbour's report",
    )
    page = client.get(REFERRALS).content.decode()
    assert own_api.reference in page and by_colleague.reference in page
    assert other.reference not in page and public.reference not in page and "B M" not in page
    # Initials only, and nothing of the family's address or the concern.
    assert "K O" in page and "A H" in page
    for secret in (
        "Kofi",
        "Okafor",
        "Amira",
        "Hughes",
        "9 Quarry Lane",
        "HM3 9QL",
        "Bruising",
        "Named Person",
    ):
        assert secret not in page, secret
    police_page = signed_in(world.officer).get(REFERRALS).content.decode()
    assert other.reference in police_page and own_api.reference not in police_page


def test_the_status_follows_the_contact_through_the_front_door(world: World) -> None:
    received = agency_contact(world.school, "Ada", "Able")
    looked_at = agency_contact(world.school, "Ben", "Best")
    contact_assign(actor=world.manager, contact=looked_at, assignee=world.manager)
    decided = agency_contact(world.school, "Cal", "Cole")
    duplicate = agency_contact(world.school, "Dot", "Dale")
    contact_merge(actor=world.manager, contact=duplicate, into=decided)
    contact_decide(
        actor=world.manager,
        contact=decided,
        decision="early_help",
        reason="Parent asked for help with routines",
    )
    page = html.unescape(signed_in(world.dsl).get(REFERRALS).content.decode())
    rows = {
        ref: page.split(ref, 1)[1].split("</tr>", 1)[0]
        for ref in (c.reference for c in (received, looked_at, decided, duplicate))
    }
    assert Stage.RECEIVED in rows[received.reference] and "Due by" in rows[received.reference]
    assert Stage.BEING_LOOKED_AT in rows[looked_at.reference]
    assert Stage.DECIDED in rows[decided.reference] and "Early help" in rows[decided.reference]
    # A duplicate is decided with the contact it joined.
    assert Stage.DECIDED in rows[duplicate.reference] and "Early help" in rows[duplicate.reference]


def test_the_referral_page_says_what_happens_next_without_the_reasons(world: World) -> None:
    contact = agency_contact(world.school)
    client = signed_in(world.dsl)
    detail = reverse("frontdoor:partner_referral_detail", args=[contact.pk])
    before = html.unescape(client.get(detail).content.decode())
    assert "Not decided yet" in before and "will decide what to do by" in before
    contact_decide(
        actor=world.manager, contact=contact, decision="early_help", reason="Mother asked for help at home"
    )
    after = html.unescape(client.get(detail).content.decode())
    assert "Early help" in after
    assert "We have offered the family support from our early help service." in after
    assert "We cannot share more detail, to protect the family's privacy." in after
    for secret in ("Mother asked for help", "Kofi", "Okafor", "9 Quarry Lane", world.manager.display_name):
        assert secret not in after, secret


def test_a_sealed_child_is_never_named_to_the_agency(world: World) -> None:
    sealed = ChildFactory(given_name="Zephyrine", family_name="Quillfeather", is_sealed=True)
    contact = agency_contact(world.school, "Zephyrine", "Quillfeather")
    front_door = User.objects.create(username="fd@staff.example", role=Role.FRONT_DOOR_PRACTITIONER)
    contact_link_child(actor=front_door, contact=contact, child=sealed)
    client = signed_in(world.dsl)
    for path in (REFERRALS, reverse("frontdoor:partner_referral_detail", args=[contact.pk])):
        page = client.get(path).content.decode()
        assert contact.reference in page
        assert "Zephyrine" not in page and "Quillfeather" not in page and str(sealed.pk) not in page


def test_another_agencys_referral_is_not_found(world: World) -> None:
    theirs = agency_contact(world.police)
    detail = reverse("frontdoor:partner_referral_detail", args=[theirs.pk])
    assert signed_in(world.dsl).get(detail).status_code == 404
    assert signed_in(world.unlinked).get(detail).status_code == 404
    assert signed_in(world.officer).get(detail).status_code == 200


def test_looking_is_written_to_the_access_log(world: World) -> None:
    contact = agency_contact(world.school)
    client = signed_in(world.dsl)
    client.get(REFERRALS)
    client.get(reverse("frontdoor:partner_referral_detail", args=[contact.pk]))
    entries = AccessLogEntry.objects.filter(user=world.dsl)
    assert entries.filter(action="list", detail="Partner agency's referrals (1)").exists()
    assert entries.filter(action="view", object_id=str(contact.pk)).exists()


# -- who may use these pages ---------------------------------------------------------------------

PARTNER_PAGES = [
    REFERRALS,
    START,
    reverse("frontdoor:partner_referral:step", args=["danger"]),
    reverse("frontdoor:partner_referral:check"),
]


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.PARTNER_AGENCY}))
def test_staff_are_refused_every_partner_page(world: World, make_user: Any, role: Role) -> None:
    client = signed_in(make_user(role))
    for path in PARTNER_PAGES:
        assert client.get(path).status_code == 403, path
    assert (
        client.post(reverse("frontdoor:partner_referral:step", args=["danger"]), {"danger": "no"}).status_code
        == 403
    )
    own = agency_contact(world.school)
    assert client.get(reverse("frontdoor:partner_referral_detail", args=[own.pk])).status_code == 404


def test_a_partner_linked_to_no_agency_is_told_and_can_do_nothing(world: World) -> None:
    client = signed_in(world.unlinked)
    page = client.get(REFERRALS).content.decode()
    assert "not linked to a partner organisation" in page
    for path in PARTNER_PAGES[1:]:
        assert client.get(path)["Location"] == REFERRALS
    agency_contact(world.school)
    assert "K O" not in client.get(REFERRALS).content.decode()


def test_a_deactivated_partner_sees_nothing_of_their_agency(world: World) -> None:
    world.dsl.is_active = False
    world.dsl.save()
    assert partner_agency_for(world.dsl) is None


def test_a_partners_home_page_leads_to_both(world: World) -> None:
    page = signed_in(world.dsl).get(reverse("home:home")).content.decode()
    assert f'href="{START}"' in page and f'href="{REFERRALS}"' in page
    assert "Your referrals" in page  # in the header's navigation


# -- linking accounts ---------------------------------------------------------------------------


def test_only_a_partner_account_can_be_linked_to_an_agency(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        partner_membership_set(actor=None, user=world.manager, agency=world.school)
    assert partner_agency_for(world.manager) is None


def test_relinking_moves_a_partner_to_the_new_agency(world: World) -> None:
    partner_membership_set(actor=world.manager, user=world.deputy, agency=world.police)
    world.deputy.refresh_from_db()
    assert (
        partner_agency_for(world.deputy) == world.police and world.deputy.agency_name == "Harrowmere Police"
    )
    event = AuditEvent.objects.filter(action="partner_membership_set", actor=world.manager).get()
    assert event.changes == {"agency": {"before": "Larchfield Primary School", "after": "Harrowmere Police"}}


def test_the_link_command_links_by_email(world: World) -> None:
    call_command("link_partner_user", email=world.unlinked.email, agency="Harrowmere Police")
    assert PartnerMembership.objects.get(user=world.unlinked).agency == world.police
    with pytest.raises(CommandError):
        call_command("link_partner_user", email="nobody@nowhere.example", agency="Harrowmere Police")
    with pytest.raises(CommandError):
        call_command("link_partner_user", email=world.manager.email, agency="Harrowmere Police")


def test_contacts_received_on_another_day_list_newest_first(world: World) -> None:
    older = agency_contact(world.school, "Old", "One")
    Contact.objects.filter(pk=older.pk).update(received_at=older.received_at - dt.timedelta(days=3))
    newer = agency_contact(world.school, "New", "One")
    page = signed_in(world.dsl).get(REFERRALS).content.decode()
    assert page.index(newer.reference) < page.index(older.reference)
