"""Child protection conferences for the fictional council, from the casework the generator
made: every initial conference a section 47 held (on its census DateOfInitialCPC, so the
share within 15 working days is the casework's, near England's 81%), every review the
plans had, and the review each open plan has coming (scheduled when it is due in the next
six weeks, many with the demo chair). Recent and coming conferences have their invitations,
agency reports (some late, a few missing), the child's views (a few saying they feel
unsafe, waiting on their worker's list), the family's feedback, and each plan its
outcomes, core group meetings (the first within 10 working days, on its clock) and how it
ended. Rows are written in bulk; nothing here is audited, as nothing here happened.

Everything is fictional and generated from a seeded stream: the same seed, the same rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections import Counter, defaultdict
from typing import Final, TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.casework.models import (
    ChildProtectionPlan,
    ChildProtectionReview,
    CINPlan,
    ClockKind,
    Section47Enquiry,
    StatutoryClock,
)
from safeguard.casework.timescales import core_group_timescale
from safeguard.conferences.models import (
    AgencyReport,
    AttendanceKind,
    ChildViews,
    Conference,
    ConferenceAgency,
    ConferenceAttendance,
    ConferenceInvitation,
    ConferenceKind,
    ConferenceStatus,
    CoreGroupMeeting,
    FamilyFeedback,
    FeedbackAnswer,
    InviteeRole,
    PlanEnding,
    PlanEndReason,
    PlanOutcome,
    ViewsHelper,
)
from safeguard.conferences.portal import report_due
from safeguard.conferences.services import LETTER_WORKING_DAYS, RECORD_WORKING_DAYS, review_target
from safeguard.core.calendar import add_working_days, is_working_day
from safeguard.demo import names
from safeguard.demo.organisation import new_uuid
from safeguard.people.models import Person

# Written children's tables first when wiped (the reverse of this order).
CONFERENCE_TABLES: Final[tuple[type[Model], ...]] = (
    Conference,
    ConferenceAttendance,
    ConferenceInvitation,
    AgencyReport,
    ChildViews,
    FamilyFeedback,
    PlanOutcome,
    CoreGroupMeeting,
    PlanEnding,
)
BATCH: Final = 2000
DIARY_WEEKS: Final = 6
# Conferences this recent (and those to come) have invitations, reports, views, feedback.
DETAIL_DAYS: Final = 365
DEMO_CHAIR_SHARE: Final = 0.35
REPORT_SENT: Final = 0.88
REPORT_LATE: Final = 0.12
VIEWS_FROM_AGE: Final = 7
VIEWS_GIVEN: Final = 0.6
SAFE_AT_HOME: Final = ((1, 3.0), (2, 6.0), (3, 24.0), (4, 37.0), (5, 30.0))
FEEDBACK_GIVEN: Final = 0.45
FEEDBACK: Final = ((FeedbackAnswer.YES, 62.0), (FeedbackAnswer.PARTLY, 27.0), (FeedbackAnswer.NO, 11.0))
LETTER_LATE: Final = 0.08
RECORD_LATE: Final = 0.15
FIRST_CORE_GROUP_LATE: Final = 0.1
CORE_GROUP_EVERY_DAYS: Final = (35, 49)
INTERPRETER_NEEDED: Final = 0.07
ROOMS: Final = ("Room 1, Civic Centre", "Room 2, Civic Centre", "Room 3, Civic Centre", "Family Room, Hub")
START_HOURS: Final = (9, 10, 13, 14)
AGENCIES: Final = (
    (
        InviteeRole.POLICE,
        ConferenceAgency.POLICE,
        "Detective Constable",
        "Harrowmere Police Safeguarding Unit",
    ),
    (InviteeRole.GP, ConferenceAgency.GP, "GP", ""),
    (InviteeRole.SCHOOL, ConferenceAgency.SCHOOL, "Designated safeguarding lead", ""),
    (
        InviteeRole.HEALTH_VISITOR,
        ConferenceAgency.HEALTH_VISITOR,
        "Health visitor",
        names.HEALTH_VISITING_SERVICE,
    ),
)
OUTCOMES: Final = (
    (
        "{name} gets to school on time every day",
        "A parent takes {name} to school. The school rings home by 9:30 if {name} is not there.",
        "The school register shows {name} in on time.",
    ),
    (
        "{name} lives in a calm home with no shouting or fighting",
        "The parents go to the domestic abuse course. The social worker visits every 2 weeks.",
        "{name} tells the social worker home feels calm, and the police are not called.",
    ),
    (
        "{name} goes to every health check",
        "A parent books and takes {name} to each check. The health visitor reminds them a week before.",
        "The health visitor's records show each check done.",
    ),
    (
        "The home is clean, warm and safe, with food in the cupboards",
        "The family support worker helps each week. The social worker checks the home at each visit.",
        "The home is clean and warm at every visit, planned or not.",
    ),
    (
        "{name} has a safe adult to talk to",
        "The school's learning mentor meets {name} each week. The social worker sees {name} alone.",
        "{name} can name a safe adult and says they use them.",
    ),
)
WORRIES: Final = (
    "When mum and dad argue at night.",
    "I worry about mum being sad.",
    "Being hungry after school.",
    "Getting told off at school.",
    "",
)
GOING_WELL: Final = (
    "Football on Saturdays and my best friend.",
    "School is better and I like my teacher.",
    "My nan picks me up on Fridays.",
    "I like drawing and my room.",
)
WOULD_LIKE: Final = (
    "For everyone to stop shouting.",
    "To see my dad more.",
    "To stay at my school.",
    "For things to stay like they are now.",
)
WHO_THERE: Final = ("My nan.", "My teacher.", "My mum.", "Nobody, I will write it down.")


T = TypeVar("T")


def _weighted(rng: random.Random, pairs: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([p for p, _w in pairs], weights=[w for _p, w in pairs])[0]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _token_hash(rng: random.Random) -> str:
    # A hash of nothing anyone holds: the demo's invitations have no working link.
    return hashlib.sha256(rng.randbytes(32)).hexdigest()


def _age(dob: dt.date | None, on: dt.date) -> int:
    if dob is None:
        return -1
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


class _Builder:
    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.rng = random.Random(f"conferences-{seed}")
        self.ids = random.Random(f"conference-ids-{seed}")
        self.today = today
        self.rows: dict[type[Model], list[Model]] = defaultdict(list)
        self.clocks: list[StatutoryClock] = []
        chairs = list(User.objects.filter(role=Role.CONFERENCE_CHAIR, is_active=True).order_by("email"))
        self.chairs = chairs
        self.demo_chair = next((u for u in chairs if u.is_demo_account), chairs[0] if chairs else None)
        # Each chair's booked hours, so that nobody is booked twice at once.
        self.booked: set[tuple[uuid.UUID | None, dt.date, int]] = set()

    def add(self, row: Model) -> None:
        self.rows[type(row)].append(row)

    def chair(self, recent: bool) -> User | None:
        if self.demo_chair is not None and recent and self.rng.random() < DEMO_CHAIR_SHARE:
            return self.demo_chair
        return self.rng.choice(self.chairs) if self.chairs else None

    def slot(self, chair: User | None, day: dt.date) -> tuple[dt.date, int]:
        """The chair's first free hour on the first working day from ``day``."""
        key = chair.pk if chair is not None else None
        while True:
            if is_working_day(day):
                for hour in START_HOURS:
                    if (key, day, hour) not in self.booked:
                        self.booked.add((key, day, hour))
                        return day, hour
            day += dt.timedelta(days=1)

    # -- conferences ------------------------------------------------------------------

    def conference(
        self,
        *,
        kind: str,
        plan: ChildProtectionPlan | None,
        enquiry: Section47Enquiry | None,
        episode_id: uuid.UUID,
        child_id: uuid.UUID,
        target: dt.date,
        held_on: dt.date | None,
        category: str = "",
        lead_worker_id: uuid.UUID | None = None,
    ) -> Conference:
        recent = (held_on or target) >= self.today - dt.timedelta(days=DETAIL_DAYS)
        chair = self.chair(recent)
        day = held_on or target
        if held_on is None:
            earliest = max(
                self.today + dt.timedelta(days=3), target - dt.timedelta(days=self.rng.randint(1, 10))
            )
            day, hour = self.slot(chair, earliest)
        else:
            hour = self.rng.choice(START_HOURS)
        continues = plan is not None and not (kind == ConferenceKind.REVIEW and plan.end_date == held_on)
        video = self.rng.random() < 0.25
        conference = Conference(
            id=new_uuid(self.ids),
            kind=kind,
            child_id=child_id,
            episode_id=episode_id,
            section_47=enquiry,
            plan=plan,
            target_date=target,
            status=ConferenceStatus.HELD if held_on else ConferenceStatus.SCHEDULED,
            chair=chair,
            starts_at=_at(day, hour),
            room="" if video else self.rng.choice(ROOMS),
            video_link="https://meet.harrowmere.example/cp-" + f"{self.ids.getrandbits(32):08x}"
            if video
            else "",
            late_reason="No chair or room was free before the target date" if day > target else "",
        )
        if held_on is not None:
            conference.held_on = held_on
            conference.plan_needed = continues
            conference.category = category if continues else ""
            conference.lead_worker_id = lead_worker_id if continues else None
            conference.letter_due = add_working_days(held_on, LETTER_WORKING_DAYS)
            conference.record_due = add_working_days(held_on, RECORD_WORKING_DAYS)
            letter = add_working_days(held_on, 2 if self.rng.random() < LETTER_LATE else LETTER_WORKING_DAYS)
            record = add_working_days(
                held_on,
                self.rng.randint(16, 22) if self.rng.random() < RECORD_LATE else self.rng.randint(5, 15),
            )
            conference.letter_sent_on = letter if letter < self.today else None
            conference.record_completed_on = record if record < self.today else None
            self.attendance(conference)
        self.add(conference)
        if recent:
            self.invitations(conference)
        return conference

    def attendance(self, conference: Conference) -> None:
        rows = [("Allocated social worker", ConferenceAgency.CSC, "Social worker", AttendanceKind.PRESENT)]
        for _role, agency, job, _org in AGENCIES:
            pick = self.rng.random()
            kind = (
                AttendanceKind.PRESENT
                if pick < 0.7
                else AttendanceKind.REPORT_ONLY
                if pick < 0.9
                else AttendanceKind.APOLOGIES
            )
            rows.append((self._name(), agency, job, kind))
        rows.append((self._name(), ConferenceAgency.FAMILY, "Parent", AttendanceKind.PRESENT))
        for name, agency, role, kind in rows:
            self.add(
                ConferenceAttendance(
                    id=new_uuid(self.ids),
                    conference=conference,
                    name=name,
                    agency=agency,
                    role=role,
                    attendance=kind,
                )
            )

    def _name(self, family_name: str = "") -> str:
        pool = self.rng.choice(names.ALL_POOLS)
        first = self.rng.choice(pool.women if self.rng.random() < 0.6 else pool.men)
        return f"{first} {family_name or self.rng.choice(pool.surnames)}"

    def invitations(self, conference: Conference) -> None:
        due = report_due(conference)
        sent_at = (
            _at(conference.starts_at.date() - dt.timedelta(days=10), 9) if conference.starts_at else None
        )
        expires = conference.starts_at + dt.timedelta(days=14) if conference.starts_at else None
        for role, _agency, job, org in AGENCIES:
            if role == InviteeRole.HEALTH_VISITOR and self.rng.random() < 0.5:
                continue
            organisation = org or (
                self.rng.choice(names.GP_PRACTICES)
                if role == InviteeRole.GP
                else self.rng.choice(names.SECONDARY_SCHOOLS)
            )
            invitation = ConferenceInvitation(
                id=new_uuid(self.ids),
                conference=conference,
                name=self._name(),
                role=role,
                organisation=organisation,
                email=f"{role}.{self.ids.getrandbits(24):06x}@partners.example",
                token_hash=_token_hash(self.ids),
                expires_at=expires,
                sent_at=sent_at,
            )
            self.add(invitation)
            submitted = self._report_day(due)
            if submitted is not None:
                self.add(
                    AgencyReport(
                        id=new_uuid(self.ids),
                        invitation=invitation,
                        what_we_know=f"Known to the {job.lower()} for some time; attends when asked.",
                        worries="Missed appointments and tiredness noticed over the last term.",
                        what_is_working="The family takes up help when it is offered clearly.",
                        recommendation="A child protection plan with regular checks by the core group.",
                        not_for_sharing=self.rng.random() < 0.04,
                        submitted_at=_at(submitted, 15),
                        late=submitted > due,
                    )
                )
        needs_interpreter = self.rng.random() < INTERPRETER_NEEDED
        parent = ConferenceInvitation(
            id=new_uuid(self.ids),
            conference=conference,
            name="",  # named with the child's family name below
            role=InviteeRole.PARENT,
            email="" if self.rng.random() < 0.3 else f"parent.{self.ids.getrandbits(24):06x}@home.example",
            language=self.rng.choice(("Polish", "Urdu", "Romanian", "Arabic"))
            if needs_interpreter
            else "English",
            interpreter_needed=needs_interpreter,
            interpreter_booked=needs_interpreter
            and (conference.held_on is not None or self.rng.random() < 0.5),
            token_hash=_token_hash(self.ids),
            expires_at=expires,
            sent_at=sent_at,
        )
        self.add(parent)
        self.family.append(parent)

    def _report_day(self, due: dt.date) -> dt.date | None:
        if self.rng.random() > REPORT_SENT:
            return None
        if self.rng.random() < REPORT_LATE:
            day = add_working_days(due, self.rng.randint(1, 2))
        else:
            day = due - dt.timedelta(days=self.rng.randint(0, 6))
        return day if day <= self.today else None

    family: list[ConferenceInvitation]


