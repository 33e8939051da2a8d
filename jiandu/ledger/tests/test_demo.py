"""The demo's problems: across every source, category and both ledgers, inside the registry, idempotent,
with one summary in the audit trail."""

from __future__ import annotations

import io

import pytest

from jiandu.core.models import AuditEntry
from jiandu.ledger import demo
from jiandu.ledger.models import (
    Category,
    DuplicateCandidate,
    DuplicateStatus,
    Ledger,
    Problem,
    ProblemStatus,
    Source,
)

pytestmark = pytest.mark.django_db


def test_demo_problems(registry, monkeypatch):
    monkeypatch.setattr(demo, "COUNT", 600)
    out = io.StringIO()
    created = demo.demo_build(out)
    assert created == Problem.objects.count() > 500
    assert set(Problem.objects.values_list("ledger", flat=True)) == {Ledger.TOWNSHIP, Ledger.DEPARTMENT}
    assert set(Problem.objects.values_list("category", flat=True)) == set(
        Category.objects.values_list("pk", flat=True)
    )
    used_sources = set(Problem.objects.values_list("source__code", flat=True))
    assert used_sources >= set(Source.objects.exclude(code="dispatched").values_list("code", flat=True))
    assert Problem.objects.filter(status=ProblemStatus.MERGED, merged_into__isnull=False).exists()
    for problem in Problem.objects.all()[:50]:
        problem.full_clean()
        assert "{" not in problem.facts
    assert AuditEntry.objects.filter(action="import", model="ledger.problem").count() == 1
    twins = Problem.objects.filter(fingerprint__startswith="demo:twice:")
    assert twins.count() == demo.REPORTED_TWICE
    pairs = DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN)
    for twin in twins:
        original = Problem.objects.get(fingerprint=twin.fingerprint.removeprefix("demo:twice:"))
        assert twin.found_by_id != original.found_by_id
        assert pairs.filter(first__in=[twin, original], second__in=[twin, original]).exists(), twin.facts
    stored = DuplicateCandidate.objects.count()
    assert demo.demo_build(io.StringIO()) == 0
    assert Problem.objects.count() == created
    assert DuplicateCandidate.objects.count() == stored
