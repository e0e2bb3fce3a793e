"""Documents a worker can download: the assessment and the chronology, as PDF.

Rendered from the same data as the pages, through one print template, by WeasyPrint (which
needs the system's Pango library, present on Debian and on this project's machines), as
PDF/UA-1: tagged, so a screen reader reads headings, tables and text in order, with the
document's language and title.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"


def pdf_response(*, template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    import weasyprint  # imported here: only downloads need it, and it is slow to import

    html = render_to_string(template, context)
    pdf = weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
