"""The public "Report a concern about a child" journey, for anyone, with no account.

It branches on the first answer: a child or young person reporting about themselves gets
simpler words; a professional gets the questions of a multi-agency referral form.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from safeguard.design_system.journey import Answers, Journey, Step
from safeguard.frontdoor import config, forms
from safeguard.frontdoor.models import Channel, ReporterType
from safeguard.frontdoor.partner_selectors import partner_agency_for
from safeguard.frontdoor.services import REFERENCE_ALPHABET, REFERENCE_LENGTH, ContactDetails, contact_create
from safeguard.people.validators import format_phone_number

PUBLIC_QUESTION = "frontdoor/public_question.html"


@dataclass(frozen=True)
class PublicJourney(Journey):
    """A journey whose every page carries the "Exit this page" button."""

    exit_url: str = field(default_factory=config.exit_page_url)


def _who(answers: Answers) -> str:
    return str(answers.get("who", {}).get("reporter_type", ""))


def _is_self(answers: Answers) -> bool:
    return _who(answers) == ReporterType.SELF


def _is_professional(answers: Answers) -> bool:
    return _who(answers) == ReporterType.PROFESSIONAL


def _is_adult_public(answers: Answers) -> bool:
    return _who(answers) in (ReporterType.PUBLIC, ReporterType.FAMILY)


def _not_self(answers: Answers) -> bool:
    return bool(_who(answers)) and not _is_self(answers)


def _first(answers: Answers, *slugs: str) -> dict[str, Any]:
    for slug in slugs:
        if slug in answers:
            return dict(answers[slug])
    return {}


def details_from(answers: Answers) -> ContactDetails:
    """What the journey's answers say, in the shape every door into the front door shares."""
    concern = _first(answers, "what-happened", "what-happened-you")
    child = _first(answers, "child", "child-professional", "about-you-child")
    organisation = answers.get("organisation", {})
    professional = {**answers.get("consent", {}), **answers.get("need", {})}
    if organisation:
        professional["agency_reference"] = organisation.get("agency_reference", "")
        referrer = {k: organisation.get(k, "") for k in ("name", "organisation", "role", "email", "phone")}
    else:
        referrer = _first(answers, "about-you", "contact-you")
        if _is_self(answers):
            referrer["relationship"] = "The child or young person"
    return ContactDetails(
        reporter_type=_who(answers),
        danger=_first(answers, "danger", "danger-you").get("danger", "unknown"),
        concern=concern.get("concern", ""),
        concern_when=concern.get("concern_when", ""),
        child=child,
        adults=_first(answers, "adults", "adults-you").get("adults", ""),
        professional=professional,
        referrer=referrer,
        agency_type=organisation.get("agency_type", ""),
    )


def _submit(request: HttpRequest, answers: Answers) -> str:
    if answers.get("who", {}).get(forms.HONEYPOT_FIELD):
        # A bot filled in the hidden field: it sees a normal confirmation, nothing is created.
        return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    contact = contact_create(actor=None, details=details_from(answers), channel=Channel.ONLINE)
    return contact.reference


_PHONE_SHOWN = {
    f"{slug}.phone": lambda value: format_phone_number(value) if value else "Not provided"
    for slug in ("organisation", "about-you", "contact-you", "referrer")
}

