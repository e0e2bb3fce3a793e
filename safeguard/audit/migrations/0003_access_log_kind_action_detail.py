"""The access log says how a record was read (view, download, export, list, search, or a
refused attempt) and, for lists, searches and refusals, how it was made or why.

The table is append-only, and on PostgreSQL a trigger refuses UPDATE (migration 0002), so
existing rows cannot be filled in: the new columns carry a database default instead
(``ADD COLUMN ... DEFAULT``, which PostgreSQL applies without updating a row, so the
trigger never fires). Every row written before this migration was a view.
"""

from django.db import migrations, models

ACTIONS = [
    ("view", "Viewed"),
    ("download", "Downloaded"),
    ("export", "Exported"),
    ("list", "Listed"),
    ("search", "Searched"),
    ("refused", "Refused"),
]

KINDS = [
    ("child_record", "Child's record"),
    ("child_access_history", "Who has looked at the record"),
    ("child_list", "List of children"),
    ("child_history", "Child's history at the front door"),
    ("match_candidate", "Possible match for a contact"),
    ("contact", "Contact"),
    ("contact_queue", "Front door queue"),
    ("contact_matching", "Matching a contact to children already known"),
    ("episode", "Episode"),
    ("assessment", "Assessment"),
    ("strategy_discussion", "Strategy discussion"),
    ("section_47", "Section 47 enquiry"),
    ("plan", "Child in need plan"),
    ("visit", "Visit"),
    ("case_note", "Case note"),
    ("chronology", "Chronology"),
    ("chronology_entry_form", "Chronology (adding an entry)"),
    ("clock_board", "Statutory clocks"),
    ("work_list", "Work lists on the home page"),
    ("subject_access_export", "Subject access export"),
    ("audit_export", "Audit trail export"),
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="action",
            field=models.CharField(
                choices=ACTIONS,
                db_default="view",
                default="view",
                help_text="Rows written before this field existed were all views.",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="detail",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="How a list or search was made, or why a read was refused. "
                "Never the words searched for.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="object_id",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="what",
            field=models.CharField(choices=KINDS, help_text="What kind of record was read.", max_length=64),
        ),
    ]
