"""Build the census file for a year: stream the XML, check each child, keep a run row.

The file is written to a temporary name beside the output and renamed only when it is
complete, so a failure never leaves a partial file. A child whose record would break the
schema is left out and reported by their LAchildID, so the written file is valid as a whole;
the DfE's rules run on every child and are reported beside it (they do not remove anyone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
import tomllib
from contextlib import suppress
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from lxml import etree

from safeguard.audit.services import audit_event_record
from safeguard.returns.cin_census.build import census_children, children_queryset
from safeguard.returns.cin_census.failures import Found, located
from safeguard.returns.cin_census.render import child_element, header_element
from safeguard.returns.cin_census.rules import (
    ReturnFailure,
    ReturnTotals,
    RuleFailure,
    authority_failures,
    check_child,
    return_rules,
)
from safeguard.returns.cin_census.spec import CensusYear, census_year, schema_for
from safeguard.returns.cin_census.validate import SchemaProblem, child_schema_problems
from safeguard.returns.models import ReturnKind, ReturnRun, RunStatus

if TYPE_CHECKING:
    from safeguard.accounts.models import User


# How often a build writes how far it has got, for the run page.
PROGRESS_EVERY = 250


class NoCensusData(Exception):
    """The year has no child to report: nothing is written."""


@dataclass
class CensusBuild:
    run: ReturnRun
    year: CensusYear
    output: Path
    children_written: int = 0
    schema_problems: list[SchemaProblem] = field(default_factory=list)
    rule_failures: list[RuleFailure] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    # Failures of the return as a whole (rule 100, 2883, 2886Q to 2888Q): no child to link.
    return_failures: list[ReturnFailure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def excluded_children(self) -> list[str]:
        return sorted({p.la_child_id for p in self.schema_problems})

    def _all_failures(self) -> list[RuleFailure | ReturnFailure]:
        return [*self.return_failures, *self.rule_failures]

    @property
    def rule_errors(self) -> list[RuleFailure | ReturnFailure]:
        return [f for f in self._all_failures() if f.severity == "error"]

    @property
    def rule_queries(self) -> list[RuleFailure | ReturnFailure]:
        return [f for f in self._all_failures() if f.severity == "query"]


def software_release() -> str:
    """This software's version, for the header's ``Release``."""
    try:
        return metadata.version("safeguard")
    except metadata.PackageNotFoundError:
        pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
        with pyproject.open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _new_run(
    *, actor: User | None, year: int, action: str, status: RunStatus, detail: dict[str, object]
) -> ReturnRun:
    """The run row and its audit event, for a year that has children to report."""
    census = census_year(year)
    schema_for(year)
    if not children_queryset(census).exists():
        raise NoCensusData(
            f"No child had a CIN episode open between {census.start:%d %B %Y} and "
            f"{census.reference_date:%d %B %Y}, so there is no census to write for {census.label}."
        )
    run = ReturnRun.objects.create(
        kind=ReturnKind.CIN_CENSUS,
        period=year,
        spec_version=census.spec_version,
        requested_by=actor,
        created_by=actor,
        status=status,
        started_at=timezone.now(),
    )
    audit_event_record(
        actor=actor,
        action=action,
        instance=run,
        changes={"period": year, "spec_version": census.spec_version, **detail},
    )
    return run


def cin_census_build(*, actor: User | None, year: int, output: Path) -> CensusBuild:
    """Write the census for the year ending 31 March ``year`` to ``output``, now.

    Raises ``CensusYearError`` for a year whose schema is not shipped and ``NoCensusData``
    for a year with no child to report; in both cases no file is written.
    """
    with transaction.atomic():
        run = _new_run(
            actor=actor,
            year=year,
            action="returns.cin_census.build",
            status=RunStatus.RUNNING,
            detail={"output": str(output)},
        )
    return _build(run, output)


def cin_census_request(*, actor: User, year: int) -> ReturnRun:
    """Queue a build of the census for ``year`` (ADR 9); the analyst watches its run page.

    Raises ``CensusYearError`` or ``NoCensusData`` as ``cin_census_build`` does, before
    anything is queued.
    """
    from safeguard.returns import jobs  # imported here to break the cycle services -> jobs -> services

    with transaction.atomic():
        run = _new_run(
            actor=actor, year=year, action="returns.cin_census.request", status=RunStatus.QUEUED, detail={}
        )
        run_id = str(run.pk)
        transaction.on_commit(lambda: jobs.cin_census_run.enqueue(run_id=run_id))
    return run


def cin_census_run(*, run_id: str) -> ReturnRun:
    """Build a queued run into its row. Safe to repeat: a run already started is left alone."""
    with transaction.atomic():
        run = ReturnRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            return run
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at", "modified_at"])
    # A year with nothing to write is recorded on the run as failed, with the reason.
    with tempfile.TemporaryDirectory(prefix="cin_census_") as directory, suppress(NoCensusData):
        _build(run, Path(directory) / f"cin_census_{run.period}.xml")
    run.refresh_from_db()
    return run


def _build(run: ReturnRun, output: Path) -> CensusBuild:
    census = census_year(run.period)
    schema = schema_for(run.period)
    serial = ReturnRun.objects.filter(
        kind=ReturnKind.CIN_CENSUS, period=run.period, started_at__lte=run.started_at
    ).count()
    build = CensusBuild(run=run, year=census, output=output)
    clock = time.perf_counter()
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        run.progress_total = children_queryset(census).count()
        run.save(update_fields=["progress_total", "modified_at"])
        _write(build, temporary, schema, serial=serial)
        if build.children_written == 0:
            raise NoCensusData(
                f"Every child in {census.label} has a record that breaks the schema, "
                "so no file was written: fix the records listed and build again."
            )
        os.replace(temporary, output)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        build.seconds = time.perf_counter() - clock
        _finish(build, RunStatus.FAILED, message=str(error) or type(error).__name__)
        raise
    build.seconds = time.perf_counter() - clock
    _finish(build, RunStatus.SUCCEEDED, sha256=_sha256(output))
    return build


def _write(build: CensusBuild, path: Path, schema: etree.XMLSchema, *, serial: int) -> None:
    whole_return = return_rules()
    totals = ReturnTotals()
    header = header_element(
        build.year,
        la_code=settings.COUNCIL_LA_CODE,
        release=software_release(),
        serial_no=serial,
        created_at=timezone.localtime(build.run.started_at),
    )
    totals.reference_date = dt.date.fromisoformat(header.findtext("CollectionDetails/ReferenceDate") or "")
    with etree.xmlfile(str(path), encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write(header)
            with xf.element("Children"):
                for read, child in enumerate(census_children(build.year), start=1):
                    if read % PROGRESS_EVERY == 0:
                        ReturnRun.objects.filter(pk=build.run.pk).update(progress_done=read)
                    element = child_element(child)
                    problems = child_schema_problems(schema, child.la_child_id, element)
                    failures = check_child(child, build.year)
                    totals.add(child, build.year)
                    for return_rule in whole_return:
                        failures.extend(return_rule.observe(child))
                    build.rule_failures.extend(failures)
                    build.found.extend(located(child, failures, problems))
                    if problems:
                        build.schema_problems.extend(problems)
                        continue
                    xf.write(element)
                    build.children_written += 1
    build.return_failures = authority_failures(totals, build.year)


def _finish(build: CensusBuild, status: RunStatus, *, message: str = "", sha256: str = "") -> None:
    run = build.run
    run.status = status
    run.finished_at = timezone.now()
    run.children_count = build.children_written
    run.excluded_count = len(build.excluded_children)
    run.schema_problem_count = len(build.schema_problems)
    run.rule_error_count = len(build.rule_errors)
    run.rule_query_count = len(build.rule_queries)
    run.output_path = str(build.output) if status == RunStatus.SUCCEEDED else ""
    run.output_sha256 = sha256
    run.progress_done = run.progress_total if status == RunStatus.SUCCEEDED else run.progress_done
    run.content = build.output.read_bytes() if status == RunStatus.SUCCEEDED else b""
    run.failures = [f.as_json() for f in build.return_failures] + [f.as_json() for f in build.found]
    run.message = message[:2000]
    run.save()
