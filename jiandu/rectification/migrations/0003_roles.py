"""The rectification roles (jiandu/access/roles.py): supervisors open, verify and close rectifications and
keep the time limits; reporters enter the unit's progress reports."""

from django.db import migrations

from jiandu.access.role_migrations import grant

SUPERVISORS = (
    "rectification.add_rectification",
    "rectification.change_rectification",
    "rectification.verify_rectification",
    "rectification.change_timelimit",
)
REPORTERS = ("rectification.add_progressreport",)


def create_roles(apps, schema_editor):
    grant(apps, schema_editor, "rectification supervisors", SUPERVISORS)
    grant(apps, schema_editor, "rectification reporters", REPORTERS)


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0002_time_limits"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
