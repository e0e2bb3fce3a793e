"""The performance analyst's census pages: build the file, watch it, download it, check it."""

from __future__ import annotations

import uuid
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.audit.services import access_log_record
from safeguard.casework.selectors import episode_get_for_user
from safeguard.core.entry_checks import EntryTarget
from safeguard.design_system.pages import form_page, posted
from safeguard.people.access import child_read
from safeguard.returns.cin_census.details import child_census_update, episode_census_update
from safeguard.returns.cin_census.report import cin_report
from safeguard.returns.cin_census.services import NoCensusData, cin_census_request
from safeguard.returns.cin_census.spec import CensusYearError
from safeguard.returns.forms import ChildCensusForm, CINCensusRunForm, CINReportFilterForm, EpisodeCensusForm
from safeguard.returns.models import ReturnRun, RunStatus
from safeguard.returns.selectors import census_run_for, census_runs_for
from safeguard.returns.url_policy import REPORT_ROLES


@require_GET
def cin_census_report(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role not in REPORT_ROLES:
        raise PermissionDenied
    form = CINReportFilterForm(request.GET or None)
    report = None
    if form.is_bound and form.is_valid():
        team = form.cleaned_data["team"]
        worker = form.cleaned_data["worker"]
        report = cin_report(
            user=request.user,
            year=form.cleaned_data["year"],
            team_id=team.pk if team else None,
            worker_id=worker.pk if worker else None,
            request=request,
        )
    return render(request, "returns/cin_census_report.html", {"form": form, "report": report})


@require_http_methods(["GET", "POST"])
def cin_census_runs(request: AuthenticatedRequest) -> HttpResponse:
    runs = list(census_runs_for(user=request.user))
    form = CINCensusRunForm(posted(request))

    def save(data: dict[str, int]) -> ReturnRun:
        try:
            return cin_census_request(actor=request.user, year=data["year"])
        except (CensusYearError, NoCensusData) as error:
            raise ValidationError({"year": str(error)}) from error

    return form_page(
        request,
        form,
        template="returns/cin_census_runs.html",
        save=save,
        then=lambda run: reverse("returns:cin_census_run", args=[run.pk]),
        success="The census build has started.",
        context={"runs": runs},
    )


@require_GET
def cin_census_run(request: AuthenticatedRequest, run_id: uuid.UUID) -> HttpResponse:
    run = census_run_for(user=request.user, run_id=run_id)
    by_rule = Counter((f["rule"], f["severity"]) for f in run.failures)
    summary = sorted(by_rule.items(), key=lambda item: (item[0][1] != "error", -item[1], item[0][0]))
    return render(
        request,
        "returns/cin_census_run.html",
        {"run": run, "summary": summary, "succeeded": run.status == RunStatus.SUCCEEDED},
    )


@require_GET
def cin_census_download(request: AuthenticatedRequest, run_id: uuid.UUID) -> HttpResponse:
    run = census_run_for(user=request.user, run_id=run_id, with_content=True)
    if run.status != RunStatus.SUCCEEDED or not run.content:
        raise PermissionDenied("This build has no file to download.")
    access_log_record(
        user=request.user,
        what=AccessKind.CHILD_LIST,
        instance=run,
        action=AccessAction.DOWNLOAD,
        request=request,
        detail=f"CIN census file {run.period}: {run.children_count} children",
    )
    stamp = timezone.localtime(run.started_at).strftime("%Y%m%d-%H%M")
    response = HttpResponse(bytes(run.content), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="cin-census-{run.period}-{stamp}.xml"'
    return response


@require_http_methods(["GET", "POST"])
def child_census(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    """A child's census details (UPN, disabilities, date of death), for whoever may edit the child."""
    child = child_read(
        user=request.user,
        child_id=child_id,
        what=AccessKind.CHILD,
        request=request,
        scope=Action.EDIT,
        prefetch=("disabilities",),
    )
    initial = {
        "upn": child.upn,
        "upn_unknown_reason": child.upn_unknown_reason,
        "former_upn": child.former_upn,
        "disabilities": [d.code for d in child.disabilities.all()],
        "date_of_death": child.date_of_death,
    }
    form = ChildCensusForm(posted(request), initial=initial, entry=EntryTarget(child_id=child.pk))
    child_url = reverse("people:child_detail", args=[child.pk])
    return form_page(
        request,
        form,
        template="returns/child_census.html",
        save=lambda data: child_census_update(
            actor=request.user,
            child=child,
            upn=data["upn"],
            former_upn=data["former_upn"],
            upn_unknown_reason=data["upn_unknown_reason"],
            disabilities=data["disabilities"],
            date_of_death=data["date_of_death"],
        ),
        then=child_url,
        success="The census details are saved.",
        context={"child": child, "back_url": child_url},
    )


@require_http_methods(["GET", "POST"])
def episode_census(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """An episode's primary need, referral source and 'no further action'."""
    episode = episode_get_for_user(
        user=request.user, episode_id=episode_id, action=Action.EDIT, request=request, what=AccessKind.EPISODE
    )
    initial = {
        "primary_need": episode.primary_need,
        "referral_source": episode.referral_source,
        "referral_nfa": "yes" if episode.referral_nfa else "no",
    }
    target = EntryTarget(child_id=episode.child_id, episode_id=episode.pk)
    form = EpisodeCensusForm(posted(request), initial=initial, entry=target)
    episode_url = reverse("casework:episode_detail", args=[episode.pk])
    return form_page(
        request,
        form,
        template="returns/episode_census.html",
        save=lambda data: episode_census_update(
            actor=request.user,
            episode=episode,
            primary_need=data["primary_need"],
            referral_source=data["referral_source"],
            referral_nfa=data["referral_nfa"] == "yes",
        ),
        then=episode_url,
        success="The census details are saved.",
        context={"episode": episode, "child": episode.child, "back_url": episode_url},
    )
