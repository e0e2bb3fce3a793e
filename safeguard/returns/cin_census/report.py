"""The pre-submission report: every DfE rule failure and schema problem in a year's census.

The same projection and rules as the file (``build``, ``rules``, ``validate``), without
writing one. Each failure names the child as the viewer may see them
(``people.selectors.person_references``): a sealed child is left out for anyone not named on
the seal, as every list does, so the report never says that a sealed record exists. The
census file itself still counts sealed children (ADR 10).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

from safeguard.audit.models import AccessKind
from safeguard.audit.services import access_log_record_list
from safeguard.people.models import Person
from safeguard.people.selectors import person_references
from safeguard.returns.cin_census.build import census_children
from safeguard.returns.cin_census.failures import Found, fix_url, located
from safeguard.returns.cin_census.render import child_element
from safeguard.returns.cin_census.rules import (
    ReturnFailure,
    ReturnTotals,
    authority_failures,
    check_child,
    return_rules,
)
from safeguard.returns.cin_census.spec import census_year, schema_for
from safeguard.returns.cin_census.validate import child_schema_problems

if TYPE_CHECKING:
    from safeguard.accounts.models import User


@dataclass(frozen=True)
class ReportRow:
    child_name: str
    la_child_id: str
    url: str
    rule: str
    severity: str
    message: str
    team_id: uuid.UUID | None
    worker_id: uuid.UUID | None


@dataclass(frozen=True)
class Report:
    year_label: str
    rows: list[ReportRow]
    # The return as a whole (rules 100, 2883, 2886Q to 2888Q): shown whatever the filters.
    whole_return: tuple[ReturnFailure, ...] = ()

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.severity == "error")

    @property
    def queries(self) -> int:
        return sum(1 for row in self.rows if row.severity == "query")


def cin_report(
    *,
    user: User,
    year: int,
    team_id: uuid.UUID | None = None,
    worker_id: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Report:
    """Every failure in the census for ``year`` that ``user`` may see, filtered by team or worker.

    Raises ``CensusYearError`` for a year whose schema is not shipped.
    """
    census = census_year(year)
    schema = schema_for(year)
    whole_return = return_rules()
    found: list[Found] = []
    totals = ReturnTotals(reference_date=census.reference_date)
    for child in census_children(census):
        totals.add(child, census)
        failures = check_child(child, census)
        for return_rule in whole_return:
            failures.extend(return_rule.observe(child))
        problems = child_schema_problems(schema, child.la_child_id, child_element(child))
        found.extend(located(child, failures, problems))
    if team_id is not None:
        found = [f for f in found if f.team_id == team_id]
    if worker_id is not None:
        found = [f for f in found if f.worker_id == worker_id]
    people = Person.objects.filter(pk__in={f.child_id for f in found})
    references = person_references(viewer=user, people=people)
    rows = []
    for f in found:
        reference = references[f.child_id]
        if reference.restricted:
            continue
        url = fix_url(f)
        rows.append(
            ReportRow(
                child_name=reference.name,
                la_child_id=f.la_child_id,
                url=url or "",
                rule=f.rule,
                severity=f.severity,
                message=f.message,
                team_id=f.team_id,
                worker_id=f.worker_id,
            )
        )
    access_log_record_list(
        user=user,
        what=AccessKind.CHILD_LIST,
        model=Person,
        detail=(
            f"CIN census pre-submission report {census.label}: team {team_id or 'any'}, "
            f"worker {worker_id or 'any'}, {len(rows)} rows"
        ),
        request=request,
    )
    return Report(year_label=census.label, rows=rows, whole_return=tuple(authority_failures(totals, census)))
