from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from typing import Any, NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import AUDIT_EXPORT_ROLES, RECORDS_ROLES, Action
from safeguard.audit.models import AccessKind
from safeguard.core.calendar import add_calendar_months
from safeguard.core.spreadsheets import csv_lines
from safeguard.design_system.pages import form_action, form_page, posted
from safeguard.people.access import refuse
from safeguard.people.models import Person
from safeguard.people.permissions import can, children_for
from safeguard.people.selectors import child_get_for_user
from safeguard.records import services
from safeguard.records.forms import (
    AuditExportForm,
    DisposalForm,
    LegalHoldForm,
    MergeForm,
    ReleaseForm,
    SubjectAccessForm,
)
from safeguard.records.models import DisposalDecision, SubjectAccessStatus
from safeguard.records.selectors import (
    AuditTrail,
    audit_trail_for_export,
    record_due_for_disposal,
    records_due_for_disposal,
    subject_access_document,
    subject_access_get,
)


@require_http_methods(["GET", "POST"])
def subject_access_new(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id, request=request)
    return form_page(
        request,
        SubjectAccessForm(posted(request)),
        template="records/subject_access_new.html",
        save=lambda data: services.subject_access_prepare(
            actor=request.user,
            person=child,
            requested_by=data["requested_by"],
            received_on=data["received_on"],
        ),
        then=lambda sar: reverse("records:subject_access_detail", args=[sar.pk]),
        context={"child": child, "back_url": reverse("people:child_detail", args=[child.pk])},
    )


@require_GET
def subject_access_detail(request: AuthenticatedRequest, request_id: uuid.UUID) -> HttpResponse:
    sar = subject_access_get(user=request.user, request_id=request_id, request=request)
    may_release = (
        sar.status == SubjectAccessStatus.READY_FOR_REVIEW
        and sar.created_by_id != request.user.pk
        and can(request.user, Action.AUTHORISE, sar.person)
    )
    return render(
        request,
        "records/subject_access_detail.html",
        {
            "sar": sar,
            "sections": subject_access_document(sar),
            "release_form": ReleaseForm() if may_release else None,
        },
    )


@require_POST
def subject_access_release(request: AuthenticatedRequest, request_id: uuid.UUID) -> HttpResponse:
    sar = subject_access_get(user=request.user, request_id=request_id, request=request)
    if not can(request.user, Action.AUTHORISE, sar.person):
        raise PermissionDenied
    form = ReleaseForm(request.POST)
    # Errors are shown on the export's own page, with the release form as it was filled in.
    return form_page(
        request,
        form,
        template="records/subject_access_detail.html",
        save=lambda data: services.subject_access_release(
            actor=request.user,
            request=sar,
            include_third_parties="third_parties" in data["include"],
            include_referral_sources="referral_sources" in data["include"],
            reason=data["reason"],
        ),
        then=reverse("records:subject_access_detail", args=[sar.pk]),
        success="The export has been released.",
        context=lambda: {"sar": sar, "sections": subject_access_document(sar), "release_form": form},
    )


@require_http_methods(["GET", "POST"])
def legal_hold(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id, request=request)
    if request.user.role not in RECORDS_ROLES:
        raise PermissionDenied
    back = reverse("people:child_detail", args=[child.pk])
    return form_page(
        request,
        LegalHoldForm(posted(request)),
        template="records/legal_hold.html",
        save=lambda data: services.legal_hold_place(actor=request.user, person=child, reason=data["reason"]),
        then=back,
        success="The record is on legal hold and will not be disposed of.",
        context={"child": child, "back_url": back},
    )


@require_GET
def disposal_review(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role not in RECORDS_ROLES:
        raise PermissionDenied
    due = records_due_for_disposal(user=request.user, today=timezone.localdate())
    return render(request, "records/disposal_review.html", {"due": due, "form": DisposalForm()})


@require_POST
def disposal_decide(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    if request.user.role not in RECORDS_ROLES:
        raise PermissionDenied
    child = children_for(request.user, Action.VIEW).filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    today = timezone.localdate()
    if record_due_for_disposal(user=request.user, child_id=child.pk, today=today) is None:
        # Decisions are taken only on the review list, and this record is not on it.
        if child.legal_holds.filter(lifted_at__isnull=True).exists():
            messages.error(request, "This record is under a legal hold and cannot be disposed of")
        else:
            messages.error(request, "This record is not due for review: it cannot be disposed of or kept")
        return HttpResponseRedirect(reverse("records:disposal_review"))

    def decide(data: dict[str, Any]) -> DisposalDecision:
        if data["decision"] == "dispose":
            return services.record_dispose(
                actor=request.user, person=child, reason=data["reason"], today=today
            )
        until = add_calendar_months(today, 24)
        return services.record_retain(actor=request.user, person=child, reason=data["reason"], until=until)

    review = reverse("records:disposal_review")
    return form_action(
        request,
        DisposalForm(request.POST),
        save=decide,
        then=review,
        back=review,
        success="Your decision has been recorded.",
    )


# -- merging duplicate records -----------------------------------------------------


def _refuse_merge(request: AuthenticatedRequest, child: Person, reason: str) -> NoReturn:
    refuse(
        user=request.user,
        what=AccessKind.CHILD,
        instance=child,
        child_id=child.pk,
        reason=reason,
        request=request,
    )


@require_http_methods(["GET", "POST"])
def child_merge(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    keep = child_get_for_user(user=request.user, child_id=child_id, request=request)
    if not can(request.user, Action.MERGE, keep):
        _refuse_merge(request, keep, "the user may not merge records")

    def merge(data: dict[str, Any]) -> None:
        identifier = data["duplicate"].strip()
        duplicate = children_for(request.user, Action.MERGE).filter(la_child_id__iexact=identifier).first()
        if duplicate is None and children_for(request.user).filter(la_child_id__iexact=identifier).exists():
            # Seen but held by a team outside the user's merge scope: refused, as for the kept one.
            _refuse_merge(request, keep, "the duplicate is outside the user's merge scope")
        if duplicate is None:
            raise ValidationError({"duplicate": "No child you can see has that local child identifier"})
        services.child_merge(actor=request.user, keep=keep, duplicate=duplicate, reason=data["reason"])

    return form_page(
        request,
        MergeForm(posted(request)),
        template="records/child_merge.html",
        save=merge,
        then=reverse("people:child_detail", args=[keep.pk]),
        success="The records are merged.",
        context={"child": keep, "back_url": reverse("people:child_detail", args=[keep.pk])},
    )


# -- audit export ------------------------------------------------------------------

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
def audit_export(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
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
    return render(request, "records/audit_export.html", {"form": form})
