"""Reads for elevated supervision: the villages of a region with their facts (三资 of a year, ledger flags of
a period) as the pure selection takes them, the digest a run is checked against, and the current elevated
villages of a region (from approved runs)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jiandu.elevated.models import OutcomeLevel, RunStatus, SelectionOutcome, SelectionRun, VillageAssets
from jiandu.lib.elevation import RuleSet, VillageFacts, inputs_digest
from jiandu.org.models import Level, Region

OPEN_STATUSES = ("registered", "rectifying")


def villages_of(region: Region) -> QuerySet[Region]:
    """Every village (or community) of the region: the region itself when it is a village."""
    return Region.objects.filter(region.subtree_q(), level=Level.VILLAGE).order_by("code")


@dataclass
class Facts:
    villages: dict[str, Region]
    facts: list[VillageFacts]

    def digest(self, rules: RuleSet) -> str:
        return inputs_digest(self.facts, rules)


def village_facts(region: Region, year: int, period_start: datetime.date, period_end: datetime.date) -> Facts:
    """What the selection knows of each village of the region: 三资 of `year` (zero when none is recorded)
    and the problems found there within the period (merged duplicates not counted). Counted over the whole
    region, not per reader, so that the same inputs give the same run whoever runs it."""
    from jiandu.ledger.models import Problem

    villages = {v.code: v for v in villages_of(region)}
    assets = {
        a.village_id: a
        for a in VillageAssets.objects.filter(village__in=[v.pk for v in villages.values()], year=year)
    }
    problems = Problem.objects.filter(
        region__in=[v.pk for v in villages.values()], found_on__gte=period_start, found_on__lte=period_end
    ).exclude(status="merged")
    counts = {
        row["region"]: row
        for row in problems.values("region").annotate(
            n=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES)), amount=Sum("amount")
        )
    }
    categories: dict[int, dict[str, int]] = defaultdict(dict)
    for row in problems.values("region", "category__name").annotate(n=Count("pk")):
        categories[row["region"]][row["category__name"]] = row["n"]
    facts = []
    zero = Decimal(0)
    for code, village in villages.items():
        a = assets.get(village.pk)
        c = counts.get(village.pk, {})
        facts.append(
            VillageFacts(
                code,
                funds=a.funds if a else zero,
                assets=a.assets if a else zero,
                resources=a.resources if a else zero,
                problems=c.get("n", 0),
                open_problems=c.get("open", 0),
                categories=categories.get(village.pk, {}),
                amount=(c.get("amount") or zero).quantize(Decimal("0.01")),
            )
        )
    return Facts(villages, facts)


def run_reproduced(run: SelectionRun) -> bool:
    """Whether the inputs of the run (the same rules over today's 三资 and ledger) still give its digest."""
    facts = village_facts(run.region, run.year, run.period_start, run.period_end)
    return facts.digest(RuleSet.from_json(run.rules)) == run.digest


def current_run(region: Region) -> SelectionRun | None:
    return SelectionRun.objects.filter(region=region, status=RunStatus.APPROVED).first()


def current_elevated(region: Region, user: Any = None) -> QuerySet[SelectionOutcome]:
    """The villages of the region under elevated supervision now: the selected outcomes of every approved
    run (of the region, above it or below it) whose village lies in the region; read through the user's
    scope when one is given."""
    outcomes = SelectionOutcome.objects.all() if user is None else SelectionOutcome.objects.visible_to(user)
    return (
        outcomes.filter(run__status=RunStatus.APPROVED)
        .filter(region.subtree_q("village"))
        .exclude(level=OutcomeLevel.NONE)
        .select_related("village", "village__parent", "run")
        .order_by("level", "village__code")
    )


def level_counts(run: SelectionRun) -> dict[str, int]:
    counts = dict(run.outcomes.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    return {level: counts.get(level, 0) for level in OutcomeLevel.values}
