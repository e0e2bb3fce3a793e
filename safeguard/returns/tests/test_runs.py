"""Building the census in the background from the analyst's page, and downloading the file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from lxml import etree

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit.models import AccessAction, AccessLogEntry, AuditEvent
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory
from safeguard.returns.cin_census import services
from safeguard.returns.cin_census.spec import schema_for
from safeguard.returns.models import ReturnRun, RunStatus

pytestmark = pytest.mark.django_db
RUNS = reverse("returns:cin_census_runs")
D = dt.date.fromisoformat


@pytest.fixture
def analyst():
    return UserFactory(role=Role.PERFORMANCE_ANALYST)


def _child_closed_without_assessment(la_child_id: str, **episode):
    child = ChildFactory(la_child_id=la_child_id, date_of_birth=D("2022-03-01"))
    return EpisodeFactory(
        child=child,
        referral_date=D("2025-08-01"),
        closure_date=D("2025-09-01"),
        reason_for_closure="RC8",
        **episode,
    )


def test_the_analyst_starts_a_build_that_runs_as_a_job_and_keeps_the_file(
    client, analyst, django_capture_on_commit_callbacks
):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    _child_closed_without_assessment("HM000000200", worker=worker)
    _child_closed_without_assessment("HM000000201")
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(RUNS, {"year": "2026"})
    assert len(callbacks) == 1  # the job was queued after the run row was committed
    run = ReturnRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("returns:cin_census_run", args=[run.pk])
    assert run.status == RunStatus.SUCCEEDED
    assert run.requested_by == analyst
    assert (run.progress_done, run.progress_total, run.children_count) == (2, 2, 2)
    assert AuditEvent.objects.filter(action="returns.cin_census.request", object_id=str(run.pk)).exists()
    # The file kept on the row passes the schema; the failures are kept per child.
    assert schema_for(2026).validate(etree.fromstring(bytes(run.content)))
    mine = [f for f in run.failures if f["worker_id"] == str(worker.pk)]
    assert [(f["rule"], f["la_child_id"]) for f in mine] == [("8825Q", "HM000000200")]

    page = client.get(response["Location"]).content.decode()
    assert "Built" in page and "2 of 2 children read (100%)" in page
    assert "8825Q" in page and "Download the census file" in page

    download = client.get(reverse("returns:cin_census_download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    assert 'filename="cin-census-2026-' in download["Content-Disposition"]
    assert download.content == bytes(run.content)
    entry = AccessLogEntry.objects.get(user=analyst, action=AccessAction.DOWNLOAD)
    assert entry.object_id == str(run.pk)
    assert "2 children" in entry.detail


def test_a_queued_run_shows_its_progress_and_a_way_to_check_again(client, analyst, settings):
    _child_closed_without_assessment("HM000000210")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(analyst)
    run = services.cin_census_request(actor=analyst, year=2026)
    page = client.get(reverse("returns:cin_census_run", args=[run.pk])).content.decode()
    assert "Waiting to start" in page
    assert "Check its progress again" in page
    assert "Download the census file" not in page
    # No file yet, so nothing to download.
    assert client.get(reverse("returns:cin_census_download", args=[run.pk])).status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessAction.DOWNLOAD).exists()


def test_running_a_run_again_is_safe(analyst, settings):
    _child_closed_without_assessment("HM000000220")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    run = services.cin_census_request(actor=analyst, year=2026)
    first = services.cin_census_run(run_id=str(run.pk))
    finished_at = first.finished_at
    again = services.cin_census_run(run_id=str(run.pk))
    assert again.status == RunStatus.SUCCEEDED
    assert again.finished_at == finished_at


def test_a_failed_build_keeps_no_file(analyst, settings, monkeypatch):
    _child_closed_without_assessment("HM000000230")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    run = services.cin_census_request(actor=analyst, year=2026)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "child_element", broken)
    with pytest.raises(RuntimeError):
        services.cin_census_run(run_id=str(run.pk))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.message == "the disk is full"
    assert bytes(run.content) == b""


def test_a_year_with_no_children_is_refused_on_the_form(client, analyst):
    client.force_login(analyst)
    response = client.post(RUNS, {"year": "2026"})
    assert response.status_code == 200
    assert "there is no census to write" in response.content.decode()
    assert not ReturnRun.objects.exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER])
def test_only_the_analyst_may_see_or_download_a_run(
    client, analyst, role, django_capture_on_commit_callbacks
):
    _child_closed_without_assessment("HM000000240")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.cin_census_request(actor=analyst, year=2026)
    client.force_login(UserFactory(role=role))
    for name in ("returns:cin_census_run", "returns:cin_census_download"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 403
    assert client.get(RUNS).status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessAction.DOWNLOAD).exists()


def test_an_unknown_run_is_not_found(client, analyst):
    client.force_login(analyst)
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("returns:cin_census_run", args=[missing])).status_code == 404
    assert client.get(reverse("returns:cin_census_download", args=[missing])).status_code == 404
