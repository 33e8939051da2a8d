"""For an app's data migration that gives a role (a group) its app's permissions.

Permissions are normally created after all migrations; `grant` creates them first, so that a fresh
database gets the group with its permissions. A group that already exists keeps what it has and gains
what is missing. Usage in an app's migration:

    migrations.RunPython(lambda apps, se: grant(apps, se, "ledger editors", ("ledger.add_problem", ...)))
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions


def grant(apps: Any, schema_editor: Any, group_name: str, permissions: tuple[str, ...]) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    for permission in permissions:
        app_label, codename = permission.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
