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
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.audit.services import access_log_record
from safeguard.design_system.pages import form_page, posted
from safeguard.returns.cin_census.report import cin_report
from safeguard.returns.cin_census.services import NoCensusData, cin_census_request
from safeguard.returns.cin_census.spec import CensusYearError
from safeguard.returns.forms import CINCensusRunForm, CINReportFilterForm
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
