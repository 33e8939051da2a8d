"""`jiandu flush` empties every table, the audit trail included: Django's flush, with the audit trail's
append-only triggers lifted for its duration (the test runner flushes between transactional tests)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from jiandu.core.audit.triggers import create_triggers, drop_triggers, tables_exist


class Command(FlushCommand):
    help = FlushCommand.help + " The audit trail goes too: its append-only triggers are lifted for the flush."

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if not tables_exist(connection):
            super().handle(**options)
            return
        drop_triggers(connection)
        try:
            super().handle(**options)
        finally:
            create_triggers(connection)
