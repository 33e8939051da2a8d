"""Benchmark of the systemic-problem proposal rule (`jiandu.lib.systemic.propose`), pure Python.

Run from the repository root: `.venv/bin/python bench/bench_systemic.py [N]` (default 100,000 problems).

A synthetic year of problems (15 categories, 120 townships and 40 departments, amounts on half of them) is
proposed on by month, quarter and year at the default threshold of 3. Beside it, in the same run, the
baseline: turning the database rows into `ProblemFact`s, which the selector must do anyway, and a bare
`Counter` over (category, month) — the least any grouping can cost. Figures are best of 5 runs.
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jiandu.lib.systemic import MONTH, PERIOD_KINDS, ProblemFact, propose  # noqa: E402


def rows(n: int, seed: int = 4) -> list[tuple]:
    rnd = random.Random(seed)
    start = datetime.date(2026, 1, 1)
    out = []
    for i in range(1, n + 1):
        unit = ("region", rnd.randrange(120)) if rnd.random() < 0.7 else ("department", rnd.randrange(40))
        amount = Decimal(rnd.randrange(100, 10**6)) / 100 if rnd.random() < 0.5 else None
        out.append((i, rnd.randrange(15), unit, start + datetime.timedelta(days=rnd.randrange(365)), amount))
    return out


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    data = rows(n)
    facts = [ProblemFact(*row) for row in data]
    print(f"problems: {n:,}")
    to_facts = best(lambda: [ProblemFact(*row) for row in data])
    counter = best(lambda: Counter((f.category_id, f.found_on.replace(day=1)) for f in facts))
    print(f"baseline  rows -> ProblemFact      {to_facts * 1000:8.1f} ms")
    print(f"baseline  Counter(category, month) {counter * 1000:8.1f} ms")
    for kind in PERIOD_KINDS:
        elapsed = best(lambda kind=kind: propose(facts, period_kind=kind, threshold=3))
        proposals = propose(facts, period_kind=kind, threshold=3)
        print(
            f"propose   {kind:<7}                {elapsed * 1000:8.1f} ms  "
            f"({elapsed / counter:4.1f}x the Counter, {len(proposals)} proposals)"
        )
    assert propose(facts, period_kind=MONTH, threshold=10**6) == []


if __name__ == "__main__":
    main()
