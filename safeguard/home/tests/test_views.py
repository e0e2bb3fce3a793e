from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role, TeamKind
from safeguard.accounts.tests.factories import TeamFactory
from safeguard.casework.models import Assessment
from safeguard.casework.services.assessments import assessment_start
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.people.tests.factories import ChildFactory

PUBLIC_PAGES = [
    "home:start",
    "home:accessibility",
    "home:privacy",
    "home:cookies",
    "home:contact",
    "accounts:login",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_need_no_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"govuk-generic-header" in response.content
    assert b"govuk-crown" not in response.content


@pytest.mark.django_db
def test_start_page_tells_people_to_call_999(client):
    response = client.get(reverse("home:start"))
    assert "If a child is in immediate danger, call 999." in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_home_works_for_every_role(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    response = client.get(reverse("home:home"))
    assert response.status_code == 200
    assert f"{Role(role).label} home" in html.unescape(response.content.decode())


@pytest.mark.django_db
def test_signed_in_user_at_start_goes_home(staff_client):
    response = staff_client.get(reverse("home:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")


@pytest.mark.django_db
def test_not_found_uses_the_service_page(staff_client):
    response = staff_client.get("/children/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "<title>Page not found" in response.content.decode()


@pytest.mark.django_db
def test_forbidden_uses_the_service_page(client, partner_user):
    client.force_login(partner_user)
    response = client.get(reverse("accounts:team_list"))
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()


@pytest.mark.django_db
def test_a_workers_home_shows_their_clocks_in_words(staff_client, social_worker):
    import datetime as dt

    from safeguard.casework.services.assessments import assessment_start

    episode = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 6, 1))
    assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 6, 2))
    html = staff_client.get(reverse("home:home")).content.decode()
    assert "Your clocks" in html and "Overdue by" in html


@pytest.mark.django_db
def test_home_links_to_changing_the_password(staff_client, social_worker):
    staff_client.force_login(social_worker)
    social_worker.last_login = social_worker.date_joined
    social_worker.save()
    assert reverse("accounts:password_change") in staff_client.get(reverse("home:home")).content.decode()


def test_a_team_managers_home_lists_referrals_to_allocate_and_assessments_to_authorise(
    client, make_user, social_worker
):

    today = dt.date.today()
    manager = make_user(Role.TEAM_MANAGER, team=social_worker.team)
    waiting = EpisodeFactory(
        child=ChildFactory(given_name="Waiting", family_name="Child"),
        team=social_worker.team,
        referral_date=today,
        team_since=today - dt.timedelta(days=3),
    )
    held = EpisodeFactory(
        child=ChildFactory(given_name="Assessed", family_name="Child"),
        team=social_worker.team,
        worker=social_worker,
        referral_date=today,
    )
    assessment = assessment_start(actor=social_worker, episode=held, start_date=today)
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted", submitted_date=today)
    client.force_login(manager)
    page = client.get(reverse("home:home")).content.decode()
    to_allocate = page[page.index("Referrals to allocate (1)") : page.index("Assessments to authorise")]
    assert "Waiting Child" in to_allocate and "3 days" in to_allocate
    assert reverse("casework:allocate", args=[waiting.pk]) in to_allocate
    assert "Due in " in to_allocate  # the assessment clock, from the referral date
    to_authorise = page[page.index("Assessments to authorise (1)") :]
    assert "Assessed Child" in to_authorise and social_worker.display_name in to_authorise
    assert reverse("casework:assessment", args=[assessment.pk]) in to_authorise


def test_the_front_doors_home_lists_only_referrals_still_with_it(client, make_user, social_worker):

    front_door = make_user(Role.FRONT_DOOR_PRACTITIONER, team=TeamFactory(kind=TeamKind.FRONT_DOOR))
    EpisodeFactory(child=ChildFactory(given_name="Still", family_name="Here"), team=front_door.team)
    EpisodeFactory(child=ChildFactory(given_name="Sent", family_name="On"), team=social_worker.team)
    client.force_login(front_door)
    page = client.get(reverse("home:home")).content.decode()
    assert "Referrals to send to a team (1)" in page
    assert "Still Here" in page and "Sent On" not in page


@pytest.mark.django_db
def test_the_home_caseload_table_shows_workforces_weighted_caseload(client, make_user, settings):
    settings.WORKFORCE_CASE_WEIGHTS = {"cp_plan": 2}
    manager = make_user(Role.TEAM_MANAGER)
    worker = make_user(Role.SOCIAL_WORKER, team=manager.team, first_name="Noor", last_name="Haddad")
    for _ in range(2):
        EpisodeFactory(worker=worker, team=manager.team, referral_date=dt.date(2026, 6, 1))
    protected = EpisodeFactory(worker=worker, team=manager.team, referral_date=dt.date(2026, 6, 1))
    CPPlanFactory(episode=protected, child=protected.child, start_date=dt.date(2026, 7, 1))
    client.force_login(manager)
    page = client.get(reverse("home:home")).content.decode()
    table = page[page.index('<h2 class="govuk-heading-m">Caseloads</h2>') :]
    table = table[: table.index("</table>")]
    assert "a child protection plan as 2 children" in table
    row = table[table.index("Noor Haddad") :]
    row = row[: row.index("</tr>")]
    # Two children at 1 and one on a plan at 2 (the configured weight, not casework's 1.5).
    cells = [c.split(">", 1)[1].split("<", 1)[0].strip() for c in row.split("<td")[1:]]
    assert cells[2:4] == ["3", "4"]
