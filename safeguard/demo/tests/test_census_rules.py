"""The demo council's children in need census passes the DfE rules: no errors, few queries.

A small council seeded a month after the census year ends, read by the returns app's own
projection and rule runner (``census_children``, ``check_child``, ``return_rules``), as the
file build and the pre-submission report read it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import F

from safeguard.casework.models import Assessment, CINEpisode
from safeguard.demo.generator import SeedOptions, generate
from safeguard.demo.tests.support import wipe_demo_data
from safeguard.returns.cin_census.build import census_children
from safeguard.returns.cin_census.render import child_element
from safeguard.returns.cin_census.rules import (
    AFTER_ASSESSMENT_CLOSURES,
    RuleFailure,
    check_child,
    return_rules,
)
from safeguard.returns.cin_census.spec import census_year, schema_for
from safeguard.returns.cin_census.validate import child_schema_problems

YEAR = 2026
TODAY = dt.date(2026, 5, 1)  # the year ending 31 March 2026 is over
CHILDREN = 1500
# Queries are for the analyst to check, and a real return has some (an assessment still
# open at 31 March after 45 working days, say); a handful per thousand children.
MAX_QUERIES_PER_CHILD = 0.02


@pytest.fixture(scope="module")
def census(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[int, list[RuleFailure], int]]:
    with django_db_blocker.unblock():
        generate(SeedOptions(children=CHILDREN, seed=11, today=TODAY))
        year = census_year(YEAR)
        schema = schema_for(YEAR)
        whole_return = return_rules()
        failures: list[RuleFailure] = []
        children = schema_problems = 0
        for child in census_children(year):
            children += 1
            failures += check_child(child, year)
            for return_rule in whole_return:
                failures += return_rule.observe(child)
            schema_problems += len(child_schema_problems(schema, child.la_child_id, child_element(child)))
        yield children, failures, schema_problems
        wipe_demo_data()


pytestmark = pytest.mark.django_db


def test_the_census_has_children_in_it(census: tuple[int, list[RuleFailure], int]) -> None:
    children, _, _ = census
    assert children > CHILDREN / 3


def test_no_rule_errors(census: tuple[int, list[RuleFailure], int]) -> None:
    _, failures, _ = census
    errors = Counter(f.rule for f in failures if f.severity == "error")
    assert not errors, f"census rule errors: {dict(errors)}"


def test_only_a_handful_of_queries(census: tuple[int, list[RuleFailure], int]) -> None:
    children, failures, _ = census
    queries = [f for f in failures if f.severity == "query"]
    assert len(queries) <= MAX_QUERIES_PER_CHILD * children, Counter(f.rule for f in queries)


def test_every_child_passes_the_schema(census: tuple[int, list[RuleFailure], int]) -> None:
    _, _, schema_problems = census
    assert schema_problems == 0


def test_episodes_with_an_enquiry_close_as_services_ceased(
    census: tuple[int, list[RuleFailure], int],
) -> None:
    # Rule 2990: RC8/RC9 mean closed after assessment alone, so never with a section 47.
    with_enquiry = CINEpisode.objects.filter(section_47s__isnull=False, closure_date__isnull=False)
    assert with_enquiry.filter(reason_for_closure="RC7").exists()
    assert not with_enquiry.filter(reason_for_closure__in=AFTER_ASSESSMENT_CLOSURES).exists()
    # ...while RC8/RC9 are still used where only an assessment happened.
    assert CINEpisode.objects.filter(reason_for_closure__in=AFTER_ASSESSMENT_CLOSURES).exists()


def test_some_assessments_record_a_midway_review_within_the_assessment(
    census: tuple[int, list[RuleFailure], int],
) -> None:
    children, _, _ = census
    reviewed = Assessment.objects.filter(internal_review_date__isnull=False)
    assert reviewed.count() > children / 50
    assert not reviewed.filter(internal_review_date__lt=F("start_date")).exists()
    assert not reviewed.filter(internal_review_date__gte=F("authorised_date")).exists()
    assert not reviewed.filter(internal_review_date__gt=TODAY).exists()
    # Reported in the file: the projection reads it.
    in_file = [
        a.internal_review_date
        for child in census_children(census_year(YEAR))
        for episode in child.episodes
        for a in episode.assessments
        if a.internal_review_date is not None
    ]
    assert in_file and all(day <= census_year(YEAR).reference_date for day in in_file)
