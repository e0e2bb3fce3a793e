"""The need analysis as its page and its PDF read it: authorised, cached, with forecasts.

The analysis is cached under a fingerprint of the records it is counted from (the latest
audit event, which every change through a service writes, and the number of referrals,
contacts and assessments, which a bulk load changes), so an unchanged service answers
from the cache and any change is counted afresh. The forecasts are cached by their own
series (``need_forecast.cached_forecast``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.policy import NEED_ANALYSIS_ROLES
from safeguard.audit.models import AuditEvent
from safeguard.casework.models import Assessment, CINEpisode
from safeguard.frontdoor.models import Contact
from safeguard.performance.need import (
    MonthRow,
    NeedAnalysis,
    Period,
    last_twelve_months,
    monthly_counts,
    need_analysis,
)
from safeguard.performance.need_forecast import Forecast, cached_forecast, whole_months
from safeguard.performance.need_models import NeedLookupLoad

CACHE_SECONDS = 15 * 60
_CACHE_VERSION = "need-analysis-1"


@dataclass(frozen=True)
class NeedPage:
    analysis: NeedAnalysis
    contacts_forecast: Forecast
    referrals_forecast: Forecast


def may_view_need_analysis(user: User) -> bool:
    return user.is_authenticated and user.role in NEED_ANALYSIS_ROLES


def _fingerprint() -> str:
    latest = AuditEvent.objects.aggregate(at=Max("occurred_at"))["at"]
    loaded = NeedLookupLoad.objects.aggregate(at=Max("created_at"))["at"]
    parts = [
        str(latest),
        str(loaded),
        str(CINEpisode.objects.count()),
        str(Contact.objects.count()),
        str(Assessment.objects.count()),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _forecasts(months: list[MonthRow], today: dt.date) -> tuple[Forecast, Forecast]:
    starts = [m.month for m in months]
    contact_months, contacts = whole_months(starts, [m.contacts for m in months], today=today)
    referral_months, referrals = whole_months(starts, [m.referrals for m in months], today=today)
    return (
        cached_forecast("Contacts", contact_months, contacts),
        cached_forecast("Referrals", referral_months, referrals),
    )


def need_page(*, today: dt.date, period: Period | None = None) -> NeedPage:
    """The analysis and both forecasts (no viewer: for the page below and the PDF job).

    When the analysis must be counted afresh, the monthly counts come first and the
    forecasts are fitted from them in a second thread while the database counts the rest:
    fitting is Python's work and counting the database's, so on two cores they overlap.
    The forecasting thread touches no database connection (only the cache)."""
    period = period or last_twelve_months(today)
    key = f"{_CACHE_VERSION}:{period.start}:{period.end}:{today}:{_fingerprint()}"
    stored = cache.get(key)
    if isinstance(stored, NeedAnalysis):
        contacts_forecast, referrals_forecast = _forecasts(stored.months, today)
        return NeedPage(stored, contacts_forecast, referrals_forecast)
    months = monthly_counts(end=today)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="need-forecast") as pool:
        fitting = pool.submit(_forecasts, months, today)
        counted = need_analysis(period=period, today=today, months=months)
        contacts_forecast, referrals_forecast = fitting.result()
    analysis = replace(counted, computed_at=timezone.now())
    cache.set(key, analysis, CACHE_SECONDS)
    return NeedPage(analysis, contacts_forecast, referrals_forecast)


def need_page_for_user(*, user: User, today: dt.date, period: Period | None = None) -> NeedPage:
    """:func:`need_page` for a director, performance analyst or service manager (else 403).
    It counts children and names none, so it reads no child's record."""
    if not may_view_need_analysis(user):
        raise PermissionDenied(
            "The analysis of need is for directors, performance analysts and service managers."
        )
    return need_page(today=today, period=period)
