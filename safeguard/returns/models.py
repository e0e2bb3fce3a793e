"""A row per build of a statutory return (ADR 10): who asked, for what period, and the result."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.core.models import BaseModel


class ReturnKind(models.TextChoices):
    CIN_CENSUS = "cin_census", "Children in need census"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Built"
    FAILED = "failed", "Failed"


class ReturnRun(BaseModel):
    """One build of a return, so that what was sent can be found and compared with the last one."""

    kind = models.CharField(max_length=32, choices=ReturnKind.choices)
    period = models.PositiveSmallIntegerField(help_text="Collection year: the year of the reference date.")
    spec_version = models.CharField(max_length=64, help_text="The schema or workbook the build used.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    children_count = models.PositiveIntegerField(default=0, help_text="Children written to the file.")
    excluded_count = models.PositiveIntegerField(
        default=0, help_text="Children left out because their record would break the schema."
    )
    schema_problem_count = models.PositiveIntegerField(default=0)
    rule_error_count = models.PositiveIntegerField(default=0)
    rule_query_count = models.PositiveIntegerField(default=0)
    output_path = models.CharField(max_length=500, blank=True)
    output_sha256 = models.CharField(max_length=64, blank=True)
    message = models.TextField(blank=True, help_text="Why a build failed, in words an analyst can act on.")
    progress_total = models.PositiveIntegerField(default=0, help_text="Children the build will read.")
    progress_done = models.PositiveIntegerField(default=0, help_text="Children read so far.")
    # The finished file, kept for download (empty until the build succeeds, so never partial).
    content = models.BinaryField(blank=True, default=b"", editable=False)
    # Every rule failure and schema problem, one dictionary each (see ``cin_census.failures``),
    # so the work lists read the last build instead of running every rule again.
    failures = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["kind", "period", "started_at"])]

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)

    @property
    def percent_done(self) -> int:
        if self.status == RunStatus.SUCCEEDED:
            return 100
        return min(99, self.progress_done * 100 // self.progress_total) if self.progress_total else 0

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} ({self.get_status_display()})"


class CensusQueryConfirmation(BaseModel):
    """A census query a worker confirmed as right when they entered the record (ADR 13).

    The pre-submission report shows the reason beside the query, so the analyst can explain
    it to the DfE without chasing the worker. Kept by child, episode and rule: the record the
    query is about may have been created by the same save.
    """

    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    episode_id = models.UUIDField(null=True, blank=True)
    rule = models.CharField(max_length=8)
    reason = models.TextField(blank=True)
    kind = models.CharField(max_length=32, help_text="The form it was confirmed on.")

    class Meta:
        indexes = [models.Index(fields=["child", "rule"])]

    def __str__(self) -> str:
        return f"Census query {self.rule} confirmed"
