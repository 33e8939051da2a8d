"""The "auditors" role may read the audit trail (core.view_auditentry). The group may already exist (the
accounts app creates the roles' groups); it keeps what it has and gains the permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    alias = schema_editor.connection.alias
    config = apps.get_app_config("core")
    # Permissions are normally created after all migrations; the group needs this one now.
    config.models_module = True
    create_permissions(config, verbosity=0, using=alias, apps=apps)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(alias).get_or_create(name="auditors")
    group.permissions.add(
        Permission.objects.using(alias).get(content_type__app_label="core", codename="view_auditentry")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.using(schema_editor.connection.alias).filter(name="auditors"):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="core"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
