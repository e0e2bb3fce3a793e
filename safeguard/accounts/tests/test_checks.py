"""Outside demo mode, an instance that holds demo accounts refuses to start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.management.base import SystemCheckError

from safeguard.accounts.checks import (
    STARTUP_TAG,
    demo_accounts_outside_demo_mode,
    refuse_to_start_on_failed_checks,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _ids(messages: list[checks.CheckMessage]) -> list[str | None]:
    return [m.id for m in messages]


def test_a_demo_account_outside_demo_mode_is_an_error(settings, make_user):
    settings.DEMO_MODE = False
    make_user("system_administrator", is_demo_account=True)
    assert _ids(demo_accounts_outside_demo_mode()) == ["safeguard.E001"]
    # What runserver and `check --deploy` run, and what safeguard.wsgi runs for gunicorn.
    assert "safeguard.E001" in _ids(checks.run_checks())
    assert "safeguard.E001" in _ids(checks.run_checks(include_deployment_checks=True))
    with pytest.raises(SystemCheckError, match="remove_demo_accounts"):
        refuse_to_start_on_failed_checks()


def test_demo_accounts_are_fine_in_demo_mode(settings, make_user):
    settings.DEMO_MODE = True
    make_user("social_worker", is_demo_account=True)
    assert demo_accounts_outside_demo_mode() == []
    refuse_to_start_on_failed_checks()


def test_disabled_demo_accounts_and_staff_are_fine(settings, make_user):
    settings.DEMO_MODE = False
    make_user("social_worker", is_demo_account=True, is_active=False)
    make_user("social_worker")
    assert checks.run_checks(tags=[STARTUP_TAG]) == []


@pytest.mark.django_db(False)
def test_an_empty_database_passes_so_that_migrate_can_run(tmp_path):
    """The check runs before migrate, when there is no accounts table yet."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "safeguard.settings.production",
        "DEMO_MODE": "false",
        "DJANGO_SECRET_KEY": "x" * 60,
        "SAFEGUARD_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
