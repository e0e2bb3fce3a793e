"""The Jinja2 environment for every service page.

GOV.UK Frontend macros come from ``govuk-frontend-jinja`` under the prefix
``govuk_frontend_jinja/``; our own components and layouts live in
``design_system/jinja2/``. Nothing outside this app knows how a component is rendered.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, PrefixLoader
from markupsafe import Markup

from safeguard.design_system import formatting
from safeguard.design_system.forms import govuk_error_summary_params, govuk_field


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def govuk_link(href: str, text: object) -> Markup:
    """A link for a component's ``html`` parameter, with its text escaped."""
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, text)


def council() -> dict[str, Any]:
    return {
        "name": settings.COUNCIL_NAME,
        "short_name": settings.COUNCIL_SHORT_NAME,
        "logo_text": settings.COUNCIL_LOGO_TEXT,
        "colour": settings.COUNCIL_COLOUR,
        "phone": settings.COUNCIL_PHONE,
        "out_of_hours_phone": settings.COUNCIL_OUT_OF_HOURS_PHONE,
        "email": settings.COUNCIL_EMAIL,
        "service_name": settings.SERVICE_NAME,
        "phase": settings.SERVICE_PHASE,
        "demo_mode": settings.DEMO_MODE,
    }


def session_timeout_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def environment(**options: Any) -> Environment:
    app_loader: BaseLoader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            app_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
        ]
    )
    options.setdefault("extensions", []).append("jinja2.ext.do")
    options["autoescape"] = True  # never let a setting switch escaping off
    env = Environment(**options)  # noqa: S701 - autoescape is forced on above
    env.globals.update(
        {
            "url": url,
            "govuk_link": govuk_link,
            "static": static,
            "council": council(),
            "get_messages": get_messages,
            "govuk_field": govuk_field,
            "govuk_error_summary_params": govuk_error_summary_params,
            "session_timeout_seconds": session_timeout_seconds,
        }
    )
    env.filters.update(
        {
            "govuk_date": formatting.govuk_date,
            "govuk_datetime": formatting.govuk_datetime,
            "yes_no": formatting.yes_no,
        }
    )
    return env
