"""Build a realistic, entirely fictional council for the demo and for benchmarks.

``generate(options)`` fills an empty database with the council's services, teams and
staff (one demo account per role and a second where access differs, password
``DEMO_PASSWORD``, each with work waiting), N children in households with the adults
around them, and Y years of casework ending today, shaped like England's published
figures (/work/shared/domain/kpis.md). N defaults to the number that makes the rates per
10,000 children look like England's for COUNCIL_CHILD_POPULATION (shapes.py, "Size").
The same options give the same data: every draw comes from ``random.Random`` streams
seeded from ``options.seed``, including the UUID keys.

Speed: rows are built in memory a chunk of children at a time and inserted with
``executemany`` (``insert_rows``: no per-row ``save()``, no per-row query), inside one
transaction.

Audit: this is a bulk import by the system, not a user action, so it writes no
``AuditEvent`` rows and leaves ``created_by``/``modified_by`` null, which the models
reserve for records made by the system. The generator's run is its own record.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connections, models, router, transaction
from django.utils import timezone

from safeguard.accounts.demo import DEMO_ACCOUNTS
from safeguard.accounts.models import Role, Service, Team, TeamKind, User
from safeguard.casework.involvements import involvements_backfill
from safeguard.casework.models import (
    Assessment,
    AssessmentSection,
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    CINPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.core.calendar import add_calendar_months, working_days_between
from safeguard.demo import names, shapes
from safeguard.demo.casework import EpisodeSketch, child_episodes, episode_rows
from safeguard.demo.casework_extras import add_casework_extras
from safeguard.demo.conferences import add_conferences
from safeguard.demo.contacts import ContactContext, episode_contacts, open_contacts
from safeguard.demo.households import Child, Household, PeopleContext, build_household
from safeguard.demo.need import add_need_lookups
from safeguard.demo.organisation import DEMO_LOGINS, Organisation
from safeguard.demo.workforce import add_workforce
from safeguard.frontdoor.models import Contact, PartnerAgency, PartnerMembership, Referrer
from safeguard.people.models import (
    Address,
    Person,
    PersonDisability,
    PersonName,
    ProfessionalInvolvement,
    Relationship,
)
from safeguard.performance.targets import local_targets_seed

# Public by design: printed by demo_logins, and demo accounts sign in only in demo mode.
DEMO_PASSWORD = "safeguard-demo-2026"  # noqa: S105
DEFAULT_YEARS = 5
DEFAULT_SEED = 2026
DEFAULT_CHUNK_SIZE = 5000
BATCH_SIZE = 2000
# Assessments waiting for the demo team manager's sign-off (organisation.DEMO_CASELOADS).
DEMO_SUBMITTED_ASSESSMENTS = 3

# Insertion order: every table after the tables its foreign keys point at.
TABLES: tuple[type[models.Model], ...] = (
    Service,
    Team,
    User,
    PartnerAgency,
    PartnerMembership,
    Person,
    PersonName,
    PersonDisability,
    Address,
    Relationship,
    ProfessionalInvolvement,
    CINEpisode,
    Assessment,
    AssessmentSection,
    StrategyDiscussion,
    Section47Enquiry,
    CINPlan,
    ChildProtectionPlan,
    ChildProtectionReview,
    Contact,
    Referrer,
)


def default_children() -> int:
    """Children known to the service for a council of COUNCIL_CHILD_POPULATION children:
    10,000 for the default 80,000, so that the rates per 10,000 look like England's."""
    return shapes.children_known_for(settings.COUNCIL_CHILD_POPULATION)


@dataclass(frozen=True)
class SeedOptions:
    children: int = field(default_factory=default_children)
    years: int = DEFAULT_YEARS
    seed: int = DEFAULT_SEED
    today: dt.date = field(default_factory=timezone.localdate)
    # Part of the recipe: a different chunk size changes which historic worker closed
    # cases are credited to (they are drawn after each chunk's open cases are allocated).
    chunk_size: int = DEFAULT_CHUNK_SIZE


