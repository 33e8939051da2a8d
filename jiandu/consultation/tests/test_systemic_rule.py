"""The proposal rule (jiandu/lib/systemic.py) on its invariants."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiandu.lib.systemic import (
    MONTH,
    PERIOD_KINDS,
    QUARTER,
    YEAR,
    ProblemFact,
    is_period_start,
    period_end,
    period_start,
    propose,
)

days = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2027, 12, 31))
units = st.tuples(st.sampled_from(["region", "department"]), st.integers(1, 8))
amounts = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2))


@st.composite
def fact_lists(draw: st.DrawFn) -> list[ProblemFact]:
    rows = draw(
        st.lists(st.tuples(st.integers(1, 4), units, days, amounts), max_size=60),
    )
    return [ProblemFact(n, c, u, d, a) for n, (c, u, d, a) in enumerate(rows, start=1)]


@given(days, st.sampled_from(PERIOD_KINDS))
def test_a_day_lies_in_its_period(day: datetime.date, kind: str) -> None:
    start = period_start(day, kind)
    assert start <= day <= period_end(start, kind)
    assert is_period_start(start, kind)
    # The next period begins the day after this one ends.
    assert period_start(period_end(start, kind) + datetime.timedelta(days=1), kind) > start


def test_periods_by_example() -> None:
    day = datetime.date(2026, 8, 17)
    assert period_start(day, MONTH) == datetime.date(2026, 8, 1)
    assert period_start(day, QUARTER) == datetime.date(2026, 7, 1)
    assert period_end(datetime.date(2026, 7, 1), QUARTER) == datetime.date(2026, 9, 30)
    assert period_end(datetime.date(2026, 12, 1), MONTH) == datetime.date(2026, 12, 31)
    assert period_start(day, YEAR) == datetime.date(2026, 1, 1)
    assert not is_period_start(datetime.date(2026, 2, 1), QUARTER)
    with pytest.raises(ValueError):
        period_start(day, "week")


@given(fact_lists(), st.sampled_from(PERIOD_KINDS), st.integers(1, 5))
def test_proposals_are_exactly_the_widespread_groups(
    facts: list[ProblemFact], kind: str, threshold: int
) -> None:
    groups: dict[tuple[int, datetime.date], dict[tuple[str, int], list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for f in facts:
        groups[(f.category_id, period_start(f.found_on, kind))][f.unit].append(f.id)
    expected = {key: g for key, g in groups.items() if len(g) >= threshold}
    proposals = propose(facts, period_kind=kind, threshold=threshold)
    assert {(p.category_id, p.period_start) for p in proposals} == set(expected)
    by_id = {f.id: f for f in facts}
    for p in proposals:
        assert len(p.units) >= threshold
        assert len({u.unit for u in p.units}) == len(p.units)
        # The evidence is the whole group: every problem of that category, period and unit, nothing else.
        group = expected[(p.category_id, p.period_start)]
        assert {u.unit: sorted(u.problem_ids) for u in p.units} == {k: sorted(v) for k, v in group.items()}
        for pid in p.problem_ids:
            fact = by_id[pid]
            assert fact.category_id == p.category_id
            assert p.period_start <= fact.found_on <= period_end(p.period_start, kind)
        assert p.amount == sum((by_id[i].amount or Decimal(0) for i in p.problem_ids), Decimal(0))
    # Most widespread first.
    assert [len(p.units) for p in proposals] == sorted((len(p.units) for p in proposals), reverse=True)


@given(fact_lists(), st.sampled_from(PERIOD_KINDS), st.integers(1, 4))
def test_a_higher_threshold_proposes_a_subset(facts: list[ProblemFact], kind: str, threshold: int) -> None:
    lower = {p.key for p in propose(facts, period_kind=kind, threshold=threshold)}
    higher = {p.key for p in propose(facts, period_kind=kind, threshold=threshold + 1)}
    assert higher <= lower


def test_many_problems_at_one_unit_are_not_systemic() -> None:
    day = datetime.date(2026, 3, 5)
    facts = [ProblemFact(i, 1, ("region", 1), day) for i in range(1, 10)]
    assert propose(facts, period_kind=QUARTER, threshold=3) == []
    facts += [ProblemFact(20, 1, ("department", 1), day), ProblemFact(21, 1, ("region", 2), day)]
    [proposal] = propose(facts, period_kind=QUARTER, threshold=3)
    assert proposal.problem_count == 11
    assert proposal.units[0].unit == ("region", 1)  # the unit with most problems first


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        propose([], period_kind="week", threshold=3)
    with pytest.raises(ValueError):
        propose([], period_kind=MONTH, threshold=0)
