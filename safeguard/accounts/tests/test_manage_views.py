"""The system administrator's pages: what they show, what they change, and hostile input."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import Role, Service, Team, TeamKind, User
from safeguard.accounts.tests.factories import ServiceFactory, TeamFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.design_system.formatting import govuk_date
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(make_user):
    return make_user("system_administrator", first_name="Imran", last_name="Patel")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _html(response):
    return response.content.decode()


def _account_data(in_team: Team, **overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Priya",
        "last_name": "Sharma",
        "email": "priya.sharma@staff.example",
        "job_title": "Social Worker",
        "role": Role.SOCIAL_WORKER,
        "team": str(in_team.pk),
        "agency_name": "",
    }
    data.update(overrides)
    return data


# -- Who may use them


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMINISTRATOR])
def test_nobody_else_can_change_anything(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    team = TeamFactory()
    target = make_user("social_worker")
    posts = [
        (reverse("accounts:manage_service_new"), {"name": "Forged service"}),
        (
            reverse("accounts:manage_team_new"),
            {
                "name": "Forged team",
                "kind": "assessment",
                "service": str(team.service_id),
                "caseload_policy": "18",
            },
        ),
        (reverse("accounts:manage_account_new"), _account_data(team, email="forged@staff.example")),
        (
            reverse("accounts:manage_account_role", args=[target.pk]),
            {"role": "system_administrator", "team": str(team.pk), "reason": "Forged"},
        ),
        (reverse("accounts:manage_account_deactivate", args=[target.pk]), {"reason": "Forged"}),
        (reverse("accounts:manage_account_security_codes", args=[target.pk]), {"reason": "Forged"}),
        (reverse("accounts:manage_account_invitation", args=[target.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    target.refresh_from_db()
    assert target.is_active and target.role == Role.SOCIAL_WORKER
    assert not Service.objects.filter(name="Forged service").exists()
    assert not Team.objects.filter(name="Forged team").exists()
    assert not User.objects.filter(email="forged@staff.example").exists()
    assert not AuditEvent.objects.exists()


def test_the_navigation_and_home_page_lead_administrators_here(admin_client, social_worker):
    html = _html(admin_client.get(reverse("home:home")))
    assert html.count(f'href="{reverse("accounts:manage")}"') == 2  # the header and the home page
    assert 'href="/admin/"' not in html
    staff = Client()
    staff.force_login(social_worker)
    assert reverse("accounts:manage") not in _html(staff.get(reverse("home:home")))


def test_a_forged_key_is_not_found(admin_client):
    for name in (
        "accounts:manage_service_edit",
        "accounts:manage_team_edit",
        "accounts:manage_account",
        "accounts:manage_account_deactivate",
    ):
        kwarg = {"accounts:manage_service_edit": "service_id", "accounts:manage_team_edit": "team_id"}.get(
            name, "account_id"
        )
        assert admin_client.get(reverse(name, kwargs={kwarg: uuid.uuid4()})).status_code == 404
    assert admin_client.get("/accounts/manage/accounts/not-a-key/").status_code == 404


# -- Lists


def test_lists_show_services_teams_with_managers_and_accounts(admin_client, make_user):
    service = ServiceFactory(name="Children in Need Service")
    team = TeamFactory(name="CIN Team North", kind=TeamKind.CHILDREN_IN_NEED, service=service)
    make_user("team_manager", team=team, first_name="Grace", last_name="Mensah")
    make_user("service_manager", team=team, first_name="Tom", last_name="Reilly")
    html = _html(admin_client.get(reverse("accounts:manage_service_list")))
    assert "Children in Need Service" in html and "Tom Reilly" in html
    html = _html(admin_client.get(reverse("accounts:manage_team_list")))
    assert "CIN Team North" in html and "Children in need" in html and "Grace Mensah" in html
    html = _html(admin_client.get(reverse("accounts:manage_account_list")))
    assert "Grace Mensah" in html and "Team manager" in html


def test_accounts_are_found_by_name_or_email_and_filtered(admin_client, make_user):
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    make_user("social_worker", team=north, first_name="Ada", last_name="Quist", email="ada.q@staff.example")
    make_user("team_manager", team=south, first_name="Ben", last_name="Quist", email="ben@staff.example")
    make_user("social_worker", team=south, first_name="Cara", last_name="Quist", is_active=False)
    url = reverse("accounts:manage_account_list")

    def names(**query: str) -> set[str]:
        html = _html(admin_client.get(url, query))
        return {n for n in ("Ada Quist", "Ben Quist", "Cara Quist") if n in html}

    assert names(q="quist") == {"Ada Quist", "Ben Quist", "Cara Quist"}
    assert names(q="ada.q@") == {"Ada Quist"}
    assert names(q="Quist", team=str(south.pk)) == {"Ben Quist", "Cara Quist"}
    assert names(q="Quist", role="team_manager") == {"Ben Quist"}
    assert names(q="Quist", status="active") == {"Ada Quist", "Ben Quist"}
    assert names(q="Quist", status="deactivated") == {"Cara Quist"}
    forged = admin_client.get(url, {"q": "Quist", "team": str(uuid.uuid4()), "role": "emperor"})
    assert forged.status_code == 200
    assert "Select a team from the list" in _html(forged) and "Select a role from the list" in _html(forged)
    assert 'value="Quist"' in _html(forged)


# -- Services and teams


def test_add_and_change_a_service(admin_client):
    response = admin_client.post(reverse("accounts:manage_service_new"), {"name": "Early Help"})
    assert response.status_code == 302
    service = Service.objects.get(name="Early Help")
    duplicate = admin_client.post(reverse("accounts:manage_service_new"), {"name": "early help"})
    assert "There is already a service with this name" in _html(duplicate)
    assert 'value="early help"' in _html(duplicate)
    admin_client.post(reverse("accounts:manage_service_edit", args=[service.pk]), {"name": "Early Help East"})
    service.refresh_from_db()
    assert service.name == "Early Help East"
    assert AuditEvent.objects.filter(action__in=["service_create", "service_update"]).count() == 2


def test_add_and_change_a_team_keeping_what_was_typed_on_an_error(admin_client):
    service = ServiceFactory()
    url = reverse("accounts:manage_team_new")
    bad = admin_client.post(
        url,
        {
            "name": "Assessment Team West",
            "kind": "assessment",
            "service": str(service.pk),
            "caseload_policy": "lots",
        },
    )
    html = _html(bad)
    assert bad.status_code == 200 and "There is a problem" in html
    assert "Caseload policy must be a whole number" in html
    assert 'value="Assessment Team West"' in html and 'value="lots"' in html
    assert not Team.objects.filter(name="Assessment Team West").exists()
    ok = admin_client.post(
        url,
        {
            "name": "Assessment Team West",
            "kind": "assessment",
            "service": str(service.pk),
            "caseload_policy": "17",
        },
    )
    assert ok.status_code == 302
    team = Team.objects.get(name="Assessment Team West")
    assert team.caseload_policy == 17 and AuditEvent.objects.get(action="team_create").actor_id is not None
    edit = admin_client.post(
        reverse("accounts:manage_team_edit", args=[team.pk]),
        {
            "name": "Assessment Team West",
            "kind": "child_protection",
            "service": str(service.pk),
            "caseload_policy": "17",
        },
    )
    assert edit.status_code == 302
    team.refresh_from_db()
    assert team.kind == TeamKind.CHILD_PROTECTION


def test_a_forged_service_or_kind_is_refused(admin_client):
    bad = admin_client.post(
        reverse("accounts:manage_team_new"),
        {"name": "T", "kind": "secret", "service": str(uuid.uuid4()), "caseload_policy": "18"},
    )
    html = _html(bad)
    assert "Select the kind of team from the list" in html and "Select a service from the list" in html
    assert not Team.objects.filter(name="T").exists()


# -- Accounts


def test_create_an_account_emails_a_link_and_shows_no_password(
    admin_client, django_capture_on_commit_callbacks
):
    team = TeamFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("accounts:manage_account_new"), _account_data(team))
    account = User.objects.get(email="priya.sharma@staff.example")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:manage_account", args=[account.pk]
    )
    page = _html(admin_client.get(response["Location"]))
    assert "emailed a link to choose a password" in page and "Not chosen yet" in page
    assert not account.has_usable_password()
    assert len(mail.outbox) == 1 and "/accounts/password/reset/" in mail.outbox[0].body
    assert "password:" not in mail.outbox[0].body.lower()


def test_create_account_with_bad_input_loses_nothing_typed(admin_client, social_worker):
    team = TeamFactory()
    long_name = "N" * 5000
    data = _account_data(
        team, first_name="Zo\x00ë", last_name=long_name, email="not-an-email", team=str(uuid.uuid4())
    )
    response = admin_client.post(reverse("accounts:manage_account_new"), data)
    html = _html(response)
    assert response.status_code == 200 and "<title>Error: Add an account" in html
    assert "we removed unusual characters" in html and 'value="Zoë"' in html
    assert "Last name must be 150 characters or fewer" in html and long_name in html
    assert "Enter an email address like name@example.org" in html and 'value="not-an-email"' in html
    assert "Select a team from the list" in html
    taken = admin_client.post(
        reverse("accounts:manage_account_new"), _account_data(team, email=social_worker.email)
    )
    assert "There is already an account with this email address" in _html(taken)
    assert 'value="Priya"' in _html(taken)
    assert User.objects.count() == 2 and not mail.outbox and not AuditEvent.objects.exists()


def test_forms_refuse_a_post_without_the_csrf_token(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    team = TeamFactory()
    assert client.post(reverse("accounts:manage_service_new"), {"name": "No token"}).status_code == 403
    assert client.post(reverse("accounts:manage_account_new"), _account_data(team)).status_code == 403
    assert (
        not Service.objects.filter(name="No token").exists()
        and not User.objects.filter(email="priya.sharma@staff.example").exists()
    )


def test_change_role_and_team_with_a_reason(admin_client, social_worker):
    new_team = TeamFactory(name="Child Protection Team 2")
    url = reverse("accounts:manage_account_role", args=[social_worker.pk])
    assert "selected" in _html(admin_client.get(url))
    missing = admin_client.post(url, {"role": "team_manager", "team": str(new_team.pk), "reason": ""})
    assert "Enter why you are changing their role or team" in _html(missing)
    social_worker.refresh_from_db()
    assert social_worker.role == Role.SOCIAL_WORKER
    response = admin_client.post(
        url, {"role": "team_manager", "team": str(new_team.pk), "reason": "Promoted to manager"}
    )
    assert response.status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.role == Role.TEAM_MANAGER and social_worker.team == new_team
    assert (
        AuditEvent.objects.get(action="account_role_change").changes["reason"]["after"]
        == "Promoted to manager"
    )


def test_a_very_long_reason_is_refused_and_kept(admin_client, social_worker):
    reason = "Left the council. " * 300
    response = admin_client.post(
        reverse("accounts:manage_account_deactivate", args=[social_worker.pk]), {"reason": reason}
    )
    html = _html(response)
    assert "must be 2000 characters or fewer" in html and reason.strip() in html
    social_worker.refresh_from_db()
    assert social_worker.is_active


def test_deactivating_a_worker_with_open_episodes_warns_without_showing_the_child(
    admin_client, social_worker
):
    child = ChildFactory(given_name="Ruby", family_name="Okafor")
    episode = EpisodeFactory(child=child, worker=social_worker, team=social_worker.team)
    url = reverse("accounts:manage_account_deactivate", args=[social_worker.pk])
    page = _html(admin_client.get(url))
    assert "They still hold 1 open episode" in page and social_worker.team.name in page
    detail = _html(admin_client.get(reverse("accounts:manage_account", args=[social_worker.pk])))
    for html in (page, detail):
        assert "Okafor" not in html and "Ruby" not in html and str(child.pk) not in html
        assert str(child.la_child_id) not in html and govuk_date(episode.referral_date) not in html
    response = admin_client.post(url, {"reason": "Left the council"}, follow=True)
    assert "their team manager must reallocate them" in _html(response)
    social_worker.refresh_from_db()
    assert not social_worker.is_active
    assert child.episodes.get().worker == social_worker  # not reallocated here


def test_an_administrator_cannot_deactivate_or_demote_themselves(admin_client, administrator):
    page = _html(admin_client.get(reverse("accounts:manage_account_deactivate", args=[administrator.pk])))
    assert "You cannot do this to your own account" in page and 'name="reason"' not in page
    post = admin_client.post(
        reverse("accounts:manage_account_deactivate", args=[administrator.pk]), {"reason": "Trying"}
    )
    assert "You cannot deactivate your own account" in _html(post)
    role = admin_client.post(
        reverse("accounts:manage_account_role", args=[administrator.pk]),
        {"role": "director", "team": str(administrator.team_id), "reason": "Trying"},
    )
    assert "You cannot change your own role or team" in _html(role)
    administrator.refresh_from_db()
    assert administrator.is_active and administrator.role == Role.SYSTEM_ADMINISTRATOR


def test_reactivate_and_reset_security_codes(admin_client, make_user, social_worker):
    leaver = make_user("social_worker", is_active=False)
    url = reverse("accounts:manage_account_reactivate", args=[leaver.pk])
    assert admin_client.post(url, {"reason": "Back from leave"}).status_code == 302
    leaver.refresh_from_db()
    assert leaver.is_active
    TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    codes = reverse("accounts:manage_account_security_codes", args=[social_worker.pk])
    assert admin_client.post(codes, {"reason": "Lost phone"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert AuditEvent.objects.get(action="mfa_reset").actor is not None


def test_email_a_new_link_to_someone_without_a_password(
    admin_client, social_worker, django_capture_on_commit_callbacks
):
    social_worker.set_unusable_password()
    social_worker.save()
    detail = _html(admin_client.get(reverse("accounts:manage_account", args=[social_worker.pk])))
    assert "Email them a new link" in detail
    url = reverse("accounts:manage_account_invitation", args=[social_worker.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [social_worker.email]