@dataclass
class SeedSummary:
    options: SeedOptions
    rows: dict[str, int]
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "children": self.options.children,
            "years": self.options.years,
            "seed": self.options.seed,
            "today": self.options.today.isoformat(),
            "total_rows": self.total_rows,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "tables": dict(self.rows),
        }


def table_name(model: type[models.Model]) -> str:
    return model._meta.label


class RowBuffer:
    """Rows of one chunk, grouped by table, inserted in ``TABLES`` order."""

    def __init__(self) -> None:
        self._rows: dict[type[models.Model], list[models.Model]] = {m: [] for m in TABLES}

    def extend(self, rows: Iterable[models.Model]) -> None:
        for row in rows:
            self._rows[type(row)].append(row)

    def flush(self, counts: Counter[str]) -> None:
        for model in TABLES:
            rows = self._rows[model]
            if rows:
                insert_rows(model, rows)
                counts[table_name(model)] += len(rows)
            self._rows[model] = []


def insert_rows(model: type[models.Model], rows: list[models.Model]) -> None:
    """Insert new rows of one table, as ``bulk_create`` would, with less work per value.

    ``bulk_create`` spends much of the generator's time building one long SQL statement
    per batch (the whole generator takes about a fifth less CPU without it). The values
    are the same here (each field's own ``pre_save`` and ``get_db_prep_save``, so
    defaults, timestamps, UUIDs and JSON come out as Django writes them) but go to
    ``executemany`` with one short statement. The rows are new and have their keys
    already (seeded UUIDs), and no signals are wanted: bulk_create sends none either.
    """
    connection = connections[router.db_for_write(model)]
    fields = list(model._meta.local_concrete_fields)
    quote = connection.ops.quote_name
    # Only the model's own table and column names, quoted, go into the text; every value
    # is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [[f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE):
            cursor.executemany(sql, params[start : start + BATCH_SIZE])
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias


@dataclass
class _Allocation:
    """An episode waiting for its team and worker until the chunk's hiring is done."""

    episode: CINEpisode
    sketch: EpisodeSketch
    assessment: Assessment | None


