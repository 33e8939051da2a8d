"""The head row, and the triggers that make the audit tables append-only (jiandu/core/audit/triggers.py)."""

from django.db import migrations

from jiandu.core.audit.triggers import create_triggers, drop_triggers


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("core", "AuditHead")
    AuditHead.objects.using(schema_editor.connection.alias).get_or_create(pk=1, defaults={"seq": 0, "hash": ""})


def add_triggers(apps, schema_editor):
    create_triggers(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, remove_triggers),
    ]
