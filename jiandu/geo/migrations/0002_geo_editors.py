"""The "geo editors" role (jiandu/access/roles.py): upload region shapes, points and adjacency lists."""

from django.db import migrations

from jiandu.access.role_migrations import grant

PERMISSIONS = (
    "geo.add_regionshape",
    "geo.change_regionshape",
    "geo.add_adjacency",
    "geo.change_adjacency",
    "geo.delete_adjacency",
)


def create_role(apps, schema_editor):
    grant(apps, schema_editor, "geo editors", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0001_initial"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
