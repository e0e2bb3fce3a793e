"""Question-page journeys: one question per page, then Check answers, then a confirmation.

Every POST saves what was typed to a server-side ``Draft`` *before* validation, so a
validation error, a timed-out session or a closed browser loses nothing. Only the step's own
fields are saved, without control characters (which PostgreSQL cannot store; the form says
it removed them), and a draft has a size limit far above any honest answer, so an
anonymous visitor cannot use drafts as free storage. Steps can be
skipped by a condition on earlier answers (branching). Back links go to the previous step
that applies; Change links on Check answers come back to Check answers. A submission
locks its draft, so a double click or a replayed form returns the first record.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from safeguard.core.models import Draft
from safeguard.design_system.formatting import govuk_date
from safeguard.design_system.forms import GovukDateField, own_data, without_unusual_submitted

RawAnswers = dict[str, dict[str, list[str]]]
Answers = dict[str, dict[str, Any]]

# Bytes of JSON: the largest honest page (two 5,000-character answers, every character
# four bytes in UTF-8 and escaped) is about 45 KB, and the longest route about 130 KB.
# The fields' own max_length is the real limit; these only bound what a draft may hold.
STEP_SIZE_LIMIT = 64 * 1024
DRAFT_SIZE_LIMIT = 256 * 1024
TOO_LONG_TO_SAVE = "Your answers are too long to save: make the answers on this page shorter"


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[forms.Form]
    title: str
    show_if: Callable[[Answers], bool] | None = None
    template: str = "design_system/question_page.html"
    caption: str = ""


@dataclass(frozen=True)
class Journey:
    """A journey's shape. ``submit`` creates the record and returns its reference."""

    name: str
    title: str
    steps: tuple[Step, ...]
    url_namespace: str
    submit: Callable[[HttpRequest, Answers], str]
    start_url_name: str | None = None
    owner: str = "user"  # "user" for staff journeys, "session" for public ones
    check_heading: str = "Check your answers"
    confirmation_title: str = "Submitted"
    confirmation_template: str = "design_system/confirmation.html"
    next_steps_html: str = ""
    submit_text: str = "Submit"
    summary_overrides: dict[str, Callable[[Any], str]] = field(default_factory=dict)

    def step(self, slug: str) -> Step:
        for step in self.steps:
            if step.slug == slug:
                return step
        raise Http404("No such question")

    def url(self, view: str, **kwargs: Any) -> str:
        return reverse(f"{self.url_namespace}:{view}", kwargs=kwargs or None)


# -- drafts ---------------------------------------------------------------------------


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return str(request.session.session_key)


def _owner_filter(request: HttpRequest, journey: Journey) -> dict[str, Any]:
    if journey.owner == "user":
        return {"owner": request.user}
    return {"owner": None, "session_key": _session_key(request)}


def draft_current(request: HttpRequest, journey: Journey, *, create: bool) -> Draft | None:
    """The requester's unsubmitted draft of this journey (created on first use)."""
    owner = _owner_filter(request, journey)
    draft = (
        Draft.objects.filter(journey=journey.name, submitted_at__isnull=True, **owner)
        .order_by("-modified_at")
        .first()
    )
    if draft is None and create:
        draft = Draft.objects.create(journey=journey.name, data={"raw": {}}, **owner)
    return draft


def _draft_owned(request: HttpRequest, journey: Journey, draft_id: str) -> Draft:
    try:
        key = uuid.UUID(draft_id)
    except (TypeError, ValueError) as exc:
        raise Http404("No such draft") from exc
    draft = Draft.objects.filter(pk=key, journey=journey.name, **_owner_filter(request, journey)).first()
    if draft is None:
        raise Http404("No such draft")
    return draft


def _raw(draft: Draft) -> RawAnswers:
    raw: RawAnswers = draft.data.get("raw", {})
    return raw


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


def _save_raw(draft: Draft, step: Step, post: QueryDict) -> bool:
    """Keep what was posted for ``step`` in the draft; False if it is too big to keep."""
    form = step.form_class()
    cleaned, _unusual = without_unusual_submitted(form, own_data(form, post))
    values: dict[str, list[str]] = {key: cleaned.getlist(key) for key in cleaned}
    raw = {**_raw(draft), step.slug: values}
    if _size(values) > STEP_SIZE_LIMIT or _size(raw) > DRAFT_SIZE_LIMIT:
        return False
    draft.data = {**draft.data, "raw": raw}
    draft.save(update_fields=["data", "modified_at"])
    return True


def _bound_form(step: Step, raw: RawAnswers) -> forms.Form:
    return step.form_class(data=MultiValueDict(raw.get(step.slug, {})))


def answers_from(journey: Journey, raw: RawAnswers) -> tuple[Answers, list[Step], Step | None]:
    """Clean every step that applies; return the answers, the steps, the first incomplete."""
    answers: Answers = {}
    active: list[Step] = []
    first_incomplete: Step | None = None
    for step in journey.steps:
        if step.show_if is not None and not step.show_if(answers):
            continue
        active.append(step)
        if step.slug not in raw:
            first_incomplete = first_incomplete or step
            continue
        form = _bound_form(step, raw)
        if form.is_valid():
            answers[step.slug] = form.cleaned_data
        else:
            first_incomplete = first_incomplete or step
    return answers, active, first_incomplete


# -- views ----------------------------------------------------------------------------


