"""Likely duplicates through the services and the command: finding (by ids, in batch, idempotent), merging
with both sources kept, dismissing, and refusals for pairs out of scope or already decided."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Q
from factories import ProblemFactory, UserFactory

from jiandu.ledger.duplicates import (
    duplicate_dismiss,
    duplicate_merge,
    duplicates_find,
    duplicates_find_on_commit,
    sources_of,
)
from jiandu.ledger.models import DuplicateCandidate, DuplicateStatus, ProblemStatus, Source

pytestmark = pytest.mark.django_db

TOWNSHIP_TEXT = "天星村低保资金延迟发放三个月，涉及低保户8户，金额1.2万元。"
GROUP_TEXT = "马官镇天星村城乡居民最低生活保障金迟发3个月，8户群众受影响，共计12,000元。"
OTHER_TEXT = "天星村集体土地违规发包给村支书亲属，租金3万元未入账。"


def township_report(r, facts=TOWNSHIP_TEXT, **kw):
    values = {
        "facts": facts,
        "found_by": r.maguan_office,
        "region": r.tianxing,
        "amount": Decimal("12000"),
        "found_on": datetime.date(2026, 3, 5),
    }
    values.update(kw)
    return ProblemFactory(**values)


def group_report(r, facts=GROUP_TEXT, **kw):
    values = {
        "facts": facts,
        "found_by": r.group,
        "source": Source.objects.get(code="dispatched"),
        "region": r.tianxing,
        "responsible_region": None,
        "responsible_department": r.health,
        "amount": Decimal("12000"),
        "found_on": datetime.date(2026, 3, 14),
    }
    values.update(kw)
    return ProblemFactory(**values)


def editor(body):
    return UserFactory(body=body, permissions=["ledger.change_duplicatecandidate", "ledger.change_problem"])


def test_the_same_problem_from_a_township_and_a_dispatched_group_is_flagged_once(registry):
    a, b = township_report(registry), group_report(registry)
    township_report(registry, facts=OTHER_TEXT, amount=Decimal("30000"))
    assert duplicates_find(problems=[b.pk]) == 1
    pair = DuplicateCandidate.objects.get()
    assert (pair.first, pair.second, pair.status) == (a, b, DuplicateStatus.OPEN)
    assert pair.score >= 0.4
    assert pair.reasons["place"] == "same_village" and pair.reasons["amount"] == "same"
    assert pair.reasons["figures"] == 1.0
    # Idempotent: again by id, and in a batch over everything, nothing new.
    assert duplicates_find(problems=[a.pk, b.pk]) == 0
    assert duplicates_find() == 0
    assert DuplicateCandidate.objects.count() == 1


def test_other_problems_of_the_same_village_and_other_counties_are_not_flagged(registry):
    township_report(registry)
    township_report(registry, facts=OTHER_TEXT, amount=Decimal("30000"))
    # The same words in another county: never compared.
    ProblemFactory(facts=TOWNSHIP_TEXT, found_by=registry.xixiu_commission, region=registry.xixiu_village)
    assert duplicates_find() == 0


def test_far_apart_in_time_the_same_words_are_another_problem(registry):
    township_report(registry)
    township_report(registry, found_on=datetime.date(2025, 6, 1))
    assert duplicates_find() == 0


def test_batch_by_region_looks_only_there(registry):
    township_report(registry), group_report(registry)
    assert duplicates_find(region=registry.xixiu) == 0
    assert duplicates_find(region=registry.puding) == 1


def test_merge_keeps_one_problem_with_both_sources(registry):
    a, b = township_report(registry), group_report(registry)
    c = township_report(
        registry,
        facts="天星村8户低保户的低保金三个月未发放，共12000元。",
        found_on=datetime.date(2026, 3, 20),
    )
    duplicates_find()
    pair = DuplicateCandidate.objects.get(first=a, second=b)
    assert DuplicateCandidate.objects.filter(Q(first=b) | Q(second=b)).count() == 2
    user = editor(registry.commission)
    kept = duplicate_merge(acting_user=user, candidate=pair, keep=a)
    b.refresh_from_db()
    pair.refresh_from_db()
    assert kept == a and b.status == ProblemStatus.MERGED and b.merged_into == a
    assert pair.status == DuplicateStatus.MERGED and pair.decided_by == user and pair.decided_at
    assert {s.code for s in sources_of(a)} == {"daily", "dispatched"}
    # The merged problem's other open pairs no longer stand.
    assert not DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN, first=b).exists()
    assert not DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN, second=b).exists()
    assert DuplicateCandidate.objects.filter(Q(first=a, second=c) | Q(first=c, second=a)).exists()


def test_merge_refuses_a_decided_pair_a_stranger_to_the_pair_and_a_user_out_of_scope(registry):
    a, b = township_report(registry), group_report(registry)
    duplicates_find()
    pair = DuplicateCandidate.objects.get()
    other = township_report(registry, facts=OTHER_TEXT)
    with pytest.raises(ValidationError):
        duplicate_merge(acting_user=editor(registry.commission), candidate=pair, keep=other)
    # The dispatched group cannot change the township's problem: as if there were no such pair.
    with pytest.raises(DuplicateCandidate.DoesNotExist):
        duplicate_merge(acting_user=editor(registry.group), candidate=pair, keep=b)
    with pytest.raises(DuplicateCandidate.DoesNotExist):
        duplicate_dismiss(acting_user=editor(registry.xixiu_commission), candidate=pair)
    b.refresh_from_db()
    assert b.status == ProblemStatus.REGISTERED
    duplicate_dismiss(acting_user=editor(registry.commission), candidate=pair)
    with pytest.raises(ValidationError, match="already decided|已"):
        duplicate_merge(acting_user=editor(registry.commission), candidate=pair, keep=a)


def test_a_dismissed_pair_is_not_proposed_again(registry):
    township_report(registry), group_report(registry)
    duplicates_find()
    pair = DuplicateCandidate.objects.get()
    duplicate_dismiss(acting_user=editor(registry.commission), candidate=pair)
    assert duplicates_find() == 0
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.DISMISSED


def test_find_on_commit_runs_once_the_writing_transaction_commits(
    registry, django_capture_on_commit_callbacks
):
    township_report(registry)
    b = group_report(registry)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        duplicates_find_on_commit([b.pk])
    assert not DuplicateCandidate.objects.exists()
    for callback in callbacks:
        callback()
    assert DuplicateCandidate.objects.count() == 1


def test_the_command_finds_pairs_and_names_a_bad_region(registry):
    from io import StringIO

    township_report(registry), group_report(registry)
    out = StringIO()
    call_command("find_duplicates", "--region", registry.puding.code, "--lang", "en", stdout=out)
    assert "1 new likely duplicate pairs" in out.getvalue()
    with pytest.raises(CommandError, match="--region 5204"):
        call_command("find_duplicates", "--region", "5204", "--lang", "en")
    with pytest.raises(CommandError, match="--region 520499999999"):
        call_command("find_duplicates", "--region", "520499999999", "--lang", "en")
    with pytest.raises(CommandError, match="--threshold"):
        call_command("find_duplicates", "--threshold", "1.5", "--lang", "en")


def test_filing_a_problem_through_the_service_looks_for_its_duplicates(
    registry, django_capture_on_commit_callbacks
):
    from jiandu.ledger.services import problem_save

    first = township_report(registry)
    user = UserFactory(body=registry.group)
    fields = {
        "source": Source.objects.get(code="dispatched"),
        "category": first.category,
        "region": registry.tianxing,
        "responsible_region": None,
        "responsible_department": registry.health,
        "facts": GROUP_TEXT,
        "amount": Decimal("12000"),
        "found_on": datetime.date(2026, 3, 14),
    }
    with django_capture_on_commit_callbacks(execute=True):
        second = problem_save(acting_user=user, problem=None, fields=fields)
    pair = DuplicateCandidate.objects.get()
    assert (pair.first, pair.second) == (first, second)
    # A change of the facts looks again; a pair already stored is not stored twice.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        problem_save(acting_user=user, problem=second, fields={"facts": GROUP_TEXT + "已督促整改。"})
    assert len(callbacks) == 1 and DuplicateCandidate.objects.count() == 1
