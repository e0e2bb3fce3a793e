"""The page where a director or performance analyst uploads the postcode to ward lookup or
the child populations the analysis of need reads (the same checks as ``load_need_lookups``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import NEED_LOOKUP_UPLOAD_ROLES
from safeguard.design_system.pages import form_page
from safeguard.performance.forms import NeedLookupUploadForm
from safeguard.performance.need_lookups import HEADINGS, MAX_ERRORS_SHOWN, latest_loads, need_lookup_load
from safeguard.performance.need_models import LookupKind, NeedLookupLoad


def _loaded(load: NeedLookupLoad) -> str:
    return (
        f"Loaded {load.rows:,} rows from {load.source_name}: the {load.get_kind_display().lower()} "
        "now in use. The analysis of need is counted again with them."
    )


@require_http_methods(["GET", "POST"])
def need_lookup_upload(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role not in NEED_LOOKUP_UPLOAD_ROLES:
        raise PermissionDenied("Only directors and performance analysts load the need analysis's lookups")
    form = NeedLookupUploadForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> NeedLookupLoad:
        name, text = data["file"]
        try:
            return need_lookup_load(
                actor=request.user, kind=LookupKind(data["kind"]), source_name=name, text=text
            )
        except ValidationError as error:
            # Each bad line beside the file (and in the summary at the top), none saved.
            raise ValidationError({"file": error.messages}) from error

    return form_page(
        request,
        form,
        template="performance/need_lookup_upload.html",
        save=save,
        then=reverse("performance:need_analysis"),
        success=_loaded,
        context=lambda: {
            "headings": {kind.value: ",".join(h) for kind, h in HEADINGS.items()},
            "loads": latest_loads(),
            "max_errors": MAX_ERRORS_SHOWN,
        },
    )
