"""The analysis of need: its page, and the one-page need profile for the partnership."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import NEED_LOOKUP_UPLOAD_ROLES
from safeguard.casework.documents import pdf_response
from safeguard.performance import need_charts
from safeguard.performance.need import FEWER_THAN_5, SMALLEST_SHOWN, shown
from safeguard.performance.need_lookups import latest_loads
from safeguard.performance.need_selectors import NeedPage, need_page_for_user


def _context(page: NeedPage, *, may_upload: bool = False) -> dict[str, object]:
    analysis = page.analysis
    this_month = timezone.localdate().replace(day=1)
    whole = [m for m in analysis.months if m.month < this_month]
    return {
        "page": page,
        "analysis": analysis,
        "fewer_than_5": FEWER_THAN_5,
        "smallest_shown": SMALLEST_SHOWN,
        "shown": shown,
        "forecasts": [
            {
                "forecast": forecast,
                "chart": need_charts.forecast_chart(forecast),
                "backtest_chart": need_charts.backtest_chart(forecast),
            }
            for forecast in (page.contacts_forecast, page.referrals_forecast)
        ],
        "seasons_chart": need_charts.seasons_chart(whole),
        "schools_chart": need_charts.seasons_chart(whole, schools=True),
        "breakdowns": [(b, need_charts.breakdown_chart(b)) for b in analysis.breakdowns],
        "factors_chart": need_charts.factors_chart(analysis.factors),
        "primary_need_chart": need_charts.counts_chart(
            "Referrals by primary need", analysis.primary_need, label_header="Primary need"
        ),
        "loads": latest_loads(),
        "may_upload_lookups": may_upload,
    }


@require_GET
def need_analysis(request: AuthenticatedRequest) -> HttpResponse:
    page = need_page_for_user(user=request.user, today=timezone.localdate())
    may_upload = request.user.role in NEED_LOOKUP_UPLOAD_ROLES
    return render(request, "performance/need.html", _context(page, may_upload=may_upload))


@require_GET
def need_profile_pdf(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    page = need_page_for_user(user=request.user, today=today)
    analysis = page.analysis
    return pdf_response(
        template="performance/need_profile.html",
        context={
            "title": f"Safeguarding need profile: {settings.COUNCIL_NAME}",
            "analysis": analysis,
            "page": page,
            "printed": today,
            "fewer_than_5": FEWER_THAN_5,
            "shown": shown,
            "chart": need_charts.forecast_chart(page.referrals_forecast, history_months=24),
            "district": analysis.breakdown("district"),
            "age": analysis.breakdown("age"),
            "source": analysis.breakdown("source"),
            "factors": analysis.factors[:6],
        },
        filename=f"need-profile-{analysis.period.end:%Y-%m}.pdf",
    )
