"""The referrer-feedback email is a job, enqueued only once the decision is committed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from safeguard.frontdoor import services
from safeguard.frontdoor.models import Decision, ReporterType
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _referral(make_user):
    practitioner = make_user("front_door_practitioner")
    contact = make_contact(
        reporter_type=ReporterType.PROFESSIONAL,
        referrer={"name": "Ms Teacher", "email": "dsl@school.example"},
    )
    services.contact_link_child(actor=practitioner, contact=contact, child=ChildFactory())
    return practitioner, contact


def _decide(practitioner, contact):
    services.contact_decide(actor=practitioner, contact=contact, decision=Decision.REFERRAL, reason="Worried")


@override_settings(TASKS=DUMMY)
def test_the_feedback_email_is_enqueued_as_a_job_on_commit(make_user):
    practitioner, contact = _referral(make_user)
    with TestCase.captureOnCommitCallbacks() as callbacks:
        _decide(practitioner, contact)
    assert default_task_backend.results == []  # nothing is queued before the commit
    for callback in callbacks:
        callback()
    [job] = default_task_backend.results
    assert job.task.module_path == "safeguard.frontdoor.jobs.referrer_feedback_send"
    assert job.kwargs == {"contact_id": str(contact.pk)}
    assert mail.outbox == []  # the job sends it, not the request


# A real transaction: the worker closes its database connection between jobs.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE)
def test_with_the_database_backend_the_worker_sends_the_email(make_user):
    practitioner, contact = _referral(make_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _decide(practitioner, contact)
    [stored] = DBTaskResult.objects.all()
    assert stored.task_path == "safeguard.frontdoor.jobs.referrer_feedback_send"
    assert mail.outbox == []
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert [m.to for m in mail.outbox] == [["dsl@school.example"]]
    contact.refresh_from_db()
    assert contact.referrer_told_at is not None
