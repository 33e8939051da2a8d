"""The "consultation editors" role (jiandu/access/roles.py): hold sessions, decide, confirm systemic problems
and record their follow-ups."""

from django.db import migrations

from jiandu.access.role_migrations import grant

PERMISSIONS = (
    "consultation.add_session",
    "consultation.change_session",
    "consultation.add_systemicproblem",
    "consultation.change_systemicproblem",
    "consultation.add_followup",
    "consultation.change_followup",
    "consultation.add_dismissal",
)


def create_role(apps, schema_editor):
    grant(apps, schema_editor, "consultation editors", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0001_initial"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
