"""The page where a director or performance analyst sets the council's local targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import BoundField
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.design_system.formatting import govuk_date
from safeguard.design_system.pages import form_page, posted
from safeguard.performance.benchmarks import ENGLAND, comparators
from safeguard.performance.forms import LocalTargetsForm
from safeguard.performance.measure_models import LocalTarget
from safeguard.performance.measures import MEASURES, Better, Kind, Measure, Unit, format_value
from safeguard.performance.targets import (
    local_target_rows,
    local_targets_save,
    may_have_target,
    may_set_targets,
    range_words,
)


@dataclass(frozen=True)
class TargetRow:
    measure: Measure
    england: str
    current: LocalTarget | None
    field: BoundField | None

    @property
    def better(self) -> str:
        if self.measure.better == Better.NEITHER:
            return "Neither: it describes demand"
        return "Higher" if self.measure.better == Better.HIGHER else "Lower"

    @property
    def current_words(self) -> str:
        if self.current is None:
            return "No target"
        return format_value(self.current.value, self.measure.unit)

    @property
    def set_by(self) -> str:
        t = self.current
        if t is None:
            return ""
        if t.modified_by is None:
            return f"Set when the service was installed, {govuk_date(timezone.localdate(t.modified_at))}"
        return f"Set by {t.modified_by.display_name}, {govuk_date(timezone.localdate(t.modified_at))}"

    @property
    def suffix(self) -> str | None:
        return "%" if self.measure.unit == Unit.PERCENT else None

    @property
    def hint(self) -> str:
        return range_words(self.measure).capitalize()


def _groups(form: LocalTargetsForm, stored: dict[str, LocalTarget]) -> list[tuple[str, list[TargetRow]]]:
    england = {key: c for key, found in comparators().items() for c in found if c.area == ENGLAND}
    groups: dict[str, list[TargetRow]] = {}
    for m in MEASURES:
        if m.kind == Kind.NOT_YET:
            continue
        figure = england.get(m.england_key)
        groups.setdefault(m.group, []).append(
            TargetRow(
                measure=m,
                england=f"{figure.display} ({figure.period})" if figure else "Not published",
                current=stored.get(m.id),
                field=form[m.id] if may_have_target(m) else None,
            )
        )
    return list(groups.items())


def _saved(changed: list[str]) -> str:
    if not changed:
        return "No targets were changed"
    return f"Targets saved: {len(changed)} changed" if len(changed) > 1 else "Target saved: 1 changed"


@require_http_methods(["GET", "POST"])
def targets(request: AuthenticatedRequest) -> HttpResponse:
    if not may_set_targets(request.user):
        raise PermissionDenied("Only directors and performance analysts set the local targets")
    stored = local_target_rows()
    form = LocalTargetsForm(posted(request), current={k: t.value for k, t in stored.items()})

    def save(data: dict[str, Any]) -> list[str]:
        return local_targets_save(actor=request.user, values=data)

    return form_page(
        request,
        form,
        template="performance/targets.html",
        save=save,
        then=reverse("performance:targets"),
        success=_saved,
        context=lambda: {"groups": _groups(form, stored)},
    )
