from __future__ import annotations

import pytest
from django.core.management import call_command

from safeguard.accounts.checks import demo_accounts_outside_demo_mode
from safeguard.accounts.management.commands.remove_demo_accounts import Command
from safeguard.accounts.models import User
from safeguard.audit.models import AuditEvent
from safeguard.audit.services import audit_event_record

pytestmark = pytest.mark.django_db


def test_removes_demo_accounts_and_disables_those_still_referred_to(settings, make_user, capsys):
    settings.DEMO_MODE = False
    unused = make_user("social_worker", is_demo_account=True)
    used = make_user("system_administrator", is_demo_account=True, is_staff=True, is_superuser=True)
    audit_event_record(actor=used, action="demo_action", instance=used, changes={})  # append-only
    staff = make_user("social_worker")
    assert demo_accounts_outside_demo_mode()

    call_command("remove_demo_accounts")

    assert not User.objects.filter(pk=unused.pk).exists()
    used.refresh_from_db()
    assert not (used.is_active or used.is_staff or used.is_superuser or used.has_usable_password())
    assert User.objects.filter(pk=staff.pk, is_active=True).exists()
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "demo_action",
        "demo_account_delete",
        "demo_account_disable",
    }
    assert demo_accounts_outside_demo_mode() == []
    out = capsys.readouterr().out
    assert "Deleted 1 demo account(s)" in out and used.username in out


def test_runs_while_the_start_up_check_fails():
    assert Command.requires_system_checks == []
