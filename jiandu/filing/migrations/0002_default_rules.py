"""The filing rules the platform starts with (editable on the rules page): township offices file monthly,
dispatched groups and inspection offices quarterly, each within working days after the period ends."""

from django.db import migrations

RULES = [
    # body kind, frequency, due days, reminder lead days
    ("township_office", "monthly", 5, 3),
    ("dispatched_group", "quarterly", 10, 5),
    ("inspection_office", "quarterly", 10, 5),
]


def create_rules(apps, schema_editor):
    FilingRule = apps.get_model("filing", "FilingRule")
    for kind, frequency, due_days, lead in RULES:
        FilingRule.objects.get_or_create(
            body_kind=kind,
            defaults={
                "frequency": frequency,
                "due_days": due_days,
                "day_count": "working",
                "reminder_lead_days": lead,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("filing", "0001_initial")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
