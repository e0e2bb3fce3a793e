"""Tests: fast hashing; otherwise the same settings as production."""

import os

os.environ.setdefault("DEMO_MODE", "true")
os.environ.setdefault("SECURE_COOKIES", "false")

from safeguard.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Jobs run at once, so a test sees their effects (e.g. mail.outbox) whatever the environment says.
TASKS = {"default": {"BACKEND": JOB_BACKENDS["immediate"]}}  # noqa: F405
