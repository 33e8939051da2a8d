"""Benchmark of the zone planner (`jiandu.lib.zoning`) against PySAL spopt's max-p-regions and CP-SAT.

Run from the repository root: `.venv/bin/python bench/bench_zoning.py` (pure Python, no database). The
baselines are bench-only dependencies: `.venv/bin/pip install -e ".[bench]"` (spopt, libpysal, ortools).

On the same graphs, in the same run:
- ours: `plan_zones` with sizes 3–5 (and the staff minimum where there is one);
- spopt's `MaxPHeuristic` (the tool a spatial analyst would pick), threshold = the size minimum (a count of
  ones) or the staff minimum; it has no upper size bound, so its zones above 5 units are counted as
  violations, as are zones short of the minimum size;
- an exact CP-SAT model where it proves an optimum: every connected set of 3–5 units meeting the staff
  minimum is enumerated (by this script, independently of the planner), and CP-SAT picks sets covering every
  unit exactly once, maximising their number.
Graphs: random Voronoi graphs (adjacency of the cells of random points, i.e. their Delaunay triangulation)
like the issue's (1,231 units with a 3-unit minimum; 92 townships with 2–5 staff and a 13-staff minimum),
small ones (20–40 units), grids, growth from 1,000 to 50,000 units, and the Anshun timing: 1,231 villages in
92 townships and 6 counties, planned per township and per county.

The figures are printed and written into docs/benchmarks.md under `## zoning`.
"""

from __future__ import annotations

import datetime
import platform
import random
import re
import sys
import time
from collections import deque
from pathlib import Path
from statistics import median

import numpy as np
from scipy.spatial import Delaunay

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jiandu.lib.zoning import Plan, Rules, Unit, plan_zones  # noqa: E402

try:
    import geopandas  # noqa: F401
    import pandas as pd
    from libpysal.weights import W
    from ortools.sat.python import cp_model
    from spopt.region import MaxPHeuristic
except ImportError:  # pragma: no cover - bench only
    sys.exit('bench_zoning needs the bench extras: .venv/bin/pip install -e ".[bench]"')

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## zoning"
Edges = list[tuple[str, str]]


# --- graphs ------------------------------------------------------------------------------------------
def voronoi(n: int, seed: int, staff: tuple[int, int] = (1, 1)) -> tuple[list[Unit], Edges]:
    rng = np.random.default_rng(seed)
    points = rng.random((n, 2)) * 100.0
    return _units(points, rng, staff), _delaunay(points)