def _previous_url(journey: Journey, active: list[Step], step: Step, changing: bool) -> str:
    if changing:
        return journey.url("check")
    index = [s.slug for s in active].index(step.slug) if step in active else 0
    if index > 0:
        return journey.url("step", slug=active[index - 1].slug)
    return reverse(journey.start_url_name) if journey.start_url_name else "/"


def journey_step(request: HttpRequest, journey: Journey, slug: str) -> HttpResponse:
    step = journey.step(slug)
    draft = draft_current(request, journey, create=True)
    assert draft is not None
    changing = request.GET.get("change") == "1"
    saved = _save_raw(draft, step, request.POST) if request.method == "POST" else True
    raw = _raw(draft)
    _answers, active, first_incomplete = answers_from(journey, raw)
    if step not in active:
        target = first_incomplete or active[0]
        return HttpResponseRedirect(journey.url("step", slug=target.slug))

    if request.method == "POST":
        # Validate what was posted, not the draft: the form says which answers lost
        # unusual characters, and an answer too big to keep is still shown to be shortened.
        form = step.form_class(data=own_data(step.form_class(), request.POST))
        if form.is_valid() and saved:
            return HttpResponseRedirect(_next_url(journey, active, step, first_incomplete, changing))
        if not saved and not form.errors:
            form.add_error(None, TOO_LONG_TO_SAVE)
    else:
        form = _bound_form(step, raw) if step.slug in raw else step.form_class()
    if request.method == "GET" and step.slug in raw:
        form.errors.clear()  # show what was typed, but errors only after a submit
    return render(
        request,
        step.template,
        {
            "journey": journey,
            "step": step,
            "form": form,
            "back_url": _previous_url(journey, active, step, changing),
            "has_errors": request.method == "POST",
        },
        status=200,
    )


def _next_url(
    journey: Journey, active: list[Step], step: Step, first_incomplete: Step | None, changing: bool
) -> str:
    if changing and first_incomplete is None:
        return journey.url("check")
    slugs = [s.slug for s in active]
    index = slugs.index(step.slug)
    for later in active[index + 1 :]:
        if later == first_incomplete or not changing:
            return journey.url("step", slug=later.slug)
    if first_incomplete is not None:
        return journey.url("step", slug=first_incomplete.slug)
    return journey.url("check")


def summary_rows(journey: Journey, answers: Answers, active: list[Step]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for step in active:
        form = step.form_class()
        for name, field_ in form.fields.items():
            if getattr(field_.widget, "input_type", "") == "hidden":
                continue
            value = answers.get(step.slug, {}).get(name)
            override = journey.summary_overrides.get(f"{step.slug}.{name}")
            text = override(value) if override else display_value(field_, value)
            rows.append(
                {
                    "key": {"text": str(field_.label)},
                    "value": {"text": text},
                    "actions": {
                        "items": [
                            {
                                "href": journey.url("step", slug=step.slug) + "?change=1",
                                "text": "Change",
                                "visuallyHiddenText": str(field_.label).lower(),
                            }
                        ]
                    },
                }
            )
    return rows


def display_value(field_: forms.Field, value: Any) -> str:
    if value in (None, "", [], ()):
        return "Not provided"
    if isinstance(field_, GovukDateField) or isinstance(value, dt.date):
        return govuk_date(value)
    choices = dict(getattr(field_, "choices", []) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(choices.get(value, value))


def journey_check(request: HttpRequest, journey: Journey) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, journey)
    draft = draft_current(request, journey, create=False)
    if draft is None:
        return HttpResponseRedirect(journey.url("step", slug=journey.steps[0].slug))
    answers, active, first_incomplete = answers_from(journey, _raw(draft))
    if first_incomplete is not None:
        return HttpResponseRedirect(journey.url("step", slug=first_incomplete.slug))
    return render(
        request,
        "design_system/check_answers.html",
        {
            "journey": journey,
            "rows": summary_rows(journey, answers, active),
            "draft": draft,
            "back_url": journey.url("step", slug=active[-1].slug),
        },
    )


def _submit(request: HttpRequest, journey: Journey) -> HttpResponse:
    with transaction.atomic():
        draft = _draft_owned(request, journey, request.POST.get("draft", ""))
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if draft.submitted_at is None:
            answers, _active, first_incomplete = answers_from(journey, _raw(draft))
            if first_incomplete is not None:
                return HttpResponseRedirect(journey.url("step", slug=first_incomplete.slug))
            reference = journey.submit(request, answers)
            draft.submitted_at = timezone.now()
            draft.submitted_record = reference
            draft.save(update_fields=["submitted_at", "submitted_record", "modified_at"])
    request.session[f"journey:{journey.name}:submitted"] = str(draft.pk)
    return HttpResponseRedirect(journey.url("done"))


def journey_done(request: HttpRequest, journey: Journey) -> HttpResponse:
    draft_id = request.session.get(f"journey:{journey.name}:submitted", "")
    draft = _draft_owned(request, journey, draft_id) if draft_id else None
    if draft is None or draft.submitted_at is None:
        raise Http404("Nothing submitted")
    return render(
        request,
        journey.confirmation_template,
        {"journey": journey, "reference": draft.submitted_record, "draft": draft},
    )


def journey_start_again(request: HttpRequest, journey: Journey) -> HttpResponse:
    """Discard the current draft (POST only) and begin at the first question."""
    if request.method == "POST":
        draft = draft_current(request, journey, create=False)
        if draft is not None:
            draft.delete()
    return HttpResponseRedirect(journey.url("step", slug=journey.steps[0].slug))
