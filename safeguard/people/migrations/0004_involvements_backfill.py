"""Involvements for the open episodes and child protection plans already recorded.

The access rule reads involvements from now on, so every open episode gets its open-case,
team and worker rows and every open plan its conference chairs' row, started on the day
the records say (the referral, the day the team took the case, the plan's start).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _backfill(apps: Any, schema_editor: Any) -> None:
    episode_model = apps.get_model("casework", "CINEpisode")
    plan_model = apps.get_model("casework", "ChildProtectionPlan")
    involvement = apps.get_model("people", "Involvement")
    rows = []
    for episode in episode_model.objects.filter(closure_date__isnull=True).iterator():
        held = episode.team_since or episode.referral_date
        made = {"child_id": episode.child_id, "source_type": "casework.cinepisode", "source_id": episode.pk}
        rows.append(involvement(kind="open_case", started_on=episode.referral_date, **made))
        if episode.team_id is not None:
            rows.append(involvement(kind="team", team_id=episode.team_id, started_on=held, **made))
        if episode.worker_id is not None:
            rows.append(involvement(kind="worker", user_id=episode.worker_id, started_on=held, **made))
    for plan in plan_model.objects.filter(end_date__isnull=True).iterator():
        rows.append(
            involvement(
                kind="conference_chairs",
                started_on=plan.start_date,
                child_id=plan.child_id,
                source_type="casework.childprotectionplan",
                source_id=plan.pk,
            )
        )
    involvement.objects.bulk_create(rows, batch_size=1000)


def _forget(apps: Any, schema_editor: Any) -> None:
    apps.get_model("people", "Involvement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_involvements"),
        ("casework", "0008_episode_team_since"),
    ]

    operations = [migrations.RunPython(_backfill, _forget)]
