"""Episodes: opening from a referral, the hand-off to a team, allocation, transfer, closure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import RECEIVING_TEAM_KINDS, Team, User
from safeguard.accounts.policy import FRONT_DOOR_ROLES, Action, Scope, scope_for
from safeguard.audit.services import audited_create, audited_update
from safeguard.casework.clocks import clock_start, clock_stop
from safeguard.casework.involvements import episode_involvements_sync
from safeguard.casework.models import CINEpisode, ClockKind, StatutoryClock
from safeguard.casework.selectors import episode_close_problems, is_with_front_door
from safeguard.core.codes import PrimaryNeed
from safeguard.people.models import Person
from safeguard.people.permissions import can
from safeguard.workforce.caseloads import worker_loads
from safeguard.workforce.rules import case_weights

_EPISODE_FIELDS = ["child_id", "referral_date", "referral_source", "primary_need", "team_id", "worker_id"]


def episode_open(
    *,
    actor: User | None,
    child: Person,
    referral_date: dt.date,
    referral_source: str,
    primary_need: str = PrimaryNeed.N0,
    team: Team | None = None,
) -> CINEpisode:
    """Open a children in need episode from a referral (census CINreferralDate, ReferralSource).

    A child has at most one open episode: a new referral while one is open is recorded
    against that episode's work, not as a second episode.

    The assessment clock starts here, at the point of referral (Working Together 2023 ch.3,
    "Assessment"): a referral waiting to be allocated is already counting its 45 working days.
    """
    if not child.is_child_record:
        raise ValidationError("Only a child's record can have a referral")
    if CINEpisode.objects.filter(child=child, closure_date__isnull=True).exists():
        raise ValidationError("This child already has an open episode: add the referral to it")
    with transaction.atomic():
        episode = audited_create(
            CINEpisode,
            actor=actor,
            action="episode_open",
            values={
                "child": child,
                "referral_date": referral_date,
                "referral_source": referral_source,
                "primary_need": primary_need,
                "team": team,
                "team_since": timezone.localdate() if team is not None else None,
            },
            audit=_EPISODE_FIELDS,
            validate=True,
            child_id=child.pk,
        )
        episode_involvements_sync(episode)
        clock_start(
            actor=actor, kind=ClockKind.ASSESSMENT, episode=episode, source=episode, start_date=referral_date
        )
    return episode


# -- hand-off, allocation and transfer --------------------------------------------------

_HANDOFF_FIELDS = ["team_id", "worker_id", "team_since"]


def _locked(episode: CINEpisode) -> CINEpisode:
    """The episode's row, locked, as it is now: two people moving the same child at once
    make one move, and the second is judged against where the first left it."""
    # Only the episode's own row is locked (PostgreSQL cannot lock the nullable side of a join).
    current = CINEpisode.objects.select_for_update().get(pk=episode.pk)
    episode.team_id, episode.worker_id, episode.team_since = (
        current.team_id,
        current.worker_id,
        current.team_since,
    )
    episode.closure_date = current.closure_date
    return episode


def _move(*, actor: User, episode: CINEpisode, team: Team, action: str, reason: str) -> CINEpisode:
    # Clocks belong to the child's episode, not to a team: they run on across the move.
    audited_update(
        episode,
        actor=actor,
        action=action,
        values={"team": team, "worker": None, "team_since": timezone.localdate()},
        also={"reason": {"before": None, "after": reason.strip()}} if reason.strip() else None,
        child_id=episode.child_id,
    )
    episode_involvements_sync(episode)
    return episode


def _check_receiving(episode: CINEpisode, team: Team) -> None:
    if team.kind not in RECEIVING_TEAM_KINDS:
        raise ValidationError("Choose a team that assesses children and holds their cases")
    if team.pk == episode.team_id:
        raise ValidationError(f"The referral is already with {team.name}")


def episode_send_to_team(*, actor: User, episode: CINEpisode, team: Team, reason: str = "") -> CINEpisode:
    """The front door hands a new referral to the team that will assess the child.

    The episode waits there, unallocated, for that team's manager; the front door no longer
    holds it. Once a team has it, only a service manager moves it (``episode_transfer``).
    """
    if actor.role not in FRONT_DOOR_ROLES:
        raise PermissionError("Only front door staff send referrals to a team")
    with transaction.atomic():
        _locked(episode)
        if not episode.is_open:
            raise ValidationError("This episode is closed")
        if episode.worker_id is not None or not is_with_front_door(actor, episode):
            held_by = episode.team.name if episode.team else "a worker"
            raise ValidationError(
                f"This referral is already with {held_by}: ask a service manager to transfer it"
            )
        _check_receiving(episode, team)
        return _move(actor=actor, episode=episode, team=team, action="episode_send_to_team", reason=reason)


def episode_transfer(*, actor: User, episode: CINEpisode, team: Team, reason: str) -> CINEpisode:
    """A service manager moves a child's case to another team, whose manager allocates it."""
    if scope_for(actor.role, Action.AUTHORISE) < Scope.SERVICE or not can(
        actor, Action.AUTHORISE, episode.child
    ):
        raise PermissionError("Only the service manager responsible for the child can transfer the case")
    if not reason.strip():
        raise ValidationError("Enter the reason for the transfer")
    with transaction.atomic():
        _locked(episode)
        if not episode.is_open:
            raise ValidationError("This episode is closed")
        _check_receiving(episode, team)
        return _move(actor=actor, episode=episode, team=team, action="episode_transfer", reason=reason)


