"""No family-facing output ever contains a withheld address or who raised a concern.

Every output that can be given to a family is listed in ``FAMILY_FACING_OUTPUTS``; each new
one (letters, plans, conference reports) adds itself here and is checked the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import AddressFactory, ChildFactory
from safeguard.records.models import SubjectAccessRequest
from safeguard.records.selectors import subject_access_document

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "9 Safehouse Mews"


def _text(sections) -> str:
    return "\n".join(f"{k} {v}" for s in sections for k, v in s.rows)


def _subject_access(child, *, everything: bool) -> str:
    sar = SubjectAccessRequest.objects.create(
        person=child,
        requested_by="parent",
        received_on=dt.date(2026, 11, 1),
        include_third_parties=everything,
        include_referral_sources=False,
    )
    return _text(subject_access_document(sar))


def _referrer_feedback(child) -> str:
    """The outcome email to a professional referrer (front door): no address, no referrer."""
    from safeguard.frontdoor.models import Decision
    from safeguard.frontdoor.services import referrer_feedback_text
    from safeguard.frontdoor.tests.factories import make_contact

    contact = make_contact(
        reporter_type="professional",
        referrer={"name": "Family member Jo", "relationship": "family member"},
        address=SECRET_ADDRESS,
    )
    contact.child = child
    contact.decision = Decision.REFERRAL
    contact.decision_reason = f"Lives at {SECRET_ADDRESS}; reported by a family member"
    return referrer_feedback_text(contact)


FAMILY_FACING_OUTPUTS: list[tuple[str, Callable[..., str]]] = [
    ("subject access export, default", lambda child: _subject_access(child, everything=False)),
    ("subject access export, third parties released", lambda child: _subject_access(child, everything=True)),
    ("front door referrer feedback email", _referrer_feedback),
]


@pytest.mark.parametrize(("name", "render"), FAMILY_FACING_OUTPUTS, ids=[n for n, _ in FAMILY_FACING_OUTPUTS])
def test_withheld_addresses_and_referrers_never_appear(name, render):
    child = ChildFactory()
    AddressFactory(person=child, line_1=SECRET_ADDRESS, must_not_be_disclosed=True)
    EpisodeFactory(child=child, referral_source="1A")
    text = render(child)
    assert SECRET_ADDRESS not in text, name
    assert "family member" not in text.lower(), name
