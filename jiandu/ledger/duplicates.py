"""Likely duplicates across sources: find them, merge them (keeping both sources), or dismiss them.

The algorithm is pure (`jiandu.lib.similarity`); this module loads problems, stores the pairs it flags as
`DuplicateCandidate` rows, and holds the two decisions a person takes about a pair.

For other writers of problems (the ledger import, the API): after problems are created or their facts,
place, unit, date or amount change, call

    duplicates_find_on_commit(problem_ids)

inside the writing transaction. Once it commits, the new problems are compared with the problems of the
same counties within the date window, and new pairs are stored; nothing is done if it rolls back. Batch use
(after a big import, or nightly): `duplicates_find()` or the command `jiandu find-duplicates [--region CODE]`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import audit
from jiandu.ledger.models import DuplicateCandidate, DuplicateStatus, Problem, ProblemStatus
from jiandu.lib import similarity
from jiandu.org.models import Level, Region

# How many problems one batch run loads at a time: one county of a big city's ledger fits comfortably.
COUNTY_CODE_LENGTH = 6


def report_of(problem: Problem) -> similarity.Report:
    """What the algorithm compares of a problem. The county block is the statistical county of the place
    (a township carved into a functional zone keeps its county's code, so both reporters meet)."""
    code = problem.region.code
    level = problem.region.level
    if problem.responsible_department_id is not None:
        unit = f"department:{problem.responsible_department_id}"
    else:
        unit = f"township:{problem.responsible_region_id}"
    return similarity.Report(
        key=problem.pk,
        text=problem.facts,
        found_on=problem.found_on,
        county=code[:COUNTY_CODE_LENGTH],
        township=code[:9] if level in (Level.TOWNSHIP, Level.VILLAGE) else None,
        village=code if level == Level.VILLAGE else None,
        unit=unit,
        amount=float(problem.amount) if problem.amount is not None else None,
    )


_FIELDS = (
    "pk",
    "facts",
    "found_on",
    "amount",
    "region__code",
    "region__level",
    "responsible_region_id",
    "responsible_department_id",
)


def reports_of(problems: QuerySet[Problem]) -> list[similarity.Report]:
    """`report_of` for every problem of the queryset, read as plain rows (no model instances: a county's
    window is thousands of problems, and a new problem's check must stay well under 100 ms)."""
    out = []
    for pk, facts, found_on, amount, code, level, region_id, department_id in problems.values_list(*_FIELDS):
        out.append(
            similarity.Report(
                key=pk,
                text=facts,
                found_on=found_on,
                county=code[:COUNTY_CODE_LENGTH],
                township=code[:9] if level in (Level.TOWNSHIP, Level.VILLAGE) else None,
                village=code if level == Level.VILLAGE else None,
                unit=f"department:{department_id}" if department_id is not None else f"township:{region_id}",
                amount=float(amount) if amount is not None else None,
            )
        )
    return out


def comparable_problems() -> QuerySet[Problem]:
    """Problems that may still be reported twice: a merged one already points at the one kept."""
    return (
        Problem.objects.exclude(status=ProblemStatus.MERGED)
        .select_related("region")
        .only(
            "pk",
            "facts",
            "found_on",
            "amount",
            "region__code",
            "region__level",
            "responsible_region_id",
            "responsible_department_id",
        )
        .order_by("pk")
    )


def duplicates_find(
    *, problems: Iterable[int] | None = None, region: Region | None = None, threshold: float | None = None
) -> int:
    """Find likely duplicates and store each new pair once; returns how many pairs were new.

    `problems`: ids of new or changed problems (or a queryset of their ids), compared with the problems of
    their counties within the date window, all in one search (an import passes every id it created). None: every problem (per county, so memory stays
    bounded), or those placed in `region`'s subtree. Pairs already stored keep their status: a pair someone
    dismissed is not brought back. A system job, not a user's read: scope applies when pairs are shown.
    """
    limit = similarity.DEFAULT_THRESHOLD if threshold is None else threshold
    base = comparable_problems()
    if region is not None:
        base = base.filter(region.subtree_q("region"))
    created = 0
    if problems is None:
        counties = sorted({code[:COUNTY_CODE_LENGTH] for code in base.values_list("region__code", flat=True)})
        for county in counties:
            pool = reports_of(base.filter(region__code__startswith=county))
            created += _store(similarity.find_duplicates(pool, threshold=limit))
        return created
    ids = problems if isinstance(problems, QuerySet) else list(problems)
    targets = reports_of(comparable_problems().filter(pk__in=ids))
    if not targets:
        return 0
    window = datetime.timedelta(days=similarity.WINDOW_DAYS)
    by_county: dict[str, list[similarity.Report]] = defaultdict(list)
    for report in targets:
        by_county[report.county].append(report)
    for county, new in by_county.items():
        start = min(r.found_on for r in new) - window
        end = max(r.found_on for r in new) + window
        keys = {r.key for r in new}
        pool = [
            r
            for r in reports_of(base.filter(region__code__startswith=county, found_on__range=(start, end)))
            if r.key not in keys
        ]
        matches = similarity.find_duplicates([*new, *pool], threshold=limit, only=keys)
        created += _store(matches)
    return created


def _store(matches: list[similarity.Match]) -> int:
    if not matches:
        return 0
    rows = {}
    for match in matches:
        first, second = sorted((match.first, match.second))
        rows[(first, second)] = DuplicateCandidate(
            first_id=first, second_id=second, score=round(match.score, 4), reasons=match.reasons
        )
    with transaction.atomic():
        existing = set(
            DuplicateCandidate.objects.filter(
                first__in={f for f, _ in rows}, second__in={s for _, s in rows}
            ).values_list("first_id", "second_id")
        )
        new = [row for key, row in rows.items() if key not in existing]
        if new:
            # Many pairs at once bypass the per-row signals: one summary entry in the audit trail instead.
            DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
            audit.audit_import(
                DuplicateCandidate,
                detail={"created": len(new), "found": len(rows)},
                object_repr=_("likely duplicates found"),
            )
    return len(new)


def duplicates_find_on_commit(problem_ids: Iterable[int] | QuerySet[Problem]) -> None:
    """Look for duplicates of these problems once the current transaction commits (see the module doc), in
    one search however many they are. A queryset of ids (`values("pk")`) is evaluated after the commit."""
    if isinstance(problem_ids, QuerySet):
        transaction.on_commit(lambda: duplicates_find(problems=problem_ids))
        return
    ids = list(problem_ids)
    if ids:
        transaction.on_commit(lambda: duplicates_find(problems=ids))


def _open_candidate(acting_user: Any, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """The pair again, locked, if the user may change both of its problems; else a 404-like error."""
    locked = (
        DuplicateCandidate.objects.visible_to(acting_user, "change")
        .select_for_update(of=("self",))
        .filter(pk=candidate.pk)
        .first()
    )
    if locked is None:
        raise DuplicateCandidate.DoesNotExist
    if locked.status != DuplicateStatus.OPEN:
        raise ValidationError(
            _("This pair was already decided: %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def duplicate_merge(*, acting_user: Any, candidate: DuplicateCandidate, keep: Problem) -> Problem:
    """Merge the pair into `keep`: the other problem gets status "merged" and points at `keep`, so the
    kept problem shows both sources. Problems merged into the other one before now point at `keep`."""
    pair = _open_candidate(acting_user, candidate)
    if keep.pk not in (pair.first_id, pair.second_id):
        raise ValidationError({"keep": _("Keep one of the two problems of this pair.")})
    other_id = pair.second_id if keep.pk == pair.first_id else pair.first_id
    problems = {
        p.pk: p for p in Problem.objects.select_for_update().filter(pk__in=[pair.first_id, pair.second_id])
    }
    kept, other = problems[keep.pk], problems[other_id]
    for problem in (kept, other):
        if problem.status == ProblemStatus.MERGED:
            raise ValidationError(
                _("Problem %(problem)s is already merged into another one.") % {"problem": problem}
            )
    for earlier in Problem.objects.filter(merged_into=other):
        earlier.merged_into = kept
        earlier.save(update_fields=["merged_into", "updated_at"])
    other.status = ProblemStatus.MERGED
    other.merged_into = kept
    other.save(update_fields=["status", "merged_into", "updated_at"])
    _decide(pair, acting_user, DuplicateStatus.MERGED)
    # Other open pairs of the merged problem no longer stand; the kept problem meets their partners in the
    # next search.
    for stale in DuplicateCandidate.objects.filter(
        Q(first=other) | Q(second=other), status=DuplicateStatus.OPEN
    ):
        stale.delete()
    duplicates_find_on_commit([kept.pk])
    return kept


@transaction.atomic
def duplicate_dismiss(*, acting_user: Any, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Record that the two problems are not the same one; the pair is not proposed again."""
    pair = _open_candidate(acting_user, candidate)
    _decide(pair, acting_user, DuplicateStatus.DISMISSED)
    return pair


def _decide(pair: DuplicateCandidate, acting_user: Any, status: str) -> None:
    pair.status = status
    pair.decided_by = acting_user
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


def sources_of(problem: Problem) -> list[Any]:
    """The sources a problem stands for: its own and those of the problems merged into it."""
    sources = [problem.source]
    for merged in Problem.objects.filter(merged_into=problem).select_related("source"):
        if merged.source not in sources:
            sources.append(merged.source)
    return sources


def newest_problem_id() -> int:
    """The highest problem id so far (0 for none): a bulk writer takes it before writing, then calls
    `duplicates_find_created_on_commit`."""
    return Problem.objects.aggregate(newest=Max("pk"))["newest"] or 0


def duplicates_find_created_on_commit(*, after: int, acting_user: Any) -> None:
    """For writers that bypass `problem_save` (the ledger import's raw INSERTs): once the transaction
    commits, one search for every problem the user filed with an id above `after` — not one per row."""
    duplicates_find_on_commit(
        Problem.objects.filter(
            pk__gt=after, found_by_id=acting_user.body_id, created_by_id=acting_user.pk
        ).values("pk")
    )
