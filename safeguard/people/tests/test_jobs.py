"""The break-glass email to the child's managers is a job, enqueued once the grant is committed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase, override_settings
from django_tasks import default_task_backend

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people import jobs, services
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

REASON = "Police report the child missing overnight; need the family's details now."


@pytest.fixture
def managed_child():
    team = TeamFactory()
    UserFactory(role=Role.TEAM_MANAGER, team=team, email="manager@staff.example")
    child = ChildFactory(given_name="Leila", family_name="Farah")
    EpisodeFactory(child=child, team=team)
    return child


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_break_glass_enqueues_the_managers_email_on_commit(social_worker, managed_child):
    with TestCase.captureOnCommitCallbacks() as callbacks:
        grant = services.break_glass_open(actor=social_worker, person=managed_child, reason=REASON)
    assert default_task_backend.results == []  # nothing is queued before the commit
    for callback in callbacks:
        callback()
    [job] = default_task_backend.results
    assert job.task.module_path == "safeguard.people.jobs.break_glass_notify"
    assert job.kwargs == {"grant_id": str(grant.pk), "recipients": ["manager@staff.example"]}
    assert mail.outbox == []


def test_the_job_names_the_user_and_not_the_child(social_worker, managed_child):
    with TestCase.captureOnCommitCallbacks():
        grant = services.break_glass_open(actor=social_worker, person=managed_child, reason=REASON)
    jobs.break_glass_notify.call(grant_id=str(grant.pk), recipients=["manager@staff.example"])
    [message] = mail.outbox
    assert message.to == ["manager@staff.example"]
    assert social_worker.display_name in message.body and "Farah" not in message.body
