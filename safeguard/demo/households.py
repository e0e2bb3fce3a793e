"""Fictional households: children, the adults around them, addresses and professionals.

A household is 1-4 children, mostly sharing a surname, with one or two adults (mother,
father, step-parent or partner, sometimes a grandparent carer) and sometimes a father who
lives elsewhere. Everyone in the home shares an address. Identifiers come from the
generators in ``safeguard.people.validators`` so they are valid and fictional (NHS numbers
in the 999 test range); uniqueness across the whole run is kept with sets.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import models

from safeguard.core.calendar import add_calendar_months
from safeguard.demo import names, shapes
from safeguard.demo.organisation import new_uuid
from safeguard.people.models import (
    Address,
    NameKind,
    Person,
    PersonDisability,
    PersonName,
    ProfessionalInvolvement,
    ProfessionalRole,
    Relationship,
    RelationshipKind,
)
from safeguard.people.validators import generate_la_child_id, generate_nhs_number, generate_upn


@dataclass(frozen=True, slots=True)
class Street:
    name: str
    town: str
    outward: str  # e.g. "HM7"
    sector: int


@dataclass(frozen=True, slots=True)
class Professional:
    name: str
    organisation: str
    email: str
    phone: str


def _street_directory() -> tuple[Street, ...]:
    """The borough's streets: fixed (not seeded), so addresses look the same in every run
    and one street always has the same town and postcode district."""
    streets = []
    for i, stem in enumerate(names.STREET_STEMS):
        for j in range(2):
            suffix = names.STREET_SUFFIXES[(i * 3 + j * 5) % len(names.STREET_SUFFIXES)]
            k = i * 2 + j
            town, districts = names.TOWNS[k % len(names.TOWNS)]
            district = districts[(k // len(names.TOWNS)) % len(districts)]
            outward = f"{names.POSTCODE_AREA}{district}"
            streets.append(Street(f"{stem} {suffix}", town, outward, (k * 7) % 10))
    return tuple(streets)


STREETS = _street_directory()


def _slug(text: str) -> str:
    return "-".join("".join(c for c in word.lower() if c.isalnum()) for word in text.split())


@dataclass
class PeopleContext:
    """State shared by every household of a run: today, identifiers already used, and
    the borough's schools, surgeries and professionals (drawn once per run)."""

    rng: random.Random
    ids: random.Random
    today: dt.date
    la_code: str
    la_child_ids: set[str] = field(default_factory=set)
    nhs_numbers: set[str] = field(default_factory=set)
    upns: set[str] = field(default_factory=set)
    primary_dsls: list[Professional] = field(default_factory=list)
    secondary_dsls: list[Professional] = field(default_factory=list)
    gps: list[list[Professional]] = field(default_factory=list)
    health_visitors: list[Professional] = field(default_factory=list)
    midwives: list[Professional] = field(default_factory=list)

    def __post_init__(self) -> None:
        primaries = [f"{stem} Primary School" for stem in names.PRIMARY_SCHOOL_STEMS]
        primaries += list(names.FAITH_SCHOOLS)
        self.primary_dsls = [self._school_dsl(school) for school in primaries]
        self.secondary_dsls = [self._school_dsl(school) for school in names.SECONDARY_SCHOOLS]
        self.gps = [
            [
                self._professional(
                    f"Dr {self._adult_name()}",
                    practice,
                    f"{_slug(practice)}.nhs.example",
                )
                for _ in range(self.rng.randint(2, 4))
            ]
            for practice in names.GP_PRACTICES
        ]
        self.health_visitors = [
            self._professional(self._adult_name(), names.HEALTH_VISITING_SERVICE, "hv.nhs.example")
            for _ in range(12)
        ]
        self.midwives = [
            self._professional(self._adult_name(), names.MIDWIFERY_SERVICE, "maternity.nhs.example")
            for _ in range(6)
        ]

    def _adult_name(self) -> str:
        pool = self.rng.choice(names.ALL_POOLS)
        first = self.rng.choice(pool.women if self.rng.random() < 0.7 else pool.men)
        return f"{first} {self.rng.choice(pool.surnames)}"

    def _phone(self) -> str:
        return f"{names.FICTIONAL_PHONE_PREFIX}{self.rng.randrange(1000):03d}"

    def _professional(self, name: str, organisation: str, domain: str) -> Professional:
        local = ".".join(_slug(part) for part in name.removeprefix("Dr ").split()[-2:])
        return Professional(name, organisation, f"{local}@{domain}", self._phone())

    def _school_dsl(self, school: str) -> Professional:
        return Professional(
            self._adult_name(), school, f"safeguarding@{_slug(school)}.sch.example", self._phone()
        )

    def la_child_id(self) -> str:
        while True:
            value = generate_la_child_id(self.rng, prefix="HM")
            if value not in self.la_child_ids:
                self.la_child_ids.add(value)
                return value

    def nhs_number(self) -> str:
        while True:
            value = generate_nhs_number(self.rng)
            if value not in self.nhs_numbers:
                self.nhs_numbers.add(value)
                return value

    def upn(self) -> str:
        while True:
            value = generate_upn(self.rng, self.la_code)
            if value not in self.upns:
                self.upns.add(value)
                return value


