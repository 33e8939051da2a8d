"""`check_zones`: the planner's zones pass it, and each kind of broken zone is named."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zoning_graphs import graphs, rules_for

from jiandu.lib.zoning import Rules, RulesError, Unit, check_zones, plan_zones


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_planned_zone_passes_the_check(data: st.DataObject) -> None:
    units, edges = data.draw(graphs(30))
    rules = data.draw(rules_for(units, edges))
    try:
        plan = plan_zones(units, edges, rules)
    except RulesError:
        return
    zones = {str(i): zone.codes for i, zone in enumerate(plan.zones, start=1)}
    assert check_zones(units, edges, rules, zones) == []


ROW = [Unit(code, staff) for code, staff in (("a", 2), ("b", 2), ("c", 2), ("d", 2))]
EDGES = [("a", "b"), ("b", "c"), ("c", "d")]


def codes(messages: list) -> list[tuple[str, str]]:
    return [(m.field, m.code) for m in messages]


def test_each_broken_rule_is_named() -> None:
    rules = Rules(min_size=2, max_size=2, min_staff=4, apart=[{"a", "c"}], together=[{"b", "d"}])
    found = codes(check_zones(ROW, EDGES, rules, {"1": ["a", "c", "d"], "2": ["b"]}))
    assert ("size", "size_out_of_bounds") in found  # 3 units in zone 1, 1 in zone 2
    assert ("staff", "staff_below_minimum") in found  # zone 2 has 2 staff
    assert ("contiguity", "not_contiguous") in found  # a is not next to c
    assert ("apart", "together") in found and ("together", "split") in found


def test_a_valid_assignment_has_no_message_and_unknown_codes_are_named() -> None:
    rules = Rules(min_size=2, max_size=2, min_staff=4)
    assert check_zones(ROW, EDGES, rules, {"1": ["a", "b"], "2": ["c", "d"]}) == []
    assert ("zones", "unknown_unit") in codes(check_zones(ROW, EDGES, rules, {"1": ["a", "b", "x"]}))
