"""The "calendar administrators" role (jiandu/access/roles.py): enter each year's holiday arrangement."""

from django.db import migrations

from jiandu.access.role_migrations import grant

PERMISSIONS = (
    "calendar.add_calendaryear",
    "calendar.change_calendaryear",
    "calendar.add_calendarday",
    "calendar.change_calendarday",
    "calendar.delete_calendarday",
)


def create_role(apps, schema_editor):
    grant(apps, schema_editor, "calendar administrators", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("calendar", "0001_initial"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
