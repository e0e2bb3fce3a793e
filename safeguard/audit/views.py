from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import AUDIT_EXPORT_ROLES
from safeguard.audit.forms import AuditExportForm
from safeguard.audit.selectors import AuditTrail, audit_trail_for_export
from safeguard.core.spreadsheets import csv_lines

# New columns go on the end, so that readers of earlier exports keep working. For a read,
# "action_or_read" is the kind of record read and "read_action" how (view, download, export,
# list, search, refused); "detail" is the emergency-access reason and "read_detail" how a list
# or search was made, or why the read was refused.
CSV_HEADER = [
    "kind",
    "when",
    "who",
    "action_or_read",
    "record_type",
    "record_id",
    "child_id",
    "detail",
    "read_action",
    "read_detail",
]


def _rows(trail: AuditTrail) -> Iterator[list[object]]:
    for e in trail.events.iterator():
        who = e.actor.username if e.actor else "system"
        yield [
            "change",
            e.occurred_at.isoformat(),
            who,
            e.action,
            e.object_type,
            e.object_id,
            e.child_id or "",
            json.dumps(e.changes, sort_keys=True),
            "",
            "",
        ]
    for r in trail.reads.iterator():
        yield [
            "read",
            r.occurred_at.isoformat(),
            r.user.username,
            r.what,
            r.object_type,
            r.object_id,
            r.child_id or "",
            r.break_glass_reason,
            r.action,
            r.detail,
        ]


def _csv_response(trail: AuditTrail, filename: str) -> StreamingHttpResponse:
    rows: Iterator[list[object]] = itertools.chain([list(CSV_HEADER)], _rows(trail))
    # Reasons and record contents are typed by people; the shared writer defuses formulas.
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _json_response(trail: AuditTrail, filename: str) -> HttpResponse:
    records = [dict(zip(CSV_HEADER, map(str, row), strict=True)) for row in _rows(trail)]
    response = HttpResponse(json.dumps(records, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


@require_GET
def export(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
    if request.user.role not in AUDIT_EXPORT_ROLES:
        raise PermissionDenied
    form = AuditExportForm(request.GET if "format" in request.GET else None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        trail = audit_trail_for_export(user=request.user, start=start, end=end, request=request)
        filename = f"safeguard-audit-{start:%Y%m%d}-{end:%Y%m%d}"
        if form.cleaned_data["format"] == "json":
            return _json_response(trail, filename)
        return _csv_response(trail, filename)
    return render(request, "audit/export.html", {"form": form})
