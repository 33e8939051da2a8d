"""Millions of realistic problems for the ledger benchmarks, written by PostgreSQL itself (no ORM, no rows
through Python): `INSERT … SELECT … FROM generate_series` in chunks, with the place, finder, category,
source, status, date, amount and facts of each row drawn from a seeded hash of its number, so the same
count and seed give the same ledger on every machine.

Reusable by every benchmark that needs a big ledger (the list page, the dashboard):

    from ledger_data import generate_problems           # bench/ is the working directory's sibling
    generate_problems(count=10_000_000)                 # Django set up, DATABASE_URL a PostgreSQL

It needs the Anshun registry (`jiandu.org.demo.demo_build()`) and the catalogues of the ledger migrations.
The secondary indexes of the problem table are dropped while the rows go in and built again afterwards
(from their own definitions, whatever they are then), which is several times faster than keeping them up
row by row. From the command line: `DATABASE_URL=postgres://… .venv/bin/python bench/ledger_data.py
--count 10000000 [--seed N] [--truncate]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 20261125


def sql_templates() -> list[str]:
    """The demo's fact templates (jiandu/ledger/demo.py) for SQL format(): %1$s place, %2$s and %3$s numbers."""
    from jiandu.ledger.demo import FACT_TEMPLATES

    return [
        t.replace("%", "%%").replace("{place}", "%1$s").replace("{n}", "%2$s").replace("{m}", "%3$s")
        for t in FACT_TEMPLATES
    ]


# Status by weight (of 20): registered 6, rectifying 7, closed 5, transferred 1, no_action 1.
STATUS_WEIGHTS = ["registered"] * 6 + ["rectifying"] * 7 + ["closed"] * 5 + ["transferred"] + ["no_action"]
START_DATE = "2024-01-01"
DAYS = 1059  # through 2026-11-25


def _prepare(cursor: object) -> tuple[int, int]:
    """Temporary tables of places (village or township, with its township and finder) and departments."""
    cur = cursor
    cur.execute("DROP TABLE IF EXISTS bench_place, bench_dept, bench_fact, bench_status")  # type: ignore[attr-defined]
    # A place: every village and township of the city, its township, its county's commission (or a
    # functional zone's working commission), and the township office where there is one.
    cur.execute(  # type: ignore[attr-defined]
        """
        CREATE TEMP TABLE bench_place AS
        SELECT (row_number() OVER (ORDER BY r.code) - 1)::int AS idx,
               r.id AS region_id, COALESCE(NULLIF(r.short_name, ''), r.name) AS name,
               CASE WHEN r.kind = 'township' THEN r.id ELSE r.parent_id END AS township_id,
               COALESCE(o.id, c.id) AS office_id, c.id AS commission_id
        FROM org_region r
        JOIN org_region t ON t.id = CASE WHEN r.kind = 'township' THEN r.id ELSE r.parent_id END
        JOIN org_region county ON county.id = COALESCE(t.functional_zone_id, t.parent_id)
        JOIN LATERAL (
            SELECT b.id FROM org_body b
            WHERE b.region_id = county.id AND b.kind IN ('commission', 'working_commission')
            ORDER BY b.id LIMIT 1
        ) c ON true
        LEFT JOIN LATERAL (
            SELECT b.id FROM org_body b
            WHERE b.region_id = t.id AND b.kind = 'township_office' ORDER BY b.id LIMIT 1
        ) o ON true
        WHERE r.kind IN ('village', 'township')
        """
    )
    cur.execute(  # type: ignore[attr-defined]
        """
        CREATE TEMP TABLE bench_dept AS
        SELECT (row_number() OVER (ORDER BY d.id) - 1)::int AS idx,
               d.id AS department_id, d.region_id, d.short_name AS name,
               COALESCE(g.id, c.id) AS finder_id
        FROM org_department d
        JOIN LATERAL (
            SELECT b.id FROM org_body b
            WHERE b.region_id = d.region_id AND b.kind IN ('commission', 'working_commission')
            ORDER BY b.id LIMIT 1
        ) c ON true
        LEFT JOIN LATERAL (
            SELECT s.body_id AS id FROM org_body_supervised_departments s
            WHERE s.department_id = d.id ORDER BY s.body_id LIMIT 1
        ) g ON true
        """
    )
    cur.execute("CREATE TEMP TABLE bench_fact (idx int PRIMARY KEY, template text)")  # type: ignore[attr-defined]
    cur.executemany(  # type: ignore[attr-defined]
        "INSERT INTO bench_fact VALUES (%s, %s)", list(enumerate(sql_templates()))
    )
    cur.execute("CREATE TEMP TABLE bench_status (idx int PRIMARY KEY, status text)")  # type: ignore[attr-defined]
    cur.executemany("INSERT INTO bench_status VALUES (%s, %s)", list(enumerate(STATUS_WEIGHTS)))  # type: ignore[attr-defined]
    for table in ("bench_place", "bench_dept"):
        cur.execute(f"CREATE UNIQUE INDEX ON {table} (idx)")  # type: ignore[attr-defined]
        cur.execute(f"ANALYZE {table}")  # type: ignore[attr-defined]
    cur.execute("SELECT count(*) FROM bench_place")  # type: ignore[attr-defined]
    places = cur.fetchone()[0]  # type: ignore[attr-defined]
    cur.execute("SELECT count(*) FROM bench_dept")  # type: ignore[attr-defined]
    departments = cur.fetchone()[0]  # type: ignore[attr-defined]
    if not places or not departments:
        raise RuntimeError("no registry: build the Anshun demo first (jiandu.org.demo.demo_build())")
    return places, departments


