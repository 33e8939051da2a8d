"""A large import's write path (the one a 100,000-row ledger takes): on SQLite the table's indexes, the
unique fingerprint index too, are dropped and built again inside the import's transaction. Here the size
that switches it on is lowered to the three rows of the test ledger."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation
from factories import UserFactory

from jiandu.ledger import imports
from jiandu.ledger.duplicates import newest_problem_id
from jiandu.ledger.models import Problem
from jiandu.ledger.tests.ledger_files import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(registry):
    return UserFactory(body=registry.commission, permissions=["ledger.add_problem"])


@pytest.fixture(autouse=True)
def bulk(monkeypatch):
    monkeypatch.setattr(imports, "BULK_MIN_ROWS", 2)


def run(user, data):
    with translation.override("zh-hans"):
        return imports.problem_import(acting_user=user, data=data, filename="台账.xlsx")


def indexes():
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Problem._meta.db_table)
    return {name: (spec["columns"], spec["unique"]) for name, spec in found.items() if spec["index"]}


def test_a_large_import_leaves_every_index_of_the_ledger_as_it_was(registry, editor):
    before = indexes()

    report = run(editor, xlsx())

    assert report.accepted and report.created == 3
    assert indexes() == before
    assert imports.UNIQUE_FINGERPRINT in before
    again = run(editor, xlsx())
    assert (again.created, again.unchanged) == (0, 3)
    assert Problem.objects.count() == 3


def test_rows_another_import_filed_after_the_check_are_not_filed_twice(registry, editor, monkeypatch):
    # The check of this import reads the ledger before another import of the same file commits: it
    # finds nothing filed and means to write every row.
    newest = newest_problem_id()
    other = run(editor, xlsx())
    assert other.created == 3

    def read_before_the_other_import(checker, fingerprints):
        checker.newest_seen = newest
        return set()

    monkeypatch.setattr(imports._Checker, "_existing", read_before_the_other_import)
    report = run(editor, xlsx())

    assert report.accepted, report.as_dict()
    assert (report.created, report.unchanged) == (0, 3)
    assert Problem.objects.count() == 3
    assert indexes()[imports.UNIQUE_FINGERPRINT][1]