def _views_and_feedback(b: _Builder, children: dict[uuid.UUID, tuple[str, str, dt.date | None]]) -> None:
    """The family's invitations get their names; recent children old enough give views;
    families of held conferences give feedback."""
    for parent in b.family:
        conference = parent.conference
        _given, family_name, dob = children.get(conference.child_id, ("", "", None))
        parent.name = b._name(family_name) if family_name else b._name()
        day = conference.held_on or (conference.starts_at.date() if conference.starts_at else b.today)
        if _age(dob, day) >= VIEWS_FROM_AGE and b.rng.random() < VIEWS_GIVEN:
            submitted = min(b.today, day - dt.timedelta(days=b.rng.randint(2, 8)))
            if submitted <= b.today:
                safe = _weighted(b.rng, SAFE_AT_HOME)
                held = conference.held_on is not None
                b.add(
                    ChildViews(
                        id=new_uuid(b.ids),
                        conference=conference,
                        child_id=conference.child_id,
                        helped_by=b.rng.choice(list(ViewsHelper.values)),
                        going_well=b.rng.choice(GOING_WELL),
                        worries=b.rng.choice(WORRIES),
                        safe_at_home=safe,
                        would_like_to_happen=b.rng.choice(WOULD_LIKE),
                        would_like_there=b.rng.choice(WHO_THERE),
                        submitted_at=_at(submitted, 16),
                        # Held ones were acted on long ago; coming ones may still be waiting.
                        alert_seen_at=_at(submitted, 17) if held and safe <= 2 else None,
                    )
                )
        if conference.held_on is not None and b.rng.random() < FEEDBACK_GIVEN:
            b.add(
                FamilyFeedback(
                    id=new_uuid(b.ids),
                    invitation=parent,
                    listened_to=str(_weighted(b.rng, FEEDBACK)),
                    understood=str(_weighted(b.rng, FEEDBACK)),
                    reports_in_time=str(_weighted(b.rng, FEEDBACK)),
                    anything_else="",
                )
            )


