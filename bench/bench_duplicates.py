"""Benchmark of the duplicate finder (`jiandu.lib.similarity`): quality on the labelled pairs, and speed.

Run from the repository root: `.venv/bin/python bench/bench_duplicates.py` (pure Python, no database).

Quality: bench/data/duplicate_pairs.jsonl holds 530 hand-written pairs (see make_duplicate_pairs.py), split
by case into a training and a held-out half. Document frequencies come from every text of the file (as in
use, where they come from the ledger being scanned: no labels involved). The threshold with the best F1 on
the training half is chosen; precision, recall and F1 are reported on the held-out half, with the curve
over thresholds for both.

Speed: a synthetic ledger of 100,000 problems (6 counties, 3 years, reworded copies planted) is scanned
in full, beside the baseline of analysing every text once (which any scan must do). One new problem is checked
against its county's date window, warm and cold, beside the old way (comparing it with each problem of the
window one by one). On a 2,000-problem sample, the comparison of all pairs and the vectorised scan must give
identical results.

The figures are printed and written into docs/benchmarks.md under `## duplicates`.
"""

from __future__ import annotations

import datetime
import json
import platform
import random
import re
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "data"))

from make_duplicate_pairs import CASES, PLACES, TEMPLATES  # noqa: E402

from jiandu.lib import similarity as S  # noqa: E402

DATA = ROOT / "bench" / "data" / "duplicate_pairs.jsonl"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## duplicates"
THRESHOLDS = [round(0.30 + 0.02 * i, 2) for i in range(26)]
SCAN_SIZE = 100_000
SAMPLE_SIZE = 2_000
SINGLE_CHECKS = 20


def report_of(d: dict, key: str) -> S.Report:
    return S.Report(
        key=key,
        text=d["text"],
        found_on=datetime.date.fromisoformat(d["found_on"]),
        county=d["county"],
        township=d["township"],
        village=d["village"],
        unit=d["unit"],
        amount=d["amount"],
    )


def quality() -> dict:
    pairs = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    texts: dict[str, dict] = {}
    for pair in pairs:
        for side in ("a", "b"):
            texts.setdefault(pair[side]["text"] + pair[side]["found_on"], pair[side])
    prepared = {p.report.key: p for p in S.prepare([report_of(d, k) for k, d in texts.items()])}

    def key(d: dict) -> str:
        return d["text"] + d["found_on"]

    scored = [(S.score_pair(prepared[key(p["a"])], prepared[key(p["b"])]).score, p) for p in pairs]

    def measure(split: str, threshold: float) -> tuple[float, float, float, int, int]:
        rows = [(s, p["duplicate"]) for s, p in scored if p["split"] == split]
        tp = sum(1 for s, d in rows if s >= threshold and d)
        fp = sum(1 for s, d in rows if s >= threshold and not d)
        fn = sum(1 for s, d in rows if s < threshold and d)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1, sum(d for _, d in rows), len(rows)

    curve = {t: (measure("train", t), measure("test", t)) for t in THRESHOLDS}
    chosen = max(THRESHOLDS, key=lambda t: (curve[t][0][2], -abs(t - S.DEFAULT_THRESHOLD)))
    misses: dict[str, int] = {}
    for s, p in scored:
        if p["split"] == "test" and (s >= chosen) != p["duplicate"]:
            label = p["kind"] + (" (missed)" if p["duplicate"] else " (flagged)")
            misses[label] = misses.get(label, 0) + 1
    return {"curve": curve, "chosen": chosen, "misses": misses, "pairs": len(pairs)}


# --- a synthetic ledger --------------------------------------------------------------------------------------


def synthetic_ledger(size: int, seed: int = 20261125) -> list[S.Report]:
    """Problems over 6 counties × 15 townships × 12 villages and 3 years; texts from the hand-written
    cases and templates with their places and figures changed; one in ten is a rewording of an earlier one."""
    rng = random.Random(seed)
    counties = [f"5204{n:02d}" for n in (2, 21, 22, 23, 24, 25)]
    variants = [text for case in CASES for *_, text in case["reports"]]
    templates = [t["text"] for t in TEMPLATES]
    names = [name for name, (_, _, village) in PLACES.items() if village]
    start = datetime.date(2023, 1, 1).toordinal()
    reports: list[S.Report] = []
    for key in range(size):
        county = rng.choice(counties)
        township = f"{county}{rng.randrange(100, 115)}"
        village = f"{township}{rng.randrange(201, 213)}"
        day = datetime.date.fromordinal(start + rng.randrange(3 * 365))
        unit = f"township:{township}" if rng.random() < 0.7 else f"department:{county}-{rng.randrange(20)}"
        if reports and rng.random() < 0.1:
            base = rng.choice(reports[-2000:])
            text = (
                rng.choice(variants)
                if rng.random() < 0.3
                else base.text + rng.choice(["已整改。", "群众反映。", ""])
            )
            reports.append(
                S.Report(key, text, base.found_on + datetime.timedelta(days=rng.randrange(40)), base.county,
                         base.township, base.village, unit, base.amount)
            )  # fmt: skip
            continue
        if rng.random() < 0.5:
            text = rng.choice(templates).format(
                place=rng.choice(names), who=rng.choice("张王李赵刘陈杨黄周吴") + "某某",
                year=day.year, month=rng.randrange(1, 13), amount=rng.randrange(500, 200_000),
            )  # fmt: skip
        else:
            text = re.sub(r"\d+", lambda _: str(rng.randrange(2, 90_000)), rng.choice(variants))
            text = text.replace("天星村", rng.choice(names))
        amount = float(rng.randrange(500, 200_000)) if rng.random() < 0.6 else None
        reports.append(S.Report(key, text, day, county, township, village, unit, amount))
    return reports


