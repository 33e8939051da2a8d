"""What each index and the foreign keys of `ledger_problem` cost an import, on PostgreSQL.

Run from the repository root after `bench/bench_import_ledger.py` filled the same database (it leaves its
last repetition's 100,000 rows in the table):

    DATABASE_URL=postgres://…/db .venv/bin/python bench/bench_ledger_indexes.py

The imported rows are copied into a scratch table (fingerprints changed, so they are new rows) and inserted
into the ledger again the way the import does (`INSERT … SELECT`, the deferred constraints checked at
once), once with the table as it is, once without its foreign keys, once with only its primary key, and
once with each secondary index alone; every case runs inside a transaction that drops what the case
leaves out and is rolled back. Each case runs twice; both times are printed.

It shows the floor below which no import can go while the table keeps the indexes the other targets of
issue 4 need (docs/benchmarks.md, import-ledger).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 2


class _RolledBack(Exception):
    pass


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        print("bench_ledger_indexes: PostgreSQL only; set DATABASE_URL to the database that")
        print("bench_import_ledger.py filled (skipped)")
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'ledger_problem'::regclass AND attnum > 0"
            " AND NOT attisdropped AND attname <> 'id' ORDER BY attnum"
        )
        columns = ", ".join(quote(name) for (name,) in cursor.fetchall())
        cursor.execute("DROP TABLE IF EXISTS bench_index_rows")
        cursor.execute(
            f"CREATE TABLE bench_index_rows AS SELECT {columns} FROM ledger_problem WHERE fingerprint <> ''"
        )
        cursor.execute("UPDATE bench_index_rows SET fingerprint = 'x' || substr(fingerprint, 2)")
        cursor.execute("SELECT COUNT(*) FROM bench_index_rows")
        rows = cursor.fetchone()[0]
        if not rows:
            cursor.execute("DROP TABLE bench_index_rows")
            print(
                "bench_ledger_indexes: no imported problems here; run bench_import_ledger.py on it first (skipped)"
            )
            return
        cursor.execute("ANALYZE bench_index_rows")
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'ledger_problem'::regclass AND contype = 'f'"
        )
        foreign_keys = [name for (name,) in cursor.fetchall()]
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'ledger_problem'::regclass"
            " AND NOT indisprimary ORDER BY 1"
        )
        indexes = [name for (name,) in cursor.fetchall()]

    def insert(leave_out_keys: bool, keep: list[str]) -> float:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if leave_out_keys:
                    for name in foreign_keys:
                        cursor.execute(f"ALTER TABLE ledger_problem DROP CONSTRAINT {quote(name)}")
                for name in indexes:
                    if name not in keep:
                        cursor.execute(f"DROP INDEX {name}")
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                started = time.perf_counter()
                cursor.execute(
                    f"INSERT INTO ledger_problem ({columns}) SELECT {columns} FROM bench_index_rows"
                )
                seconds = time.perf_counter() - started
                raise _RolledBack
        except _RolledBack:
            return seconds

    cases = [
        (f"today: {len(indexes)} secondary indexes, {len(foreign_keys)} foreign keys", False, indexes),
        ("without the foreign keys", True, indexes),
        ("without foreign keys, only the primary key", True, []),
        *((f"only the primary key and {name}", True, [name]) for name in indexes),
    ]
    print(f"{rows:,} rows inserted into ledger_problem, {RUNS} runs each (ms)")
    base = None
    for label, leave_out_keys, keep in cases:
        times = [insert(leave_out_keys, keep) * 1000 for _ in range(RUNS)]
        if not keep:
            base = min(times)
        extra = f"  (+{min(times) - base:,.0f})" if base is not None and len(keep) == 1 else ""
        print(f"{label:<70} " + " ".join(f"{ms:8,.0f}" for ms in times) + extra, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_index_rows")


if __name__ == "__main__":
    main()
