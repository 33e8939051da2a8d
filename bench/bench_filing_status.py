"""Benchmark of the filing status page (/filing/) and the nightly reminders, on the Anshun demo.

    .venv/bin/python bench/bench_filing_status.py [--runs 30] [--years 1]
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_filing_status.py

It migrates, builds the Anshun demo if missing (registry, a year of filings), optionally adds more years of
filings (`--years`, bulk inserted) so the filings table is larger, then requests the city's status page
(overview per county, and the first page of bodies) and a county's, `--runs` times each through Django's
test client, and prints p50/p95 of the whole response and of its database time. Baseline, measured in the
same run: the two bare queries any such page needs at the least (the bodies that must file, and the
filings of the period, fetched as rows without annotation), and the organisation's body list page (50
bodies a page, the same layout), which shows what any list page of the platform costs here. Then one run of the reminders over the
whole city. Figures: docs/benchmarks.md, section `## filing-status`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class QueryTimer:
    def __init__(self) -> None:
        self.ms = 0.0

    def __call__(self, execute: Callable, sql: str, params: object, many: bool, context: object) -> object:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--years", type=int, default=1, help="years of filings (the demo makes one)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from jiandu.access.models import User
    from jiandu.filing.demo import demo_build as filing_demo
    from jiandu.filing.models import Filing
    from jiandu.filing.reminders import send_filing_reminders
    from jiandu.filing.rules import active_rules, filing_bodies
    from jiandu.lib.periods import MONTHLY, ended_periods
    from jiandu.org.demo import demo_build

    demo_build()
    filing_demo(StringIO())
    _more_years(args.years)
    today = timezone.localdate()
    period = ended_periods(today, MONTHLY, 1)[0]
    print(
        f"database: {connection.vendor}; filings: {Filing.objects.count():,}; "
        f"bodies that file: {filing_bodies(active_rules()).count()}; period {period}; runs {args.runs}"
    )

    def timed(fn: Callable[[], object]) -> tuple[float, float]:
        timer = QueryTimer()
        start = time.perf_counter()
        with connection.execute_wrapper(timer):
            fn()
        return (time.perf_counter() - start) * 1000, timer.ms

    rules = active_rules(MONTHLY)

    def bare() -> None:
        list(filing_bodies(rules).values_list("pk", "name", "region__code"))
        list(Filing.objects.filter(period=str(period)).values_list("body_id", "filed_at", "is_late"))

    rows = [("baseline: the two bare queries", [timed(bare) for _ in range(args.runs)])]
    pages = (
        ("anshun", "/org/bodies/", "baseline: city's body list page"),
        ("anshun", f"/filing/?period={period}", "city page (overview + bodies)"),
        ("puding", f"/filing/?period={period}", "county page"),
    )
    for username, url, label in pages:
        # Not Django's test environment: its template signals would cost more than the page itself.
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))

        def page(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        page()  # warm
        rows.append((label, [timed(page) for _ in range(args.runs)]))
    for label, samples in rows:
        total = [s[0] for s in samples]
        db = [s[1] for s in samples]
        print(
            f"{label:34s} p50 {statistics.median(total):7.1f} ms  p95 {pct(total, 0.95):7.1f} ms  "
            f"db p50 {statistics.median(db):6.1f} ms  p95 {pct(db, 0.95):6.1f} ms"
        )
    start = time.perf_counter()
    run = send_filing_reminders(today=today)
    first = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    send_filing_reminders(today=today)
    again = (time.perf_counter() - start) * 1000
    print(f"reminders: first run {first:.0f} ms ({run.total} new), second run {again:.0f} ms (0 new)")


def _more_years(years: int) -> None:
    """Bulk-add filings for the months before the demo's year, so the table has `years` years of rows."""
    import datetime

    from django.utils import timezone

    from jiandu.filing.models import Filing
    from jiandu.filing.rules import active_rules, due_date, filing_bodies
    from jiandu.lib.periods import FREQUENCIES, ended_periods

    if years <= 1:
        return
    today = timezone.localdate()
    batch = []
    for frequency in FREQUENCIES:
        rules = active_rules(frequency)
        per_year = 12 if frequency == "monthly" else 4
        for period in ended_periods(today, frequency, per_year * years)[per_year:]:
            for body in filing_bodies(rules):
                due = due_date(rules[body.kind], period)
                moment = timezone.make_aware(datetime.datetime.combine(due, datetime.time(10)))
                batch.append(
                    Filing(
                        body=body,
                        period=str(period),
                        period_start=period.start,
                        period_end=period.end,
                        due_on=due,
                        filed_at=moment,
                        nothing_to_report=True,
                    )  # fmt: skip
                )
    Filing.objects.bulk_create(batch, ignore_conflicts=True, batch_size=2000)


if __name__ == "__main__":
    main()