@dataclass(slots=True)
class Child:
    """A child of a household with what the casework needs to know about them."""

    person: Person
    date_of_birth: dt.date | None
    expected_date_of_birth: dt.date | None
    sex: str
    disabled: bool
    relationships: list[Relationship] = field(default_factory=list)

    def age_on(self, day: dt.date) -> int:
        """Age in whole years; -1 before birth (pre-birth work)."""
        born = self.date_of_birth or self.expected_date_of_birth
        assert born is not None
        if day < born:
            return -1
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(slots=True)
class Adult:
    person: Person
    kind: str  # relationship to the household's children (most of them)
    lives_in: bool
    male: bool


@dataclass
class Household:
    children: list[Child]
    adults: list[Adult]
    rows: list[models.Model]  # every row made for the household


def _age_today(rng: random.Random) -> int:
    bands = shapes.AGE_BANDS
    total = sum(weight for *_, weight in bands)
    pick = rng.random() * total
    for low, high, weight in bands:
        if pick < weight:
            return rng.randint(low, high)
        pick -= weight
    return bands[-1][1]


def _birth_date(rng: random.Random, today: dt.date, age: int) -> dt.date:
    # A birthday somewhere in the year that makes the child ``age`` today.
    latest = add_calendar_months(today, -12 * age)
    return latest - dt.timedelta(days=rng.randint(0, 364))


def _draw_birth_dates(
    rng: random.Random,
    today: dt.date,
    count: int,
    latest: dt.date,
) -> list[dt.date]:
    """Siblings' birth dates, oldest first, none after ``latest``.

    One child's age follows the age profile (shapes.AGE_BANDS) and the others are spaced
    1-4 years from it (a few twins), so that one mother can have had them all.
    """
    if count == 0:
        return []
    anchor = _birth_date(rng, today, _age_today(rng))
    anchor_index = rng.randrange(count)
    gaps = [0 if rng.random() < 0.03 else rng.randint(365, 1500) for _ in range(count - 1)]
    dates = [anchor]
    for gap in reversed(gaps[:anchor_index]):
        dates.insert(0, dates[0] - dt.timedelta(days=gap))
    for gap in gaps[anchor_index:]:
        dates.append(dates[-1] + dt.timedelta(days=gap))
    # Keep everyone a child (0-17 today) and born by ``latest``: slide the family in time
    # rather than clip (clipping would make false twins); clip only if it cannot fit.
    oldest = add_calendar_months(today, -12 * 18) + dt.timedelta(days=1)
    room = (latest - oldest) - (dates[-1] - dates[0])  # slack for the whole family
    slack = max(0, min(room.days, 3 * 365))
    if dates[-1] > latest:
        shift = dates[-1] - latest + dt.timedelta(days=rng.randint(0, slack))
        dates = [day - shift for day in dates]
    elif dates[0] < oldest:
        shift = oldest - dates[0] + dt.timedelta(days=rng.randint(0, slack))
        dates = [day + shift for day in dates]
    return [min(max(day, oldest), latest) for day in dates]


