"""Four eyes on assessments: who wrote each section, who recorded the details, who submitted.

Backfilled from the audit trail, which has every save since the first release, plus the
created-by and last-changed-by columns of each section. An assessment sent for
authorisation before the audit trail had its submission (imported records, the demo
generator) keeps an empty submitter: the authoriser is still checked against everyone
known to have written it.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _actors(AuditEvent, action, object_type):  # type: ignore[no-untyped-def]
    """(record id, actor id) for every audited run of one service, oldest first."""
    events = (
        AuditEvent.objects.filter(action=action, object_type=object_type, actor__isnull=False)
        .order_by("occurred_at")
        .values_list("object_id", "actor_id")
    )
    for object_id, actor_id in events.iterator():
        try:
            yield uuid.UUID(object_id), actor_id
        except ValueError:
            continue


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Assessment = apps.get_model("casework", "Assessment")
    Section = apps.get_model("casework", "AssessmentSection")
    AuditEvent = apps.get_model("audit", "AuditEvent")

    sections = {
        pk: {u for u in (created, modified) if u is not None}
        for pk, created, modified in Section.objects.values_list("pk", "created_by_id", "modified_by_id")
    }
    for pk, actor in _actors(AuditEvent, "assessment_section_save", "casework.assessmentsection"):
        if pk in sections:
            sections[pk].add(actor)
    Section.authors.through.objects.bulk_create(
        [
            Section.authors.through(assessmentsection_id=pk, user_id=u)
            for pk, users in sections.items()
            for u in users
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )

    assessments = set(Assessment.objects.values_list("pk", flat=True))
    details = {
        (pk, actor)
        for pk, actor in _actors(AuditEvent, "assessment_record_details", "casework.assessment")
        if pk in assessments
    }
    Assessment.details_recorded_by.through.objects.bulk_create(
        [Assessment.details_recorded_by.through(assessment_id=pk, user_id=u) for pk, u in details],
        ignore_conflicts=True,
        batch_size=1000,
    )
    submitters = dict(_actors(AuditEvent, "assessment_submit", "casework.assessment"))  # the latest wins
    for pk, actor in submitters.items():
        Assessment.objects.filter(pk=pk, submitted_date__isnull=False).update(submitted_by_id=actor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("casework", "0004_cin_plan_reviews"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="details_recorded_by",
            field=models.ManyToManyField(
                blank=True,
                help_text="Everyone who recorded the dates seen, factors or outcome; none may authorise it.",
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who sent it for authorisation; they may not authorise it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="assessmentsection",
            name="authors",
            field=models.ManyToManyField(
                blank=True,
                help_text="Everyone who has saved words in this section; none of them may authorise the assessment.",
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
