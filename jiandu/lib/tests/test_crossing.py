"""Cross-supervision rounds: the invariants of every answer, checked on random instances, and infeasibility
confirmed by brute force on small ones."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from jiandu.lib.crossing import CrossInput, CrossRules, CrossUnit, Staff, load_bounds, plan_round


@st.composite
def instances(draw: st.DrawFn, max_units: int = 7) -> CrossInput:
    n = draw(st.integers(2, max_units))
    codes = [f"u{i}" for i in range(n)]
    units = tuple(CrossUnit(c) for c in codes)
    all_pairs = [(a, b) for a in codes for b in codes if a != b]
    adjacent = draw(st.sets(st.sampled_from(all_pairs), max_size=n))
    history = draw(st.sets(st.sampled_from(all_pairs), max_size=n))
    forbidden = draw(st.sets(st.sampled_from(all_pairs), max_size=2))
    rules = CrossRules(
        avoid_reciprocal=draw(st.booleans()),
        avoid_adjacent=draw(st.booleans()),
        avoid_repeat=draw(st.booleans()),
        team_size=draw(st.integers(0, 2)),
        seed=draw(st.integers(0, 5)),
    )
    staff = tuple(
        Staff(
            i,
            f"p{i}",
            draw(st.sampled_from(codes)),
            frozenset(draw(st.sets(st.sampled_from(codes), max_size=2))),
        )
        for i in range(draw(st.integers(0, 3 * n)))
    )
    return CrossInput(
        supervisors=units,
        supervised=units,
        rules=rules,
        adjacent=frozenset(frozenset(p) for p in adjacent),
        history=frozenset(history),
        forbidden=frozenset(forbidden),
        staff=staff,
    )


def violations(data: CrossInput, pairs: list[tuple[str, str]], skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    supervised = [t for _, t in pairs]
    if sorted(supervised) != sorted(u.code for u in data.supervised):
        found.append("not every unit checked exactly once")
    lo, hi = load_bounds(data)
    for s, t in pairs:
        if s == t:
            found.append("self")
        if (s, t) in data.forbidden:
            found.append("forbidden")
        if data.rules.avoid_reciprocal and "reciprocal" not in skip and (t, s) in pairs:
            found.append("reciprocal")
        if data.rules.avoid_adjacent and "adjacent" not in skip and frozenset((s, t)) in data.adjacent:
            found.append("adjacent")
        if data.rules.avoid_repeat and "repeat" not in skip and (s, t) in data.history:
            found.append("repeat")
    if "balance" not in skip:
        for u in data.supervisors:
            load = sum(1 for s, _ in pairs if s == u.code)
            if not lo <= load <= hi:
                found.append("load")
    return found


def brute_force_exists(data: CrossInput) -> bool:
    codes = [u.code for u in data.supervised]
    sups = [u.code for u in data.supervisors]
    for choice in itertools.product(sups, repeat=len(codes)):
        pairs = list(zip(choice, codes, strict=True))
        if not violations(data, pairs):
            return True
    return False


@settings(max_examples=60, deadline=None)
@given(instances())
def test_a_feasible_round_keeps_every_rule_and_an_infeasible_one_has_none(data: CrossInput) -> None:
    result = plan_round(data)
    if result.feasible:
        assert violations(data, result.pairs) == []
    else:
        assert result.issues
        assert not brute_force_exists(data)
        if result.pairs:  # the nearest round keeps every rule it does not name as given up
            assert result.relaxed
            assert violations(data, result.pairs, skip=result.relaxed) == []


@settings(max_examples=60, deadline=None)
@given(instances())
def test_teams_respect_recusal_size_and_one_team_per_person(data: CrossInput) -> None:
    result = plan_round(data)
    people = {p.id: p for p in data.staff}
    seen: set[int] = set()
    for (s, t), team in result.teams.items():
        assert len(team) <= data.rules.team_size
        for pid in team:
            person = people[pid]
            assert person.unit == s and person.unit != t and t not in person.relatives_in
            assert pid not in seen
            seen.add(pid)
        if len(team) < data.rules.team_size:
            assert any(m.params["unit"] == t for m in result.shortfalls)


@settings(max_examples=30, deadline=None)
@given(instances())
def test_the_same_seed_gives_the_same_round(data: CrossInput) -> None:
    first, second = plan_round(data), plan_round(data)
    assert first.pairs == second.pairs and first.teams == second.teams and first.relaxed == second.relaxed


def test_two_units_cannot_avoid_a_reciprocal_pair_and_the_nearest_round_says_so() -> None:
    units = (CrossUnit("a", "甲"), CrossUnit("b", "乙"))
    result = plan_round(CrossInput(units, units, CrossRules()))
    assert not result.feasible
    assert result.relaxed == ("reciprocal",)
    assert result.pairs == [("b", "a"), ("a", "b")]


def test_a_unit_all_of_whose_candidates_are_excluded_is_named_with_each_reason() -> None:
    units = tuple(CrossUnit(c) for c in "abc")
    adjacent = frozenset({frozenset("ab"), frozenset("ac")})
    result = plan_round(CrossInput(units, units, CrossRules(avoid_adjacent=True), adjacent=adjacent))
    assert not result.feasible
    message = next(m for m in result.issues if m.code == "no_candidate")
    assert message.params["unit"] == "a"
    assert message.params["excluded"] == {"a": ["self"], "b": ["adjacent"], "c": ["adjacent"]}


def test_a_relative_in_the_checked_unit_keeps_a_person_off_its_team() -> None:
    units = tuple(CrossUnit(c) for c in "abc")
    staff = (Staff(1, "张三", "a", frozenset({"b", "c"})), Staff(2, "李四", "a"))
    result = plan_round(CrossInput(units, units, CrossRules(team_size=2), staff=staff))
    assert result.feasible
    (pair,) = [p for p in result.pairs if p[0] == "a"]
    assert result.teams[pair] == [2]
    short = next(m for m in result.shortfalls if m.params["unit"] == pair[1])
    assert short.params["recused"] == "张三" and short.params["got"] == 1


def test_counties_evaluating_each_other_with_more_cases_than_evaluators_share_the_load() -> None:
    supervisors = tuple(CrossUnit(c) for c in "abc")
    supervised = tuple(CrossUnit(c) for c in "abcdefg")
    result = plan_round(CrossInput(supervisors, supervised, CrossRules(avoid_reciprocal=False)))
    assert result.feasible
    loads = sorted(sum(1 for s, _ in result.pairs if s == u.code) for u in supervisors)
    assert loads == [2, 2, 3]


def test_bad_input_is_named() -> None:
    one = (CrossUnit("a"),)
    assert plan_round(CrossInput(one, one)).issues[0].code == "too_few"
    units = tuple(CrossUnit(c) for c in "abc")
    bad = plan_round(CrossInput(units, units, CrossRules(min_load=3, max_load=1)))
    assert bad.issues[0].code == "load_bounds"


def test_every_solver_message_is_marked_for_translation() -> None:
    import ast
    from pathlib import Path

    from jiandu.crossing.messages import SOLVER_MESSAGES

    tree = ast.parse(Path(__file__).resolve().parents[1].joinpath("crossing.py").read_text())
    said = {
        node.args[2].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "RuleMessage"
        and isinstance(node.args[2], ast.Constant)
    }
    assert said and said == set(SOLVER_MESSAGES)
