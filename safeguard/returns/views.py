"""The performance analyst's pre-submission report for the CIN census."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.returns.cin_census.report import cin_report
from safeguard.returns.forms import CINReportFilterForm
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
