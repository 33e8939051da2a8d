"""The search with one zone more (jiandu/lib/zoning/fixed.py), through `plan_zones`."""

from __future__ import annotations

import numpy as np
import pytest
from zoning_graphs import check_plan, code, delaunay_edges

from jiandu.lib.zoning import Rules, Unit, plan_zones

RULES = Rules(min_size=3, max_size=5, min_staff=13)


def townships(seed: int) -> tuple[list[Unit], list[tuple[str, str]]]:
    """92 townships with 2–5 staff on a random Voronoi map, as in bench/bench_zoning.py."""
    rng = np.random.default_rng(seed)
    points = rng.random((92, 2)) * 100.0
    staff = rng.integers(2, 6, size=92)
    units = [Unit(code(i), int(staff[i]), 0.0, float(points[i, 0]), float(points[i, 1])) for i in range(92)]
    return units, [(code(i), code(j)) for i, j in sorted(delaunay_edges(points))]


@pytest.mark.parametrize("seed", [200, 202, 212])
def test_scattered_surplus_staff_is_gathered_into_one_zone_more(seed: int) -> None:
    # The staff allows floor(staff / 13) zones and CP-SAT finds that many (25, 26 and 25); construction and
    # window re-planning stop one short because the spare staff lies in zones far apart. Seed 212 needs a
    # long search from one start (it was missed with 3,000 moves per start).
    units, edges = townships(seed)
    plan = plan_zones(units, edges, RULES)
    check_plan(plan, units, edges, RULES)
    assert not plan.unplaced
    assert len(plan.zones) == sum(u.staff for u in units) // RULES.min_staff


def test_the_search_with_one_zone_more_is_repeatable() -> None:
    units, edges = townships(202)
    rules = Rules(min_size=3, max_size=5, min_staff=13, seed=7)
    assert plan_zones(units, edges, rules) == plan_zones(list(reversed(units)), edges[::-1], rules)
