"""Fictional contacts at the front door: the concerns that led to each referral, the ones
that did not (3 to 5 contacts per referral, as in England's published figures), and a
live queue of undecided contacts for the front door demo accounts.

Sources follow the national shape (codes.md: police about 28% and schools about 21% of
referrals). Every name, address and word is fictional. Draws come from the generator's
own seeded streams, so the same seed gives the same contacts.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo
from dataclasses import dataclass, field

from django.db import models

from safeguard.accounts.models import User
from safeguard.casework.models import CINEpisode
from safeguard.core.calendar import add_working_days
from safeguard.demo.casework import EpisodeSketch
from safeguard.demo.households import Child
from safeguard.frontdoor.models import (
    Contact,
    ContactStatus,
    Decision,
    PartnerAgency,
    Referrer,
    ReporterType,
)
from safeguard.frontdoor.services import REFERENCE_ALPHABET, REFERENCE_LENGTH
from safeguard.people.models import Address

LONDON = zoneinfo.ZoneInfo("Europe/London")

# (ReferralSource, reporter type, agency wording, weight)
SOURCES: tuple[tuple[str, str, str, float], ...] = (
    ("6", ReporterType.AGENCY, "Harrowmere Police", 28),
    ("2A", ReporterType.PROFESSIONAL, "Harrowmere Primary School", 21),
    ("3A", ReporterType.PROFESSIONAL, "Larch Grove Surgery", 5),
    ("3B", ReporterType.PROFESSIONAL, "Harrowmere Health Visiting", 4),
    ("3E", ReporterType.PROFESSIONAL, "Harrowmere General Hospital", 5),
    ("4", ReporterType.PROFESSIONAL, "Harrowmere Homes", 3),
    ("5D", ReporterType.PROFESSIONAL, "Harrowmere Early Help", 5),
    ("1A", ReporterType.FAMILY, "", 9),
    ("1D", ReporterType.PUBLIC, "", 4),
    ("9", ReporterType.PUBLIC, "", 6),
    ("1C", ReporterType.SELF, "", 2),
    ("8", ReporterType.PROFESSIONAL, "Harrowmere Young Carers", 3),
)

CONCERNS = (
    "The children were left alone in the flat overnight; a neighbour heard crying.",
    "Police attended a domestic incident at the home; the children were present.",
    "The child came to school hungry and in the same clothes for a week.",
    "The child has an unexplained bruise on the upper arm and gave two accounts of it.",
    "A parent arrived at the school gate appearing intoxicated.",
    "The young person has been missing overnight twice this month.",
    "Mother disclosed low mood and not coping with the baby at a health visit.",
    "The young person disclosed self-harm to the school nurse.",
    "Concerns about an older adult giving the young person gifts and lifts.",
    "Repeated non-attendance at medical appointments for a long-term condition.",
)

NON_REFERRAL_DECISIONS = (
    (Decision.NFA, "No role for children's social care; the school will keep an eye on things."),
    (Decision.ADVICE, "Advice given to the referrer about support available locally."),
    (Decision.EARLY_HELP, "Family agreed to support from the early help team."),
)

# Decisions taking effect after their 1-working-day due date (WT2023 ch.3), and why.
DECISION_LATE_SHARE = 0.05
LATE_DECISION_REASONS = (
    "Waiting for the police to share their records on the household.",
    "The school was closed; checks with the designated safeguarding lead the next day.",
    "Could not reach the referrer to clarify the concern.",
    "Health records needed from the GP practice before deciding.",
)
LATE_AUTHORISATION_REASONS = (
    "Authorised at the next morning's MASH meeting.",
    "Manager covering two teams; authorised on return to the office.",
)


@dataclass
class ContactContext:
    rng: random.Random
    ids: random.Random
    today: dt.date
    practitioner: User
    manager: User
    # The partner agencies whose staff sign in, by the referral source of their contacts.
    agencies: dict[str, PartnerAgency] = field(default_factory=dict)
    # Sources of the first undecided contacts (see open_contacts).
    queue_sources: list[str] = field(default_factory=list)
    # Current addresses of the household being built, by person id.
    addresses: dict[uuid.UUID, Address] = field(default_factory=dict)
    # References already given: half a million random 8-character references collide
    # about one time in ten (the birthday problem), and the column is unique.
    used_references: set[str] = field(default_factory=set)


def _reference(ctx: ContactContext) -> str:
    while True:
        reference = "".join(ctx.rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if reference not in ctx.used_references:
            ctx.used_references.add(reference)
            return reference


def _source(ctx: ContactContext) -> tuple[str, str, str]:
    if ctx.queue_sources:
        # The live queue's first contacts come from each partner agency whose staff sign in.
        wanted = ctx.queue_sources.pop(0)
        code, reporter, agency, _weight = next(s for s in SOURCES if s[0] == wanted)
        return code, reporter, agency
    return _source_drawn(ctx.rng)


def _referrer(ctx: ContactContext, contact: Contact, reporter: str, agency: str) -> Referrer:
    rng = ctx.rng
    if reporter in (ReporterType.PROFESSIONAL, ReporterType.AGENCY):
        first = rng.choice(["Sam", "Priya", "Tom", "Grace", "Imran", "Leah"])
        name = f"{first} {rng.choice(['Ward', 'Shah', 'Price', 'Owusu', 'Kowalski'])}"
        domain = agency.lower().replace(" ", "-") + ".example"
        return Referrer(
            id=uuid.UUID(int=ctx.ids.getrandbits(128)),
            contact=contact,
            name=name,
            organisation=agency,
            role="Designated safeguarding lead" if "School" in agency else "Safeguarding lead",
            email=f"{first.lower()}@{domain}",
            phone="0300 555 0100",
        )
    anonymous = contact.referral_source == "9"
    return Referrer(
        id=uuid.UUID(int=ctx.ids.getrandbits(128)),
        contact=contact,
        anonymous=anonymous,
        name="" if anonymous else rng.choice(["A neighbour", "Aunt", "Grandmother", "Family friend"]),
        relationship="" if anonymous else rng.choice(["Neighbour", "Aunt", "Grandparent", "Friend"]),
    )


def _source_drawn(rng: random.Random) -> tuple[str, str, str]:
    code, reporter, agency, _weight = rng.choices(SOURCES, weights=[s[3] for s in SOURCES])[0]
    return code, reporter, agency


def _contact(
    ctx: ContactContext,
    child: Child,
    received_on: dt.date,
    *,
    typo: bool = False,
    hour: int | None = None,
    queue: bool = False,
) -> tuple[Contact, str, str]:
    rng = ctx.rng
    person = child.person
    code, reporter, agency = _source(ctx) if queue else _source_drawn(rng)
    hour = rng.randint(8, 19) if hour is None else hour
    received_at = dt.datetime.combine(received_on, dt.time(hour, rng.randint(0, 59)), LONDON)
    family = person.family_name
    if typo and len(family) > 3:
        i = rng.randrange(1, len(family) - 1)
        family = family[:i] + family[i + 1] + family[i] + family[i + 2 :]  # two letters swapped
    address = ctx.addresses.get(person.pk)
    danger = "yes" if rng.random() < 0.08 else rng.choice(["no", "unknown"])
    contact = Contact(
        id=uuid.UUID(int=ctx.ids.getrandbits(128)),
        reference=_reference(ctx),
        received_at=received_at,
        received_on=received_on,
        decision_due=add_working_days(received_on, 1),
        channel="api" if reporter == ReporterType.AGENCY else "online",
        reporter_type=reporter,
        referral_source=code,
        danger=danger,
        immediate_danger=danger == "yes",
        concern=rng.choice(CONCERNS),
        child_given_name=person.given_name,
        child_family_name=family,
        child_date_of_birth=child.date_of_birth,
        child_expected_date_of_birth=None if child.date_of_birth else child.expected_date_of_birth,
        child_postcode=address.postcode if address else "",
        child_address=address.line_1 if address else "",
        agency=ctx.agencies.get(code),
    )
    if reporter in (ReporterType.PROFESSIONAL, ReporterType.AGENCY):
        contact.consent = rng.choice(["yes", "yes", "not_sought"])
        contact.consent_reason = (
            "" if contact.consent == "yes" else "Asking would increase the risk to the child."
        )
        contact.threshold_level = rng.choice(
            ["Level 3: targeted (children in need)", "Level 4: specialist or statutory"]
        )
    return contact, reporter, agency


def _decide(ctx: ContactContext, contact: Contact, decision: str, reason: str, child: Child) -> None:
    """Decided within hours, a few after the due date; a manager authorises NFA decisions
    (frontdoor.config's default), some of them the next day. Late ones give the reason
    contact_decide and contact_authorise ask for: the practitioner's, else the manager's."""
    rng = ctx.rng
    decided_at = contact.received_at + dt.timedelta(hours=rng.randint(1, 20))
    if rng.random() < DECISION_LATE_SHARE:
        late_day = add_working_days(contact.decision_due, rng.randint(1, 3))
        if late_day < ctx.today:
            decided_at = dt.datetime.combine(
                late_day, dt.time(rng.randint(9, 16), rng.randint(0, 59)), LONDON
            )
    by_manager = decision == Decision.NFA
    authorised_at = decided_at
    if by_manager:
        wait = rng.randint(15, 240) if rng.random() < 0.85 else rng.randint(16 * 60, 24 * 60)
        authorised_at = decided_at + dt.timedelta(minutes=wait)
        if authorised_at.astimezone(LONDON).date() > ctx.today:
            authorised_at = decided_at + dt.timedelta(minutes=15)
    late_reason = ""
    if decided_at.astimezone(LONDON).date() > contact.decision_due:
        late_reason = rng.choice(LATE_DECISION_REASONS)
    elif authorised_at.astimezone(LONDON).date() > contact.decision_due:
        late_reason = f"Manager: {rng.choice(LATE_AUTHORISATION_REASONS)}"
    contact.status = ContactStatus.DECIDED
    contact.decision = decision
    contact.decision_reason = reason
    contact.decided_by = ctx.practitioner
    contact.decided_at = decided_at
    contact.authorised_by = ctx.manager if by_manager else ctx.practitioner
    contact.authorised_at = authorised_at
    contact.decision_late_reason = late_reason
    contact.child = child.person


def episode_contacts(
    ctx: ContactContext, child: Child, sketch: EpisodeSketch, episode: CINEpisode
) -> list[models.Model]:
    """The contact that became this referral, and 2 to 4 earlier ones that did not."""
    rows: list[models.Model] = []
    contact, reporter, agency = _contact(ctx, child, sketch.referral)
    contact.referral_source = sketch.source  # the episode's census source is the truth
    contact.agency = ctx.agencies.get(sketch.source)
    _decide(ctx, contact, Decision.REFERRAL, "Needs a child and family assessment.", child)
    contact.episode = episode
    rows += [contact, _referrer(ctx, contact, reporter, agency)]
    for _ in range(ctx.rng.randint(2, 4)):
        day = sketch.referral - dt.timedelta(days=ctx.rng.randint(10, 700))
        born = child.date_of_birth or child.expected_date_of_birth
        if born is None or day < born - dt.timedelta(days=200):
            continue
        earlier, reporter, agency = _contact(ctx, child, day)
        decision, reason = ctx.rng.choice(NON_REFERRAL_DECISIONS)
        _decide(ctx, earlier, decision, reason, child)
        rows += [earlier, _referrer(ctx, earlier, reporter, agency)]
    return rows


def open_contacts(ctx: ContactContext, child: Child, *, repeat: bool) -> list[models.Model]:
    """Undecided contacts received today or yesterday, not yet matched to a record."""
    rows: list[models.Model] = []
    days = [ctx.today, ctx.today - dt.timedelta(days=1)] if repeat else [ctx.today]
    for day in days:
        # Online reports overnight: received before any run of the generator today.
        contact, reporter, agency = _contact(ctx, child, day, typo=ctx.rng.random() < 0.4, hour=0, queue=True)
        rows += [contact, _referrer(ctx, contact, reporter, agency)]
    return rows
