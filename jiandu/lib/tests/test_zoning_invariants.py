"""Properties of the zone planner on random graphs: every invariant of a plan, and determinism."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from zoning_graphs import check_plan, graphs, rules_for

from jiandu.lib.zoning import Plan, Rules, RulesError, Unit, plan_zones

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def planned(units: list[Unit], edges: list[tuple[str, str]], rules: Rules) -> Plan:
    try:
        return plan_zones(units, edges, rules)
    except RulesError:
        assume(False)
        raise


@SETTINGS
@given(st.data())
def test_every_plan_meets_every_rule_and_covers_every_unit_once(data: st.DataObject) -> None:
    units, edges = data.draw(graphs(45))
    rules = data.draw(rules_for(units, edges))
    plan = planned(units, edges, rules)
    check_plan(plan, units, edges, rules)
    if plan.nearest is not None:
        assert plan.nearest.relaxed
        check_plan(plan.nearest, units, edges, plan.nearest.rules)


@SETTINGS
@given(graphs(45), st.integers(1, 4), st.integers(0, 2), st.integers(0, 6))
def test_a_unit_is_unplaced_only_with_a_reason_that_holds(
    graph: tuple[list[Unit], list[tuple[str, str]]], lo: int, extra: int, min_staff: int
) -> None:
    units, edges = graph
    rules = Rules(min_size=lo, max_size=lo + extra, min_staff=min_staff)
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    size = {c: z.size for z in plan.zones for c in z.codes}
    neighbours: dict[str, set[str]] = {u.code: set() for u in units}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    for x in plan.unplaced:
        if x.reason_code == "component_too_small":
            assert int(x.detail["size"]) < lo  # type: ignore[call-overload]
        elif x.reason_code == "component_staff_below_minimum":
            assert int(x.detail["staff"]) < min_staff  # type: ignore[call-overload]
        else:
            assert x.reason_code in {"no_valid_zone", "neighbours_full"}
            # Without apart rules, a unit left over next to a zone with room would have joined it.
            assert all(size[n] == rules.max_size for n in neighbours[x.code] if n in size)


@SETTINGS
@given(st.data())
def test_same_input_and_seed_give_the_same_plan_in_any_input_order(data: st.DataObject) -> None:
    units, edges = data.draw(graphs(45))
    rules = data.draw(rules_for(units, edges))
    plan = planned(units, edges, rules)
    shuffle = random.Random(data.draw(st.integers(0, 1000)))
    units2 = units[:]
    shuffle.shuffle(units2)
    edges2 = [(b, a) if shuffle.random() < 0.5 else (a, b) for a, b in edges]
    shuffle.shuffle(edges2)
    assert plan_zones(units2, edges2, rules) == plan
    assert plan_zones(units, edges, rules) == plan


@settings(max_examples=40, deadline=None)
@given(graphs(10), st.integers(1, 3), st.integers(0, 2))
def test_small_graphs_get_the_most_zones_possible(
    graph: tuple[list[Unit], list[tuple[str, str]]], lo: int, extra: int
) -> None:
    """Against brute force: no partition of the placed units has more zones or covers more units."""
    units, edges = graph
    rules = Rules(min_size=lo, max_size=lo + extra)
    plan = plan_zones(units, edges, rules)
    best = _brute_force(units, edges, rules)
    covered = len(units) - len(plan.unplaced)
    assert (covered, len(plan.zones)) == best


def _brute_force(units: list[Unit], edges: list[tuple[str, str]], rules: Rules) -> tuple[int, int]:
    from zoning_graphs import adjacency, connected

    adj = adjacency(units, edges)
    codes = [u.code for u in units]
    best = (0, 0)

    def rec(i: int, zones: list[list[str]], left: int) -> None:
        nonlocal best
        if i == len(codes):
            if all(rules.min_size <= len(z) and connected(tuple(z), adj) for z in zones):
                best = max(best, (len(codes) - left, len(zones)))
            return
        c = codes[i]
        rec(i + 1, zones, left + 1)
        for z in zones:
            if len(z) < rules.max_size:
                z.append(c)
                rec(i + 1, zones, left)
                z.pop()
        zones.append([c])
        rec(i + 1, zones, left)
        zones.pop()

    rec(0, [], 0)
    return best
