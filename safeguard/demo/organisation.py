"""The fictional council's services, teams and staff, and who holds which case.

Case-holding staff are hired as the cases need them: each open episode is allocated to a
worker of a team of the right kind who still has room under their own caseload; when
nobody has room, the generator hires a worker (and opens a new team when the current
ones are full). So the number of teams scales with the number of children, and the
average caseload lands where kpis.md puts it (about 15 per case-holding FTE) for any size.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from django.db import models
from django.utils import timezone

from safeguard.accounts.models import Grade, Role, Service, Team, TeamKind, User
from safeguard.demo import names
from safeguard.demo.shapes import WeightedChoice
from safeguard.frontdoor.models import AgencyType, PartnerAgency, PartnerMembership

# --- Services and teams ---------------------------------------------------------------

FRONT_DOOR_SERVICE: Final = "Front Door and Assessment"
PROTECTION_SERVICE: Final = "Child Protection and Children in Need"
QUALITY_SERVICE: Final = "Quality and Performance"
WORKFORCE_SERVICE: Final = "Workforce"
LEADERSHIP_SERVICE: Final = "Leadership"
PARTNER_SERVICE: Final = "Partner Agencies"
SERVICES: Final = (
    FRONT_DOOR_SERVICE,
    PROTECTION_SERVICE,
    QUALITY_SERVICE,
    WORKFORCE_SERVICE,
    LEADERSHIP_SERVICE,
    PARTNER_SERVICE,
)

CASE_HOLDING_KINDS: Final = (
    TeamKind.ASSESSMENT,
    TeamKind.CHILD_PROTECTION,
    TeamKind.CHILDREN_IN_NEED,
)
SERVICE_OF_KIND: Final[dict[str, str]] = {
    TeamKind.FRONT_DOOR: FRONT_DOOR_SERVICE,
    TeamKind.ASSESSMENT: FRONT_DOOR_SERVICE,
    TeamKind.CHILD_PROTECTION: PROTECTION_SERVICE,
    TeamKind.CHILDREN_IN_NEED: PROTECTION_SERVICE,
    TeamKind.CONFERENCE_CHAIRS: QUALITY_SERVICE,
    TeamKind.PERFORMANCE: QUALITY_SERVICE,
    TeamKind.WORKFORCE: WORKFORCE_SERVICE,
    TeamKind.LEADERSHIP: LEADERSHIP_SERVICE,
    TeamKind.PARTNER: PARTNER_SERVICE,
}
NUMBERED_TEAM_NAMES: Final[dict[str, str]] = {
    TeamKind.FRONT_DOOR: "Front Door (MASH) Team",
    TeamKind.ASSESSMENT: "Assessment Team",
    TeamKind.CHILD_PROTECTION: "Child Protection Team",
    TeamKind.CHILDREN_IN_NEED: "Children in Need Team",
    TeamKind.CONFERENCE_CHAIRS: "Conference Chairs Team",
}
INITIAL_TEAMS: Final[dict[str, int]] = {
    TeamKind.ASSESSMENT: 2,
    TeamKind.CHILD_PROTECTION: 1,
    TeamKind.CHILDREN_IN_NEED: 1,
}
# Partner agencies whose staff can sign in (agency name, team name after the council's
# short name, job title of their users, agency type, and the referral sources (codes.md)
# whose contacts this agency made).
PARTNERS: Final = (
    ("Police", "Police Public Protection", "Detective Constable", AgencyType.POLICE, ("6",)),
    ("Primary Care Network", "Primary Care Network", "Named GP for Safeguarding", AgencyType.GP, ("3A",)),
    (
        "Community Health",
        "Community Health 0-19 Service",
        "Named Nurse, Safeguarding",
        AgencyType.HEALTH_VISITING,
        ("3B", "3C"),
    ),
    ("Probation Service", "Probation Delivery Unit", "Probation Officer", AgencyType.PROBATION, ("7",)),
)
PARTNER_USERS_PER_TEAM: Final = 3
# The demo accounts (names.DEMO_NAMES): one per role, keyed by the role's value, then a
# second account for the roles whose access depends on where the user sits.
SECOND_SOCIAL_WORKER: Final = "social_worker_2"
SECOND_PARTNER: Final = "partner_agency_2"
DEMO_LOGINS: Final[tuple[tuple[str, Role], ...]] = (
    *((role.value, role) for role in Role),
    (SECOND_SOCIAL_WORKER, Role.SOCIAL_WORKER),
    (SECOND_PARTNER, Role.PARTNER_AGENCY),
)
# The demo case holders' open cases, taken before anyone else's: (account key, kind of
# their team, ((kind of case, how many), ...)).
DEMO_CASELOADS: Final[tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...]] = (
    (
        Role.SOCIAL_WORKER.value,
        TeamKind.CHILD_PROTECTION,
        ((TeamKind.CHILD_PROTECTION, 10), (TeamKind.ASSESSMENT, 5)),
    ),
    (
        Role.SENIOR_PRACTITIONER.value,
        TeamKind.CHILD_PROTECTION,
        ((TeamKind.CHILD_PROTECTION, 10), (TeamKind.ASSESSMENT, 2)),
    ),
    (
        SECOND_SOCIAL_WORKER,
        TeamKind.CHILDREN_IN_NEED,
        ((TeamKind.CHILDREN_IN_NEED, 11), (TeamKind.ASSESSMENT, 3)),
    ),
)
# New referrals waiting in the demo team manager's team for a worker.
DEMO_TEAM_REFERRALS_TO_ALLOCATE: Final = 4
CASELOAD_POLICY: Final = 18
CASE_HOLDERS_PER_TEAM: Final = (6, 9)
TEAMS_PER_SERVICE_MANAGER: Final = 8
FRONT_DOOR_STAFF_PER_TEAM: Final = 10

# --- Staff ----------------------------------------------------------------------------

# Case holders by grade: ASYE about 10% (workforce.md), senior practitioners and practice
# supervisors about a fifth (local).
CASE_HOLDER_GRADE: Final = WeightedChoice(
    [
        (Grade.ASYE, 10.0),
        (Grade.SOCIAL_WORKER, 40.0),
        (Grade.EXPERIENCED, 30.0),
        (Grade.SENIOR, 15.0),
        (Grade.PRACTICE_SUPERVISOR, 5.0),
    ]
)
# A worker's own caseload as a share of the team policy x FTE: ASYEs have a protected
# caseload; senior practitioners hold fewer, more complex cases; a few are over policy.
CASELOAD_FACTOR: Final[dict[str, tuple[float, float]]] = {
    Grade.ASYE: (0.6, 0.75),
    Grade.SOCIAL_WORKER: (0.85, 1.05),
    Grade.EXPERIENCED: (0.9, 1.1),
    Grade.SENIOR: (0.75, 0.9),
    Grade.PRACTICE_SUPERVISOR: (0.5, 0.65),
}
OVER_POLICY_SHARE: Final = 0.08
OVER_POLICY_FACTOR: Final = (1.1, 1.3)
FTE: Final = WeightedChoice([("1.00", 78.0), ("0.80", 14.0), ("0.60", 6.0), ("0.50", 2.0)])
AGENCY_SHARE: Final = 0.13  # England agency rate 13.0% [V]
FRONT_DOOR_CONTACT_OFFICER_SHARE: Final = 0.25  # not social workers
STAFF_NAME_POOLS: Final = WeightedChoice(
    [
        ("BRITISH", 62.0),
        ("IRISH", 5.0),
        ("SOUTH_ASIAN_MUSLIM", 10.0),
        ("INDIAN", 7.0),
        ("AFRICAN", 7.0),
        ("CARIBBEAN", 5.0),
        ("EASTERN_EUROPEAN", 3.0),
        ("CHINESE", 1.0),
    ]
)
_POOL_BY_NAME: Final[dict[str, names.NamePool]] = {
    "BRITISH": names.BRITISH,
    "IRISH": names.IRISH,
    "SOUTH_ASIAN_MUSLIM": names.SOUTH_ASIAN_MUSLIM,
    "INDIAN": names.INDIAN,
    "AFRICAN": names.AFRICAN,
    "CARIBBEAN": names.CARIBBEAN,
    "EASTERN_EUROPEAN": names.EASTERN_EUROPEAN,
    "CHINESE": names.CHINESE,
}
GRADE_TITLES: Final[dict[str, str]] = {
    Grade.ASYE: "Newly Qualified Social Worker (ASYE)",
    Grade.SOCIAL_WORKER: "Social Worker",
    Grade.EXPERIENCED: "Experienced Social Worker",
    Grade.SENIOR: "Senior Practitioner",
    Grade.PRACTICE_SUPERVISOR: "Practice Supervisor",
}
_USERNAME_UNSAFE: Final = re.compile(r"[^a-z0-9]+")


def new_uuid(rng: random.Random) -> uuid.UUID:
    """A version 4 UUID from the seeded stream, so the same seed gives the same keys."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass(slots=True)
