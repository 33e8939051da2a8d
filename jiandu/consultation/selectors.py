"""Reads of the consultation app: problems to put to a session, and the systemic proposals of a user.

Everything starts from `visible_to(user)`: a proposal is computed only from the problems the user may see,
so its evidence never names a problem, a unit or an amount from outside their scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from jiandu.consultation.models import Dismissal, SystemicProblem
from jiandu.ledger.models import Category, Ledger, Problem, ProblemStatus
from jiandu.lib.systemic import ProblemFact, Proposal, period_end, propose
from jiandu.org.models import Department, Region

# A session takes at most this many problems: a meeting cannot weigh more, and the minutes stay readable.
MAX_SESSION_PROBLEMS = 300


def default_threshold() -> int:
    return max(1, int(getattr(settings, "SYSTEMIC_MIN_UNITS", 3)))


def problems_matching(
    user: Any,
    *,
    region: Region | None = None,
    category: Category | None = None,
    found_from: datetime.date | None = None,
    found_to: datetime.date | None = None,
    ledger: str = "",
) -> QuerySet:
    """The problems a user may put to a session, cut by place, category, period and ledger. Merged problems
    are left out (the one kept stands for both)."""
    qs = Problem.objects.visible_to(user).exclude(status=ProblemStatus.MERGED)
    if region is not None:
        qs = qs.filter(region.subtree_q("region"))
    if category is not None:
        qs = qs.filter(category=category)
    if found_from is not None:
        qs = qs.filter(found_on__gte=found_from)
    if found_to is not None:
        qs = qs.filter(found_on__lte=found_to)
    if ledger:
        qs = qs.filter(ledger=ledger)
    return qs.select_related("category", "region", "responsible_region", "responsible_department", "source")


@dataclass(frozen=True)
class UnitRow:
    name: str
    kind: str  # "region" (a township) or "department"
    problem_ids: tuple[int, ...]
    amount: Decimal


@dataclass(frozen=True)
class ProposalView:
    """A proposal with names: the category, each unit, and what the user already did with it."""

    proposal: Proposal
    category: Category
    period_label: str
    period_end: datetime.date
    units: tuple[UnitRow, ...]
    confirmed: SystemicProblem | None
    dismissal: Dismissal | None

    @property
    def token(self) -> str:
        """The proposal's key as the pages pass it: category-kind-start."""
        p = self.proposal
        return f"{p.category_id}-{p.period_kind}-{p.period_start:%Y%m%d}"


def proposal_facts(user: Any, *, since: datetime.date, until: datetime.date) -> list[ProblemFact]:
    """What the rule needs of every problem the user may see, found between two dates."""
    rows = (
        Problem.objects.visible_to(user)
        .exclude(status=ProblemStatus.MERGED)
        .filter(found_on__gte=since, found_on__lte=until)
        .values_list(
            "id",
            "category_id",
            "ledger",
            "responsible_region_id",
            "responsible_department_id",
            "found_on",
            "amount",
        )
    )
    return [
        ProblemFact(
            id=pid,
            category_id=category_id,
            unit=("region", township) if ledger == Ledger.TOWNSHIP else ("department", department),
            found_on=found_on,
            amount=amount,
        )
        for pid, category_id, ledger, township, department, found_on, amount in rows
    ]


def systemic_proposals(
    user: Any,
    *,
    period_kind: str,
    year: int,
    threshold: int | None = None,
) -> list[ProposalView]:
    """The systemic problems Jiandu proposes to a user for the periods of one year, with their evidence."""
    from jiandu.consultation.models import period_label

    threshold = threshold or default_threshold()
    facts = proposal_facts(user, since=datetime.date(year, 1, 1), until=datetime.date(year, 12, 31))
    proposals = propose(facts, period_kind=period_kind, threshold=threshold)
    if not proposals:
        return []
    categories = Category.objects.in_bulk({p.category_id for p in proposals})
    townships = {u.unit[1] for p in proposals for u in p.units if u.unit[0] == "region"}
    departments = {u.unit[1] for p in proposals for u in p.units if u.unit[0] == "department"}
    region_names = dict(Region.objects.filter(pk__in=townships).values_list("pk", "name"))
    department_names = dict(Department.objects.filter(pk__in=departments).values_list("pk", "name"))
    confirmed = {
        (s.category_id, s.period_kind, s.period_start): s
        for s in SystemicProblem.objects.visible_to(user).filter(
            period_kind=period_kind, period_start__year=year, category__in=categories
        )
    }
    dismissed = {
        (d.category_id, d.period_kind, d.period_start): d
        for d in Dismissal.objects.visible_to(user).filter(period_kind=period_kind, period_start__year=year)
    }
    views = []
    for p in proposals:
        units = tuple(
            UnitRow(
                name=(region_names if u.unit[0] == "region" else department_names).get(u.unit[1], "?"),
                kind=u.unit[0],
                problem_ids=u.problem_ids,
                amount=u.amount,
            )
            for u in p.units
        )
        views.append(
            ProposalView(
                proposal=p,
                category=categories[p.category_id],
                period_label=period_label(p.period_start, p.period_kind),
                period_end=period_end(p.period_start, p.period_kind),
                units=units,
                confirmed=confirmed.get(p.key),
                dismissal=dismissed.get(p.key),
            )
        )
    return views


def find_proposal(
    user: Any,
    *,
    category_id: int,
    period_kind: str,
    period_start: datetime.date,
    threshold: int | None = None,
) -> ProposalView | None:
    """The user's proposal for one category and period, computed afresh (never taken from the client)."""
    for view in systemic_proposals(
        user, period_kind=period_kind, year=period_start.year, threshold=threshold
    ):
        if view.proposal.key == (category_id, period_kind, period_start):
            return view
    return None
