"""The "zone planners" role (jiandu/access/roles.py): draft, edit and approve zone plans."""

from django.db import migrations

from jiandu.access.role_migrations import grant

PERMISSIONS = ("zones.add_zoneplan", "zones.change_zoneplan", "zones.approve_zoneplan")


def create_role(apps, schema_editor):
    grant(apps, schema_editor, "zone planners", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("zones", "0001_initial"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