def timed(fn):  # type: ignore[no-untyped-def]
    """The result, the wall-clock seconds and the CPU seconds of this process (the machine is shared: the
    wall clock includes waiting for a CPU)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - started, time.process_time() - cpu


def speed() -> dict:
    ledger = synthetic_ledger(SCAN_SIZE)
    prepared, prepare_seconds, prepare_cpu = timed(lambda: S.prepare(ledger))
    matches, scan_seconds, scan_cpu = timed(lambda: S.find_duplicates(ledger, prepared=prepared))
    sample = synthetic_ledger(SAMPLE_SIZE, seed=7)
    S.analyse.cache_clear()
    blocked, blocked_seconds, _ = timed(lambda: S.find_duplicates(sample))
    full, full_seconds, _ = timed(lambda: S.brute_force(sample))
    same = [(m.first, m.second, m.score, m.reasons) for m in blocked] == [
        (m.first, m.second, m.score, m.reasons) for m in full
    ]
    # One new problem against its county's ledger, as `duplicates_find(problems=[id])` loads it: the
    # county's problems within the date window of the new one (a county of the 100,000: ~16,700 problems).
    rng = random.Random(3)
    county = ledger[0].county
    of_county = [r for r in ledger if r.county == county]
    singles = []
    for new in rng.sample(of_county, SINGLE_CHECKS):
        pool = [new] + [
            r for r in of_county if r is not new and abs((r.found_on - new.found_on).days) <= S.WINDOW_DAYS
        ]
        singles.append((new, pool))
    S.analyse.cache_clear()
    cold = [timed(lambda n=n, p=p: S.find_duplicates(p, only=[n.key]))[1] for n, p in singles[:3]]
    warm_runs = [timed(lambda n=n, p=p: S.find_duplicates(p, only=[n.key])) for n, p in singles]
    baseline_runs = [timed(lambda n=n, p=p: S.brute_force(p, only=[n.key])) for n, p in singles[:5]]
    agree = all(
        [(m.first, m.second, m.score) for m in fast[0]] == [(m.first, m.second, m.score) for m in slow[0]]
        for fast, slow in zip(warm_runs, baseline_runs, strict=False)
    )
    return {
        "size": SCAN_SIZE,
        "prepare": prepare_seconds,
        "prepare_cpu": prepare_cpu,
        "scan": scan_seconds,
        "scan_cpu": scan_cpu,
        "pairs": len(matches),
        "blocked": blocked_seconds,
        "full": full_seconds,
        "same": same,
        "sample_pairs": len(full),
        "county": len(of_county),
        "pool": sum(len(p) for _, p in singles) / len(singles),
        "one_cold": median(cold),
        "one_warm": median(t for _, t, _ in warm_runs),
        "one_warm_cpu": median(c for _, _, c in warm_runs),
        "one_baseline": median(t for _, t, _ in baseline_runs),
        "one_same": agree,
    }


def section(q: dict, s: dict) -> str:
    chosen = q["chosen"]
    train, test = q["curve"][chosen]
    rows = "\n".join(
        f"| {t:.2f} | {tr[0]:.2f} | {tr[1]:.2f} | {tr[2]:.2f} | {te[0]:.2f} | {te[1]:.2f} | {te[2]:.2f} |"
        for t, (tr, te) in q["curve"].items()
        if 0.3 <= t <= 0.6
    )
    misses = ", ".join(f"{k}: {v}" for k, v in sorted(q["misses"].items())) or "none"
    return f"""{SECTION}

Command: `.venv/bin/python bench/bench_duplicates.py` · date 2026-11-25 · machine: 2 CPUs shared with
other engineers' work · Python {platform.python_version()}, pure Python (no database).

**Quality** on `bench/data/duplicate_pairs.jsonl` ({q["pairs"]} hand-written pairs: {train[3]} + {test[3]}
duplicates of {train[4]} + {test[4]} pairs in the training + held-out halves, split by case; the negatives are
the hard kind: other problems of the same village or township, and one wording template with another household,
amount or month). Threshold chosen on the training half: **{chosen:.2f}** (the code's default is
{S.DEFAULT_THRESHOLD:.2f}).