def build_household(ctx: PeopleContext, child_count: int) -> Household:
    """One household of ``child_count`` children (the youngest perhaps unborn)."""
    rng, today = ctx.rng, ctx.today
    ethnicity = shapes.ETHNICITY.draw(rng)
    mother_pool, father_pool = names.POOLS_BY_ETHNICITY[ethnicity]
    same = (ethnicity, ethnicity)
    mother_ethnicity, father_ethnicity = names.PARENT_ETHNICITIES.get(ethnicity, same)
    unborn = rng.random() < shapes.UNBORN_HOUSEHOLD_SHARE
    # A baby on the way has no sibling born in the last 11 months.
    latest = today - dt.timedelta(days=330) if unborn else today
    births = _draw_birth_dates(rng, today, child_count - 1 if unborn else child_count, latest)
    due = today + dt.timedelta(days=rng.randint(7, shapes.UNBORN_MAX_DAYS_AHEAD))
    eldest = births[0] if births else due
    youngest = due if unborn else births[-1]

    adults = _build_adults(
        ctx, mother_pool, father_pool, mother_ethnicity, father_ethnicity, eldest, youngest
    )
    surname = _children_surname(rng, adults, father_pool)
    partner_child = (
        len(births) + unborn >= 2
        and any(a.kind == RelationshipKind.PARENTS_PARTNER for a in adults)
        and rng.random() < shapes.PARTNERS_OWN_CHILD
    )
    children: list[Child] = []
    child_dates: list[tuple[dt.date | None, dt.date | None]] = [(born, None) for born in births]
    if unborn:
        child_dates.append((None, due))
    for index, (born, expected) in enumerate(child_dates):
        is_partners = partner_child and index == len(child_dates) - 1
        family_name = surname
        if is_partners:
            partner = next(a for a in adults if a.kind == RelationshipKind.PARENTS_PARTNER)
            family_name = partner.person.family_name
        pool = rng.choice((mother_pool, father_pool))
        children.append(_build_child(ctx, pool, ethnicity, family_name, born, expected))

    rows: list[models.Model] = [a.person for a in adults]
    rows += [c.person for c in children]
    rows += _relationships(ctx, children, adults, partner_child)
    rows += _addresses(ctx, children, adults)
    rows += _other_names(ctx, children, adults)
    rows += _disabilities(ctx, children)
    rows += _professionals(ctx, children)
    return Household(children, adults, rows)


def _person(ctx: PeopleContext, **fields: object) -> Person:
    return Person(id=new_uuid(ctx.ids), **fields)


def _years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=round(years * 365.25))


