"""The sealed-record canary: a sealed child is named on no page, document, export or API
answer for anyone who is not named on the seal (or holding a break-glass grant).

One sealed child with a whole network around it (front door contacts, a half-sibling and
a mother recorded as relatives, an episode with an assessment, a strategy discussion and
a section 47 enquiry, a plan, visits, notes and a chronology, subject access requests) and
an unsealed half-sibling whose pages all render. Every URL in the URL map is requested as
every role, with its keys filled from both children's networks, and every answer is
searched for anything that identifies the sealed child: its names, local child
identifier, NHS number (plain and spaced), UPN, date of birth and last referral date (as
pages and exports print them) and its key. Also searched: the child search's results for
the sealed child's names and identifier, the audit export (CSV and JSON) for every role
that may export, the PDFs (as the HTML they are printed from, see ``pdf_sources``) and the
partner API's answers about the sealed child's contacts.

A second test checks the other side: the people named on the seal, and a break-glass user,
still see the child on its own page, on its sibling's page, in matching and on its contacts.

The data set is built once for the module, inside a transaction rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from safeguard.accounts.models import Role, Service, Team, TeamKind, User
from safeguard.accounts.policy import AUDIT_EXPORT_ROLES, PostOnly, UrlRule, url_rules
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import Section47Enquiry
from safeguard.casework.services.assessments import assessment_start
from safeguard.casework.services.enquiries import strategy_discussion_record
from safeguard.casework.services.episodes import episode_allocate, episode_open
from safeguard.casework.services.plans import cin_plan_start
from safeguard.casework.services.recording import case_note_add, chronology_entry_add, visit_record
from safeguard.casework.tests.factories import CPPlanFactory
from safeguard.conferences.models import (
    ChildViews,
    Conference,
    ConferenceInvitation,
    ConferenceKind,
    ConferenceStatus,
    FamilyQuestion,
)
from safeguard.core.codes import ReferralSource
from safeguard.design_system.formatting import govuk_date
from safeguard.frontdoor.models import AgencyType, Channel, Contact, PartnerAgency, ReporterType
from safeguard.frontdoor.partner_services import partner_membership_set
from safeguard.frontdoor.services import (
    ContactDetails,
    contact_create,
    contact_link_child,
    partner_key_create,
)
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.models import Person, Relationship, RelationshipKind
from safeguard.people.services import break_glass_open, child_seal
from safeguard.people.tests.factories import AddressFactory, AdultFactory, ChildFactory
from safeguard.people.validators import format_nhs_number, generate_nhs_number, generate_upn
from safeguard.records.models import SubjectAccessRequest
from safeguard.records.services import subject_access_prepare, subject_access_release
from safeguard.returns.models import ReturnKind, ReturnRun, RunStatus

pytestmark = pytest.mark.django_db

_rng = random.Random(20261203)
POSTCODE = "HM2 7QX"
SEALED_DOB = dt.date(2013, 3, 11)
# A typing slip of the sealed child's details (names misspelt, day and month swapped), so the
# contact itself names nobody but matching would find the sealed child.
BAIT = {"given_name": "Zefirine", "family_name": "Quilfeather", "date_of_birth": dt.date(2013, 11, 3)}


@dataclass
class Network:
    sealed: Person
    sibling: Person
    parent: Person
    roles: dict[Role, User]
    named_worker: User
    named_front_door: User
    glass_user: User
    agency_key: str
    # URL keyword -> the keys to try, from both children's networks.
    keys: dict[str, list[uuid.UUID]]
    sealed_contacts: list[Contact]
    bait: Contact
    tokens: list[str] = field(default_factory=list)


def _episode_with_work(*, child: Person, worker: User, manager: User, team: Team, referred: dt.date) -> Any:
    episode = episode_open(
        actor=manager, child=child, referral_date=referred, referral_source=ReferralSource.SCHOOLS, team=team
    )
    episode_allocate(actor=manager, episode=episode, worker=worker)
    assessment = assessment_start(actor=worker, episode=episode, start_date=referred + dt.timedelta(1))
    strategy_discussion_record(
        actor=worker,
        episode=episode,
        held_on=referred + dt.timedelta(2),
        agencies=["csc", "police", "health"],
        information_shared="Police attended the home twice this month.",
        safety_actions="Child to stay with grandmother for now.",
        start_section_47=True,
    )
    cin_plan_start(actor=worker, episode=episode, start_date=referred + dt.timedelta(3))
    visit_record(
        actor=worker,
        episode=episode,
        visit_date=referred + dt.timedelta(4),
        kind="cin",
        child_seen=True,
        child_seen_alone=True,
        observations="Bedroom tidy; chatty about school.",
    )
    case_note_add(
        actor=worker, episode=episode, written_on=referred + dt.timedelta(5), text="Spoke to the school."
    )
    chronology_entry_add(
        actor=worker,
        child=child,
        happened_on=referred + dt.timedelta(6),
        event="Missed a health appointment",
        source="Health visitor",
        analysis="A pattern with the last two.",
    )
    return episode, assessment, Section47Enquiry.objects.get(episode=episode)


def _build() -> Network:
    today = timezone.localdate()
    service = Service.objects.create(name="Canary Safeguarding")
    team = Team.objects.create(name="Canary Assessment", kind=TeamKind.ASSESSMENT, service=service)
    front_door = Team.objects.create(name="Canary Front Door", kind=TeamKind.FRONT_DOOR, service=service)
    roles: dict[Role, User] = {
        role: UserFactory(role=role, team=front_door if role.value.startswith("front_door") else team)
        for role in Role
    }
    named_worker: User = UserFactory(role=Role.SOCIAL_WORKER, team=team)
    named_front_door: User = UserFactory(role=Role.FRONT_DOOR_PRACTITIONER, team=front_door)
    sealer: User = UserFactory(role=Role.SERVICE_MANAGER, team=team)
    glass_user: User = UserFactory(role=Role.SENIOR_PRACTITIONER, team=team)

    sealed: Person = ChildFactory(
        given_name="Zephyrine",
        family_name="Quillfeather",
        date_of_birth=SEALED_DOB,
        nhs_number=generate_nhs_number(_rng),
        upn=generate_upn(_rng, "873"),
    )
    sibling: Person = ChildFactory(
        given_name="Tobias", family_name="Ashdown", date_of_birth=dt.date(2015, 7, 22)
    )
    parent: Person = AdultFactory(
        given_name="Marguerite", family_name="Ashdown", date_of_birth=dt.date(1985, 1, 30)
    )
    for person in (sealed, sibling, parent):
        AddressFactory(person=person, postcode=POSTCODE, line_1="3 Wrenfield Close")
    for child, other, kind in (
        (sibling, sealed, RelationshipKind.HALF_SIBLING),
        (sibling, parent, RelationshipKind.MOTHER),
        (sealed, sibling, RelationshipKind.HALF_SIBLING),
        (sealed, parent, RelationshipKind.MOTHER),
    ):
        Relationship.objects.create(child=child, other=other, kind=kind, lives_with_child=True)

    manager = roles[Role.TEAM_MANAGER]
    # The sealed child's referral comes before anything in the sibling's record, so its
    # date, printed anywhere, can only have come from the sealed child's record.
    sealed_referred = today - dt.timedelta(days=200)
    sealed_episode, sealed_assessment, sealed_s47 = _episode_with_work(
        child=sealed, worker=named_worker, manager=manager, team=team, referred=sealed_referred
    )
    sibling_episode, sibling_assessment, sibling_s47 = _episode_with_work(
        child=sibling,
        worker=roles[Role.SOCIAL_WORKER],
        manager=manager,
        team=team,
        referred=today - dt.timedelta(days=150),
    )
    # A plan makes the sibling a conference chair's own child.
    sibling_plan = CPPlanFactory(
        child=sibling, episode=sibling_episode, start_date=today - dt.timedelta(days=100)
    )
    # The sealed child's earlier plan, ended: its pages and PDF must not name them either.
    sealed_plan = CPPlanFactory(
        child=sealed,
        episode=sealed_episode,
        start_date=sealed_referred + dt.timedelta(days=2),
        end_date=sealed_referred + dt.timedelta(days=30),
    )
    # Each enquiry has its initial conference, in the chair's diary next week.
    conferences = [
        Conference.objects.create(
            kind=ConferenceKind.INITIAL,
            child=enquiry.episode.child,
            episode=enquiry.episode,
            section_47=enquiry,
            target_date=today + dt.timedelta(days=7),
            status=ConferenceStatus.SCHEDULED,
            chair=roles[Role.CONFERENCE_CHAIR],
            starts_at=timezone.now() + dt.timedelta(days=6),
            room="Room 1",
        )
        for enquiry in (sealed_s47, sibling_s47)
    ]

    # A parent invited to each conference has asked the worker a question.
    invitations = [
        ConferenceInvitation.objects.create(conference=c, name="Dawn Parent", role="parent")
        for c in conferences
    ]
    questions = [
        FamilyQuestion.objects.create(invitation=i, text="Can I bring my sister?") for i in invitations
    ]
    # Each child has said they feel unsafe at home: an alert for their worker and manager.
    child_views = [
        ChildViews.objects.create(
            conference=c, child=c.child, helped_by="worker", safe_at_home=1, submitted_at=timezone.now()
        )
        for c in conferences
    ]

    sealed_typed = {"given_name": "Zephyrine", "family_name": "Quillfeather", "date_of_birth": SEALED_DOB}
    sealed_public = make_contact(**sealed_typed, postcode=POSTCODE)
    agency = PartnerAgency.objects.create(name="Canary Police", agency_type=AgencyType.POLICE)
    _key, agency_key = partner_key_create(actor=None, agency=agency)
    # The partner user signs in for the agency that sent the sealed child's contact: their
    # referrals pages list that contact, and must not name the child.
    partner_membership_set(actor=None, user=roles[Role.PARTNER_AGENCY], agency=agency)
    sealed_api = contact_create(
        actor=None,
        channel=Channel.API,
        agency=agency,
        details=ContactDetails(
            reporter_type=ReporterType.AGENCY,
            concern="Officers attended after a neighbour called.",
            child={**sealed_typed, "nhs_number": sealed.nhs_number},
            referrer={"name": "PC Harlow", "organisation": agency.name},
        ),
    )
    for contact in (sealed_public, sealed_api):
        contact_link_child(actor=named_front_door, contact=contact, child=sealed)
    bait = make_contact(**BAIT, postcode=POSTCODE)
    sibling_typed = {"given_name": "Tobias", "family_name": "Ashdown", "date_of_birth": sibling.date_of_birth}
    sibling_linked = make_contact(**sibling_typed, postcode=POSTCODE)
    contact_link_child(actor=roles[Role.FRONT_DOOR_PRACTITIONER], contact=sibling_linked, child=sibling)
    sibling_unlinked = make_contact(**sibling_typed, postcode=POSTCODE)

    child_seal(actor=sealer, child=sealed, reason="staff", named_users=[named_worker, named_front_door])
    break_glass_open(actor=glass_user, person=sealed, reason="Police called out of hours")

    sars: list[SubjectAccessRequest] = []
    for child, preparer in ((sealed, named_worker), (sibling, roles[Role.SOCIAL_WORKER])):
        sar = subject_access_prepare(
            actor=preparer, person=child, requested_by="The mother", received_on=today
        )
        sars.append(sar)
    subject_access_release(
        actor=manager,
        request=sars[1],
        include_third_parties=True,
        include_referral_sources=True,
        reason="The mother is entitled to her own and her children's information.",
    )

    # A census run (a finished 2025-26 build with no failures): its pages are outputs too.
    census_run = ReturnRun.objects.create(
        kind=ReturnKind.CIN_CENSUS,
        period=2026,
        spec_version="CIN_schema_2026.xsd",
        requested_by=roles[Role.PERFORMANCE_ANALYST],
        status=RunStatus.SUCCEEDED,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )

    network = Network(
        sealed=sealed,
        sibling=sibling,
        parent=parent,
        roles=roles,
        named_worker=named_worker,
        named_front_door=named_front_door,
        glass_user=glass_user,
        agency_key=agency_key,
        keys={
            "child_id": [sealed.pk, sibling.pk],
            "episode_id": [sealed_episode.pk, sibling_episode.pk],
            "assessment_id": [sealed_assessment.pk, sibling_assessment.pk],
            "enquiry_id": [sealed_s47.pk, sibling_s47.pk],
            "discussion_id": [sealed_s47.strategy_discussion_id, sibling_s47.strategy_discussion_id],
            "contact_id": [sealed_public.pk, sealed_api.pk, bait.pk, sibling_linked.pk, sibling_unlinked.pk],
            "request_id": [sar.pk for sar in sars],
            "conference_id": [c.pk for c in conferences],
            "invitation_id": [i.pk for i in invitations],
            "question_id": [q.pk for q in questions],
            "views_id": [v.pk for v in child_views],
            "plan_id": [sibling_plan.pk, sealed_plan.pk],
            "run_id": [census_run.pk],
            # The system administrator's pages: the sealed child's worker (whose open work
            # they list), its team and service.
            "account_id": [named_worker.pk, roles[Role.SOCIAL_WORKER].pk],
            "team_id": [team.pk],
            "service_id": [service.pk],
        },
        sealed_contacts=[sealed_public, sealed_api],
        bait=bait,
    )
    network.tokens = [
        sealed.given_name,
        sealed.family_name,
        sealed.full_name,
        str(sealed.la_child_id),
        sealed.nhs_number,
        format_nhs_number(sealed.nhs_number),
        sealed.upn,
        govuk_date(SEALED_DOB),
        SEALED_DOB.isoformat(),
        govuk_date(sealed_referred),
        sealed_referred.isoformat(),
        str(sealed.pk),
    ]
    return network


@pytest.fixture(scope="module")
def network(django_db_setup: None, django_db_blocker: Any) -> Iterator[Network]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def pdf_sources(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML each PDF is printed from. Neither pypdf nor poppler's pdftotext is installed
    here, and WeasyPrint writes text as subset-font glyph codes, so the printed HTML is
    searched instead, with the PDF's own bytes (its metadata is plain text)."""
    from safeguard.casework import documents

    captured: list[str] = []
    original = documents.render_to_string

    def capture(template: str, context: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> str:
        html = original(template, context, *args, **kwargs)
        captured.append(html)
        return html

    monkeypatch.setattr(documents, "render_to_string", capture)
    return captured


def leaked(network: Network, text: str) -> list[str]:
    folded = text.casefold()
    return [token for token in network.tokens if token and token.casefold() in folded]


def _body(response: HttpResponse | StreamingHttpResponse, pdf_sources: list[str]) -> str:
    if isinstance(response, StreamingHttpResponse):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    text = raw.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/pdf"):
        text = raw.decode("latin-1") + "".join(pdf_sources)
    pdf_sources.clear()
    return text + response.get("Location", "")


def _url_patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = ":".join(p for p in (namespace, entry.namespace or "") if p)
            yield from _url_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


_FIXED = {"key": ASSESSMENT_SECTIONS[0][0], "uidb64": "MQ", "token": "set-password"}
_SLUGS = {
    "frontdoor:report:step": "who",
    "people:add_child:step": "name",
    "frontdoor:partner_referral:step": "child-professional",
}


def _paths(network: Network, name: str, pattern: URLPattern, rule: UrlRule) -> list[str]:
    """The URL once for each key of the networks that fits it (once in all for a POST-only
    URL, which answers a GET with an empty 405 whatever the key)."""
    converters = pattern.pattern.converters
    uuid_keys = [k for k, c in converters.items() if "UUID" in type(c).__name__]
    fixed = {k: _SLUGS.get(name, "name") if k == "slug" else _FIXED.get(k, "x") for k in converters}
    if not uuid_keys:
        return [reverse(name, kwargs={k: fixed[k] for k in converters} or None)]
    (key,) = uuid_keys
    values = network.keys[key][:1] if isinstance(rule, PostOnly) else network.keys[key]
    return [reverse(name, kwargs={**fixed, key: value}) for value in values]


def _export_params(fmt: str) -> dict[str, object]:
    today = timezone.localdate()
    start = today - dt.timedelta(days=365)
    return {
        "start-day": start.day,
        "start-month": start.month,
        "start-year": start.year,
        "end-day": today.day,
        "end-month": today.month,
        "end-year": today.year,
        "format": fmt,
    }


@dataclass
class Search:
    """Every answer searched, and those that named the sealed child."""

    network: Network
    pdf_sources: list[str]
    leaks: list[str] = field(default_factory=list)
    answers: int = 0
    naming_the_sibling: int = 0
    pdfs: int = 0

    def check(self, who: str, label: str, response: Any, masked: str = "") -> None:
        self.answers += 1
        if response.get("Content-Type", "").startswith("application/pdf"):
            assert self.pdf_sources, "a PDF was answered but its printed HTML was not captured"
            self.pdfs += 1
        body = _body(response, self.pdf_sources)
        if masked:  # what the user typed is shown back to them, and is not a leak
            body = body.replace(masked, "[searched]")
        if self.network.sibling.full_name in body:
            self.naming_the_sibling += 1
        found = leaked(self.network, body)
        if found:
            self.leaks.append(f"{who}: {label} [{response.status_code}] shows {found}")


def test_no_page_names_a_sealed_child_to_anyone_not_named_on_the_seal(
    network: Network, pdf_sources: list[str]
) -> None:
    search = Search(network, pdf_sources)
    rules = url_rules()
    patterns = list(_url_patterns(get_resolver()))
    for role, user in network.roles.items():
        client = Client()
        client.force_login(user)
        for name, pattern in patterns:
            for path in _paths(network, name, pattern, rules[name]):
                search.check(role.value, f"GET {path} ({name})", client.get(path))
        for query in (network.sealed.family_name, network.sealed.given_name, str(network.sealed.la_child_id)):
            found = client.post(reverse("people:child_list"), {"q": query}, follow=True)
            search.check(role.value, f"POST child search {query!r}", found, masked=query)
        if role in AUDIT_EXPORT_ROLES:
            for fmt in ("csv", "json"):
                response = client.get(reverse("records:audit_export"), _export_params(fmt))
                assert response.status_code == 200
                search.check(role.value, f"audit export {fmt}", response)
    api = Client()
    for contact in network.sealed_contacts:
        path = f"/api/v1/contacts/{contact.reference}"
        search.check(
            "partner agency", f"GET {path}", api.get(path, headers={"X-API-Key": network.agency_key})
        )

    # The walk really drew the sibling's pages, where a leak would be.
    assert search.naming_the_sibling > 50
    assert search.answers > 1000 and search.pdfs > 0
    assert not search.leaks, f"{len(search.leaks)} answers name the sealed child:\n" + "\n".join(
        sorted(search.leaks)
    )


def test_people_named_on_the_seal_and_break_glass_still_see_the_child(network: Network) -> None:
    sibling_page = reverse("people:child_detail", args=[network.sibling.pk])
    for user in (network.named_worker, network.glass_user):
        client = Client()
        client.force_login(user)
        own = client.get(reverse("people:child_detail", args=[network.sealed.pk]))
        assert own.status_code == 200
        # The canary's own detector finds the child where it is meant to be seen.
        assert set(leaked(network, own.content.decode())) >= {
            network.sealed.full_name,
            str(network.sealed.la_child_id),
            govuk_date(SEALED_DOB),
        }
        html = client.get(sibling_page).content.decode()
        assert network.sealed.full_name in html
        assert reverse("people:child_detail", args=[network.sealed.pk]) in html
    # The allocated worker named on the seal keeps the child on their home page.
    worker = Client()
    worker.force_login(network.named_worker)
    assert network.sealed.full_name in worker.get(reverse("home:home")).content.decode()

    front_door = Client()
    front_door.force_login(network.named_front_door)
    matching = front_door.get(reverse("frontdoor:contact_detail", args=[network.bait.pk])).content.decode()
    assert network.sealed.full_name in matching and str(network.sealed.pk) in matching
    for contact in network.sealed_contacts:
        html = front_door.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
        assert network.sealed.full_name in html and str(network.sealed.la_child_id) in html
        assert govuk_date(network.sealed.episodes.get().referral_date) in html  # the re-referral alert

    sar = SubjectAccessRequest.objects.get(person=network.sibling)
    export = worker.get(reverse("records:subject_access_detail", args=[sar.pk])).content.decode()
    # Even for someone named on the seal: the export goes to the family.
    assert network.parent.full_name in export and network.sealed.full_name not in export
    assert json.dumps(leaked(network, export)) == "[]"