def _case_weight(episode: CINEpisode) -> Decimal:
    """What the child adds to a caseload (workforce's weights): more on a protection plan."""
    weights = case_weights()
    if episode.cp_plans.filter(end_date__isnull=True).exists():
        return weights["cp_plan"]
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        return weights["cin_plan"]
    return weights["other"]


def episode_allocate(*, actor: User, episode: CINEpisode, worker: User, reason: str = "") -> CINEpisode:
    """Give the episode to a case-holding worker (and their team).

    Workforce's records decide the rest: nobody who has left may be given a case, and giving
    one to someone absent, or to a newly qualified worker beyond their protected caseload,
    needs the manager's reason, which the audit event keeps."""
    if not worker.is_active or not worker.is_case_holder:
        raise ValidationError("Choose a social worker or senior practitioner who holds cases")
    load = worker_loads([worker], on=timezone.localdate())[worker.pk]
    if load.refusal:
        raise ValidationError({"worker": load.refusal})
    warnings = load.warnings(adding=_case_weight(episode))
    if warnings and not reason.strip():
        raise ValidationError(
            {"reason": f"{'; '.join(warnings)}. Give the reason you are allocating this child to them"}
        )
    if not can(actor, Action.AUTHORISE, episode.child):
        raise PermissionError("Only a manager responsible for the child can allocate the case")
    with transaction.atomic():
        _locked(episode)
        if not episode.is_open:
            raise ValidationError("This episode is closed")
        moving_team = episode.team_id is not None and worker.team_id != episode.team_id
        if moving_team and scope_for(actor.role, Action.AUTHORISE) < Scope.SERVICE:
            raise ValidationError(
                "You can only allocate to workers in the child's team: "
                "ask a service manager to transfer the case"
            )
        values: dict[str, object] = {"worker": worker, "team": worker.team}
        if worker.team_id != episode.team_id:
            values["team_since"] = timezone.localdate()
        audited_update(
            episode,
            actor=actor,
            action="episode_allocate",
            values=values,
            audit=_HANDOFF_FIELDS,
            child_id=episode.child_id,
            also={"allocation_reason": {"before": "", "after": reason.strip()}} if warnings else None,
        )
        episode_involvements_sync(episode)
    return episode


# -- closure ----------------------------------------------------------------------------


def episode_close(*, actor: User, episode: CINEpisode, closure_date: dt.date, reason: str) -> CINEpisode:
    if not episode.is_open:
        raise ValidationError("This episode is already closed")
    problems = episode_close_problems(episode, closure_date, reason)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for clock in StatutoryClock.objects.filter(episode=episode, met_date__isnull=True, stopped_reason=""):
            clock_stop(actor=actor, clock=clock, met_date=None, stopped_reason="Episode closed")
        audited_update(
            episode,
            actor=actor,
            action="episode_close",
            values={"closure_date": closure_date, "reason_for_closure": reason},
            child_id=episode.child_id,
        )
        episode_involvements_sync(episode)
    return episode