def _build_adults(
    ctx: PeopleContext,
    mother_pool: names.NamePool,
    father_pool: names.NamePool,
    mother_ethnicity: str,
    father_ethnicity: str,
    eldest: dt.date,
    youngest: dt.date,
) -> list[Adult]:
    """Adults of the household. Ages fit the children: a mother 17-38 at her first child's
    birth and at most 45 at her last; fathers and partners a few years either side."""
    rng = ctx.rng
    adults: list[Adult] = []
    father_surname = rng.choice(father_pool.surnames)
    span = (youngest - eldest).days / 365.25
    mother_born = _years_before(eldest, rng.uniform(17, max(17.5, min(38, 45 - span))))
    partner_born = mother_born - dt.timedelta(days=rng.randint(-4 * 365, 10 * 365))
    # Nobody becomes a parent before 17.
    partner_born = min(partner_born, _years_before(eldest, 17))
    if rng.random() < shapes.MOTHER_PRESENT:
        surname = (
            rng.choice(mother_pool.surnames)
            if rng.random() < shapes.MOTHER_KEEPS_OWN_SURNAME
            else father_surname
        )
        mother = _person(
            ctx,
            given_name=rng.choice(mother_pool.women),
            family_name=surname,
            date_of_birth=mother_born,
            sex="F",
            ethnicity=mother_ethnicity,
        )
        adults.append(Adult(mother, RelationshipKind.MOTHER, True, False))
        second = shapes.SECOND_ADULT.draw(rng)
    elif rng.random() < shapes.FATHER_ALONE_IF_NO_MOTHER:
        second = "father"
    else:
        grandmother = _person(
            ctx,
            given_name=rng.choice(mother_pool.women),
            family_name=father_surname,
            date_of_birth=_years_before(mother_born, rng.uniform(18, 28)),
            sex="F",
            ethnicity=mother_ethnicity,
        )
        adults.append(Adult(grandmother, RelationshipKind.GRANDPARENT, True, False))
        second = "none"
    if second in ("father", "none") and (
        second == "father" or rng.random() < shapes.NON_RESIDENT_FATHER_RECORDED
    ):
        father = _person(
            ctx,
            given_name=rng.choice(father_pool.men),
            family_name=father_surname,
            date_of_birth=partner_born,
            sex="M",
            ethnicity=father_ethnicity,
        )
        adults.append(Adult(father, RelationshipKind.FATHER, second == "father", True))
    elif second == "partner":
        pool = rng.choice((mother_pool, names.BRITISH))
        partner = _person(
            ctx,
            given_name=rng.choice(pool.men),
            family_name=rng.choice(pool.surnames),
            date_of_birth=partner_born,
            sex="M",
            ethnicity=mother_ethnicity,
        )
        adults.append(Adult(partner, RelationshipKind.PARENTS_PARTNER, True, True))
    return adults


def _children_surname(rng: random.Random, adults: list[Adult], father_pool: names.NamePool) -> str:
    father = next((a for a in adults if a.kind == RelationshipKind.FATHER), None)
    mother = next((a for a in adults if a.kind == RelationshipKind.MOTHER), None)
    if father is not None and (mother is None or rng.random() < 0.75):
        return father.person.family_name
    if mother is not None:
        return mother.person.family_name
    if adults:
        return adults[0].person.family_name
    return rng.choice(father_pool.surnames)


def _build_child(
    ctx: PeopleContext,
    pool: names.NamePool,
    ethnicity: str,
    family_name: str,
    born: dt.date | None,
    expected: dt.date | None,
) -> Child:
    rng, today = ctx.rng, ctx.today
    if born is None:
        # Unborn: no name yet, sex U (CIN census from 2024-25), no NHS number or UPN.
        person = _person(
            ctx,
            la_child_id=ctx.la_child_id(),
            given_name="Unborn baby",
            family_name=family_name,
            expected_date_of_birth=expected,
            sex="U",
            ethnicity=ethnicity,
            upn_unknown_reason="UN6",
        )
        return Child(person, None, expected, "U", False)
    sex = "M" if rng.random() < 0.5 else "F"
    given = rng.choice(pool.boys if sex == "M" else pool.girls)
    disabled = rng.random() < shapes.DISABILITY_SHARE
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    upn, reason = "", "UN1"
    if age >= shapes.SCHOOL_AGE:
        if rng.random() < shapes.UPN_SHARE_OF_SCHOOL_AGE:
            upn, reason = ctx.upn(), ""
        else:
            reason = shapes.UPN_UNKNOWN_SCHOOL_AGE.draw(rng)
    person = _person(
        ctx,
        la_child_id=ctx.la_child_id(),
        given_name=given,
        family_name=family_name,
        date_of_birth=born,
        sex=sex,
        ethnicity=ethnicity,
        nhs_number=ctx.nhs_number() if rng.random() < shapes.NHS_NUMBER_SHARE else "",
        upn=upn,
        upn_unknown_reason=reason,
    )
    return Child(person, born, None, sex, disabled)


