"""Strategy discussions and section 47 enquiries."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.audit.services import audited_create, audited_update
from safeguard.casework.clocks import clock_start, clock_stop, late_reason_check, running_clock
from safeguard.casework.models import (
    CINEpisode,
    ClockKind,
    Section47Enquiry,
    Section47Outcome,
    StatutoryClock,
    StrategyAgency,
    StrategyDiscussion,
)
from safeguard.casework.timescales import icpc_timescale

# -- strategy discussion and section 47 -------------------------------------------------

REQUIRED_STRATEGY_AGENCIES: frozenset[str] = frozenset(
    {StrategyAgency.CSC, StrategyAgency.POLICE, StrategyAgency.HEALTH}
)


def strategy_discussion_request(*, actor: User, episode: CINEpisode, decided_on: dt.date) -> StatutoryClock:
    """The front door decided a strategy discussion is needed: measure the time to it.

    The clock (local policy, default 1 working day) is met by the next strategy discussion
    recorded on the episode. A second request while one is waiting keeps the first.
    """
    running = running_clock(episode, ClockKind.STRATEGY_DISCUSSION)
    if running is not None:
        return running
    with transaction.atomic():
        return clock_start(
            actor=actor,
            kind=ClockKind.STRATEGY_DISCUSSION,
            episode=episode,
            source=episode,
            start_date=decided_on,
        )


def strategy_discussion_record(
    *,
    actor: User,
    episode: CINEpisode,
    held_on: dt.date,
    agencies: list[str],
    information_shared: str,
    safety_actions: str,
    start_section_47: bool,
    late_reason: str = "",
) -> StrategyDiscussion:
    """Record a strategy discussion; starting a section 47 enquiry starts the ICPC clock.

    Working Together 2023, chapter 3: police, health and children's social care at least.
    The discussion meets the clock from the front door's decision (a reason if late) and
    starts the clock for circulating its record (local policy, default 1 working day).
    """
    if not episode.is_open:
        raise ValidationError("This episode is closed")
    if episode.referral_nfa:
        raise ValidationError("The referral was closed with no further action: nothing more can be recorded")
    if held_on > timezone.localdate():
        raise ValidationError("The strategy discussion cannot be in the future")
    if held_on < episode.referral_date:
        raise ValidationError("The strategy discussion cannot be before the referral")
    missing = REQUIRED_STRATEGY_AGENCIES - set(agencies)
    if missing:
        names = ", ".join(sorted(StrategyAgency(m).label.lower() for m in missing))
        raise ValidationError(
            f"A strategy discussion needs police, health and children's social care: add {names}"
        )
    requested = running_clock(episode, ClockKind.STRATEGY_DISCUSSION)
    if requested is not None and held_on < requested.start_date:
        requested = None  # an earlier discussion recorded late does not answer a later decision
    late_reason_check(requested, held_on, late_reason, "the strategy discussion")
    with transaction.atomic():
        discussion = audited_create(
            StrategyDiscussion,
            actor=actor,
            action="strategy_discussion_record",
            values={
                "episode": episode,
                "held_on": held_on,
                "agencies": sorted(agencies),
                "information_shared": information_shared,
                "safety_actions": safety_actions,
                "section_47_started": start_section_47,
            },
            audit=["held_on", "agencies", "section_47_started"],
            child_id=episode.child_id,
        )
        if requested is not None:
            clock_stop(actor=actor, clock=requested, met_date=held_on, late_reason=late_reason)
        clock_start(
            actor=actor,
            kind=ClockKind.STRATEGY_RECORD,
            episode=episode,
            source=discussion,
            start_date=held_on,
        )
        if start_section_47:
            _section_47_start(actor=actor, discussion=discussion)
    return discussion


def strategy_record_circulate(
    *, actor: User, discussion: StrategyDiscussion, on: dt.date, late_reason: str = ""
) -> StrategyDiscussion:
    """The record of the discussion went to the agencies: meets its clock (a reason if late)."""
    if discussion.record_circulated_on is not None:
        raise ValidationError("The record of this discussion has already been circulated")
    if on < discussion.held_on or on > timezone.localdate():
        raise ValidationError("The record must be circulated between the discussion and today")
    clock = running_clock(discussion.episode, ClockKind.STRATEGY_RECORD, discussion)
    late_reason_check(clock, on, late_reason, "the record")
    with transaction.atomic():
        audited_update(
            discussion,
            actor=actor,
            action="strategy_record_circulate",
            values={"record_circulated_on": on},
            child_id=discussion.episode.child_id,
        )
        if clock is not None:
            clock_stop(actor=actor, clock=clock, met_date=on, late_reason=late_reason)
    return discussion


def _open_section_47(episode: CINEpisode) -> Section47Enquiry | None:
    """The enquiry still under way: no outcome and no conference yet."""
    return (
        Section47Enquiry.objects.filter(episode=episode, outcome="", icpc_date__isnull=True)
        .order_by("-start_date")
        .first()
    )


def _section_47_start(*, actor: User, discussion: StrategyDiscussion) -> Section47Enquiry:
    """Start the enquiry, or, while one is under way, continue it from this discussion.

    A second strategy discussion in the same enquiry does not start a second section 47 (the
    census would count two): the enquiry keeps its start date (S47ActualStartDate) and the
    conference becomes due 15 working days after this, the last, discussion (InitialCPCtarget).
    """
    episode = discussion.episode
    for earlier in StatutoryClock.objects.filter(
        episode=episode, kind=ClockKind.ICPC, met_date__isnull=True, stopped_reason=""
    ):
        clock_stop(
            actor=actor,
            clock=earlier,
            met_date=None,
            stopped_reason="Superseded by a later strategy discussion",
        )
    enquiry = _open_section_47(episode)
    due = icpc_timescale().due(discussion.held_on)
    if enquiry is not None:
        audited_update(
            enquiry,
            actor=actor,
            action="section_47_continue",
            values={"strategy_discussion": discussion, "icpc_target_date": due},
            child_id=episode.child_id,
        )
    else:
        enquiry = audited_create(
            Section47Enquiry,
            actor=actor,
            action="section_47_start",
            values={
                "episode": episode,
                "strategy_discussion": discussion,
                "start_date": discussion.held_on,
                "icpc_target_date": due,
            },
            audit=["start_date", "icpc_target_date"],
            child_id=episode.child_id,
        )
    clock_start(
        actor=actor, kind=ClockKind.ICPC, episode=episode, source=enquiry, start_date=discussion.held_on
    )
    return enquiry


def section_47_outcome_record(*, actor: User, enquiry: Section47Enquiry, outcome: str) -> Section47Enquiry:
    """Record the enquiry's outcome; without a conference the ICPC clock stops unmet."""
    with transaction.atomic():
        audited_update(
            enquiry,
            actor=actor,
            action="section_47_outcome_record",
            values={"outcome": outcome, "icpc_not_required": outcome != Section47Outcome.ICPC},
            child_id=enquiry.episode.child_id,
        )
        clock = running_clock(enquiry.episode, ClockKind.ICPC, enquiry)
        if clock is not None and enquiry.icpc_not_required:
            clock_stop(actor=actor, clock=clock, met_date=None, stopped_reason="No conference needed")
    return enquiry
