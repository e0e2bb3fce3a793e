"""The council's local targets: stored, read once per page, set and cleared through one
checked, audited service that drops the measures pages' cache."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.performance import snapshots
from safeguard.performance.measure_models import LocalTarget
from safeguard.performance.measures import REGISTRY, Window
from safeguard.performance.selectors import measures_page
from safeguard.performance.targets import (
    DEFAULT_TARGETS,
    Status,
    local_targets,
    local_targets_save,
    local_targets_seed,
    target_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user("performance_analyst")


def _stored() -> dict[str, float]:
    return dict(LocalTarget.objects.values_list("measure", "value"))


def test_the_migration_stores_the_targets_the_council_had():
    assert _stored() == DEFAULT_TARGETS
    assert LocalTarget.objects.filter(modified_by__isnull=False).count() == 0


def test_status_reads_the_stored_target():
    m = REGISTRY["assessments_45"]  # higher is better; stored target 90
    assert target_status(m, 91.0).words == Status.ON
    assert target_status(m, 88.0).words == Status.CLOSE
    assert target_status(m, 80.0).words == Status.OFF
    assert target_status(m, None).words == Status.NO_DATA
    LocalTarget.objects.filter(measure="assessments_45").update(value=95.0)
    assert target_status(m, 91.0, targets=_stored()) == target_status(
        m, 91.0, targets={"assessments_45": 95.0}
    )
    assert target_status(m, 91.0, targets=_stored()).words == Status.OFF


def test_status_of_a_measure_of_demand_is_no_target_whatever_is_stored():
    LocalTarget.objects.create(measure="referrals", value=100.0)
    assert target_status(REGISTRY["referrals"], 120.0, targets=_stored()).words == Status.NONE


def test_a_page_of_figures_reads_the_targets_once(analyst):
    scope = snapshots.snapshot_scopes()[0]
    today = timezone.localdate()
    window = Window.of(today.replace(day=1), today)
    table = LocalTarget._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        page = measures_page(user=analyst, window=window, scope=scope)
    reads = [q for q in queries.captured_queries if table in q["sql"]]
    assert len(reads) == 1
    rows = [r for _, group in page.groups for r in group]
    assert {r.measure.id: r.target.target for r in rows if r.target.target is not None} == DEFAULT_TARGETS
    with CaptureQueriesContext(connection) as queries:
        measures_page(user=analyst, window=window, scope=scope)
    assert not [q for q in queries.captured_queries if table in q["sql"]]


def test_setting_changing_and_clearing_targets_is_audited(analyst):
    changed = local_targets_save(
        actor=analyst,
        values={"re_referrals": "18.5", "cp_repeat": "", "caseload": "16", "icpc_15": "85"},
    )
    assert sorted(changed) == ["caseload", "cp_repeat", "re_referrals"]
    stored = _stored()
    assert stored["re_referrals"] == 18.5 and stored["caseload"] == 16.0 and stored["icpc_15"] == 85.0
    assert "cp_repeat" not in stored
    set_by = LocalTarget.objects.get(measure="re_referrals")
    assert set_by.modified_by == analyst
    events = {e.object_id: e for e in AuditEvent.objects.filter(action__startswith="local_target")}
    assert events[str(set_by.pk)].changes["value"] == {"before": 20.0, "after": 18.5}
    cleared = AuditEvent.objects.get(action="local_target_clear")
    assert cleared.actor == analyst and cleared.changes["value"] == {"before": 20.0, "after": None}
    created = AuditEvent.objects.get(
        action="local_target_set", object_id=str(LocalTarget.objects.get(measure="caseload").pk)
    )
    assert created.changes["value"] == {"before": None, "after": 16.0}
    assert AuditEvent.objects.filter(action__startswith="local_target").count() == 3  # icpc_15 unchanged


def test_a_change_drops_the_cached_targets_and_measures_pages(analyst, django_capture_on_commit_callbacks):
    assert local_targets()["re_referrals"] == 20.0  # now cached
    version = snapshots.cache_version()
    with django_capture_on_commit_callbacks(execute=True):
        local_targets_save(actor=analyst, values={"re_referrals": "15"})
    assert local_targets()["re_referrals"] == 15.0
    assert snapshots.cache_version() > version


def test_nothing_changed_leaves_the_cache(analyst, django_capture_on_commit_callbacks):
    version = snapshots.cache_version()
    with django_capture_on_commit_callbacks(execute=True):
        assert local_targets_save(actor=analyst, values={"re_referrals": "20"}) == []
    assert snapshots.cache_version() == version


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"re_referrals": "about twenty"},
            "re_referrals",
            "must be a number, like 20 or 85.5, not “about twenty”",
        ),
        ({"re_referrals": "-1"}, "re_referrals", "must be a percentage from 0 to 100"),
        ({"assessments_45": "100.5"}, "assessments_45", "must be a percentage from 0 to 100"),
        ({"assessments_45": "nan"}, "assessments_45", "must be a percentage from 0 to 100"),
        ({"icpc_median": "300"}, "icpc_median", "must be a number of working days from 0 to 260"),
        ({"referrals": "500"}, "referrals", "describes demand, so it cannot have a target"),
        ({"no_such_measure": "5"}, "__all__", "There is no measure “no_such_measure”"),
    ],
)
def test_bad_targets_are_refused_with_a_message_and_nothing_saved(analyst, values, field, message):
    before = _stored()
    with pytest.raises(ValidationError) as error:
        local_targets_save(actor=analyst, values={"cp_repeat": "12", **values})
    assert any(message in m for m in error.value.message_dict[field])
    assert _stored() == before  # the good value beside it was not saved either
    assert not AuditEvent.objects.filter(action__startswith="local_target").exists()


def test_a_percentage_may_be_typed_with_its_sign(analyst):
    local_targets_save(actor=analyst, values={"re_referrals": " 17.26% "})
    assert _stored()["re_referrals"] == 17.3  # rounded to one place, as the page shows it


@pytest.mark.parametrize("role", ["team_manager", "social_worker", "service_manager"])
def test_only_directors_and_analysts_set_targets(make_user, role):
    with pytest.raises(PermissionDenied):
        local_targets_save(actor=make_user(role), values={"re_referrals": "10"})
    assert _stored() == DEFAULT_TARGETS


def test_the_demo_seed_starts_an_empty_council_with_the_defaults():
    assert local_targets_seed() == 0  # the migration's are there
    LocalTarget.objects.all().delete()
    assert local_targets_seed() == len(DEFAULT_TARGETS)
    assert _stored() == DEFAULT_TARGETS
