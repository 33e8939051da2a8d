"""Database triggers that make the audit tables append-only, whoever connects (defence in depth).

The application's own database user cannot UPDATE or DELETE an entry (nor TRUNCATE the table on
PostgreSQL), nor delete the head row or move it backwards. A database administrator can still drop the
triggers and edit rows; that is what `jiandu audit-verify` is for. The migration 0002 of jiandu.core
creates them; `jiandu flush` (which empties every table) lifts them for its duration.
Changing the SQL here needs a migration that drops and creates them again.
"""

from __future__ import annotations

from typing import Any

SQLITE_CREATE = [
    """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE of an entry refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE of an entry refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_audithead_no_delete BEFORE DELETE ON core_audithead
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE of the head refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_audithead_forward BEFORE UPDATE ON core_audithead
    WHEN NEW.seq <= OLD.seq
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: the head only moves forward'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS core_audithead_no_delete",
    "DROP TRIGGER IF EXISTS core_audithead_forward",
]

POSTGRESQL_CREATE = [
    """CREATE OR REPLACE FUNCTION core_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$""",
    """CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_audit_refuse()""",
    """CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_refuse()""",
    """CREATE TRIGGER core_audithead_no_delete BEFORE DELETE ON core_audithead
    FOR EACH ROW EXECUTE FUNCTION core_audit_refuse()""",
    """CREATE TRIGGER core_audithead_no_truncate BEFORE TRUNCATE ON core_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_refuse()""",
    """CREATE TRIGGER core_audithead_forward BEFORE UPDATE ON core_audithead
    FOR EACH ROW WHEN (NEW.seq <= OLD.seq) EXECUTE FUNCTION core_audit_refuse()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_audithead_no_delete ON core_audithead",
    "DROP TRIGGER IF EXISTS core_audithead_no_truncate ON core_audithead",
    "DROP TRIGGER IF EXISTS core_audithead_forward ON core_audithead",
    "DROP FUNCTION IF EXISTS core_audit_refuse()",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_triggers(connection: Any) -> None:
    """Put the triggers in place (other databases than SQLite and PostgreSQL get none)."""
    if connection.vendor in STATEMENTS:
        # Drop first, so that running it twice (a migration after a flush) is harmless.
        drop_triggers(connection)
        _run(connection, STATEMENTS[connection.vendor][0])


def drop_triggers(connection: Any) -> None:
    if connection.vendor in STATEMENTS:
        _run(connection, STATEMENTS[connection.vendor][1])


def tables_exist(connection: Any) -> bool:
    with connection.cursor() as cursor:
        names = set(connection.introspection.table_names(cursor))
    return {"core_auditentry", "core_audithead"} <= names
