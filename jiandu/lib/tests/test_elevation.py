"""The elevated-supervision selection (jiandu/lib/elevation.py): examples and hypothesis invariants."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiandu.lib.elevation import (
    AMOUNT,
    CATEGORY,
    CITY,
    COUNTY,
    NONE,
    OPEN,
    PROBLEMS,
    RANK,
    FlagRule,
    RuleSet,
    RuleSetError,
    VillageFacts,
    inputs_digest,
    select,
)

RULES = RuleSet(
    county_threshold=Decimal(100),
    city_threshold=Decimal(500),
    flags=(FlagRule(PROBLEMS, Decimal(3)), FlagRule(CATEGORY, Decimal(1), category="sanzi")),
)


def test_the_module_imports_without_django() -> None:
    script = "import sys, jiandu.lib.elevation; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 0


def test_thresholds_and_flags_give_levels_with_reasons() -> None:
    villages = [
        VillageFacts("3", funds=Decimal(300), assets=Decimal(250)),
        VillageFacts("2", funds=Decimal(60), assets=Decimal(40)),
        VillageFacts("1", funds=Decimal(10), categories={"sanzi": 1}),
        VillageFacts("4", funds=Decimal(10), problems=2),
    ]
    out = {o.code: o for o in select(villages, RULES)}
    assert [o.code for o in select(villages, RULES)] == ["1", "2", "3", "4"]
    assert (out["3"].level, out["2"].level, out["1"].level, out["4"].level) == (CITY, COUNTY, COUNTY, NONE)
    city = out["3"].reasons[0]
    assert city.code == "city_threshold" and city.met
    assert str(city) == "Collective 三资 of 550 万元 against the city threshold of 500 万元"
    problems = next(r for r in out["4"].reasons if r.code == PROBLEMS)
    assert not problems.met and problems.params == {"value": "2", "threshold": "3"}
    assert not any(r.met for r in out["4"].reasons)


def test_caps_push_candidates_down_and_say_so() -> None:
    rules = dataclasses.replace(RULES, city_cap=1, county_cap=1)
    villages = [
        VillageFacts("a", funds=Decimal(600)),
        VillageFacts("b", funds=Decimal(700)),
        VillageFacts("c", funds=Decimal(200)),
    ]
    out = {o.code: o for o in select(villages, rules)}
    assert out["b"].level == CITY
    assert out["a"].level == COUNTY and out["a"].capped
    cap = next(r for r in out["a"].reasons if r.code == "city_cap")
    assert not cap.met and cap.params == {"rank": 2, "candidates": 2, "cap": 1}
    # The demoted city candidate ranks first among the county candidates; c is past the county cap.
    assert out["c"].level == NONE and out["c"].candidate == COUNTY
    assert "County-level places: ranked 2 of 2 candidates for 1 places" in [str(r) for r in out["c"].reasons]


def test_contradictory_rules_are_refused_naming_each_field() -> None:
    rules = RuleSet(
        county_threshold=Decimal(500),
        city_threshold=Decimal(100),
        flags=(FlagRule(CATEGORY, Decimal(1)), FlagRule("weather"), FlagRule(OPEN, Decimal(0))),
        city_cap=-1,
    )
    with pytest.raises(RuleSetError) as caught:
        select([], rules)
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("city_threshold", "city_below_county"),
        ("city_cap", "cap_negative"),
        ("flags", "flag_category"),
        ("flags", "flag_kind"),
        ("flags", "flag_threshold"),
    }


def test_rules_round_trip_through_json() -> None:
    rules = dataclasses.replace(
        RULES, city_cap=13, county_cap=49, flags=(*RULES.flags, FlagRule(AMOUNT, Decimal("5e4")))
    )
    assert RuleSet.from_json(rules.as_json()) == rules


# --- invariants ------------------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def village_sets(draw: st.DrawFn) -> list[VillageFacts]:
    n = draw(st.integers(min_value=0, max_value=25))
    codes = draw(st.lists(st.from_regex(r"5204\d{4}", fullmatch=True), min_size=n, max_size=n, unique=True))
    return [
        VillageFacts(
            code,
            funds=draw(money),
            assets=draw(money),
            resources=draw(money),
            problems=draw(st.integers(0, 6)),
            open_problems=draw(st.integers(0, 3)),
            categories={"sanzi": draw(st.integers(0, 2))},
            amount=draw(money) * 100,
        )
        for code in codes
    ]


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    county = draw(money)
    city = county + draw(money)
    flags = draw(
        st.lists(
            st.sampled_from(
                [
                    FlagRule(PROBLEMS, Decimal(3)),
                    FlagRule(OPEN, Decimal(2)),
                    FlagRule(CATEGORY, Decimal(1), category="sanzi"),
                    FlagRule(AMOUNT, Decimal(100000), level=CITY),
                ]
            ),
            max_size=3,
            unique=True,
        )
    )
    caps = st.none() | st.integers(0, 10)
    return RuleSet(county, city, tuple(flags), county_cap=draw(caps), city_cap=draw(caps))


@settings(max_examples=150, deadline=None)
@given(village_sets(), rule_sets(), st.randoms())
def test_same_input_in_any_order_gives_the_same_output(villages, rules, rnd) -> None:  # type: ignore[no-untyped-def]
    first = select(villages, rules)
    shuffled = list(villages)
    rnd.shuffle(shuffled)
    assert select(shuffled, rules) == first == select(villages, rules)
    assert inputs_digest(shuffled, rules) == inputs_digest(villages, rules)


@settings(max_examples=150, deadline=None)
@given(village_sets(), rule_sets(), st.data())
def test_raising_a_villages_assets_never_lowers_its_level(villages, rules, data) -> None:  # type: ignore[no-untyped-def]
    if not villages:
        return
    i = data.draw(st.integers(0, len(villages) - 1))
    before = {o.code: o.level for o in select(villages, rules)}
    raised = list(villages)
    raised[i] = dataclasses.replace(raised[i], funds=raised[i].funds + data.draw(money))
    after = {o.code: o.level for o in select(raised, rules)}
    code = villages[i].code
    assert RANK[after[code]] >= RANK[before[code]]


@settings(max_examples=150, deadline=None)
@given(village_sets(), rule_sets())
def test_levels_caps_and_explanations_hold(villages, rules) -> None:  # type: ignore[no-untyped-def]
    out = select(villages, rules)
    assert [o.code for o in out] == sorted(v.code for v in villages)
    by_code = {v.code: v for v in villages}
    for o in out:
        codes = [r.code for r in o.reasons]
        assert "city_threshold" in codes and "county_threshold" in codes
        if o.selected:
            assert any(r.met for r in o.reasons)
        if by_code[o.code].total >= rules.city_threshold and o.level != CITY:
            # Only a cap may keep a village above the city threshold from city level, and it says so.
            assert rules.city_cap is not None
            assert any(r.code == "city_cap" and not r.met for r in o.reasons)
        if o.capped:
            assert any(r.code.endswith("_cap") and not r.met for r in o.reasons)
        assert RANK[o.level] <= RANK[o.candidate]
    if rules.city_cap is not None:
        assert sum(o.level == CITY for o in out) <= rules.city_cap
    if rules.county_cap is not None:
        assert sum(o.level == COUNTY for o in out) <= rules.county_cap


@settings(max_examples=100, deadline=None)
@given(village_sets(), rule_sets())
def test_without_caps_every_candidate_keeps_its_level(villages, rules) -> None:  # type: ignore[no-untyped-def]
    rules = dataclasses.replace(rules, city_cap=None, county_cap=None)
    assert all(o.level == o.candidate for o in select(villages, rules))


def test_the_digest_changes_with_any_input() -> None:
    villages = [VillageFacts("1", funds=Decimal(10))]
    digest = inputs_digest(villages, RULES)
    assert inputs_digest([VillageFacts("1", funds=Decimal(11))], RULES) != digest
    assert inputs_digest(villages, dataclasses.replace(RULES, city_cap=3)) != digest