INSERT = """
INSERT INTO ledger_problem (
    created_at, updated_at, source_id, found_by_id, region_id, ledger, responsible_region_id,
    responsible_department_id, category_id, facts, amount, found_on, status, merged_into_id, fingerprint,
    created_by_id
)
SELECT now(), now(),
       (SELECT array_agg(id ORDER BY sort_order, id) FROM ledger_source)[1 + (h.b %% %(sources)s)],
       CASE WHEN h.dept THEN d.finder_id WHEN h.b %% 2 = 0 THEN p.office_id ELSE p.commission_id END,
       CASE WHEN h.dept THEN d.region_id ELSE p.region_id END,
       CASE WHEN h.dept THEN 'department' ELSE 'township' END,
       CASE WHEN h.dept THEN NULL ELSE p.township_id END,
       CASE WHEN h.dept THEN d.department_id ELSE NULL END,
       (SELECT array_agg(id ORDER BY sort_order, id) FROM ledger_category)[1 + ((h.b >> 8) %% %(categories)s)],
       format(f.template, CASE WHEN h.dept THEN d.name ELSE p.name END, 1 + (h.c %% 97), 100 + (h.c %% 99900)),
       CASE WHEN h.c %% 3 = 0 THEN NULL ELSE ((h.c >> 4) %% 5000000) / 10.0 END,
       DATE %(start)s + ((h.b >> 16) %% %(days)s)::int,
       s.status, NULL, '', NULL
FROM (
    SELECT g,
           abs(hashint8extended(g, %(seed)s)) AS a,
           abs(hashint8extended(g, %(seed)s + 1)) AS b,
           abs(hashint8extended(g, %(seed)s + 2)) AS c,
           abs(hashint8extended(g, %(seed)s + 3)) %% 10 = 0 AS dept
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
) h
JOIN bench_place p ON p.idx = h.a %% %(places)s
JOIN bench_dept d ON d.idx = (h.a >> 12) %% %(departments)s
JOIN bench_fact f ON f.idx = (h.c >> 24) %% %(templates)s
JOIN bench_status s ON s.idx = (h.b >> 32) %% %(statuses)s
"""


def _secondary_indexes(cursor: object) -> list[tuple[str, str]]:
    """(name, definition) of the problem table's indexes that back no constraint."""
    cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = 'ledger_problem'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        ORDER BY i.relname
        """
    )
    return list(cursor.fetchall())  # type: ignore[attr-defined]


def generate_problems(
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    chunk: int = 1_000_000,
    truncate: bool = False,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Add `count` problems to the ledger (PostgreSQL only); returns the number of problems afterwards.

    Rows are numbered after those already there, so calling it twice adds different rows. `truncate`
    empties the problem table (and what hangs from it) first. Bypasses the audit signals: a benchmark's
    data, not a record of anyone's work.
    """
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise RuntimeError("generate_problems needs PostgreSQL (set DATABASE_URL)")
    say = progress or (lambda message: None)
    with connection.cursor() as cursor:
        if truncate:
            cursor.execute("TRUNCATE ledger_problem RESTART IDENTITY CASCADE")
        places, departments = _prepare(cursor)
        cursor.execute("SELECT count(*) FROM ledger_source")
        sources = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM ledger_category")
        categories = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM ledger_problem")
        offset = cursor.fetchone()[0]
        indexes = _secondary_indexes(cursor)
        say(f"{places} places, {departments} departments; dropping {len(indexes)} indexes while loading")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        started = time.perf_counter()
        done = 0
        while done < count:
            size = min(chunk, count - done)
            with transaction.atomic():
                cursor.execute(
                    INSERT,
                    {
                        "seed": seed,
                        "first": offset + done + 1,
                        "last": offset + done + size,
                        "places": places,
                        "departments": departments,
                        "sources": sources,
                        "categories": categories,
                        "templates": len(sql_templates()),
                        "statuses": len(STATUS_WEIGHTS),
                        "start": START_DATE,
                        "days": DAYS,
                    },
                )
            done += size
            say(f"{done:,} / {count:,} rows, {time.perf_counter() - started:.0f} s")
        for name, definition in indexes:
            say(f"index {name}")
            cursor.execute(definition)
        cursor.execute("ANALYZE ledger_problem")
        cursor.execute("SELECT count(*) FROM ledger_problem")
        total = cursor.fetchone()[0]
    say(f"{total:,} problems, {time.perf_counter() - started:.0f} s")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--truncate", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    generate_problems(args.count, seed=args.seed, truncate=args.truncate, progress=print)


if __name__ == "__main__":
    main()
