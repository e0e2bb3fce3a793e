"""The local targets page: directors and analysts see every measure with England's figure,
the current target and which way is better, and set or clear targets; others are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.accounts.tests.factories import TeamFactory
from safeguard.audit.models import AuditEvent
from safeguard.performance.measure_models import LocalTarget
from safeguard.performance.measures import MEASURES, Better, Kind
from safeguard.performance.targets import DEFAULT_TARGETS

pytestmark = pytest.mark.django_db

URL = "/performance/measures/targets/"


def _stored() -> dict[str, float]:
    return dict(LocalTarget.objects.values_list("measure", "value"))


def _targetable() -> list[str]:
    return [m.id for m in MEASURES if m.better != Better.NEITHER and m.kind != Kind.NOT_YET]


def _posted(**changes: str) -> dict[str, str]:
    """The form as shown (every box with its current target), with ``changes`` typed in."""
    current = {mid: f"{v:g}" for mid, v in _stored().items()}
    return {mid: current.get(mid, "") for mid in _targetable()} | changes


@pytest.fixture
def analyst(make_user):
    return make_user("performance_analyst")


def test_the_url_is_the_targets_page():
    assert reverse("performance:targets") == URL


@pytest.mark.parametrize("role", ["performance_analyst", "director"])
def test_a_director_or_analyst_sees_every_measure_with_england_and_its_target(client, make_user, role):
    client.force_login(make_user(role))
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert '<h1 class="govuk-heading-l">Local targets</h1>' in text
    for m in MEASURES:
        if m.kind != Kind.NOT_YET:
            assert m.name in text
    assert "22.6% (2024-25)" in text  # England's re-referral rate
    assert 'name="re_referrals" type="text" value="20"' in text  # the current target, to change
    assert "Set when the service was installed" in text
    assert "Cannot have a target" in text  # contacts, referrals: demand
    assert 'name="referrals"' not in text
    assert "Lower" in text and "Higher" in text


@pytest.mark.parametrize("role", ["team_manager", "social_worker", "service_manager", "conference_chair"])
def test_other_roles_are_refused_and_change_nothing(client, make_user, role):
    client.force_login(make_user(role, team=TeamFactory()))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _posted(re_referrals="5")).status_code == 403
    assert _stored() == DEFAULT_TARGETS


def test_setting_and_clearing_targets_shows_on_the_measures_page(client, analyst, make_user):
    client.force_login(analyst)
    response = client.post(URL, _posted(re_referrals="15", cp_repeat="", caseload="18"))
    assert response.status_code == 302 and response["Location"] == URL
    assert _stored()["re_referrals"] == 15.0 and _stored()["caseload"] == 18.0
    assert "cp_repeat" not in _stored()
    page = client.get(URL).content.decode()
    assert "Targets saved: 3 changed" in page
    assert f"Set by {analyst.display_name}" in page
    assert AuditEvent.objects.filter(action__startswith="local_target", actor=analyst).count() == 3

    manager = make_user("team_manager", team=TeamFactory(name="Harrow Vale Assessment"))
    client.force_login(manager)
    measures = client.get(reverse("performance:measures")).content.decode()
    assert "15.0%" in measures  # the new re-referrals target beside the team's figure
    assert "18.0" in measures
    assert URL not in measures  # a team manager sees targets but is not offered the page


def test_the_measures_page_links_to_the_targets_for_those_who_set_them(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("performance:measures")).content.decode()
    assert f'href="{URL}"' in page and "Set the local targets" in page


def test_saving_without_a_change_says_so(client, analyst):
    client.force_login(analyst)
    client.post(URL, _posted())
    assert "No targets were changed" in client.get(URL).content.decode()
    assert not AuditEvent.objects.filter(action__startswith="local_target").exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("re_referrals", "twenty", "The target for re-referrals within 12 months must be a number"),
        ("re_referrals", "-3", "must be a percentage from 0 to 100"),
        ("assessments_45", "120", "must be a percentage from 0 to 100"),
        ("icpc_median", "1000", "must be a number of working days from 0 to 260"),
        ("re_referrals", "1" * 30, "must be a number, like 20"),
    ],
)
def test_a_bad_target_is_shown_on_its_box_with_everything_typed_and_nothing_saved(
    client, analyst, field, typed, message
):
    client.force_login(analyst)
    response = client.post(URL, _posted(**{field: typed, "cp_repeat": "11"}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert message in text
    assert f'href="#id_{field}"' in text  # the summary links to the box
    assert 'name="cp_repeat" type="text" value="11"' in text  # the good answer is kept
    assert f'value="{typed}"' in text  # and the bad one, to correct
    assert _stored() == DEFAULT_TARGETS
    assert not AuditEvent.objects.filter(action__startswith="local_target").exists()


def test_a_posted_measure_that_is_not_on_the_page_is_ignored(client, analyst):
    client.force_login(analyst)
    response = client.post(URL, _posted(referrals="500", no_such_measure="5"))
    assert response.status_code == 302
    assert _stored() == DEFAULT_TARGETS
