"""Graphs and a plan checker shared by the zone planner's tests."""

from __future__ import annotations

from collections import deque

import numpy as np
from hypothesis import strategies as st
from scipy.spatial import Delaunay

from jiandu.lib.zoning import Plan, Rules, Unit

Edges = list[tuple[str, str]]


def code(i: int) -> str:
    return f"u{i:04d}"


def delaunay_edges(points: np.ndarray) -> set[tuple[int, int]]:
    """Adjacency of the Voronoi cells of the points (their Delaunay triangulation)."""
    edges: set[tuple[int, int]] = set()
    for simplex in Delaunay(points).simplices:
        for a in range(3):
            for b in range(a + 1, 3):
                i, j = sorted((int(simplex[a]), int(simplex[b])))
                edges.add((i, j))
    return edges


@st.composite
def graphs(draw: st.DrawFn, max_units: int = 40) -> tuple[list[Unit], Edges]:
    """Random planar (Voronoi), grid, path, tree or disconnected graphs with random staff."""
    kind = draw(st.sampled_from(["voronoi", "grid", "path", "tree", "split"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(1, max_units))
    points = rng.random((n, 2))
    edges: set[tuple[int, int]] = set()
    if kind == "voronoi" and n >= 4:
        edges = delaunay_edges(points)
    elif kind == "grid":
        width = draw(st.integers(1, 7))
        points = np.array([[i % width, i // width] for i in range(n)], dtype=float)
        edges = {(i, i + 1) for i in range(n - 1) if (i + 1) % width}
        edges |= {(i, i + width) for i in range(n - width)}
    elif kind == "path":
        edges = {(i, i + 1) for i in range(n - 1)}
    elif kind == "tree":
        edges = {(int(rng.integers(0, i)), i) for i in range(1, n)}
    elif kind == "split":
        # Several pieces, some of them too small to hold a zone.
        cuts = sorted({int(c) for c in rng.integers(0, n, size=3)} | {0, n})
        for a, b in zip(cuts, cuts[1:], strict=False):
            edges |= {(i, i + 1) for i in range(a, b - 1)}
            edges |= {(i, i + 2) for i in range(a, b - 2) if rng.random() < 0.5}
    staff_hi = draw(st.integers(0, 4))
    with_xy = draw(st.booleans())
    units = [
        Unit(
            code(i),
            int(rng.integers(0, staff_hi + 1)),
            float(rng.integers(0, 10)),
            float(points[i, 0]) if with_xy else None,
            float(points[i, 1]) if with_xy else None,
        )
        for i in range(n)
    ]
    return units, [(code(i), code(j)) for i, j in sorted(edges)]


def adjacency(units: list[Unit], edges: Edges) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = {u.code: set() for u in units}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    return adj


def connected(codes: tuple[str, ...], adj: dict[str, set[str]]) -> bool:
    group = set(codes)
    seen = {codes[0]}
    queue = deque([codes[0]])
    while queue:
        for n in adj[queue.popleft()]:
            if n in group and n not in seen:
                seen.add(n)
                queue.append(n)
    return seen == group


def check_plan(plan: Plan, units: list[Unit], edges: Edges, rules: Rules) -> None:
    """Assert every invariant of a plan made under `rules` (for a nearest plan: under plan.rules)."""
    adj = adjacency(units, edges)
    staff = {u.code: u.staff for u in units}
    placed = [c for z in plan.zones for c in z.codes]
    left = [x.code for x in plan.unplaced]
    assert sorted(placed + left) == sorted(staff), "zones and unplaced must cover every unit exactly once"
    for zone in plan.zones:
        assert list(zone.codes) == sorted(zone.codes)
        assert connected(zone.codes, adj), zone.codes
        assert rules.min_size <= zone.size <= rules.max_size, zone.codes
        assert zone.staff == sum(staff[c] for c in zone.codes) >= rules.min_staff, zone.codes
    zone_of = plan.zone_of()
    for group in rules.together:
        assert len({zone_of.get(c, -1) for c in group}) == 1 or all(c in left for c in group), group
    for group in rules.apart:
        zones = [zone_of[c] for c in group if c in zone_of]
        assert len(zones) == len(set(zones)), group
    locked = {z.codes for z in plan.zones if z.locked}
    assert locked == {tuple(sorted(z)) for z in rules.locked}
    for x in plan.unplaced:
        assert x.reason_code and str(x)
    assert plan.feasible == (not plan.unplaced and not plan.issues)
    assert plan.objective.zone_count == len(plan.zones)


@st.composite
def rules_for(draw: st.DrawFn, units: list[Unit], edges: Edges) -> Rules:
    """Random rules for the graph: bounds, a staff minimum, and together/apart/locked groups that make sense."""
    lo = draw(st.integers(1, 4))
    hi = lo + draw(st.integers(0, 3))
    min_staff = draw(st.integers(0, 8))
    codes = [u.code for u in units]
    adj = adjacency(units, edges)
    staff = {u.code: u.staff for u in units}
    locked: list[frozenset[str]] = []
    taken: set[str] = set()
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.sampled_from(codes))
        size = draw(st.integers(lo, hi))
        zone = [start]
        for c in zone:
            zone += sorted(n for n in adj[c] if n not in zone and n not in taken)
        zone = zone[:size]
        if start not in taken and len(zone) == size and sum(staff[c] for c in zone) >= min_staff:
            locked.append(frozenset(zone))
            taken.update(zone)
    together = []
    for _ in range(draw(st.integers(0, 2))):
        a = draw(st.sampled_from(codes))
        near = sorted(adj[a]) or [a]
        together.append(frozenset({a, draw(st.sampled_from(near))}))
    apart = (
        [
            frozenset(draw(st.lists(st.sampled_from(codes), min_size=2, max_size=3, unique=True)))
            for _ in range(draw(st.integers(0, 2)))
        ]
        if len(codes) >= 2
        else []
    )
    return Rules(
        min_size=lo,
        max_size=hi,
        min_staff=min_staff,
        together=together,
        apart=apart,
        locked=locked,
        seed=draw(st.integers(0, 3)),
    )
