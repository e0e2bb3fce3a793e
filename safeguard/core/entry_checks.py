"""Checks that run as data is entered, supplied by the apps above the ones that enter it (ADR 13).

The DfE's census rules live in ``returns``, which sits above ``casework`` and ``people`` in the
layers, so those apps cannot import them. Instead a form that enters census data says what
it would save, as an ``Entry`` (its kind, the census values, and the record it belongs to),
and asks this module. ``returns`` registers its checker here from its ``AppConfig.ready()``;
with no checker registered (an app left out of ``INSTALLED_APPS``, a test) nothing is checked.

``EntryCheckedForm`` is the form side: after the form's own validation passes, it asks for
findings. An **error** is shown on the field the rule reads (or at the top), with the rule's
number and message, and the form does not save. A **query** adds a "this is right" checkbox
and a reason box to the form, shown only then: the form saves once the box is ticked, and
the reason is in ``cleaned_data``. Nothing typed is lost either way, as with any form error.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from django import forms

logger = logging.getLogger(__name__)

Severity = Literal["error", "query"]

CONFIRM_FIELD = "census_confirmed"
REASON_FIELD = "census_reason"


@dataclass(frozen=True)
class EntryTarget:
    """The record an entry belongs to: the child, and the episode and record inside it."""

    child_id: uuid.UUID | None = None
    episode_id: uuid.UUID | None = None
    record_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Entry:
    """What a form would save: its kind (``"assessment_start"``...) and the census values."""

    kind: str
    values: Mapping[str, Any]
    target: EntryTarget = field(default_factory=EntryTarget)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    # The census fields the rule reads (``"AssessmentActualStartDate"``), to place it on the form.
    fields: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.message.rstrip('.')} (DfE rule {self.rule})"


Checker = Callable[[Entry], Iterable[Finding]]
# Told when a form that raised queries is saved with them confirmed: (user, entry, queries, reason).
Confirmer = Callable[[Any, Entry, list[Finding], str], None]

_CHECKERS: list[Checker] = []
_CONFIRMERS: list[Confirmer] = []


def register_confirmer(confirmer: Confirmer) -> Confirmer:
    """Add a function that keeps the queries a worker confirmed (once per function)."""
    if confirmer not in _CONFIRMERS:
        _CONFIRMERS.append(confirmer)
    return confirmer


def register(checker: Checker) -> Checker:
    """Add a checker (once: registering the same function again does nothing)."""
    if checker not in _CHECKERS:
        _CHECKERS.append(checker)
    return checker


def unregister(checker: Checker) -> None:
    if checker in _CHECKERS:
        _CHECKERS.remove(checker)


def check(entry: Entry) -> list[Finding]:
    """Every registered checker's findings for ``entry``.

    A checker that fails is logged and skipped: a check is a help to the worker, and a fault
    in one must not stop a record being saved (the pre-submission report still runs the rules).
    """
    findings: list[Finding] = []
    for checker in list(_CHECKERS):
        try:
            findings.extend(checker(entry))
        except Exception:
            logger.exception("Entry check %s failed on %s", getattr(checker, "__name__", checker), entry.kind)
    return findings


class EntryCheckedForm(forms.Form):
    """A form whose would-be values are checked by the registered checkers before it saves.

    Subclasses set ``entry_kind`` and ``entry_fields`` (census field -> form field), or
    override ``entry_values`` (return ``None`` to check nothing this time). The view passes
    ``entry=EntryTarget(...)``; without it the form checks nothing.
    """

    entry_kind: ClassVar[str] = ""
    entry_fields: ClassVar[Mapping[str, str]] = {}
    # A form that adds a new record (a question of the add-child journey) checks its values
    # against an empty record when no target is given.
    entry_without_target: ClassVar[bool] = False

    def __init__(self, *args: Any, entry: EntryTarget | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry_target = entry if entry is not None or not self.entry_without_target else EntryTarget()
        self.entry_findings: list[Finding] = []
        self._entry: Entry | None = None
        # Beside a form that does not call add_fields (GovukForm does, earlier).
        self._keep_posted_query_fields()

    def add_fields(self) -> None:
        """Beside a question page's form, the query boxes are added before its answers are
        checked for unusual characters, so that a reason with a control character in it is
        refused in words, not cleaned without a word."""
        parent = getattr(super(), "add_fields", None)
        if callable(parent):
            parent()
        self._keep_posted_query_fields()

    def _keep_posted_query_fields(self) -> None:
        """The query boxes were on the page that was posted: keep them, with what was typed."""
        if self.is_bound and (CONFIRM_FIELD in self.data or REASON_FIELD in self.data):
            self._add_query_fields()

    def entry_values(self, data: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return {census: data.get(name) for census, name in self.entry_fields.items()}

    @property
    def entry_queries(self) -> list[Finding]:
        return [f for f in self.entry_findings if f.severity == "query"]

    def query_fields(self) -> list[forms.BoundField]:
        """The confirmation boxes, for a template that lists its fields itself."""
        return [self[name] for name in (CONFIRM_FIELD, REASON_FIELD) if name in self.fields]

    def _add_query_fields(self) -> None:
        if CONFIRM_FIELD in self.fields:
            return
        self.fields[CONFIRM_FIELD] = forms.BooleanField(
            label="I have checked this and it is right",
            required=False,
        )
        self.fields[REASON_FIELD] = forms.CharField(
            label="Why it is right (optional)",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="For the analyst who explains the census return to the DfE.",
            error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
        )

    def _field_for(self, finding: Finding) -> str | None:
        for census in finding.fields:
            name = self.entry_fields.get(census)
            if name in self.fields:
                return name
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.entry_target is None or not self.entry_kind or self.errors:
            return data
        values = self.entry_values(data)
        if values is None:
            return data
        self._entry = Entry(self.entry_kind, values, self.entry_target)
        self.entry_findings = check(self._entry)
        errors = [f for f in self.entry_findings if f.severity == "error"]
        for finding in errors:
            self.add_error(self._field_for(finding), finding.text)
        queries = self.entry_queries
        if queries and not errors:
            self._add_query_fields()
            if not self.data.get(CONFIRM_FIELD):
                words = " ".join(q.text + "." for q in queries)
                self.add_error(
                    CONFIRM_FIELD,
                    f"{words} Check your answer, or tick the box to confirm that it is right",
                )
            else:
                data[CONFIRM_FIELD] = True
                data[REASON_FIELD] = str(self.data.get(REASON_FIELD, "")).strip()
        return data

    def entry_saved(self, user: Any) -> None:
        """After the save: hand the confirmed queries and their reason to the confirmers.

        ``design_system.pages.form_page`` calls this once the service has saved; a view that
        saves by other means calls it itself.
        """
        queries = self.entry_queries
        if not queries or self._entry is None or not self.cleaned_data.get(CONFIRM_FIELD):
            return
        reason = str(self.cleaned_data.get(REASON_FIELD) or "")
        for confirmer in list(_CONFIRMERS):
            confirmer(user, self._entry, queries, reason)
