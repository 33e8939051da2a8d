"""A ledger import looks for duplicates once, for every problem it created, after it commits."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from factories import ProblemFactory, UserFactory

from jiandu.ledger import duplicates
from jiandu.ledger.imports import problem_import
from jiandu.ledger.models import DuplicateCandidate, Problem
from jiandu.ledger.tests.ledger_files import xlsx

pytestmark = pytest.mark.django_db


def test_an_import_searches_once_for_all_its_new_problems_and_stores_the_pair(
    registry, monkeypatch, django_capture_on_commit_callbacks
):
    earlier = ProblemFactory(
        facts="马官镇天星村城乡居民最低生活保障金迟发3个月，共计12,000元。",
        found_by=registry.maguan_office,
        region=registry.tianxing,
        responsible_region=registry.maguan,
        amount=Decimal("12000"),
        found_on=datetime.date(2026, 3, 2),
    )
    calls = []
    search = duplicates.duplicates_find

    def counted(**kwargs):
        calls.append(sorted(kwargs["problems"].values_list("pk", flat=True)))
        return search(**kwargs)

    monkeypatch.setattr(duplicates, "duplicates_find", counted)
    editor = UserFactory(body=registry.commission, permissions=["ledger.add_problem"])
    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        report = problem_import(acting_user=editor, data=xlsx(), filename="台账.xlsx")

    assert report.created == 3
    created = sorted(Problem.objects.exclude(pk=earlier.pk).values_list("pk", flat=True))
    assert calls == [created]
    imported = Problem.objects.get(facts="天星村低保资金延迟发放三个月")
    pair = DuplicateCandidate.objects.get()
    assert {pair.first_id, pair.second_id} == {earlier.pk, imported.pk}


def test_a_rejected_or_dry_run_import_searches_nothing(
    registry, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(duplicates, "duplicates_find", lambda **kwargs: pytest.fail("searched"))
    editor = UserFactory(body=registry.commission, permissions=["ledger.add_problem"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        problem_import(acting_user=editor, data=xlsx(), filename="台账.xlsx", dry_run=True)
    assert callbacks == []
