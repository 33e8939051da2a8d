"""The rule that proposes a systemic problem (普遍性问题), with no Django in it.

A category of problem is proposed as systemic in a period (a month, a quarter or a year) when problems of
that category were found in that period at `threshold` or more different responsible units — townships and
county departments alike. The evidence of a proposal is every such problem, its units, and the counts and
amounts. The rule is pure so that it can be checked on its invariants (tests/ uses hypothesis); the
selector in jiandu/consultation loads what the user may see and names the units.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
PERIOD_KINDS = (MONTH, QUARTER, YEAR)

# A responsible unit: ("region", township id) or ("department", department id).
Unit = tuple[str, int]


def period_start(day: datetime.date, kind: str) -> datetime.date:
    """The first day of the month, quarter or year that holds `day`."""
    if kind == MONTH:
        return day.replace(day=1)
    if kind == QUARTER:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if kind == YEAR:
        return datetime.date(day.year, 1, 1)
    raise ValueError(f"unknown period kind {kind!r}")


def period_end(start: datetime.date, kind: str) -> datetime.date:
    """The last day of the period that begins on `start`."""
    months = {MONTH: 1, QUARTER: 3, YEAR: 12}[kind]
    year, month = divmod(start.month - 1 + months, 12)
    return datetime.date(start.year + year, month + 1, 1) - datetime.timedelta(days=1)


def is_period_start(day: datetime.date, kind: str) -> bool:
    return kind in PERIOD_KINDS and period_start(day, kind) == day


@dataclass(frozen=True)
class ProblemFact:
    """What the rule needs of a problem."""

    id: int
    category_id: int
    unit: Unit
    found_on: datetime.date
    amount: Decimal | None = None


@dataclass(frozen=True)
class UnitEvidence:
    unit: Unit
    problem_ids: tuple[int, ...]
    amount: Decimal


@dataclass(frozen=True)
class Proposal:
    """A category found at `len(units)` units in one period: the evidence for calling it systemic."""

    category_id: int
    period_kind: str
    period_start: datetime.date
    units: tuple[UnitEvidence, ...] = field(default=())

    @property
    def key(self) -> tuple[int, str, datetime.date]:
        return (self.category_id, self.period_kind, self.period_start)

    @property
    def problem_ids(self) -> tuple[int, ...]:
        return tuple(sorted(pid for unit in self.units for pid in unit.problem_ids))

    @property
    def problem_count(self) -> int:
        return sum(len(unit.problem_ids) for unit in self.units)

    @property
    def amount(self) -> Decimal:
        return sum((unit.amount for unit in self.units), Decimal(0))


def propose(facts: Iterable[ProblemFact], *, period_kind: str, threshold: int) -> list[Proposal]:
    """Every (category, period) whose problems lie at `threshold` or more distinct units.

    Proposals come most widespread first (units, then problems, then the newer period); each unit's
    evidence lists its problems in id order, units the one with most problems first.
    """
    if period_kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {period_kind!r}")
    if threshold < 1:
        raise ValueError("the threshold is at least one unit")
    groups: dict[tuple[int, datetime.date], dict[Unit, list[ProblemFact]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for fact in facts:
        groups[(fact.category_id, period_start(fact.found_on, period_kind))][fact.unit].append(fact)
    proposals = []
    for (category_id, start), units in groups.items():
        if len(units) < threshold:
            continue
        evidence = [
            UnitEvidence(
                unit=unit,
                problem_ids=tuple(sorted(f.id for f in found)),
                amount=sum((f.amount for f in found if f.amount is not None), Decimal(0)),
            )
            for unit, found in units.items()
        ]
        evidence.sort(key=lambda e: (-len(e.problem_ids), e.unit))
        proposals.append(Proposal(category_id, period_kind, start, tuple(evidence)))
    proposals.sort(
        key=lambda p: (-len(p.units), -p.problem_count, -p.period_start.toordinal(), p.category_id)
    )
    return proposals
