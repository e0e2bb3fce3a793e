from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_pages_carry_a_strict_policy_and_the_inline_script_has_its_nonce(client):
    response = client.get(reverse("home:start"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline and all(f'nonce="{nonce.group(1)}"' in attrs for attrs in inline)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_session_cookie_is_http_only(client, social_worker):
    response = client.post(
        reverse("accounts:login"),
        {"username": social_worker.username, "password": "correct-horse-battery-staple"},
    )
    assert response.cookies["sessionid"]["httponly"]


_TEST_ONLY_VARIABLES = ("SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG", "SECURE_SSL_REDIRECT")


def _production_env(**extra: str) -> dict[str, str]:
    """The environment of a production server: none of the test run's relaxations."""
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY_VARIABLES}
    env.update({"DJANGO_SETTINGS_MODULE": "safeguard.settings.production", "DEMO_MODE": "false", **extra})
    return env


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = _production_env(
        DJANGO_SECRET_KEY="k3$Vq9!zR7@mW2#tY6^pL4&xN8*cB1(hJ5)fD0_gS-uEa7Kd2Lp9Zx4Cv",
        ALLOWED_HOSTS="safeguard.example.org",
        # A database of its own: a local demo database holds demo accounts (safeguard.E001).
        SAFEGUARD_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