class _Generator:
    def __init__(self, options: SeedOptions, progress: Callable[[str], None] | None) -> None:
        self.options = options
        self.progress = progress or (lambda message: None)
        seed = options.seed
        # Separate streams, so that (for example) a change to how people are drawn does
        # not reshuffle every episode after it.
        self.people_rng = random.Random(f"{seed}:people")
        self.casework_rng = random.Random(f"{seed}:casework")
        self.staff_rng = random.Random(f"{seed}:staff")
        self.ids = random.Random(f"{seed}:ids")
        self.today = options.today
        self.window_start = add_calendar_months(options.today, -12 * options.years)
        council = str(settings.COUNCIL_NAME)
        short_name = getattr(settings, "COUNCIL_SHORT_NAME", "") or council.split()[0]
        # Hashing is deliberately slow; one hash serves all twelve demo accounts.
        self.org = Organisation(
            rng=self.staff_rng,
            ids=self.ids,
            short_name=short_name,
            today=options.today,
            demo_password_hash=make_password(DEMO_PASSWORD),
        )
        self.people = PeopleContext(
            rng=self.people_rng, ids=self.ids, today=options.today, la_code=settings.COUNCIL_LA_CODE
        )
        self.counts: Counter[str] = Counter({table_name(m): 0 for m in TABLES})
        # Contacts draw from their own streams, so adding them left the rest unchanged.
        self.contacts: ContactContext | None = None
        self.contacts_rng = random.Random(f"{seed}:contacts")
        self.contact_ids = random.Random(f"{seed}:contact-ids")
        self.open_contacts_wanted = max(8, min(40, options.children // 50))
        # Assessments sent for sign-off that go to the demo case holders first.
        self.demo_submitted_wanted = DEMO_SUBMITTED_ASSESSMENTS

    def run(self) -> None:
        self.org.build(self.options.children)
        self.contacts = ContactContext(
            rng=self.contacts_rng,
            ids=self.contact_ids,
            today=self.today,
            practitioner=self.org.demo_users[Role.FRONT_DOOR_PRACTITIONER.value],
            manager=self.org.demo_users[Role.FRONT_DOOR_MANAGER.value],
            agencies=self.org.agencies_by_source,
            queue_sources=[code for code in ("6", "3B", "3A") if code in self.org.agencies_by_source],
        )
        made = 0
        started = time.perf_counter()
        while made < self.options.children:
            size = min(self.options.chunk_size, self.options.children - made)
            self._chunk(size)
            made += size
            elapsed = time.perf_counter() - started
            self.progress(f"{made:,} of {self.options.children:,} children ({elapsed:.1f} s)")
        assign_postcode_districts()

    def _chunk(self, size: int) -> None:
        buffer = RowBuffer()
        waiting: list[_Allocation] = []
        children = 0
        while children < size:
            count = min(int(shapes.CHILDREN_PER_HOUSEHOLD.draw(self.people_rng)), size - children)
            household = build_household(self.people, count)
            buffer.extend(household.rows)
            buffer.extend(self._casework(household, waiting))
            children += count
        self._allocate(waiting)
        buffer.extend(self.org.take_pending())
        buffer.flush(self.counts)

    def _casework(self, household: Household, waiting: list[_Allocation]) -> list[models.Model]:
        rows: list[models.Model] = []
        on_plans: list[Child] = []
        contacts = self.contacts
        assert contacts is not None
        contacts.addresses = {
            row.person_id: row for row in household.rows if isinstance(row, Address) and row.end_date is None
        }
        for child in household.children:
            sketches = child_episodes(self.casework_rng, child, self.window_start, self.today)
            for sketch in sketches:
                episode, activity = episode_rows(self.ids, child, sketch, self.today)
                rows.append(episode)
                rows += activity
                rows += episode_contacts(contacts, child, sketch, episode)
                assessment = next((r for r in activity if isinstance(r, Assessment)), None)
                waiting.append(_Allocation(episode, sketch, assessment))
            if self.open_contacts_wanted > 0 and child.date_of_birth and contacts.rng.random() < 0.2:
                self.open_contacts_wanted -= 1
                rows += open_contacts(contacts, child, repeat=contacts.rng.random() < 0.25)
            if any(s.plan is not None for s in sketches):
                on_plans.append(child)
        if (
            on_plans
            and household.adults
            and (self.casework_rng.random() < shapes.ALLEGED_PERPETRATOR_SHARE_OF_CP_HOUSEHOLDS)
        ):
            self._mark_alleged_perpetrator(household, on_plans)
        return rows

    def _mark_alleged_perpetrator(self, household: Household, on_plans: list[Child]) -> None:
        # Usually a father or partner; sometimes the mother.
        men = [a for a in household.adults if a.male]
        pool = men if men and self.casework_rng.random() < 0.75 else household.adults
        adult = self.casework_rng.choice(pool)
        for child in on_plans:
            for relationship in child.relationships:
                if relationship.other_id == adult.person.id:
                    relationship.is_alleged_perpetrator = True

    def _allocate(self, waiting: list[_Allocation]) -> None:
        """Open cases first (they decide who is hired), then who held the closed ones.

        The first few assessments waiting for sign-off go first, to the demo case holders
        (who take cases before anyone else), so that the demo team manager has some to
        authorise whatever the size of the council.
        """
        open_items = [item for item in waiting if item.sketch.is_open]
        submitted = [item for item in open_items if item.sketch.submitted is not None]
        first = submitted[: self.demo_submitted_wanted]
        self.demo_submitted_wanted -= len(first)
        chosen = {id(item) for item in first}
        for item in first + [item for item in open_items if id(item) not in chosen]:
            self._allocate_open(item)
        for item in waiting:
            if not item.sketch.is_open:
                self._allocate_closed(item)

    def _allocate_open(self, item: _Allocation) -> None:
        sketch, episode = item.sketch, item.episode
        kind = sketch.team_kind()
        rng = self.staff_rng
        if kind == TeamKind.FRONT_DOOR:
            episode.team = self.org.waiting_team(kind)  # with the front door, not allocated
            return
        waiting_for_worker = False
        recent = shapes.UNALLOCATED_RECENT_WORKING_DAYS
        if working_days_between(sketch.referral, self.today) <= recent:
            # An assessment sent for sign-off was written by someone: never unallocated.
            waiting_for_worker = (
                rng.random() < shapes.UNALLOCATED_SHARE_OF_RECENT and sketch.submitted is None
            )
        elif sketch.plan is not None and (self.today - sketch.plan.start).days <= 10:
            waiting_for_worker = rng.random() < shapes.UNALLOCATED_SHARE_OF_NEW_PLANS
        if waiting_for_worker:
            episode.team = self.org.waiting_team(kind)
            return
        worker = self.org.allocate(kind)
        episode.worker = worker
        episode.team = worker.team
        if item.assessment is not None and sketch.submitted is not None:
            item.assessment.submitted_by = worker

    def _allocate_closed(self, item: _Allocation) -> None:
        kind = item.sketch.team_kind()
        if kind == TeamKind.FRONT_DOOR:
            worker = self.org.front_door_worker()  # who decided: no further action
        else:
            worker = self.org.historic_worker(kind)
        item.episode.worker = worker
        item.episode.team = worker.team


def generate(options: SeedOptions, progress: Callable[[str], None] | None = None) -> SeedSummary:
    """Fill an empty database with the fictional council. See the module docstring."""
    started = time.perf_counter()
    generator = _Generator(options, progress)
    with transaction.atomic():
        generator.run()
        # Visits, notes, chronology, settled enquiries and the statutory clocks, from the rows above.
        generator.counts.update(add_casework_extras(seed=options.seed, today=options.today))
        generator.counts.update(add_need_lookups(seed=options.seed))  # wards and populations for need
        generator.counts.update({"performance.LocalTarget": local_targets_seed()})  # after a flush too
        generator.counts.update(add_conferences(seed=options.seed, today=options.today))
        generator.counts.update(add_workforce(seed=options.seed, today=options.today))
        # Last, after every app's rows: who works with each child, read by the access rule.
        generator.counts["people.Involvement"] = involvements_backfill(on=options.today)
    return SeedSummary(options, dict(generator.counts), time.perf_counter() - started)


def demo_users() -> list[User]:
    """The demo accounts in the order of ``Role``, each role's second account after its first."""
    order = {role.value: i for i, role in enumerate(Role)}
    second = {key.replace("_", ".") for key, role in DEMO_LOGINS if key != role.value}
    users = list(User.objects.filter(DEMO_ACCOUNTS).select_related("team"))
    return sorted(
        users,
        key=lambda user: (
            order.get(user.role, len(order)),
            user.email.split("@")[0] in second,
            user.email,
        ),
    )


__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "DEMO_PASSWORD",
    "SeedOptions",
    "SeedSummary",
    "default_children",
    "demo_users",
    "generate",
]


def assign_postcode_districts() -> None:
    """Share the borough's towns among the assessment teams, so the front door's decision
    offers the team covering a child's postcode district (a town's districts stay together)."""
    teams = list(Team.objects.filter(kind=TeamKind.ASSESSMENT).order_by("name"))
    if not teams:
        return
    shares: dict[int, list[str]] = {i: [] for i in range(len(teams))}
    for k, (_town, districts) in enumerate(names.TOWNS):
        shares[k % len(teams)].extend(f"{names.POSTCODE_AREA}{d}" for d in districts)
    for i, team in enumerate(teams):
        team.postcode_districts = " ".join(shares[i])
    Team.objects.bulk_update(teams, ["postcode_districts"])
