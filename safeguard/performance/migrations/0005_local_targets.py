import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The targets the council had before they could be changed on the page (they were a
# constant in targets.py), so the measures show the same statuses after the upgrade.
STARTING_TARGETS = {
    "re_referrals": 20.0,
    "assessments_45": 90.0,
    "assessments_45_from_referral": 85.0,
    "assessment_median": 30.0,
    "icpc_15": 85.0,
    "icpc_median": 14.0,
    "cp_repeat": 20.0,
    "cp_two_years": 4.0,
    "cp_reviews_on_time": 95.0,
    "cp_visits_on_time": 90.0,
}


def seed(apps, schema_editor):
    LocalTarget = apps.get_model("performance", "LocalTarget")
    have = set(LocalTarget.objects.values_list("measure", flat=True))
    LocalTarget.objects.bulk_create(
        LocalTarget(measure=measure, value=value)
        for measure, value in STARTING_TARGETS.items()
        if measure not in have
    )


def unseed(apps, schema_editor):
    apps.get_model("performance", "LocalTarget").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0004_snapshot_fte"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LocalTarget",
            fields=[
                (
                    "id",
                    models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("modified_at", models.DateTimeField(auto_now=True)),
                ("measure", models.CharField(max_length=48, unique=True)),
                ("value", models.FloatField()),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Null only for records made by the system (imports, the demo generator).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "modified_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["measure"],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
