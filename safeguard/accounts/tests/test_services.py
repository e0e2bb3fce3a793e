from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import Role, TeamKind
from safeguard.accounts.services import (
    account_create,
    account_deactivate,
    account_invitation_resend,
    account_invitation_send,
    account_reactivate,
    account_role_change,
    account_security_codes_reset,
    mfa_reset,
    mfa_setup_begin,
    mfa_setup_confirm,
    service_create,
    service_update,
    team_create,
    team_update,
)
from safeguard.accounts.tests.factories import ServiceFactory, TeamFactory
from safeguard.accounts.tests.test_mfa import current_code
from safeguard.audit.models import AuditEvent
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _request(user, *, verified_with=None):
    request = RequestFactory().post("/")
    request.session = SessionStore()
    user.otp_device = verified_with
    user.is_verified = lambda: verified_with is not None
    request.user = user
    return request


def test_setup_confirm_refuses_a_password_only_session_when_the_user_has_a_device(social_worker):
    real = TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=social_worker, name="Recovery codes", confirmed=True)
    new = mfa_setup_begin(user=social_worker)
    with pytest.raises(PermissionDenied):
        mfa_setup_confirm(
            request=_request(social_worker), user=social_worker, device=new, token=current_code(new)
        )
    assert TOTPDevice.objects.filter(pk=real.pk).exists()
    assert StaticDevice.objects.filter(user=social_worker).exists()


def test_setup_confirm_needs_only_the_password_the_first_time(social_worker):
    new = mfa_setup_begin(user=social_worker)
    codes = mfa_setup_confirm(
        request=_request(social_worker), user=social_worker, device=new, token=current_code(new)
    )
    assert codes is not None and len(codes) == 10


def test_reset_removes_every_device_and_is_audited(social_worker, make_user):
    administrator = make_user("system_administrator")
    TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=social_worker, name="Recovery codes", confirmed=True)
    removed = mfa_reset(actor=administrator, user=social_worker, reason="Phone lost, ticket 123")
    assert removed == ["Authenticator app", "Recovery codes"]
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not StaticDevice.objects.filter(user=social_worker).exists()
    event = AuditEvent.objects.get(action="mfa_reset")
    assert event.actor == administrator and event.object_id == str(social_worker.pk)
    assert event.changes["reason"]["after"] == "Phone lost, ticket 123"


def test_reset_needs_a_reason(social_worker):
    with pytest.raises(ValueError, match="reason"):
        mfa_reset(actor=None, user=social_worker, reason="  ")
    assert not AuditEvent.objects.exists()


# -- The system administrator's management services


def _admin(make_user, **kwargs):
    return make_user("system_administrator", **kwargs)


def _session_for(user) -> str:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    return store.session_key


SITE = "https://safeguard.example/"


def test_service_create_and_update_are_audited_and_names_stay_unique(make_user):
    administrator = _admin(make_user)
    service = service_create(actor=administrator, name="  Early Help  ")
    assert service.name == "Early Help" and service.created_by == administrator
    with pytest.raises(ValidationError) as refused:
        service_create(actor=administrator, name="early help")
    assert refused.value.message_dict == {"name": ["There is already a service with this name"]}
    service_update(actor=administrator, service=service, name="Early Help and Prevention")
    events = list(AuditEvent.objects.filter(object_id=str(service.pk)).order_by("occurred_at", "id"))
    assert [e.action for e in events] == ["service_create", "service_update"]
    assert events[1].changes == {"name": {"before": "Early Help", "after": "Early Help and Prevention"}}


def test_team_create_and_update_are_audited(make_user):
    administrator = _admin(make_user)
    service = ServiceFactory(name="Children in Need")
    other = ServiceFactory(name="Safeguarding")
    team = team_create(
        actor=administrator,
        name="CIN Team East",
        kind=TeamKind.CHILDREN_IN_NEED,
        service=service,
        caseload_policy=20,
    )
    team_update(
        actor=administrator,
        team=team,
        name="CIN Team East",
        kind=TeamKind.CHILDREN_IN_NEED,
        service=other,
        caseload_policy=16,
    )
    team.refresh_from_db()
    assert team.service == other and team.caseload_policy == 16
    update = AuditEvent.objects.get(action="team_update", object_id=str(team.pk))
    assert update.changes == {
        "caseload_policy": {"before": 20, "after": 16},
        "service_id": {"before": str(service.pk), "after": str(other.pk)},
    }
    with pytest.raises(ValidationError):
        team_create(
            actor=administrator,
            name="cin team east",
            kind=TeamKind.ASSESSMENT,
            service=other,
            caseload_policy=18,
        )


