"""The "elevated supervisors" role (jiandu/access/roles.py): keep villages' 三资, rule sets, selection runs
(and approve them), integrity files and departure audits."""

from django.db import migrations

from jiandu.access.role_migrations import grant

PERMISSIONS = (
    "elevated.add_villageassets",
    "elevated.change_villageassets",
    "elevated.add_selectionruleset",
    "elevated.change_selectionruleset",
    "elevated.add_selectionrun",
    "elevated.approve_selectionrun",
    "elevated.add_integrityfile",
    "elevated.change_integrityfile",
    "elevated.add_integrityentry",
    "elevated.add_departureaudit",
    "elevated.change_departureaudit",
)


def create_role(apps, schema_editor):
    grant(apps, schema_editor, "elevated supervisors", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("elevated", "0001_initial"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
