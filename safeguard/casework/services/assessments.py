"""Child and family assessments: start, sections, details, submission, authorisation."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.audit.services import audited_create, audited_update
from safeguard.casework.assessment_sections import SECTION_KEYS
from safeguard.casework.clocks import assessment_clock, clock_start, clock_stop, running_clock
from safeguard.casework.models import (
    Assessment,
    AssessmentSection,
    AssessmentStatus,
    CINEpisode,
    ClockKind,
    StatutoryClock,
)
from safeguard.casework.selectors import assessment_authorise_refusal, assessment_missing

# -- assessment -------------------------------------------------------------------------


def assessment_start(*, actor: User, episode: CINEpisode, start_date: dt.date) -> Assessment:
    """Start a child and family assessment.

    The first assessment of an episode takes over the clock that started at the referral
    (45 working days from the point of referral, WT2023 ch.3). A later assessment in the same
    episode (circumstances changed after the first was authorised) is a new piece of work: its
    clock runs from its own start, not from a referral months ago.
    """
    if not episode.is_open:
        raise ValidationError("This episode is closed")
    if episode.referral_nfa:
        raise ValidationError("The referral was closed with no further action: nothing more can be recorded")
    if start_date < episode.referral_date:
        raise ValidationError("The assessment cannot start before the referral")
    with transaction.atomic():
        # Facts already known are not asked again: start from the last authorised factors.
        previous = (
            Assessment.objects.filter(episode__child_id=episode.child_id, authorised_date__isnull=False)
            .order_by("-authorised_date")
            .values_list("factors", flat=True)
            .first()
        )
        assessment = audited_create(
            Assessment,
            actor=actor,
            action="assessment_start",
            values={
                "episode": episode,
                "start_date": start_date,
                "factors": [f for f in (previous or []) if f != "21"],
            },
            audit=["episode", "start_date"],
            child_id=episode.child_id,
        )
        _assessment_clock_attach(actor=actor, episode=episode, assessment=assessment)
    return assessment


def _assessment_clock_attach(*, actor: User, episode: CINEpisode, assessment: Assessment) -> None:
    waiting = running_clock(episode, ClockKind.ASSESSMENT, episode)
    if waiting is not None:
        # The referral's clock becomes this assessment's: same start, same due date.
        audited_update(
            waiting,
            actor=actor,
            action="clock_attach",
            values={"source_type": assessment._meta.label_lower, "source_id": assessment.pk},
            child_id=episode.child_id,
        )
        return
    earlier = StatutoryClock.objects.filter(episode=episode, kind=ClockKind.ASSESSMENT).exists()
    clock_start(
        actor=actor,
        kind=ClockKind.ASSESSMENT,
        episode=episode,
        source=assessment,
        # An episode recorded without its referral clock (an import) still counts from the referral.
        start_date=assessment.start_date if earlier else episode.referral_date,
    )


class EditConflict(Exception):
    """Someone else (or the same user in another window) saved this section since the page
    the save came from was opened."""

    def __init__(self, section: AssessmentSection) -> None:
        super().__init__("edit conflict")
        self.section = section


_SUBMITTED = "This assessment has been sent for authorisation and can no longer be changed"


def _is_conflict(section: AssessmentSection, *, actor: User, based_on_version: int, edit: str) -> bool:
    """Whether a save from the page ``edit``, based on ``based_on_version``, would overwrite
    words its writer has not seen.

    A page's autosave and its final save can cross in flight, so the page may send a version
    its own earlier save has already replaced. Every version a page writes follows one it had
    seen, so when the current version is the same page's, everything since the page's base is
    that page's too: no one else's words are lost.
    """
    if section.version == based_on_version:
        return False
    return not (edit and section.edit == edit and section.modified_by_id == actor.pk)


def assessment_section_save(
    *,
    actor: User,
    assessment: Assessment,
    key: str,
    text: str,
    based_on_version: int,
    edit: str = "",
) -> AssessmentSection:
    """Save a section's draft text, refusing a save that would overwrite someone else's.

    ``edit`` is the editing page's token: saves from the same page never conflict with each
    other (see ``_is_conflict``).
    """
    if key not in SECTION_KEYS:
        raise ValueError(key)
    with transaction.atomic():
        # Locked so a submission cannot slip in between this check and the write.
        status = Assessment.objects.select_for_update().values_list("status", flat=True).get(pk=assessment.pk)
        if status != AssessmentStatus.IN_PROGRESS:
            raise ValidationError(_SUBMITTED)
        section, _created = AssessmentSection.objects.select_for_update().get_or_create(
            assessment=assessment, key=key, defaults={"created_by": actor, "modified_by": actor}
        )
        if _is_conflict(section, actor=actor, based_on_version=based_on_version, edit=edit):
            raise EditConflict(section)
        if section.text == text:
            return section
        audited_update(
            section,
            actor=actor,
            action="assessment_section_save",
            values={"text": text, "version": section.version + 1, "edit": edit},
            audit=["text"],
            child_id=assessment.episode.child_id,
        )
        # Every writer is kept, not just the last: none of them may authorise (four eyes).
        section.authors.add(actor)
    return section


def assessment_record_details(
    *, actor: User, assessment: Assessment, fields: dict[str, object]
) -> Assessment:
    """The structured parts: dates seen, the internal review, factors, outcome. Saved even
    if incomplete."""
    allowed = {"child_seen_date", "child_seen_alone", "internal_review_date", "factors", "outcome"}
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        # What the manager authorises must be what was submitted.
        raise ValidationError("This assessment has been submitted and can no longer be changed")
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValueError(unknown[0])
    _check_internal_review(assessment, fields)
    with transaction.atomic():
        event = audited_update(
            assessment,
            actor=actor,
            action="assessment_record_details",
            values=fields,
            child_id=assessment.episode.child_id,
        )
        if event.changes:
            assessment.details_recorded_by.add(actor)
    return assessment


def _check_internal_review(assessment: Assessment, fields: dict[str, object]) -> None:
    """An internal review falls between the assessment's start (the database refuses an
    earlier one too; this says so in words, on the field) and today."""
    reviewed = fields.get("internal_review_date")
    if not isinstance(reviewed, dt.date):
        return
    if reviewed < assessment.start_date:
        raise ValidationError(
            {
                "internal_review_date": "The internal review must be on or after the day the "
                f"assessment started ({assessment.start_date.day} {assessment.start_date:%B %Y})"
            }
        )
    if reviewed > timezone.localdate():
        raise ValidationError({"internal_review_date": "The internal review date cannot be in the future"})


def assessment_submit(*, actor: User, assessment: Assessment, on: dt.date) -> Assessment:
    """Send the assessment for authorisation; from now on its sections cannot change."""
    with transaction.atomic():
        # Locked, and checked under the lock, so that a section save in flight either lands
        # before the submission (and is part of what is authorised) or is refused.
        locked = Assessment.objects.select_for_update().values_list("status", flat=True).get(pk=assessment.pk)
        if locked != AssessmentStatus.IN_PROGRESS or assessment.status != AssessmentStatus.IN_PROGRESS:
            raise ValidationError("This assessment has already been submitted")
        missing = assessment_missing(assessment)
        if missing:
            raise ValidationError(missing)
        audited_update(
            assessment,
            actor=actor,
            action="assessment_submit",
            values={"status": AssessmentStatus.SUBMITTED, "submitted_date": on, "submitted_by": actor},
            audit=["status", "submitted_by"],
            child_id=assessment.episode.child_id,
        )
    return assessment


def assessment_authorise(
    *, actor: User, assessment: Assessment, on: dt.date, late_reason: str = ""
) -> Assessment:
    """A manager signs the assessment off (census AssessmentAuthorisationDate)."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be authorised")
    if on < assessment.start_date:
        raise ValidationError("The assessment cannot be authorised before it started")
    if on > timezone.localdate():
        raise ValidationError("The authorisation date cannot be in the future")
    refusal = assessment_authorise_refusal(actor=actor, assessment=assessment)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        clock = assessment_clock(assessment)
        if clock is not None:
            clock_stop(actor=actor, clock=clock, met_date=on, late_reason=late_reason)
        audited_update(
            assessment,
            actor=actor,
            action="assessment_authorise",
            values={"status": AssessmentStatus.AUTHORISED, "authorised_date": on, "authorised_by": actor},
            audit=["authorised_date"],
            child_id=assessment.episode.child_id,
        )
    return assessment