def test_a_team_with_staff_cannot_become_a_partner_team(make_user, social_worker):
    administrator = _admin(make_user)
    team = social_worker.team
    with pytest.raises(ValidationError) as refused:
        team_update(
            actor=administrator,
            team=team,
            name=team.name,
            kind=TeamKind.PARTNER,
            service=team.service,
            caseload_policy=18,
        )
    assert "kind" in refused.value.message_dict
    team.refresh_from_db()
    assert team.kind == TeamKind.ASSESSMENT


def test_account_create_sends_a_link_to_choose_a_password_and_never_a_password(
    make_user, client, django_capture_on_commit_callbacks
):
    capture_on_commit = django_capture_on_commit_callbacks
    administrator = _admin(make_user)
    team = TeamFactory()
    with capture_on_commit(execute=True):
        user = account_create(
            actor=administrator,
            email=" New.Worker@Staff.Example ",
            first_name="Priya",
            last_name="O'Neill",
            job_title="Social Worker",
            role=Role.SOCIAL_WORKER,
            team=team,
            site_url=SITE,
        )
    assert user.username == user.email == "new.worker@staff.example"
    assert not user.has_usable_password() and not user.is_demo_account
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.worker@staff.example"] and "Priya" in message.body
    assert "&#39;" not in message.body  # plain text, not HTML-escaped
    link = next(line for line in message.body.splitlines() if line.startswith(SITE.rstrip("/")))
    # The link is the password reset flow's: it lets the person choose their password.
    path = link.removeprefix(SITE.rstrip("/"))
    page = client.get(path, follow=True)
    assert "Choose a password" in page.content.decode()
    actions = list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["account_create", "account_invitation_send"]
    created = AuditEvent.objects.get(action="account_create")
    assert "password" not in created.changes and created.changes["role"]["after"] == Role.SOCIAL_WORKER


def _new_account(actor, **overrides):
    fields = {
        "email": "new@staff.example",
        "first_name": "Asha",
        "last_name": "Bell",
        "job_title": "",
        "role": Role.SOCIAL_WORKER,
        "agency_name": "",
        "site_url": SITE,
    }
    fields.update(overrides)
    return account_create(actor=actor, **fields)


def _change_role(actor, user, **overrides):
    fields = {"role": user.role, "team": user.team, "agency_name": "", "reason": "A reason"}
    fields.update(overrides)
    return account_role_change(actor=actor, user=user, **fields)


def test_account_create_refuses_a_taken_email_and_saves_nothing(make_user, social_worker):
    administrator = _admin(make_user)
    with pytest.raises(ValidationError) as refused:
        _new_account(administrator, email=social_worker.email.upper(), team=social_worker.team)
    assert "email" in refused.value.message_dict
    assert not AuditEvent.objects.exists() and not mail.outbox


def test_partner_users_belong_to_partner_teams_and_staff_do_not(make_user):
    administrator = _admin(make_user)
    partner_team = TeamFactory(kind=TeamKind.PARTNER)
    partner = {"role": Role.PARTNER_AGENCY, "email": "p@police.example"}
    with pytest.raises(ValidationError, match="partner agency team"):
        _new_account(administrator, team=TeamFactory(), agency_name="Police", **partner)
    with pytest.raises(ValidationError) as no_agency:
        _new_account(administrator, team=partner_team, **partner)
    assert "agency_name" in no_agency.value.message_dict
    with pytest.raises(ValidationError, match="Only partner agency users"):
        _new_account(administrator, team=partner_team)
    _new_account(administrator, team=partner_team, agency_name="Harrowmere Police", **partner)


def test_role_change_is_audited_with_its_reason(make_user, social_worker):
    administrator = _admin(make_user)
    new_team = TeamFactory()
    _change_role(
        administrator,
        social_worker,
        role=Role.SENIOR_PRACTITIONER,
        team=new_team,
        reason="Promoted, HR ticket 42",
    )
    social_worker.refresh_from_db()
    assert social_worker.role == Role.SENIOR_PRACTITIONER and social_worker.team == new_team
    event = AuditEvent.objects.get(action="account_role_change")
    assert event.changes["role"] == {"before": Role.SOCIAL_WORKER, "after": Role.SENIOR_PRACTITIONER}
    assert event.changes["reason"]["after"] == "Promoted, HR ticket 42"


def test_role_change_needs_a_reason_and_a_change_and_is_refused_for_yourself(make_user, social_worker):
    administrator = _admin(make_user)
    with pytest.raises(ValidationError, match="Enter the reason"):
        _change_role(administrator, social_worker, role=Role.TEAM_MANAGER, reason=" ")
    with pytest.raises(ValidationError, match="Change the role or the team"):
        _change_role(administrator, social_worker)
    with pytest.raises(ValidationError, match="your own role"):
        _change_role(administrator, administrator, role=Role.DIRECTOR)
    social_worker.refresh_from_db()
    assert social_worker.role == Role.SOCIAL_WORKER and not AuditEvent.objects.exists()