def _plan_work(b: _Builder, plan: ChildProtectionPlan, given_name: str) -> None:
    """Outcomes, core groups (the first on its clock) and the ending of one plan."""
    end = plan.end_date or b.today
    if end < b.today - dt.timedelta(days=DETAIL_DAYS) and plan.end_date is not None:
        return
    name = given_name or "The child"
    for what, who, how in b.rng.sample(OUTCOMES, k=b.rng.randint(2, 4)):
        b.add(
            PlanOutcome(
                id=new_uuid(b.ids),
                plan=plan,
                what_needs_to_change=what.format(name=name),
                who_does_what=who.format(name=name),
                by_when=plan.start_date + dt.timedelta(days=b.rng.choice((42, 84, 126))),
                how_we_will_know=how.format(name=name),
            )
        )
    timescale = core_group_timescale()
    due = timescale.due(plan.start_date)
    late = b.rng.random() < FIRST_CORE_GROUP_LATE
    first = add_working_days(plan.start_date, b.rng.randint(11, 14) if late else b.rng.randint(5, 10))
    met = first if first <= min(end, b.today) else None
    b.clocks.append(
        StatutoryClock(
            id=new_uuid(b.ids),
            kind=ClockKind.CORE_GROUP,
            child_id=plan.child_id,
            episode_id=plan.episode_id,
            source_type=ChildProtectionPlan._meta.label_lower,
            source_id=plan.pk,
            start_date=plan.start_date,
            working_days=timescale.working_days,
            due_date=due,
            met_date=met,
            late_reason="The school was closed for training that week" if met and met > due else "",
            stopped_reason="Plan ended" if met is None and plan.end_date is not None else "",
        )
    )
    day = first
    while day <= min(end, b.today):
        b.add(
            CoreGroupMeeting(
                id=new_uuid(b.ids),
                plan=plan,
                held_on=day,
                attended="Social worker\nParent\nSchool\nHealth visitor",
                notes="Went through each outcome; agreed the next steps for the coming weeks.",
            )
        )
        day = add_working_days(day, b.rng.randint(*CORE_GROUP_EVERY_DAYS) * 5 // 7)
    if plan.end_date is not None:
        stepped_down = CINPlan.objects.filter(
            episode_id=plan.episode_id,
            start_date__gte=plan.end_date,
            start_date__lte=plan.end_date + dt.timedelta(days=21),
        ).exists()
        b.add(
            PlanEnding(
                id=new_uuid(b.ids),
                plan=plan,
                reason=PlanEndReason.RISK_REDUCED if b.rng.random() < 0.85 else PlanEndReason.MOVED_AWAY,
                stepped_down_to_cin=stepped_down,
            )
        )


def add_conferences(*, seed: int, today: dt.date) -> Counter[str]:
    """The conferences, their invitations, reports, views, feedback and the plans' work."""
    b = _Builder(seed=seed, today=today)
    b.family = []
    counts: Counter[str] = Counter()
    if not b.chairs:
        return counts
    with transaction.atomic():
        plans = {p.pk: p for p in ChildProtectionPlan.objects.all()}
        plan_on: dict[tuple[uuid.UUID, dt.date], ChildProtectionPlan] = {
            (p.episode_id, p.start_date): p for p in plans.values()
        }
        workers = dict(ChildProtectionPlan.objects.values_list("pk", "episode__worker_id"))
        children: dict[uuid.UUID, tuple[str, str, dt.date | None]] = {
            pk: (g, f, d)
            for pk, g, f, d in Person.objects.filter(la_child_id__isnull=False).values_list(
                "pk", "given_name", "family_name", "date_of_birth"
            )
        }
        # Initial conferences: one for each enquiry that held one, on its date.
        enquiries = (
            Section47Enquiry.objects.filter(icpc_date__isnull=False).select_related("episode").order_by("pk")
        )
        for enquiry in enquiries.iterator(chunk_size=BATCH):
            assert enquiry.icpc_date is not None
            plan = plan_on.get((enquiry.episode_id, enquiry.icpc_date))
            held = enquiry.icpc_date <= today
            b.conference(
                kind=ConferenceKind.INITIAL,
                plan=plan,
                enquiry=enquiry,
                episode_id=enquiry.episode_id,
                child_id=enquiry.episode.child_id,
                target=enquiry.icpc_target_date or enquiry.icpc_date,
                held_on=enquiry.icpc_date if held else None,
                category=plan.initial_category if plan else "",
                lead_worker_id=workers.get(plan.pk) if plan else None,
            )
        # Review conferences: one for each review the plans had, and the next one coming.
        reviews: dict[uuid.UUID, list[dt.date]] = defaultdict(list)
        for plan_id, held_on in ChildProtectionReview.objects.values_list("plan_id", "held_on").order_by(
            "held_on"
        ):
            reviews[plan_id].append(held_on)
        for plan in plans.values():
            previous = plan.start_date
            for i, held_on in enumerate(reviews.get(plan.pk, [])):
                target = review_target_from(plan.start_date if i == 0 else previous, first=i == 0)
                b.conference(
                    kind=ConferenceKind.REVIEW,
                    plan=plan,
                    enquiry=None,
                    episode_id=plan.episode_id,
                    child_id=plan.child_id,
                    target=target,
                    held_on=held_on,
                    category=plan.latest_category,
                    lead_worker_id=workers.get(plan.pk),
                )
                previous = held_on
            if plan.end_date is None:
                target = review_target(plan)
                if target <= today + dt.timedelta(weeks=DIARY_WEEKS):
                    b.conference(
                        kind=ConferenceKind.REVIEW,
                        plan=plan,
                        enquiry=None,
                        episode_id=plan.episode_id,
                        child_id=plan.child_id,
                        target=target,
                        held_on=None,
                    )
                else:
                    b.add(
                        Conference(
                            id=new_uuid(b.ids),
                            kind=ConferenceKind.REVIEW,
                            child_id=plan.child_id,
                            episode_id=plan.episode_id,
                            plan=plan,
                            target_date=target,
                        )
                    )
            _plan_work(b, plan, children.get(plan.child_id, ("", "", None))[0])
        _views_and_feedback(b, children)
        for model in CONFERENCE_TABLES:
            rows = b.rows.get(model, [])
            model._default_manager.bulk_create(rows, batch_size=BATCH)
            counts[model._meta.label] = len(rows)
        StatutoryClock.objects.bulk_create(b.clocks, batch_size=BATCH)
        counts["casework.StatutoryClock (core group)"] = len(b.clocks)
    return counts


def review_target_from(start: dt.date, *, first: bool) -> dt.date:
    """A review's due date: 3 months after the plan's start, or 6 after the last review."""
    from safeguard.casework.timescales import first_review_timescale, later_review_timescale

    return (first_review_timescale() if first else later_review_timescale()).due(start)