def _relationships(
    ctx: PeopleContext, children: list[Child], adults: list[Adult], partner_child: bool
) -> list[Relationship]:
    rng = ctx.rng
    rows: list[Relationship] = []
    youngest = children[-1]
    for child in children:
        for adult in adults:
            kind = adult.kind
            if kind == RelationshipKind.PARENTS_PARTNER and partner_child:
                is_theirs = child is youngest
                kind = RelationshipKind.FATHER if is_theirs else RelationshipKind.STEP_PARENT
            parent = kind in (RelationshipKind.MOTHER, RelationshipKind.FATHER)
            # Most fathers have parental responsibility (registered on the birth
            # certificate); a grandparent carer sometimes has it through an order.
            responsibility = (parent and (adult.lives_in or rng.random() < 0.8)) or (
                kind == RelationshipKind.GRANDPARENT and rng.random() < 0.5
            )
            row = Relationship(
                id=new_uuid(ctx.ids),
                child_id=child.person.id,
                other_id=adult.person.id,
                kind=kind,
                lives_with_child=adult.lives_in,
                has_parental_responsibility=responsibility,
            )
            child.relationships.append(row)
            rows.append(row)
    for child in children:
        for sibling in children:
            if sibling is child:
                continue
            half = partner_child and (child is youngest or sibling is youngest)
            kind = RelationshipKind.HALF_SIBLING if half else RelationshipKind.SIBLING
            rows.append(
                Relationship(
                    id=new_uuid(ctx.ids),
                    child_id=child.person.id,
                    other_id=sibling.person.id,
                    kind=kind,
                    lives_with_child=True,
                )
            )
    return rows


