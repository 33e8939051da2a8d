"""The fixed roles as groups with their permissions (jiandu/access/roles.py describes them).

Permissions are normally created after all migrations; they are created here first so that the groups can
hold them on a fresh database. A group that already exists keeps what it has and gains what is missing:
another app (the audit trail) adds its own permission to "auditors" in its own migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "account administrators": ("access.add_user", "access.change_user", "access.view_user"),
    "registry editors": (
        "org.change_body",
        "org.add_department",
        "org.change_department",
        "org.add_person",
        "org.change_person",
    ),
    "auditors": (),
    "recusal deciders": ("access.add_recusal", "access.change_recusal", "access.view_recusal"),
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_user_security_stamp"),
        ("org", "0002_covered_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
