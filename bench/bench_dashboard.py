"""Benchmark of the dashboard (/insights/) with millions of problems in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:PORT/jiandu_bench .venv/bin/python bench/bench_dashboard.py

It migrates, builds the Anshun registry if missing, fills the ledger up to `--count` problems (default
10,000,000) with bench/ledger_data.py (SQL generate_series), recounts the summary tables with
`insights_refresh()` (timed), then for four users — the city, a county (普定县), a dispatched group and a
township office — measures `--runs` times: each tile's database time (its query on the summary table), and
the whole page through Django's test client (database, Python, template). The baseline, measured in the
same run: each user's tiles counted straight from `Problem.objects.visible_to(user)`, what the page would
cost without the summary tables.

Figures go to docs/benchmarks.md under `## dashboard`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## dashboard"
TILE_TARGET_MS = 20.0
PAGE_TARGET_MS = 200.0
COUNTY_CODE = "520422000000"  # 普定县


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class QueryTimer:
    """Sums the time spent in the database (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute: Callable, sql: str, params: object, many: bool, context: object) -> object:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def bench_users() -> dict:
    from jiandu.access.models import User
    from jiandu.org.models import Body, BodyKind, Region

    county = Region.objects.get(code=COUNTY_CODE)
    bodies = {
        "city": Body.objects.filter(region__kind="city", kind=BodyKind.COMMISSION).order_by("pk").first(),
        "county": Body.objects.filter(region=county, kind=BodyKind.COMMISSION).order_by("pk").first(),
        "group": Body.objects.filter(region=county, kind=BodyKind.DISPATCHED_GROUP).order_by("pk").first(),
        "township": Body.objects.filter(region__parent=county, kind=BodyKind.TOWNSHIP_OFFICE)
        .order_by("pk")
        .first(),
    }
    users = {}
    for key, body in bodies.items():
        user, _ = User.objects.get_or_create(username=f"bench-dashboard-{key}", defaults={"body": body})
        users[key] = user
    return users


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the dashboard")
    parser.add_argument("--count", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        print("bench_dashboard: the dashboard's target is for PostgreSQL; set DATABASE_URL (skipped)")
        return
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from ledger_data import generate_problems

    from jiandu.access.models import User
    from jiandu.access.scoping import scope_for
    from jiandu.insights.selectors import scope_part_q, tally_units, tile_rows
    from jiandu.insights.services import insights_refresh
    from jiandu.insights.tallies import TILES, tally
    from jiandu.ledger.models import Problem
    from jiandu.org.demo import demo_build
    from jiandu.org.models import Region

    if not Region.objects.exists():
        demo_build()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'ledger_problem'")
        estimate = cursor.fetchone()[0]
    have = Problem.objects.count() if estimate < args.count else estimate
    if have < args.count:
        print(f"generating {args.count - have:,} problems …")
        generate_problems(args.count - have, progress=print)
        have = Problem.objects.count()

    started = time.perf_counter()
    refresh = insights_refresh()
    refresh_s = time.perf_counter() - started
    print(f"insights_refresh(): {refresh.rows:,} summary rows in {refresh_s:.1f} s")
    county = Region.objects.get(code=COUNTY_CODE)
    started = time.perf_counter()
    insights_refresh(regions=[county])
    county_refresh_s = time.perf_counter() - started
    print(f"insights_refresh(regions=[普定县]): {county_refresh_s:.1f} s")

    users = bench_users()
    results = []
    for key, user in users.items():
        user = User.objects.get(pk=user.pk)
        scope = scope_for(user)
        units = tally_units(scope)
        assert units is not None
        tiles: dict[str, list[float]] = {tile: [] for tile in TILES}
        for run in range(args.runs + 2):
            for tile in TILES:
                started = time.perf_counter()
                list(tile_rows(scope, units, tile))
                if run >= 2:
                    tiles[tile].append((time.perf_counter() - started) * 1000)
        client = Client()
        client.force_login(user)
        totals, db = [], []
        for run in range(args.runs + 2):
            timer = QueryTimer()
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get("/insights/")
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            if run >= 2:
                totals.append(elapsed)
                db.append(timer.seconds * 1000)
        # Baseline: the same tiles counted straight from the ledger (3 runs: each takes seconds).
        direct = []
        for _run in range(3):
            started = time.perf_counter()
            tally(Problem.objects.filter(scope_part_q(scope)))
            direct.append((time.perf_counter() - started) * 1000)
        worst_tile = max(p(values, 0.95) for values in tiles.values())
        row = (key, {t: p(v, 0.95) for t, v in tiles.items()}, worst_tile, p(totals, 0.5), p(totals, 0.95))
        results.append((*row, p(db, 0.95), min(direct)))
        print(
            f"{key:8} tile DB p95 worst {worst_tile:6.2f} ms ("
            + ", ".join(f"{t} {p(v, 0.95):.2f}" for t, v in tiles.items())
            + f")  page p50 {p(totals, 0.5):6.1f} ms p95 {p(totals, 0.95):6.1f} ms (DB p95 {p(db, 0.95):.1f})"
            + f"  baseline direct count {min(direct):,.0f} ms"
        )
    worst_tile = max(r[2] for r in results)
    worst_page = max(r[4] for r in results)
    print(
        f"worst tile p95 {worst_tile:.2f} ms (target < {TILE_TARGET_MS:.0f}), worst page p95 {worst_page:.1f} ms "
        f"(target < {PAGE_TARGET_MS:.0f})"
    )
    if not args.no_doc:
        write_doc(have, args.runs, refresh.rows, refresh_s, county_refresh_s, results, worst_tile, worst_page)


def write_doc(
    count: int,
    runs: int,
    rows: int,
    refresh_s: float,
    county_refresh_s: float,
    results: list,
    worst_tile: float,
    worst_page: float,
) -> None:
    met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    lines = [
        SECTION,
        "",
        f"`DATABASE_URL=postgres://… .venv/bin/python bench/bench_dashboard.py` — {count:,} problems "
        f"(bench/ledger_data.py), PostgreSQL 15 on 127.0.0.1, {datetime.date.today()}, machine: 2 CPUs "
        f"shared ({platform.python_implementation()} {platform.python_version()}), {runs} runs per figure "
        "after 2 warm-up runs. Tile time: the tile's one query on the summary table `insights_problemtally`. "
        "Page: `/insights/` through Django's test client (database, Python, template).",
        "",
        f"Refresh: `insights_refresh()` wrote {rows:,} summary rows in {refresh_s:.1f} s; "
        f"`insights_refresh(regions=[普定县])` (what an import of one county's ledger triggers) took "
        f"{county_refresh_s:.1f} s.",
        "",
        "| user | worst tile DB p95 | page p50 | page p95 | page DB p95 | baseline: tiles counted from the ledger |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, _tiles, tile95, t50, t95, db95, direct in results:
        lines.append(
            f"| {key} | {tile95:.2f} ms | {t50:.1f} ms | {t95:.1f} ms | {db95:.1f} ms | {direct:,.0f} ms |"
        )
    lines += [
        "",
        "Per tile, DB p95 (ms): "
        + "; ".join(
            f"{key}: " + ", ".join(f"{tile} {ms:.2f}" for tile, ms in tiles.items())
            for key, tiles, *_rest in results
        )
        + ".",
        "",
        f"Targets: every tile's DB p95 < {TILE_TARGET_MS:.0f} ms — {met(worst_tile < TILE_TARGET_MS)} (worst "
        f"{worst_tile:.2f} ms); page p95 < {PAGE_TARGET_MS:.0f} ms — {met(worst_page < PAGE_TARGET_MS)} "
        f"(worst {worst_page:.1f} ms). The baseline column is the same tiles counted straight from "
        "`Problem.objects.visible_to`-equivalent filters (best of 3): what every page view would cost "
        "without the summary tables.",
        "",
    ]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    section = "\n".join(lines)
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)} {SECTION}")


if __name__ == "__main__":
    main()