class Worker:
    """A case holder and how many more open cases they can take."""

    user: User
    room: int


@dataclass(slots=True)
class TeamSlot:
    team: Team
    size_target: int
    case_holders: int = 0
    unallocated: int = 0


@dataclass
class Organisation:
    """Builds the council's structure and hands out workers for cases.

    New rows wait in ``pending`` until the generator inserts them, before the cases of
    the same chunk that point at them.
    """

    rng: random.Random
    ids: random.Random
    short_name: str
    today: dt.date
    demo_password_hash: str
    pending: list[models.Model] = field(default_factory=list)
    services: dict[str, Service] = field(default_factory=dict)
    slots: dict[str, list[TeamSlot]] = field(default_factory=dict)
    # The demo accounts by key (DEMO_LOGINS): the role's value, or a second account's key.
    demo_users: dict[str, User] = field(default_factory=dict)
    # Partner agencies by the referral source code of the contacts they make.
    agencies_by_source: dict[str, PartnerAgency] = field(default_factory=dict)
    # The same agencies by name: a partner user's agency_name picks their membership.
    agencies_by_name: dict[str, PartnerAgency] = field(default_factory=dict)
    _demo_team_waiting: int = 0
    _available: dict[str, list[Worker]] = field(default_factory=dict)
    _priority: dict[str, list[Worker]] = field(default_factory=dict)
    _case_holders: dict[str, list[User]] = field(default_factory=dict)
    _front_door_staff: list[User] = field(default_factory=list)
    _usernames: set[str] = field(default_factory=set)
    _swe_numbers: set[str] = field(default_factory=set)
    _teams_in_service: dict[str, int] = field(default_factory=dict)

    # --- Structure ------------------------------------------------------------------

    def build(self, children: int) -> None:
        """Services, the fixed teams, the demo accounts and the non-case-holding staff.

        Sizes of the front door, chairs, performance and workforce teams follow the
        number of children (local ratios); case-holding teams grow as cases arrive.
        """
        for name in SERVICES:
            service = Service(id=new_uuid(self.ids), name=name)
            self.services[name] = service
            self.pending.append(service)
        front_door_staff = max(5, children // 800)
        for _ in range(max(1, -(-front_door_staff // FRONT_DOOR_STAFF_PER_TEAM))):
            self._new_team(TeamKind.FRONT_DOOR, size_target=FRONT_DOOR_STAFF_PER_TEAM)
        for kind, count in INITIAL_TEAMS.items():
            for _ in range(count):
                self._new_team(kind)
        chairs = max(3, children // 1500)
        for _ in range(max(1, -(-chairs // 12))):
            self._new_team(TeamKind.CONFERENCE_CHAIRS, size_target=12, with_manager=False)
        performance = self._named_team(TeamKind.PERFORMANCE, "Performance and Intelligence Team")
        systems = self._named_team(TeamKind.PERFORMANCE, "Children's Systems Team")
        workforce = self._named_team(TeamKind.WORKFORCE, "Workforce Development Team")
        leadership = self._named_team(TeamKind.LEADERSHIP, "Children's Services Leadership Team")
        partner_teams = [
            (
                self._named_team(TeamKind.PARTNER, f"{self.short_name} {team_name}"),
                f"{self.short_name} {agency}",
                title,
            )
            for agency, team_name, title, _, _ in PARTNERS
        ]
        self._add_partner_agencies()
        self._add_demo_users(performance, systems, workforce, leadership, partner_teams)
        self._add_front_door_staff(front_door_staff)
        self._add_chairs(chairs)
        analysts = 2 + children // 25_000
        self._add_staff(performance, Role.PERFORMANCE_ANALYST, "Performance Analyst", analysts)
        self._add_staff(systems, Role.SYSTEM_ADMINISTRATOR, "Systems Officer", 1)
        advisers = 2 + children // 50_000
        self._add_staff(workforce, Role.WORKFORCE_LEAD, "HR Business Partner", advisers)
        self._add_staff(
            leadership,
            Role.SERVICE_MANAGER,
            "Head of Service",
            1,
            grade=Grade.HEAD_OF_SERVICE,
            social_worker=True,
        )
        for team, agency, title in partner_teams:
            self._add_staff(team, Role.PARTNER_AGENCY, title, PARTNER_USERS_PER_TEAM, agency=agency)

    def _add_partner_agencies(self) -> None:
        """The agencies behind the partner teams, so their contacts and users meet."""
        for agency, _, _, agency_type, sources in PARTNERS:
            name = f"{self.short_name} {agency}"
            domain = _USERNAME_UNSAFE.sub("-", name.lower()).strip("-")
            row = PartnerAgency(
                id=new_uuid(self.ids),
                name=name,
                agency_type=agency_type,
                email=f"safeguarding@{domain}.example",
            )
            self.pending.append(row)
            self.agencies_by_name[name] = row
            for source in sources:
                self.agencies_by_source[source] = row

    def _named_team(self, kind: str, name: str) -> Team:
        service = self.services[SERVICE_OF_KIND[kind]]
        team = Team(
            id=new_uuid(self.ids),
            name=name,
            kind=kind,
            service=service,
            caseload_policy=CASELOAD_POLICY,
        )
        self.pending.append(team)
        self._teams_in_service[service.name] = self._teams_in_service.get(service.name, 0) + 1
        return team

    def _new_team(
        self,
        kind: str,
        *,
        size_target: int | None = None,
        with_manager: bool = True,
    ) -> TeamSlot:
        """A numbered team of ``kind`` with its manager; another service manager for
        every few teams a service gains, so spans of control stay plausible."""
        slots = self.slots.setdefault(kind, [])
        team = self._named_team(kind, f"{NUMBERED_TEAM_NAMES[kind]} {len(slots) + 1}")
        target = size_target or self.rng.randint(*CASE_HOLDERS_PER_TEAM)
        slot = TeamSlot(team, target)
        slots.append(slot)
        if with_manager:
            is_front_door = kind == TeamKind.FRONT_DOOR
            role = Role.FRONT_DOOR_MANAGER if is_front_door else Role.TEAM_MANAGER
            title = "Front Door Manager" if is_front_door else "Team Manager"
            if not self._is_demo_team(kind, len(slots)):
                self._add_staff(team, role, title, 1, grade=Grade.TEAM_MANAGER, social_worker=True)
        service_name = team.service.name
        if service_name in (FRONT_DOOR_SERVICE, PROTECTION_SERVICE):
            teams_so_far = self._teams_in_service[service_name]
            if teams_so_far % TEAMS_PER_SERVICE_MANAGER == 1 and not (
                service_name == PROTECTION_SERVICE and teams_so_far == 1
            ):
                # The protection service's first manager is the demo service manager.
                self._add_staff(
                    team,
                    Role.SERVICE_MANAGER,
                    f"Service Manager, {service_name}",
                    1,
                    grade=Grade.SERVICE_MANAGER,
                    social_worker=True,
                )
        return slot

    @staticmethod
    def _is_demo_team(kind: str, number: int) -> bool:
        # The demo team manager and front door manager lead the first team of their kind.
        return number == 1 and kind in (TeamKind.CHILD_PROTECTION, TeamKind.FRONT_DOOR)

    # --- People ---------------------------------------------------------------------

    def _staff_name(self) -> tuple[str, str]:
        pool = _POOL_BY_NAME[STAFF_NAME_POOLS.draw(self.rng)]
        # Most of the children's social care workforce are women.
        first_names = pool.women if self.rng.random() < 0.8 else pool.men
        return self.rng.choice(first_names), self.rng.choice(pool.surnames)

    def _username(self, first: str, last: str) -> str:
        stem = f"{_USERNAME_UNSAFE.sub('', first.lower())}.{_USERNAME_UNSAFE.sub('', last.lower())}"
        domain = f"{_USERNAME_UNSAFE.sub('', self.short_name.lower())}.example"
        candidate, n = f"{stem}@{domain}", 1
        while candidate in self._usernames:
            n += 1
            candidate = f"{stem}{n}@{domain}"
        self._usernames.add(candidate)
        return candidate

    def _swe_number(self) -> str:
        while True:
            number = f"SW{self.rng.randrange(10**6):06d}"
            if number not in self._swe_numbers:
                self._swe_numbers.add(number)
                return number

    def _joined(self, *, newly_qualified: bool = False) -> dt.datetime:
        days = self.rng.randint(20, 330) if newly_qualified else self.rng.randint(200, 4000)
        day = self.today - dt.timedelta(days=days)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))

    def _user(
        self,
        *,
        team: Team,
        role: str,
        job_title: str,
        grade: str = Grade.OTHER,
        social_worker: bool = False,
        agency: str = "",
        name: tuple[str, str] | None = None,
        username: str | None = None,
        fte: Decimal | None = None,
        is_agency: bool | None = None,
    ) -> User:
        first, last = name or self._staff_name()
        email = username or self._username(first, last)
        if username:
            self._usernames.add(username)
        if is_agency is None:
            is_agency = social_worker and self.rng.random() < AGENCY_SHARE
        user = User(
            id=new_uuid(self.ids),
            username=email,
            email=email,
            first_name=first,
            last_name=last,
            role=role,
            team=team,
            job_title=job_title,
            grade=grade,
            is_agency=is_agency,
            fte=fte if fte is not None else Decimal(FTE.draw(self.rng)),
            social_work_england_number=self._swe_number() if social_worker else "",
            agency_name=agency,
            # Never is_staff: the demo accounts' password is published, and the admin is
            # for a council's real administrators only.
            is_staff=False,
            date_joined=self._joined(newly_qualified=grade == Grade.ASYE),
        )
        if username:
            user.password = self.demo_password_hash
            user.is_demo_account = True
        else:
            user.set_unusable_password()
        self.pending.append(user)
        if role == Role.PARTNER_AGENCY and agency:
            # The partner pages read the agency through the membership, not agency_name
            # (frontdoor.partner_selectors.partner_agency_for): without it they see
            # "not linked". Rows as partner_membership_set would leave them, less its audit.
            self.pending.append(
                PartnerMembership(id=new_uuid(self.ids), user=user, agency=self.agencies_by_name[agency])
            )
        return user

    def _add_staff(
        self,
        team: Team,
        role: str,
        title: str,
        count: int,
        *,
        grade: str = Grade.OTHER,
        social_worker: bool = False,
        agency: str = "",
    ) -> list[User]:
        return [
            self._user(
                team=team,
                role=role,
                job_title=title,
                grade=grade,
                social_worker=social_worker,
                agency=agency,
            )
            for _ in range(count)
        ]

    def _add_front_door_staff(self, count: int) -> None:
        for i in range(count):
            slot = self.slots[TeamKind.FRONT_DOOR][i % len(self.slots[TeamKind.FRONT_DOOR])]
            if self.rng.random() < FRONT_DOOR_CONTACT_OFFICER_SHARE:
                user = self._user(
                    team=slot.team,
                    role=Role.FRONT_DOOR_PRACTITIONER,
                    job_title="Contact Officer",
                    grade=Grade.BUSINESS_SUPPORT,
                )
            else:
                grade = self.rng.choice((Grade.SOCIAL_WORKER, Grade.EXPERIENCED))
                user = self._user(
                    team=slot.team,
                    role=Role.FRONT_DOOR_PRACTITIONER,
                    job_title="MASH Social Worker",
                    grade=grade,
                    social_worker=True,
                )
            self._front_door_staff.append(user)

    def _add_chairs(self, count: int) -> None:
        slots = self.slots[TeamKind.CONFERENCE_CHAIRS]
        for i in range(count - 1):  # the demo chair is the first
            self._add_staff(
                slots[(i + 1) % len(slots)].team,
                Role.CONFERENCE_CHAIR,
                "Child Protection Conference Chair",
                1,
                social_worker=True,
            )

    def _add_demo_users(
        self,
        performance: Team,
        systems: Team,
        workforce: Team,
        leadership: Team,
        partner_teams: list[tuple[Team, str, str]],
    ) -> None:
        """One account per role, in real teams, with fixed names (names.DEMO_NAMES); and a
        second account where access differs (DEMO_LOGINS)."""
        protection = self.slots[TeamKind.CHILD_PROTECTION][0].team
        children_in_need = self.slots[TeamKind.CHILDREN_IN_NEED][0].team
        front_door = self.slots[TeamKind.FRONT_DOOR][0].team
        chairs = self.slots[TeamKind.CONFERENCE_CHAIRS][0].team
        partner = partner_teams[0]
        health = partner_teams[2]
        placement: dict[str, tuple[Team, str, bool, str]] = {
            # account key: (team, grade, social worker, agency)
            Role.FRONT_DOOR_PRACTITIONER: (front_door, Grade.EXPERIENCED, True, ""),
            Role.FRONT_DOOR_MANAGER: (front_door, Grade.TEAM_MANAGER, True, ""),
            Role.SOCIAL_WORKER: (protection, Grade.SOCIAL_WORKER, True, ""),
            Role.SENIOR_PRACTITIONER: (protection, Grade.SENIOR, True, ""),
            Role.TEAM_MANAGER: (protection, Grade.TEAM_MANAGER, True, ""),
            Role.SERVICE_MANAGER: (protection, Grade.SERVICE_MANAGER, True, ""),
            Role.CONFERENCE_CHAIR: (chairs, Grade.OTHER, True, ""),
            Role.PERFORMANCE_ANALYST: (performance, Grade.OTHER, False, ""),
            Role.WORKFORCE_LEAD: (workforce, Grade.OTHER, False, ""),
            Role.HR_OFFICER: (workforce, Grade.OTHER, False, ""),
            Role.DIRECTOR: (leadership, Grade.OTHER, True, ""),
            Role.SYSTEM_ADMINISTRATOR: (systems, Grade.OTHER, False, ""),
            Role.PARTNER_AGENCY: (partner[0], Grade.OTHER, False, partner[1]),
            # A social worker in another team, who cannot see the first one's children.
            SECOND_SOCIAL_WORKER: (children_in_need, Grade.EXPERIENCED, True, ""),
            # A partner of another agency, who sees only that agency's referrals.
            SECOND_PARTNER: (health[0], Grade.OTHER, False, health[1]),
        }
        domain = f"demo.{_USERNAME_UNSAFE.sub('', self.short_name.lower())}.example"
        for key, role in DEMO_LOGINS:
            team, grade, social_worker, agency = placement[key]
            first, last, title = names.DEMO_NAMES[key]
            user = self._user(
                team=team,
                role=role,
                job_title=title,
                grade=grade,
                social_worker=social_worker,
                agency=agency,
                name=(first, last),
                username=f"{key.replace('_', '.')}@{domain}",
                fte=Decimal("1.00"),
                is_agency=False,
            )
            self.demo_users[key] = user
        # The demo case holders take cases first, so their pages are full whatever N is:
        # about 15 children each (kpis.md average 15.2), a few of them still being assessed
        # (the demo teams take some referrals straight from the front door, as teams that
        # keep a child from assessment to plan do), so that one sign-in shows every stage.
        for key, kind, rooms in DEMO_CASELOADS:
            user = self.demo_users[key]
            slot = next(s for s in self.slots[kind] if s.team is user.team)
            for case_kind, room in rooms:
                self._priority.setdefault(case_kind, []).append(Worker(user, room))
            self._case_holders.setdefault(kind, []).append(user)
            slot.case_holders += 1
        self._demo_team_waiting = DEMO_TEAM_REFERRALS_TO_ALLOCATE
        self._front_door_staff.append(self.demo_users[Role.FRONT_DOOR_PRACTITIONER.value])

    # --- Allocation -----------------------------------------------------------------

    def allocate(self, kind: str) -> User:
        """A worker of a ``kind`` team with room for one more open case (hiring if none)."""
        for worker in self._priority.get(kind, ()):
            if worker.room > 0:
                worker.room -= 1
                return worker.user
        available = self._available.setdefault(kind, [])
        if not available:
            available.append(self._hire(kind))
        index = self.rng.randrange(len(available))
        worker = available[index]
        worker.room -= 1
        if worker.room <= 0:
            # Swap-remove keeps removal O(1); order only matters through the seeded rng.
            available[index] = available[-1]
            available.pop()
        return worker.user

    def historic_worker(self, kind: str) -> User:
        """Who held a case that has closed: any case holder of that kind of team."""
        holders = self._case_holders.get(kind)
        if not holders:
            worker = self._hire(kind)
            self._available.setdefault(kind, []).append(worker)
            holders = self._case_holders[kind]
        return self.rng.choice(holders)

    def front_door_worker(self) -> User:
        return self.rng.choice(self._front_door_staff)

    def waiting_team(self, kind: str) -> Team:
        """The team of ``kind`` with fewest cases waiting for a worker: spreads them out,
        and gives the first team (the demo team) the first one. The first few referrals
        waiting for an assessment worker go to the demo team manager's team, so that the
        manager has referrals to allocate."""
        if kind == TeamKind.ASSESSMENT and self._demo_team_waiting > 0:
            self._demo_team_waiting -= 1
            demo_team = self.demo_users[Role.TEAM_MANAGER.value].team
            assert demo_team is not None
            return demo_team
        slot = min(self.slots[kind], key=lambda s: s.unallocated)
        slot.unallocated += 1
        return slot.team

    def _team_with_room(self, kind: str) -> TeamSlot:
        open_slots = [s for s in self.slots[kind] if s.case_holders < s.size_target]
        if not open_slots:
            return self._new_team(kind)
        return min(open_slots, key=lambda s: s.case_holders)

    def _hire(self, kind: str) -> Worker:
        slot = self._team_with_room(kind)
        grade = CASE_HOLDER_GRADE.draw(self.rng)
        role = (
            Role.SENIOR_PRACTITIONER
            if grade in (Grade.SENIOR, Grade.PRACTICE_SUPERVISOR)
            else Role.SOCIAL_WORKER
        )
        user = self._user(
            team=slot.team,
            role=role,
            job_title=GRADE_TITLES[grade],
            grade=grade,
            social_worker=True,
        )
        low, high = CASELOAD_FACTOR[grade]
        if grade != Grade.ASYE and self.rng.random() < OVER_POLICY_SHARE:
            low, high = OVER_POLICY_FACTOR
        factor = self.rng.uniform(low, high)
        room = max(1, round(slot.team.caseload_policy * float(user.fte) * factor))
        slot.case_holders += 1
        self._case_holders.setdefault(kind, []).append(user)
        return Worker(user, room)

    def take_pending(self) -> list[models.Model]:
        rows, self.pending = self.pending, []
        return rows