def _address_line(rng: random.Random) -> tuple[str, Street, str]:
    index = rng.randrange(len(STREETS))
    street = STREETS[index]
    number = rng.randint(1, 180)
    line = f"{number} {street.name}"
    if rng.random() < 0.12:
        line = f"Flat {rng.randint(1, 24)}, {line}"
    letters = names.INWARD_LETTERS
    # The last two letters follow the house number, so neighbours share a postcode.
    n = len(letters)
    first, second = letters[(index + number // 20) % n], letters[(index * 3 + number // 6) % n]
    inward = f"{street.sector}{first}{second}"
    return line, street, f"{street.outward} {inward}"


def _addresses(ctx: PeopleContext, children: list[Child], adults: list[Adult]) -> list[Address]:
    rng, today = ctx.rng, ctx.today
    rows: list[Address] = []
    line, street, postcode = _address_line(rng)
    moved_in = today - dt.timedelta(days=rng.randint(20, 8 * 365))
    hidden = rng.random() < shapes.HIDDEN_ADDRESS_HOUSEHOLD_SHARE
    previous = None
    if rng.random() < shapes.PREVIOUS_ADDRESS_HOUSEHOLD_SHARE:
        previous = _address_line(rng), moved_in - dt.timedelta(days=rng.randint(200, 3000))
    residents: list[tuple[Person, dt.date | None]] = [
        (a.person, a.person.date_of_birth) for a in adults if a.lives_in
    ] + [(c.person, c.date_of_birth) for c in children]
    for person, born in residents:
        start: dt.date | None = moved_in if born is None or born < moved_in else born
        if person.expected_date_of_birth is not None:
            start = None  # an unborn child's address is the mother's; no start of its own
        rows.append(
            Address(
                id=new_uuid(ctx.ids),
                person_id=person.id,
                line_1=line,
                town=street.town,
                postcode=postcode,
                start_date=start,
                must_not_be_disclosed=hidden,
            )
        )
        if previous is not None and born is not None and born < moved_in:
            (old_line, old_street, old_postcode), old_start = previous
            rows.append(
                Address(
                    id=new_uuid(ctx.ids),
                    person_id=person.id,
                    line_1=old_line,
                    town=old_street.town,
                    postcode=old_postcode,
                    start_date=max(old_start, born),
                    end_date=moved_in - dt.timedelta(days=1),
                )
            )
    for adult in adults:
        if not adult.lives_in:
            own_line, own_street, own_postcode = _address_line(rng)
            rows.append(
                Address(
                    id=new_uuid(ctx.ids),
                    person_id=adult.person.id,
                    line_1=own_line,
                    town=own_street.town,
                    postcode=own_postcode,
                    start_date=today - dt.timedelta(days=rng.randint(30, 2000)),
                )
            )
    return rows


def _other_names(
    ctx: PeopleContext,
    children: list[Child],
    adults: list[Adult],
) -> list[PersonName]:
    rng = ctx.rng
    rows: list[PersonName] = []
    for child in children:
        if child.date_of_birth is not None and rng.random() < shapes.CHILD_FORMER_NAME_SHARE:
            former = rng.choice(rng.choice(names.ALL_POOLS).surnames)
            rows.append(
                PersonName(
                    id=new_uuid(ctx.ids),
                    person_id=child.person.id,
                    kind=NameKind.FORMER,
                    given_name=child.person.given_name,
                    family_name=former,
                )
            )
    for adult in adults:
        if adult.kind == RelationshipKind.MOTHER and rng.random() < shapes.MOTHER_BIRTH_NAME_SHARE:
            maiden = rng.choice(rng.choice(names.ALL_POOLS).surnames)
            if maiden != adult.person.family_name:
                rows.append(
                    PersonName(
                        id=new_uuid(ctx.ids),
                        person_id=adult.person.id,
                        kind=NameKind.BIRTH,
                        given_name=adult.person.given_name,
                        family_name=maiden,
                    )
                )
    return rows


def _disabilities(ctx: PeopleContext, children: list[Child]) -> list[PersonDisability]:
    rows: list[PersonDisability] = []
    for child in children:
        if not child.disabled:
            continue
        codes = {shapes.DISABILITY.draw(ctx.rng)}
        if ctx.rng.random() < 0.3:
            codes.add(shapes.DISABILITY.draw(ctx.rng))
        for code in sorted(codes):
            row = PersonDisability(id=new_uuid(ctx.ids), person_id=child.person.id, code=code)
            rows.append(row)
    return rows


def _professionals(ctx: PeopleContext, children: list[Child]) -> list[ProfessionalInvolvement]:
    """GP for every born child, school DSL from school age, health visitor under five,
    midwife before birth: the professionals a front door checks with first."""
    rng, today = ctx.rng, ctx.today
    practice = rng.choice(ctx.gps)
    primary = rng.choice(ctx.primary_dsls)
    secondary = rng.choice(ctx.secondary_dsls)
    health_visitor = rng.choice(ctx.health_visitors)
    rows: list[ProfessionalInvolvement] = []

    def involve(child: Child, who: Professional, role: str, start: dt.date | None) -> None:
        rows.append(
            ProfessionalInvolvement(
                id=new_uuid(ctx.ids),
                child_id=child.person.id,
                name=who.name,
                role=role,
                organisation=who.organisation,
                email=who.email,
                phone=who.phone,
                start_date=start,
            )
        )

    for child in children:
        if child.date_of_birth is None:
            involve(child, rng.choice(ctx.midwives), ProfessionalRole.MIDWIFE, None)
            continue
        age = child.age_on(today)
        involve(child, rng.choice(practice), ProfessionalRole.GP, None)
        if age < shapes.SCHOOL_AGE:
            involve(child, health_visitor, ProfessionalRole.HEALTH_VISITOR, child.date_of_birth)
        else:
            school = primary if age <= 10 else secondary
            involve(child, school, ProfessionalRole.SCHOOL_DSL, None)
    return rows
