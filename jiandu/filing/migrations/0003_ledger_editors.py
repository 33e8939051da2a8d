"""Filing is ledger work: the "ledger editors" role (jiandu/access/roles.py) files a body's ledger and
keeps the rule table (the service lets only the city change the rules)."""

from django.db import migrations

from jiandu.access.role_migrations import grant

PERMISSIONS = ("filing.add_filing", "filing.add_filingrule", "filing.change_filingrule")


def grant_role(apps, schema_editor):
    grant(apps, schema_editor, "ledger editors", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("filing", "0002_default_rules"),
        ("ledger", "0003_ledger_editors"),
        ("access", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_role, migrations.RunPython.noop)]
