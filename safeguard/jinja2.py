"""The Jinja2 environment for every page: the design system's, plus the globals that need
the domain apps (the design system sits below them, so it cannot import them itself): the
header's navigation and how a page may name a person."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from safeguard.design_system.jinja2 import environment as design_system_environment
from safeguard.navigation import service_navigation
from safeguard.people.models import Person
from safeguard.people.selectors import PersonReference
from safeguard.people.selectors import person_reference as person_reference_for


@pass_context
def person_reference(context: Context, person: Person) -> PersonReference:
    """``person_reference(r.other)``: how the signed-in user may see someone a page names.

    Without a signed-in user (a printed document, a public page) the reader is treated as
    someone outside the service. Answers are kept for the request, as a page may name the
    same person several times.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    viewer = user if user is not None and user.is_authenticated else None
    cache: dict[Any, PersonReference] | None = getattr(request, "_person_references", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._person_references = cache
    if person.pk not in cache:
        cache[person.pk] = person_reference_for(viewer=viewer, person=person)
    return cache[person.pk]


def environment(**options: Any) -> Environment:
    env = design_system_environment(**options)
    env.globals["person_reference"] = person_reference
    env.globals["service_navigation"] = service_navigation
    return env
