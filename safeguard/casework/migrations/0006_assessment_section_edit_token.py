"""Which open editing page saved a section's current version, so that page's own autosave
and final save never conflict. Existing sections start blank: their next save from an open
page is judged on the version alone, as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_assessment_four_eyes"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentsection",
            name="edit",
            field=models.CharField(
                blank=True,
                help_text="The editing page (a random token per page) that saved the current version.",
                max_length=36,
            ),
        ),
    ]
