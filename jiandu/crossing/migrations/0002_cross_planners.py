"""The "cross-supervision planners" role (jiandu/access/roles.py): draft, approve and delete rounds, record
relatives."""

from django.db import migrations

from jiandu.access.role_migrations import grant

PERMISSIONS = (
    "crossing.add_crossround",
    "crossing.approve_crossround",
    "crossing.delete_crossround",
    "crossing.add_kinship",
    "crossing.change_kinship",
    "crossing.delete_kinship",
)


def create_role(apps, schema_editor):
    grant(apps, schema_editor, "cross-supervision planners", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("crossing", "0001_initial"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
