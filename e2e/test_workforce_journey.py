"""In Chromium: the workforce lead sees every team's vacancies, agency cover, the pipeline
and incentives, opens a leaver's record to see what they repay, pays a golden hello and
records the new starter leaving, and sees the amount the scheme's rule makes repayable;
a team manager sees their team's caseloads, supervision and ASYE progress (no pay) and
records a supervision; a worker opens their own record. Every page passes axe and can be
used with the keyboard; the lead adds a funded post and opens the pages that change
vacancies, incentives and absence, each passing axe too. The lead starts recruitment to a
vacancy and records part of a leaver's repayment (a figure over what is outstanding is
refused first); the newly qualified worker applies for the next grade from her own record,
and the lead records the panel's approval from the applications waiting on the overview."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe, keyboard_problems
from safeguard.accounts.models import Grade, User
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.workforce import services
from safeguard.workforce.models import PanelDecision
from safeguard.workforce.rules import pounds
from safeguard.workforce.tests.factories import PostFactory
from safeguard.workforce.tests.scenario import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(browser: Browser, base: str, user: User) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page


def _checked(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
    problems = keyboard_problems(page)
    assert not problems, f"{page.url}\n" + "\n".join(problems)


def _fill_date(page: Page, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}-day").fill(str(day.day))
    page.locator(f"#id_{name}-month").fill(str(day.month))
    page.locator(f"#id_{name}-year").fill(str(day.year))


def _go(page: Page, role: str, name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()


def test_workforce_lead_and_team_manager(browser: Browser, live_server) -> None:
    base = live_server.url
    world = build_world()
    team = world.worker_record.team
    for _ in range(10):
        EpisodeFactory(worker=world.worker, team=team)
    referral = EpisodeFactory(team=team, worker=None)
    repayable = world.leaver.awards.get().repayable_pence or 0
    # A vacancy nobody is recruiting to yet.
    senior = PostFactory(team=team, title="Senior practitioner", grade=Grade.SENIOR)
    services.vacancy_open(
        actor=world.lead,
        post=senior,
        fte=senior.funded_fte,
        opened_on=timezone.localdate() - dt.timedelta(days=7),
    )

    page = _sign_in(browser, base, world.lead)
    _checked(page)  # the home page, with payments due and repayments to recover
    expect(page.locator("main")).to_contain_text("Repayments to recover")
    _go(page, "link", "Workforce")
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Workforce")
    expect(main).to_contain_text("Hillside Assessment")
    expect(main).to_contain_text("Agency worker: Dev Agencyworker (£1,725.00 a week)")
    expect(main).to_contain_text("Advertised for 50 days")
    expect(main).to_contain_text("Senior practitioner golden hello, instalment 1")
    expect(main).to_contain_text(pounds(repayable))
    _checked(page)

    _go(page, "link", "Sam Leaver")
    expect(page.locator("main")).to_contain_text(f"Repayable on leaving: {pounds(repayable)}")
    _checked(page)

    # Pay the new senior practitioner's golden hello, then record them leaving today: a
    # full-repayment scheme inside its 12 months, so all £5,000 comes back.
    page.goto(f"{base}/workforce/")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"Mark paid\s*: instalment 1 to Ola Newcomer")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is marked paid")
    _go(page, "link", "Hillside Assessment")
    _checked(page)
    _go(page, "link", "Ola Newcomer")
    _go(page, "button", "Record leaving")
    _checked(page)
    today = timezone.localdate()
    page.locator("#id_last_day-day").fill(str(today.day))
    page.locator("#id_last_day-month").fill(str(today.month))
    page.locator("#id_last_day-year").fill(str(today.year))
    page.get_by_label("Resigned: to another local authority").check()
    _go(page, "button", "Record leaving")
    expect(page.locator("main")).to_contain_text("Repayable on leaving: £5,000.00")
    _checked(page)

    page.goto(f"{base}/workforce/cohorts/")
    expect(page.locator("main")).to_contain_text("Priya Nolan")
    _checked(page)

    # Add a funded post: nothing filled in shows every error, then it saves.
    page.goto(f"{base}/workforce/")
    _go(page, "button", "Add a funded post")
    _checked(page)
    _go(page, "button", "Add the post")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the title of the post")
    _checked(page)
    page.get_by_label("Team").select_option(label="Hillside Assessment")
    page.get_by_label("Title of the post").fill("Family support practitioner")
    page.get_by_label("Grade").select_option(Grade.SOCIAL_WORKER.value)
    page.get_by_label("Funded FTE").fill("2")
    page.get_by_role("group", name="Does the post hold cases?").get_by_label("Yes").check()
    page.get_by_role("group", name="Is the post hard to fill?").get_by_label("No").check()
    _go(page, "button", "Add the post")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Family support practitioner")
    # The vacancy's cover and closing, a new scheme and a person's absence are pages of
    # their own, each valid and usable by keyboard.
    _go(page, "link", re.compile(r"Change cover\s*for Social worker"))
    _checked(page)
    page.goto(f"{base}/workforce/")
    _go(page, "link", "Set up an incentive scheme")
    page.get_by_label("Name of the scheme").fill("Family support golden hello")
    page.get_by_label("Golden hello").check()
    page.get_by_label("Grade of post it is for").select_option(Grade.SOCIAL_WORKER.value)
    page.get_by_label("Months a person must stay not to repay").fill("12")
    page.get_by_label("In full").check()
    page.get_by_label("Amount in pounds").fill("1000")
    page.get_by_label("Instalments").fill("500, 0\n400, 6")
    _go(page, "button", "Set up the scheme")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The instalments add up to £900.00")
    _checked(page)
    page.goto(f"{base}/workforce/staff/{world.worker_record.pk}/")
    _go(page, "link", "Record a sickness absence")
    _checked(page)
    page.goto(f"{base}/workforce/staff/{world.worker_record.pk}/")
    _go(page, "link", "Award an incentive")
    _checked(page)
    page.goto(f"{base}/workforce/")
    _go(page, "link", re.compile(r"Close\s*for Social worker"))
    _checked(page)

    # Start recruitment to the senior practitioner vacancy: no date is an error, then it starts.
    page.goto(f"{base}/workforce/")
    _go(page, "link", re.compile(r"Start recruitment\s*for Senior practitioner"))
    _checked(page)
    _go(page, "button", "Start recruitment")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the post was advertised")
    _checked(page)
    _fill_date(page, "advertised_on", today)
    _go(page, "button", "Start recruitment")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Recruitment has started")
    expect(page.locator("main")).to_contain_text("Senior practitioner")
    _checked(page)

    # A repayment from the leaver: more than is owed is refused, with the figure kept; then
    # £100 is recorded and the rest is still outstanding.
    page.goto(f"{base}/workforce/")
    _go(page, "link", re.compile(r"Record a repayment\s*for Sam Leaver"))
    expect(page.locator("main")).to_contain_text(f"Outstanding: {pounds(repayable)}")
    _checked(page)
    page.get_by_label("Repayment received").check()
    too_much = f"{repayable / 100 + 50:.2f}"
    page.get_by_label("Amount received in pounds").fill(too_much)
    _fill_date(page, "on", today)
    _go(page, "button", "Record it")
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"Sam Leaver owes {pounds(repayable)}")
    expect(page.get_by_label("Amount received in pounds")).to_have_value(too_much)
    _checked(page)
    page.get_by_label("Amount received in pounds").fill("100")
    _go(page, "button", "Record it")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"£100.00 repaid by Sam Leaver is recorded: {pounds(repayable - 10_000)} is still outstanding"
    )
    _checked(page)
    page.context.close()

    page = _sign_in(browser, base, world.manager)
    expect(page.locator("main")).to_contain_text("Supervision overdue")
    _go(page, "link", "Workforce")
    _go(page, "link", "Hillside Assessment")
    main = page.locator("main")
    expect(main).to_contain_text("Priya Nolan")
    expect(main).to_contain_text("Protected caseload now")
    expect(main).not_to_contain_text("£")
    _checked(page)
    _go(page, "link", "Priya Nolan")
    _go(page, "button", "Record a supervision")
    _checked(page)
    _go(page, "button", "Record the supervision")  # nothing filled in: errors, nothing lost
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the supervision")
    _checked(page)
    page.locator("#id_held_on-day").fill(str(today.day))
    page.locator("#id_held_on-month").fill(str(today.month))
    page.locator("#id_held_on-year").fill(str(today.year))
    page.get_by_label("ASYE supervision").check()
    page.get_by_label("Yes").check()
    _go(page, "button", "Record the supervision")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The supervision is recorded")

    # Allocating a referral: each worker's weighted caseload, and a warning with a reason
    # needed for the newly qualified worker, who is at her protected caseload.
    page.goto(f"{base}/casework/episodes/{referral.pk}/allocate/")
    main = page.locator("main")
    expect(main).to_contain_text("Priya Nolan (Hillside Assessment): 10 children, weighted caseload 10")
    expect(main).to_contain_text("newly qualified, protected caseload 10")
    _checked(page)
    page.get_by_label("Priya Nolan", exact=False).check()
    _go(page, "button", "Allocate")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "protected caseload is 10 and this would make it 11"
    )
    _checked(page)
    page.get_by_label("why allocate to them", exact=False).fill("Sibling of a child Priya already holds")
    _go(page, "button", "Allocate")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The case is allocated")
    page.context.close()

    # The worker applies for the next grade from her own record: nothing chosen is refused
    # with the evidence kept, then it is sent.
    page = _sign_in(browser, base, world.worker)
    _go(page, "link", "Your record")
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Nolan")
    _checked(page)
    _go(page, "link", "Apply for social worker")
    _checked(page)
    evidence = "ASYE final assessment report and three direct observations"
    page.get_by_label("Evidence", exact=True).fill(evidence)
    _go(page, "button", "Send the application")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the criteria the evidence meets")
    expect(page.get_by_label("Evidence", exact=True)).to_have_value(evidence)
    _checked(page)
    page.get_by_label("Passed the ASYE").check()
    page.get_by_label("Holds a caseload of children in need").check()
    _go(page, "button", "Send the application")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your application for social worker is sent"
    )
    page.context.close()

    # The lead finds it waiting for a panel and records the panel's approval.
    page = _sign_in(browser, base, world.lead)
    expect(page.locator("main")).to_contain_text("Progression applications waiting for a panel")
    page.goto(f"{base}/workforce/")
    _go(page, "link", re.compile(r"Record the panel's decision\s*for Priya Nolan"))
    _checked(page)
    _go(page, "button", "Record the decision")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the panel's decision")
    _checked(page)
    page.get_by_label("Approved", exact=True).check()
    _fill_date(page, "decided_on", today)
    page.get_by_label("Who sat on the panel").fill("Principal social worker; head of service")
    _go(page, "button", "Record the decision")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("application is recorded: approved")
    _checked(page)
    application = world.worker_record.applications.get()
    assert application.decision == PanelDecision.APPROVED
    world.worker_record.refresh_from_db()
    assert world.worker_record.grade == Grade.SOCIAL_WORKER
    page.context.close()
