"""The "ledger editors" role (jiandu/access/roles.py): enter, import and edit problems and the catalogues."""

from django.db import migrations

from jiandu.access.role_migrations import grant

PERMISSIONS = (
    "ledger.add_problem",
    "ledger.change_problem",
    "ledger.add_evidence",
    "ledger.change_duplicatecandidate",
    "ledger.add_source",
    "ledger.change_source",
    "ledger.add_category",
    "ledger.change_category",
)


def create_role(apps, schema_editor):
    grant(apps, schema_editor, "ledger editors", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_catalogues"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