| | precision | recall | F1 |
|---|---:|---:|---:|
| training half | {train[0]:.2f} | {train[1]:.2f} | {train[2]:.2f} |
| **held-out half** | **{test[0]:.2f}** | **{test[1]:.2f}** | **{test[2]:.2f}** |

Errors on the held-out half at {chosen:.2f}: {misses}. The misses are mostly a village supervisor's
colloquial account (村里8户低保户反映……) against an office's formal one, which share few characters; the false
alarms are mostly one template with another household or month where the figures do not tell them apart.

| threshold | train P | train R | train F1 | held-out P | held-out R | held-out F1 |
|---:|---:|---:|---:|---:|---:|---:|
{rows}

**Speed** on a synthetic ledger of {s["size"]:,} problems (6 counties, 3 years, one in ten a rewording).
Wall clock, and in brackets the CPU time of the process (the 2 CPUs are shared: the difference is waiting):

| what | time |
|---|---:|
| baseline: prepare every text once (normalise, shingles; what any scan must do) | {s["prepare"]:.1f} s ({s["prepare_cpu"]:.1f} s CPU) |
| full scan of all {s["size"]:,} (vectorised per county, exact), {s["pairs"]:,} pairs flagged | {s["scan"]:.1f} s ({s["scan_cpu"]:.1f} s CPU) |
| one new problem against its county's window ({s["pool"]:,.0f} problems of a county of {s["county"]:,}), texts analysed before (median of {SINGLE_CHECKS}) | {s["one_warm"] * 1000:.0f} ms ({s["one_warm_cpu"] * 1000:.0f} ms CPU) |
| the same, first check in a fresh process (every text analysed) | {s["one_cold"] * 1000:.0f} ms |
| baseline: the same check comparing the new problem with every problem of the window one by one (what the finder did before) | {s["one_baseline"] * 1000:.0f} ms |
| {SAMPLE_SIZE:,}-problem sample: all pairs compared one by one (`brute_force`) | {s["full"]:.1f} s |
| {SAMPLE_SIZE:,}-problem sample: the vectorised scan | {s["blocked"]:.2f} s |

The vectorised scan and the comparison of all pairs flag {"the same pairs with scores and reasons equal to the last bit" if s["same"] else "DIFFERENT pairs"} on the sample ({s["sample_pairs"]} pairs); the single checks
{"agree with their baselines" if s["one_same"] else "DIFFER from their baselines"}. The synthetic ledger is far more repetitive than a real one (its texts are ~110
hand-written sentences with places and figures changed): {s["pairs"]:,} flagged pairs, most of them the same template
with the same figures by chance, and each flagged pair is finished one by one in Python (its cosine, its reasons).

How (`jiandu/lib/similarity.py`): per county, in date order, blocks of {S.BLOCK_ROWS} reports meet the reports
of their window in one matrix product of unit TF-IDF rows (the {S.COMMON_SHINGLES} shingles most reports share as a
dense BLAS product, the rest as a scipy.sparse one, single precision); a pair goes on only if its cosine reaches
the text floor of its place (`text_floor`: 0.08 across townships, near 0 in one village); then the score
without the figures, and then with the figures of the text (held in fixed slots: up to 4 units, 2 people;
texts with more, or two figures in one unit, are not discounted here), are bounds computed for all pairs at
once; the pairs that pass are scored exactly with `score_pair`'s arithmetic in the same order, so the results
equal those of comparing all pairs (property test and the sample above). The analysis of a text (normalised
text, shingle ids and counts) is cached per process ({S.ANALYSIS_CACHE_SIZE:,} texts), which is what makes
the check of one new problem fast once its county's neighbours have been seen; the first check in a fresh
process pays for analysing the window.

Against the goals (a 100,000 scan well under a minute, one new problem under 100 ms): the scan's CPU time is
{s["scan_cpu"]:.0f} s; one warm check {s["one_warm_cpu"] * 1000:.0f} ms of CPU. On this shared machine the wall clock was
{s["scan"]:.0f} s and {s["one_warm"] * 1000:.0f} ms (other engineers' tests running); the first check in a fresh process
({s["one_cold"] * 1000:.0f} ms) is over the goal: a persistent store of the analyses would remove it. The scores did not
change, so precision and recall are those above, as before.
"""


def write_section(text_section: str) -> None:
    text = DOC.read_text("utf-8") if DOC.is_file() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: text_section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + text_section
    DOC.write_text(text.rstrip("\n") + "\n", "utf-8")


def main() -> None:
    q = quality()
    print(f"threshold chosen on training half: {q['chosen']:.2f}")
    for t, (tr, te) in q["curve"].items():
        print(
            f"  {t:.2f}  train P={tr[0]:.2f} R={tr[1]:.2f} F1={tr[2]:.2f}  held-out P={te[0]:.2f} R={te[1]:.2f} F1={te[2]:.2f}"
        )
    s = speed()
    print(json.dumps(s, indent=2))
    text = section(q, s)
    write_section(text)
    print(text)


if __name__ == "__main__":
    main()