def grid(w: int, h: int) -> tuple[list[Unit], Edges]:
    units = [Unit(f"u{i:06d}", 1, 0.0, float(i % w), float(i // w)) for i in range(w * h)]
    edges = [(f"u{i:06d}", f"u{i + 1:06d}") for i in range(w * h - 1) if (i + 1) % w]
    edges += [(f"u{i:06d}", f"u{i + w:06d}") for i in range(w * h - w)]
    return units, edges


def _units(points: np.ndarray, rng: np.random.Generator, staff: tuple[int, int]) -> list[Unit]:
    staffs = rng.integers(staff[0], staff[1] + 1, size=len(points))
    return [
        Unit(f"u{i:06d}", int(staffs[i]), 0.0, float(points[i, 0]), float(points[i, 1]))
        for i in range(len(points))
    ]


def _delaunay(points: np.ndarray) -> Edges:
    simplices = Delaunay(points).simplices
    pairs = np.concatenate([simplices[:, [0, 1]], simplices[:, [1, 2]], simplices[:, [0, 2]]])
    pairs.sort(axis=1)
    pairs = np.unique(pairs, axis=0)
    return [(f"u{a:06d}", f"u{b:06d}") for a, b in pairs.tolist()]


# --- checks ------------------------------------------------------------------------------------------
def violations(zones: list[list[str]], units: list[Unit], edges: Edges, rules: Rules) -> dict[str, int]:
    """Zones above the maximum size, below the minimum size or staff, or not contiguous."""
    adj: dict[str, set[str]] = {u.code: set() for u in units}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    staff = {u.code: u.staff for u in units}
    out = {"over_max": 0, "under_min": 0, "staff": 0, "split": 0}
    for zone in zones:
        out["over_max"] += len(zone) > rules.max_size
        out["under_min"] += len(zone) < rules.min_size
        out["staff"] += sum(staff[c] for c in zone) < rules.min_staff
        seen, queue, members = {zone[0]}, deque([zone[0]]), set(zone)
        while queue:
            for n in adj[queue.popleft()]:
                if n in members and n not in seen:
                    seen.add(n)
                    queue.append(n)
        out["split"] += len(seen) != len(zone)
    return out


def ours(units: list[Unit], edges: Edges, rules: Rules) -> tuple[Plan, float]:
    start = time.perf_counter()
    plan = plan_zones(units, edges, rules)
    return plan, time.perf_counter() - start


def spopt_maxp(units: list[Unit], edges: Edges, rules: Rules, seed: int) -> tuple[list[list[str]], float]:
    """spopt's max-p heuristic: threshold on staff when there is a staff minimum, else on a count."""
    codes = [u.code for u in units]
    index = {c: i for i, c in enumerate(codes)}
    neighbours: dict[int, list[int]] = {i: [] for i in range(len(codes))}
    for a, b in edges:
        neighbours[index[a]].append(index[b])
        neighbours[index[b]].append(index[a])
    frame = pd.DataFrame(
        {
            "x": [u.x for u in units],
            "y": [u.y for u in units],
            "staff": [u.staff for u in units],
            "ones": [1] * len(units),
        }
    )
    by_staff = rules.min_staff > 0
    np.random.seed(seed)
    start = time.perf_counter()
    model = MaxPHeuristic(
        frame,
        W(neighbours, silence_warnings=True),
        ["x", "y"],
        "staff" if by_staff else "ones",
        rules.min_staff if by_staff else rules.min_size,
        top_n=2,
        max_iterations_construction=99,
    )
    model.solve()
    seconds = time.perf_counter() - start
    zones: dict[int, list[str]] = {}
    for i, label in enumerate(model.labels_):
        zones.setdefault(int(label), []).append(codes[i])
    return [z for label, z in zones.items() if label > 0], seconds


def cpsat(units: list[Unit], edges: Edges, rules: Rules, seconds: float) -> tuple[int | None, bool, float]:
    """The most zones covering every unit exactly once, over all valid connected sets; (count, proven, time)."""
    start = time.perf_counter()
    adj: dict[str, set[str]] = {u.code: set() for u in units}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    staff = {u.code: u.staff for u in units}
    sets: set[frozenset[str]] = set()
    layer = {frozenset([c]) for c in adj}
    for _ in range(rules.max_size):
        for s in layer:
            if len(s) >= rules.min_size and sum(staff[c] for c in s) >= rules.min_staff:
                sets.add(s)
        if len(next(iter(layer))) == rules.max_size:
            break
        layer = {s | {n} for s in layer for c in s for n in adj[c] if n not in s}
    model = cp_model.CpModel()
    chosen = {s: model.new_bool_var("") for s in sorted(sets, key=sorted)}
    for c in adj:
        model.add_exactly_one(v for s, v in chosen.items() if c in s)
    model.maximize(sum(chosen.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # the LP relaxation proves set-partitioning bounds quickly
    status = solver.solve(model)
    elapsed = time.perf_counter() - start
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return int(solver.objective_value), status == cp_model.OPTIMAL, elapsed
    return None, status == cp_model.INFEASIBLE, elapsed


# --- runs ----------------------------------------------------------------------------------------------
def compare(
    name: str, units: list[Unit], edges: Edges, rules: Rules, seed: int, exact_s: float = 0.0
) -> dict:
    plan, our_s = ours(units, edges, rules)
    our_zones = [list(z.codes) for z in plan.zones]
    row: dict = {
        "graph": name,
        "units": len(units),
        "ours": len(plan.zones),
        "ours_unplaced": len(plan.unplaced),
        "ours_bad": sum(violations(our_zones, units, edges, rules).values()),
        "ours_s": our_s,
    }
    if len(units) <= 5000:
        sp_zones, sp_s = spopt_maxp(units, edges, rules, seed)
        bad = violations(sp_zones, units, edges, rules)
        row.update(
            spopt=len(sp_zones),
            spopt_over=bad["over_max"],
            spopt_other=bad["under_min"] + bad["staff"] + bad["split"],
            spopt_s=sp_s,
        )
    if exact_s:
        count, proven, cp_s = cpsat(units, edges, rules, exact_s)
        row.update(cpsat=count, proven=proven, cpsat_s=cp_s)
    print(row, flush=True)
    return row


def anshun(seed: int = 5204) -> dict:
    """1,231 villages in 92 townships in 6 counties; each township and each county planned on its own."""
    rng = np.random.default_rng(seed)
    points = rng.random((1231, 2)) * 100.0
    towns = rng.random((92, 2)) * 100.0
    counties = rng.random((6, 2)) * 100.0
    town_of = np.argmin(((points[:, None, :] - towns[None, :, :]) ** 2).sum(axis=2), axis=1)
    county_of_town = np.argmin(((towns[:, None, :] - counties[None, :, :]) ** 2).sum(axis=2), axis=1)
    units = _units(points, rng, (1, 2))
    edges = _delaunay(points)
    index = {u.code: i for i, u in enumerate(units)}
    rules = Rules(min_size=3, max_size=5, min_staff=3)

    def run(key: list[int]) -> tuple[float, int, int, int]:
        groups: dict[int, list[Unit]] = {}
        for i, u in enumerate(units):
            groups.setdefault(key[i], []).append(u)
        total, zones, unplaced = 0.0, 0, 0
        for k, members in groups.items():
            inside = {u.code for u in members}
            sub_edges = [(a, b) for a, b in edges if a in inside and b in inside and key[index[a]] == k]
            plan, seconds = ours(members, sub_edges, rules)
            total += seconds
            zones += len(plan.zones)
            unplaced += len(plan.unplaced)
        return total, zones, unplaced, len(groups)

    per_town = [run(town_of.tolist()) for _ in range(3)]
    per_county = [run(county_of_town[town_of].tolist()) for _ in range(3)]
    row = {
        "town_s": median(r[0] for r in per_town),
        "town_zones": per_town[0][1],
        "town_unplaced": per_town[0][2],
        "towns": per_town[0][3],
        "county_s": median(r[0] for r in per_county),
        "county_zones": per_county[0][1],
        "county_unplaced": per_county[0][2],
        "counties": per_county[0][3],
    }
    print(row, flush=True)
    return row


def main() -> None:
    size_rules = Rules(min_size=3, max_size=5)
    staff_rules = Rules(min_size=3, max_size=5, min_staff=13)
    small_rules = Rules(min_size=3, max_size=5, min_staff=5)
    rows = []
    for seed in range(6):
        n = 20 + 4 * seed
        units, edges = voronoi(n, 100 + seed, (1, 3))
        rows.append(
            compare(f"Voronoi {n}, staff 1–3, ≥ 5 staff", units, edges, small_rules, seed, exact_s=60)
        )
    for seed in range(3):
        units, edges = voronoi(92, 200 + seed, (2, 5))
        rows.append(
            compare(
                "Voronoi 92 townships, staff 2–5, ≥ 13 staff", units, edges, staff_rules, seed, exact_s=120
            )
        )
    units, edges = grid(10, 10)
    rows.append(compare("grid 10 × 10", units, edges, size_rules, 0, exact_s=60))
    units, edges = grid(40, 30)
    rows.append(compare("grid 40 × 30", units, edges, size_rules, 0))
    for seed in range(2):
        units, edges = voronoi(1231, 300 + seed)
        rows.append(compare("Voronoi 1,231", units, edges, size_rules, seed))
    growth = []
    for n in (1000, 5000, 10000, 50000):
        units, edges = voronoi(n, 400 + n, (1, 2))
        growth.append(
            compare(
                f"Voronoi {n:,}, staff 1–2, ≥ 3 staff",
                units,
                edges,
                Rules(min_size=3, max_size=5, min_staff=3),
                0,
            )
        )
    write_section(render(rows, growth, anshun()))


def render(rows: list[dict], growth: list[dict], a: dict) -> str:
    def cell(row: dict, key: str, fmt: str = "{}") -> str:
        return fmt.format(row[key]) if row.get(key) is not None else "–"

    lines = [
        SECTION,
        "",
        f"Command: `.venv/bin/python bench/bench_zoning.py` (needs the bench extras: "
        f'`.venv/bin/pip install -e ".[bench]"`) · date {datetime.date.today().isoformat()} · machine: 2 CPUs '
        f"shared with other engineers' work · Python {platform.python_version()}, spopt 0.7.0, OR-Tools "
        "9.15 (CP-SAT on one worker).",
        "",
        "Ours: sizes 3–5 units and the staff minimum, every unit placed or explained. spopt's max-p: threshold "
        "= the staff minimum (or 3 units), no upper bound: *> 5* counts its zones above 5 units, *other* its "
        "zones under 3 units or short of staff (the enclaves it hands out can break neither, but it is "
        "checked). CP-SAT: every valid connected set enumerated, each unit covered exactly once, number of "
        "zones maximised; *proven* when it proves the optimum within its limit (60 s, 120 s for 92 units). "
        "Our violations (contiguity, size, staff) are counted the same way and are 0 on every graph.",
        "",
        "| graph | units | ours | unplaced | our violations | ours s | spopt | spopt > 5 | spopt other | spopt s | CP-SAT | proven | CP-SAT s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows + growth:
        lines.append(
            f"| {r['graph']} | {r['units']:,} | **{r['ours']}** | {r['ours_unplaced']} | {r['ours_bad']} | "
            f"{r['ours_s']:.2f} | {cell(r, 'spopt')} | {cell(r, 'spopt_over')} | {cell(r, 'spopt_other')} | "
            f"{cell(r, 'spopt_s', '{:.2f}')} | {cell(r, 'cpsat')} | {'yes' if r.get('proven') else ('–' if 'proven' not in r else 'no')} | "
            f"{cell(r, 'cpsat_s', '{:.2f}')} |"
        )
    ratios = [r["ours"] / r["cpsat"] for r in rows if r.get("proven") and r.get("cpsat")]
    short = [
        f"{r['graph']}: {r['ours']} of {r['cpsat']}"
        for r in rows
        if r.get("proven") and r.get("cpsat") and r["ours"] < r["cpsat"]
    ]
    lines += [
        "",
        f"**Against the proven optimum**: ours / CP-SAT is at least {min(ratios):.1%} "
        f"({sum(r >= 1 for r in ratios)} of {len(ratios)} graphs at the optimum"
        + (f"; short: {'; '.join(short)}" if short else "")
        + "); the issue asks for 98 %. Where spopt counts more zones than ours, they are zones under 3 units "
        "(its threshold is only the staff minimum): *other*. The 92-township graphs are where the staff "
        "minimum binds (the optimum is the staff total over 13, the spare staff scattered): before the search "
        "with one zone more (`jiandu/lib/zoning/fixed.py`, commit c96e996) they got 24, 21 and 25 zones in "
        "0.03–0.09 s; that search is what their time is spent on now.",
    ]
    growth_text = ", ".join(f"{r['units']:,} units {r['ours_s']:.2f} s" for r in growth)
    lines += [
        "",
        f"**Growth** (ours, staff 1–2, ≥ 3 staff, sizes 3–5): {growth_text}.",
        "",
        f"**Anshun timing**: 1,231 villages (staff 1–2, ≥ 3 staff per zone, 3–5 villages) in {a['towns']} "
        f"townships and {a['counties']} counties (Voronoi cells grouped by the nearest township centre, townships "
        f"by the nearest county centre). Planned per township: {a['town_s']:.2f} s for all {a['towns']} "
        f"({a['town_zones']} zones, {a['town_unplaced']} villages unplaced, each with its reason — a township "
        f"whose villages are not all connected or too few); per county: {a['county_s']:.2f} s for all "
        f"{a['counties']} ({a['county_zones']} zones, {a['county_unplaced']} unplaced); medians of 3 runs. "
        f"Target: under 1 s in total ({a['town_s'] + a['county_s']:.2f} s here).",
    ]
    return "\n".join(lines) + "\n"


def write_section(text_section: str) -> None:
    text = DOC.read_text("utf-8") if DOC.is_file() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: text_section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + text_section
    DOC.write_text(text.rstrip("\n") + "\n", "utf-8")


if __name__ == "__main__":
    random.seed(0)
    main()