REPORT_CONCERN = PublicJourney(
    name="report_concern",
    title="Report a concern about a child",
    url_namespace="frontdoor:report",
    start_url_name="frontdoor:start",
    submit=_submit,
    owner="session",
    check_heading="Check your answers before sending your report",
    confirmation_title="Report sent",
    confirmation_template="frontdoor/report_done.html",
    submit_text="Send report",
    # Numbers are kept in E.164; Check answers shows them as people write them.
    summary_overrides=_PHONE_SHOWN,
    steps=(
        Step("who", forms.WhoForm, "Who are you?", template=PUBLIC_QUESTION),
        Step("danger", forms.DangerForm, "Is the child in danger right now?", _not_self, PUBLIC_QUESTION),
        Step("danger-you", forms.SelfDangerForm, "Are you in danger right now?", _is_self, PUBLIC_QUESTION),
        Step("what-happened", forms.ConcernForm, "What has happened?", _not_self, PUBLIC_QUESTION),
        Step("what-happened-you", forms.SelfConcernForm, "What is happening?", _is_self, PUBLIC_QUESTION),
        Step("child", forms.ChildForm, "About the child", _is_adult_public, PUBLIC_QUESTION),
        Step(
            "child-professional",
            forms.ProfessionalChildForm,
            "About the child",
            _is_professional,
            PUBLIC_QUESTION,
        ),
        Step("about-you-child", forms.SelfChildForm, "About you", _is_self, PUBLIC_QUESTION),
        Step("adults", forms.AdultsForm, "The adults involved", _not_self, PUBLIC_QUESTION),
        Step("adults-you", forms.SelfAdultsForm, "Is someone hurting you?", _is_self, PUBLIC_QUESTION),
        Step(
            "organisation",
            forms.OrganisationForm,
            "About you and your organisation",
            _is_professional,
            PUBLIC_QUESTION,
        ),
        Step("consent", forms.ConsentForm, "Consent", _is_professional, PUBLIC_QUESTION),
        Step("need", forms.NeedForm, "Level of need and risk", _is_professional, PUBLIC_QUESTION),
        Step("about-you", forms.AboutYouForm, "About you", _is_adult_public, PUBLIC_QUESTION),
        Step("contact-you", forms.SelfContactForm, "Can we contact you?", _is_self, PUBLIC_QUESTION),
    ),
)


# -- a signed-in partner agency user's referral ----------------------------------------------

PARTNER_QUESTION = "frontdoor/partner/question.html"


def _submit_partner(request: HttpRequest, answers: Answers) -> str:
    """The same referral a professional makes on the public form, from the same questions,
    made by the same service: the organisation, name and email come from the account."""
    user: Any = request.user
    agency = partner_agency_for(user)
    if agency is None:
        raise PermissionDenied
    referrer = answers.get("referrer", {})
    as_professional: Answers = {
        **answers,
        "who": {"reporter_type": ReporterType.PROFESSIONAL},
        "organisation": {
            "organisation": agency.name,
            "agency_type": agency.agency_type,
            "name": user.display_name,
            "email": user.email,
            "role": referrer.get("role", ""),
            "phone": referrer.get("phone", ""),
            "agency_reference": referrer.get("agency_reference", ""),
        },
    }
    contact = contact_create(
        actor=user, details=details_from(as_professional), channel=Channel.ONLINE, agency=agency
    )
    return contact.reference


PARTNER_REFERRAL = Journey(
    name="partner_referral",
    title="Make a referral",
    url_namespace="frontdoor:partner_referral",
    start_url_name="frontdoor:partner_referral_start",
    submit=_submit_partner,
    owner="user",
    check_heading="Check your answers before sending your referral",
    confirmation_title="Referral sent",
    confirmation_template="frontdoor/partner/referral_sent.html",
    submit_text="Send referral",
    summary_overrides=_PHONE_SHOWN,
    steps=(
        Step("danger", forms.DangerForm, "Is the child in danger right now?", template=PARTNER_QUESTION),
        Step("what-happened", forms.ConcernForm, "What has happened?", template=PARTNER_QUESTION),
        Step("child-professional", forms.ProfessionalChildForm, "About the child", template=PARTNER_QUESTION),
        Step("adults", forms.AdultsForm, "The adults involved", template=PARTNER_QUESTION),
        Step("referrer", forms.PartnerReferrerForm, "About you", template=PARTNER_QUESTION),
        Step("consent", forms.ConsentForm, "Consent", template=PARTNER_QUESTION),
        Step("need", forms.NeedForm, "Level of need and risk", template=PARTNER_QUESTION),
    ),
)