def test_deactivation_ends_sessions_and_lists_open_work_without_the_child(make_user, social_worker):
    administrator = _admin(make_user)
    child = ChildFactory(given_name="Ruby", family_name="Okafor")
    episode = EpisodeFactory(child=child, worker=social_worker, team=social_worker.team)
    EpisodeFactory(
        child=ChildFactory(),
        worker=social_worker,
        team=social_worker.team,
        closure_date=dt.date(2026, 10, 1),
        reason_for_closure="RC7",
    )
    key = _session_for(social_worker)
    other_key = _session_for(administrator)
    open_work = account_deactivate(actor=administrator, user=social_worker, reason="Left the council")
    assert [e.id for e in open_work] == [episode.pk]
    assert open_work[0].team == social_worker.team.name
    assert not any("Okafor" in str(value) for value in vars(open_work[0]).values())
    social_worker.refresh_from_db()
    assert not social_worker.is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=other_key).exists()
    event = AuditEvent.objects.get(action="account_deactivate")
    assert event.changes["reason"]["after"] == "Left the council"
    assert event.changes["open_episodes"]["after"] == 1
    # The episode is not moved: the team manager reallocates it.
    episode.refresh_from_db()
    assert episode.worker == social_worker


def test_deactivation_is_refused_for_yourself_and_the_last_administrator(make_user, settings):
    settings.DEMO_MODE = False
    administrator = _admin(make_user)
    with pytest.raises(ValidationError, match="your own account"):
        account_deactivate(actor=administrator, user=administrator, reason="Testing")
    # A demo administrator cannot sign in outside demo mode, so it does not count.
    _admin(make_user, is_demo_account=True)
    other = _admin(make_user)
    other.is_active = False
    other.save()
    someone = make_user("director")  # the check is in the service, whoever calls it
    with pytest.raises(ValidationError, match="last active system administrator"):
        account_deactivate(actor=someone, user=administrator, reason="Leaving")
    with pytest.raises(ValidationError, match="last active system administrator"):
        _change_role(someone, administrator, role=Role.DIRECTOR)
    administrator.refresh_from_db()
    assert administrator.is_active and administrator.role == Role.SYSTEM_ADMINISTRATOR
    account_reactivate(actor=administrator, user=other, reason="Back from leave")
    account_deactivate(actor=other, user=administrator, reason="Leaving")
    administrator.refresh_from_db()
    assert not administrator.is_active


def test_reactivation_is_audited_and_a_demo_account_stays_off_outside_demo_mode(make_user, settings):
    administrator = _admin(make_user)
    leaver = make_user("social_worker", is_active=False)
    account_reactivate(actor=administrator, user=leaver, reason="Returned from leave")
    leaver.refresh_from_db()
    assert leaver.is_active
    assert (
        AuditEvent.objects.get(action="account_reactivate").changes["reason"]["after"]
        == "Returned from leave"
    )
    settings.DEMO_MODE = False
    demo = make_user("social_worker", is_active=False, is_demo_account=True)
    with pytest.raises(ValidationError, match="Demo accounts"):
        account_reactivate(actor=administrator, user=demo, reason="Please")


def test_security_code_reset_reuses_mfa_reset_and_ends_sessions(make_user, social_worker):
    administrator = _admin(make_user)
    TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    key = _session_for(social_worker)
    removed = account_security_codes_reset(
        actor=administrator, user=social_worker, reason="Lost phone, called back"
    )
    assert removed == ["Authenticator app"]
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.get(action="mfa_reset").changes["reason"]["after"] == "Lost phone, called back"
    with pytest.raises(ValidationError):
        account_security_codes_reset(actor=administrator, user=administrator, reason="Mine")


def test_a_new_link_only_for_an_active_account_without_a_password(
    make_user, social_worker, django_capture_on_commit_callbacks
):
    capture_on_commit = django_capture_on_commit_callbacks
    administrator = _admin(make_user)
    with pytest.raises(PermissionDenied):
        account_invitation_resend(actor=administrator, user=social_worker, site_url=SITE)  # has a password
    demo = make_user("social_worker", is_demo_account=True)
    demo.set_unusable_password()
    demo.save()
    with pytest.raises(PermissionDenied):
        account_invitation_resend(actor=administrator, user=demo, site_url=SITE)
    social_worker.set_unusable_password()
    social_worker.save()
    with capture_on_commit(execute=True):
        account_invitation_resend(actor=administrator, user=social_worker, site_url=SITE)
    assert len(mail.outbox) == 1
    # A link queued before the account was deactivated is not sent.
    social_worker.is_active = False
    social_worker.save()
    assert account_invitation_send(user_id=str(social_worker.pk), site_url=SITE) is False
