"""The zone planner on hand-made graphs: answers, validation, infeasibility and the nearest plan."""

from __future__ import annotations

import subprocess
import sys

import pytest
from zoning_graphs import check_plan, code

from jiandu.lib.zoning import Rules, RulesError, Unit, plan_zones


def path(n: int, staff: int = 1) -> tuple[list[Unit], list[tuple[str, str]]]:
    return [Unit(code(i), staff) for i in range(n)], [(code(i), code(i + 1)) for i in range(n - 1)]


def grid(w: int, h: int, staff: int = 1) -> tuple[list[Unit], list[tuple[str, str]]]:
    units = [Unit(code(i), staff, x=float(i % w), y=float(i // w)) for i in range(w * h)]
    edges = [(code(i), code(i + 1)) for i in range(w * h - 1) if (i + 1) % w]
    edges += [(code(i), code(i + w)) for i in range(w * h - w)]
    return units, edges


def test_the_package_imports_without_django() -> None:
    script = "import sys, jiandu.lib.zoning; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 0


def test_a_path_of_nine_gives_three_zones_of_three() -> None:
    units, edges = path(9)
    plan = plan_zones(units, edges, Rules(min_size=3, max_size=5))
    assert plan.feasible
    assert [z.codes for z in plan.zones] == [
        (code(0), code(1), code(2)),
        (code(3), code(4), code(5)),
        (code(6), code(7), code(8)),
    ]
    assert plan.objective.zone_count == 3
    assert plan.relaxed == () and plan.nearest is None


def test_a_six_by_six_grid_gives_the_most_zones() -> None:
    units, edges = grid(6, 6)
    rules = Rules(min_size=4, max_size=5)
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    assert len(plan.zones) == 9


def test_the_most_compact_of_equal_counts_wins() -> None:
    # A 4×2 grid in zones of four: two 2×2 squares (squared distances 2 + 2), not two rows (5 + 5).
    units, edges = grid(4, 2)
    plan = plan_zones(units, edges, Rules(min_size=4, max_size=4))
    assert [z.codes for z in plan.zones] == [
        (code(0), code(1), code(4), code(5)),
        (code(2), code(3), code(6), code(7)),
    ]
    assert plan.objective.travel == pytest.approx(4.0)


def test_without_coordinates_compactness_counts_the_edges_cut() -> None:
    units, edges = grid(4, 2)
    units = [Unit(u.code, u.staff) for u in units]
    plan = plan_zones(units, edges, Rules(min_size=4, max_size=4))
    assert plan.objective.travel_kind == "edges_cut"
    assert plan.objective.travel == 2


def test_staff_minimum_makes_zones_larger() -> None:
    units, edges = path(12, staff=2)
    rules = Rules(min_size=1, max_size=5, min_staff=6)
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    assert [z.size for z in plan.zones] == [3, 3, 3, 3]


def test_target_count_merges_zones() -> None:
    units, edges = grid(6, 4)
    rules = Rules(min_size=3, max_size=6, target_zones=4)
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    assert plan.feasible and len(plan.zones) == 4


def test_unreachable_target_is_an_issue_not_an_error() -> None:
    units, edges = path(6)
    plan = plan_zones(units, edges, Rules(min_size=3, max_size=5, target_zones=3))
    assert not plan.feasible
    assert [i.field for i in plan.issues] == ["target_zones"]
    assert plan.issues[0].params == {"target": 3, "count": 2}
    assert plan.nearest is not None and plan.nearest.relaxed == ("target_zones",)


def test_together_apart_and_locked_are_kept() -> None:
    units, edges = grid(4, 4)
    rules = Rules(
        min_size=3,
        max_size=5,
        together=[frozenset({code(0), code(5)})],
        apart=[frozenset({code(10), code(11), code(14)})],
        locked=[frozenset({code(3), code(7), code(11)})],
    )
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    assert plan.feasible
    assert (code(3), code(7), code(11)) in [z.codes for z in plan.zones if z.locked]


def test_together_units_are_joined_through_a_path() -> None:
    units, edges = path(7)
    rules = Rules(min_size=3, max_size=4, together=[frozenset({code(0), code(3)})])
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    assert (code(0), code(1), code(2), code(3)) in [z.codes for z in plan.zones]


def test_same_seed_same_plan_whatever_the_input_order() -> None:
    units, edges = grid(7, 5)
    rules = Rules(min_size=3, max_size=5, seed=7)
    first = plan_zones(units, edges, rules)
    again = plan_zones(list(reversed(units)), [(b, a) for a, b in reversed(edges)], rules)
    assert first == again


@pytest.mark.parametrize(
    ("rules", "field", "code_"),
    [
        (Rules(min_size=6, max_size=5), "min_size", "min_above_max"),
        (Rules(min_size=0), "min_size", "min_size_below_one"),
        (Rules(together=[frozenset({"nowhere", code(1)})]), "together", "unknown_unit"),
        (Rules(apart=[frozenset({code(1), "nowhere"})]), "apart", "unknown_unit"),
        (
            Rules(locked=[frozenset({code(0), code(1), code(2)}), frozenset({code(2), code(3), code(4)})]),
            "locked",
            "unit_in_two_locked",
        ),
        (Rules(max_size=2, together=[frozenset({code(0), code(1), code(2)})]), "together", "group_too_large"),
        (
            Rules(together=[frozenset({code(0), code(1)})], apart=[frozenset({code(1), code(0)})]),
            "apart",
            "contradicts_together",
        ),
        (Rules(locked=[frozenset({code(0), code(2), code(4)})]), "locked", "not_contiguous"),
        (
            Rules(min_staff=4, locked=[frozenset({code(0), code(1), code(2)})]),
            "locked",
            "staff_below_minimum",
        ),
        (Rules(target_zones=0), "target_zones", "below_one"),
    ],
)
def test_rules_that_cannot_be_planned_with_are_refused_naming_the_field(
    rules: Rules, field: str, code_: str
) -> None:
    units, edges = path(9)
    with pytest.raises(RulesError) as caught:
        plan_zones(units, edges, rules)
    assert (field, code_) in [(m.field, m.code) for m in caught.value.messages]
    assert all(str(m) for m in caught.value.messages)


def test_every_problem_is_reported_at_once() -> None:
    units, edges = path(5)
    rules = Rules(min_size=6, max_size=5, min_staff=-1, apart=[frozenset({"x", "y"})])
    with pytest.raises(RulesError) as caught:
        plan_zones(units, edges, rules)
    assert {m.field for m in caught.value.messages} == {"min_size", "min_staff", "apart"}


def test_edges_naming_unknown_units_are_refused() -> None:
    units, edges = path(4)
    with pytest.raises(RulesError) as caught:
        plan_zones(units, [*edges, (code(3), "ghost")], Rules())
    assert [(m.field, m.params) for m in caught.value.messages] == [("edges", {"code": "ghost"})]


def test_a_small_island_is_unplaced_with_its_reason_and_the_nearest_plan_lowers_the_minimum() -> None:
    units, edges = path(6)
    units += [Unit("island-a", 1), Unit("island-b", 1)]
    edges += [("island-a", "island-b")]
    rules = Rules(min_size=3, max_size=5)
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    assert not plan.feasible
    assert [(x.code, x.reason_code) for x in plan.unplaced] == [
        ("island-a", "component_too_small"),
        ("island-b", "component_too_small"),
    ]
    assert plan.unplaced[0].detail["size"] == 2
    nearest = plan.nearest
    assert nearest is not None and nearest.feasible
    assert nearest.relaxed == ("min_size",) and nearest.rules.min_size == 2
    check_plan(nearest, units, edges, nearest.rules)


def test_a_component_short_of_staff_is_explained_and_the_nearest_plan_lowers_the_staff_minimum() -> None:
    units, edges = path(6, staff=3)
    units += [Unit(f"v{i}", 1) for i in range(3)]
    edges += [("v0", "v1"), ("v1", "v2")]
    rules = Rules(min_size=3, max_size=5, min_staff=9)
    plan = plan_zones(units, edges, rules)
    assert {x.reason_code for x in plan.unplaced} == {"component_staff_below_minimum"}
    assert plan.unplaced[0].detail["staff"] == 3
    assert plan.nearest is not None
    assert plan.nearest.relaxed == ("min_staff",) and plan.nearest.rules.min_staff == 3


def test_a_star_cannot_be_covered_and_the_nearest_plan_allows_a_larger_zone() -> None:
    units = [Unit("hub", 1), *[Unit(f"leaf{i}", 1) for i in range(5)]]
    edges = [("hub", f"leaf{i}") for i in range(5)]
    rules = Rules(min_size=3, max_size=5)
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    assert len(plan.zones) == 1 and len(plan.unplaced) == 1
    assert plan.unplaced[0].reason_code == "neighbours_full"
    assert plan.nearest is not None and plan.nearest.relaxed == ("max_size",)
    assert plan.nearest.rules.max_size == 6 and plan.nearest.feasible


def test_a_unit_kept_apart_from_its_only_zone_is_explained() -> None:
    units, edges = path(4)
    rules = Rules(min_size=3, max_size=5, apart=[frozenset({code(0), code(3)})])
    plan = plan_zones(units, edges, rules)
    check_plan(plan, units, edges, rules)
    assert [x.reason_code for x in plan.unplaced] == ["apart_conflict"]
    # Two zones of two come before dropping the apart rule: a smaller minimum is the smaller change.
    assert plan.nearest is not None and plan.nearest.relaxed == ("min_size",)
    assert plan.nearest.feasible and plan.nearest.rules.apart == rules.apart
