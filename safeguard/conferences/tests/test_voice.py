"""The child's views: the staff page, the child's own link, the unsafe alert, plain words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import textstat
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from safeguard.accounts.models import Role
from safeguard.audit.models import AuditEvent
from safeguard.conferences import invitations, voice
from safeguard.conferences.models import ChildViews, ConferenceInvitation, InviteeRole
from safeguard.conferences.portal import credentials_issue
from safeguard.conferences.tests.scenario import Case, build_case, scheduled, today_is
from safeguard.conferences.worklist import work_items

pytestmark = pytest.mark.django_db
SITE = "http://testserver/"
VIEWS = {
    "helped_by": "worker",
    "going_well": "I like my school and my nan.",
    "worries": "Shouting at night.",
    "safe_at_home": "4",
    "would_like_to_happen": "For the shouting to stop.",
    "would_like_there": "My nan.",
}


@pytest.fixture
def case() -> Case:
    return build_case()


@pytest.fixture
def conference(case: Case) -> Any:
    return scheduled(case)


def _invite(case: Case, conference: Any, role: str, name: str) -> ConferenceInvitation:
    with today_is(dt.date(2026, 11, 10)):
        return invitations.invitation_create(
            actor=case.worker,
            conference=conference,
            values={"name": name, "role": role, "email": "", "language": "English"},
            site_url=SITE,
        )


def _opened(client: Client, invitation: ConferenceInvitation) -> str:
    credentials = credentials_issue(invitation)
    invitation.save()
    client.post(
        reverse("conferences:portal", kwargs={"token": credentials.token}), {"code": credentials.code}
    )
    return credentials.token


def _text(page: str) -> str:
    main = lxml_html.fromstring(page).find(".//main")
    assert main is not None
    return " ".join(main.itertext())


def test_worker_enters_the_childs_views_and_the_chair_reads_them(
    case: Case, conference: Any, client: Client
) -> None:
    client.force_login(case.worker)
    url = reverse("conferences:child_views", args=[conference.pk])
    page = client.get(url).content.decode()
    assert 'class="govuk-radios govuk-radios--inline sg-scale"' in page
    assert "5: Very safe" in page
    response = client.post(url, VIEWS)
    assert response.status_code == 302
    views = ChildViews.objects.get()
    assert (views.child, views.safe_at_home, views.feels_unsafe) == (case.child, 4, False)
    # The child's own words are not copied into the audit trail.
    event = AuditEvent.objects.get(action="conference_child_views_submit")
    assert "Shouting" not in str(event.changes) and event.child_id == case.child.pk
    client.force_login(case.chair)
    detail = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Shouting at night." in detail and "4 out of 5: Safe" in detail
    # A second set is not taken: the page goes to the ones already given.
    client.force_login(case.worker)
    assert client.get(url)["Location"].endswith("#child-views")


def test_bad_input_keeps_what_was_typed(case: Case, conference: Any, client: Client) -> None:
    client.force_login(case.worker)
    response = client.post(
        reverse("conferences:child_views", args=[conference.pk]), {**VIEWS, "safe_at_home": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pick how safe you feel at home" in page and "Shouting at night." in page
    assert not ChildViews.objects.exists()


def test_feeling_unsafe_alerts_worker_and_manager_at_once(
    case: Case, conference: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(case.worker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("conferences:child_views", args=[conference.pk]), {**VIEWS, "safe_at_home": "1"})
    views = ChildViews.objects.get()
    assert views.feels_unsafe
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([case.worker.email, case.team_manager.email])
    body = str(mail.outbox[0].body)
    assert case.child.family_name not in body and case.child.given_name not in body
    assert f"/conferences/{conference.pk}/" in body
    today = dt.date(2026, 11, 12)
    for user in (case.worker, case.team_manager):
        items = work_items(user=user, today=today)
        assert [i.urgent for i in items if i.group == "A child says they feel unsafe"] == [True]
    # Not the service manager, nor a chair, nor a worker elsewhere.
    for user in (case.service_manager, case.chair):
        assert not [i for i in work_items(user=user, today=today) if i.urgent]
    # The manager marks it seen: it leaves both lists.
    client.force_login(case.team_manager)
    client.post(reverse("conferences:child_views_seen", args=[views.pk]))
    views.refresh_from_db()
    assert views.alert_seen_by == case.team_manager
    assert not [i for i in work_items(user=case.worker, today=today) if i.urgent]


def test_only_the_worker_or_manager_can_mark_the_alert(case: Case, conference: Any, make_user: Any) -> None:
    views = voice.child_views_submit(
        actor=case.worker, conference=conference, values={**VIEWS, "safe_at_home": 2}, site_url=SITE
    )
    with pytest.raises(PermissionDenied):
        voice.child_views_alert_seen(actor=case.chair, views=views)
    with pytest.raises(PermissionDenied):
        voice.child_views_alert_seen(actor=make_user(Role.TEAM_MANAGER), views=views)


def test_a_colleague_elsewhere_cannot_open_the_page(
    case: Case, conference: Any, client: Client, make_user: Any
) -> None:
    client.force_login(make_user("social_worker"))
    assert client.get(reverse("conferences:child_views", args=[conference.pk])).status_code == 404


def test_the_child_sends_their_views_through_their_own_link(
    case: Case, conference: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    child = _invite(case, conference, InviteeRole.CHILD, "Kai Hughes")
    token = _opened(client, child)
    family_page = client.get(reverse("conferences:family", kwargs={"token": token})).content.decode()
    url = reverse("conferences:child_views_link", kwargs={"token": token})
    assert url in family_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**VIEWS, "helped_by": "own", "safe_at_home": "2"})
    assert response["Location"] == url
    views = ChildViews.objects.get()
    assert (views.invitation, views.helped_by, views.created_by) == (child, "own", None)
    assert len(mail.outbox) == 2  # the unsafe alert, to the worker and the manager
    done = client.get(url).content.decode()
    assert "Childline" in done


def test_a_parent_or_agency_link_cannot_send_the_childs_views(
    case: Case, conference: Any, client: Client
) -> None:
    parent = _invite(case, conference, InviteeRole.PARENT, "Dawn Hughes")
    token = _opened(client, parent)
    response = client.get(reverse("conferences:child_views_link", kwargs={"token": token}))
    assert response["Location"] == reverse("conferences:family", kwargs={"token": token})
    with pytest.raises(PermissionDenied):
        voice.child_views_submit(
            actor=None, conference=conference, values=VIEWS, invitation=parent, site_url=SITE
        )


def test_someone_elses_link_or_code_does_not_open_the_childs_form(
    case: Case, conference: Any, client: Client
) -> None:
    child = _invite(case, conference, InviteeRole.CHILD, "Kai Hughes")
    other_case = build_case()
    other = _invite(other_case, scheduled(other_case, room="Room 3"), InviteeRole.CHILD, "Ash Lee")
    mine = credentials_issue(child)
    child.save()
    theirs = credentials_issue(other)
    other.save()
    # Their code on my link is a wrong code; my form is not reachable without mine.
    client.post(reverse("conferences:portal", kwargs={"token": mine.token}), {"code": theirs.code})
    url = reverse("conferences:child_views_link", kwargs={"token": mine.token})
    assert client.get(url)["Location"] == reverse("conferences:portal", kwargs={"token": mine.token})
    # Having opened theirs, my link still asks for my code.
    client.post(reverse("conferences:portal", kwargs={"token": theirs.token}), {"code": theirs.code})
    assert client.get(url)["Location"] == reverse("conferences:portal", kwargs={"token": mine.token})
    assert client.get(reverse("conferences:child_views_link", kwargs={"token": "guessed"}))[
        "Location"
    ] == reverse("conferences:portal_link_problem")


def test_views_after_the_conference_are_refused(case: Case, conference: Any) -> None:
    conference.status = "held"
    conference.save()
    with pytest.raises(ValidationError):
        voice.child_views_submit(actor=None, conference=conference, values=VIEWS, site_url=SITE)


def test_child_family_and_portal_words_are_plain_english(case: Case, conference: Any, client: Client) -> None:
    child = _invite(case, conference, InviteeRole.CHILD, "Kai Hughes")
    token = _opened(client, child)
    pages = {
        "child's form": client.get(reverse("conferences:child_views_link", kwargs={"token": token})),
        "family page": client.get(reverse("conferences:family", kwargs={"token": token})),
        "link problem": client.get(reverse("conferences:portal_link_problem")),
    }
    gp = _invite(case, conference, InviteeRole.GP, "Dr Ana Ruiz")
    fresh = Client()
    gp_credentials = credentials_issue(gp)
    gp.save()
    pages["code page"] = fresh.get(reverse("conferences:portal", kwargs={"token": gp_credentials.token}))
    texts = {name: _text(response.content.decode()) for name, response in pages.items()}
    client.post(reverse("conferences:child_views_link", kwargs={"token": token}), VIEWS)
    texts["thank you"] = _text(
        client.get(reverse("conferences:child_views_link", kwargs={"token": token})).content.decode()
    )
    fresh.post(
        reverse("conferences:portal", kwargs={"token": gp_credentials.token}), {"code": gp_credentials.code}
    )
    report = fresh.get(reverse("conferences:portal_report", kwargs={"token": gp_credentials.token}))
    texts["agency report form"] = _text(report.content.decode())
    for name, text in texts.items():
        assert textstat.flesch_reading_ease(text) >= 60, (name, textstat.flesch_reading_ease(text), text)
