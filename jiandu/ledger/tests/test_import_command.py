"""`jiandu import-ledger FILE --as USERNAME [--dry-run] [--json]`: JSON result, exit codes, no writes on
rejection or dry run, Chinese by default."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from factories import UserFactory

from jiandu.ledger.models import Problem
from jiandu.ledger.tests.ledger_files import HEADER, ROWS, csv_bytes, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(registry):
    return UserFactory(username="puding_editor", body=registry.commission, permissions=["ledger.add_problem"])


def run(*args):
    out = StringIO()
    code = 0
    try:
        call_command("import_ledger", *args, stdout=out)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue()


def test_imports_and_prints_json(tmp_path, editor):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx())
    code, out = run(str(path), "--as", "puding_editor", "--json")
    assert code == 0 and json.loads(out) == {"created": 3, "unchanged": 0, "errors": []}
    code, out = run(str(path), "--as", "puding_editor", "--json")
    assert json.loads(out) == {"created": 0, "unchanged": 3, "errors": []}


def test_a_rejected_file_exits_1_with_rows_and_columns(tmp_path, editor):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][HEADER.index("整改责任单位")] = "区卫健局"
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes(rows))
    code, out = run(str(path), "--as", "puding_editor", "--json")
    result = json.loads(out)
    assert code == 1 and result["created"] == 0
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(4, "整改责任单位")]
    assert "区卫健局" in result["errors"][0]["message"]
    assert not Problem.objects.exists()


def test_dry_run_writes_nothing(tmp_path, editor):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx())
    code, out = run(str(path), "--as", "puding_editor", "--dry-run")
    assert code == 0 and "3" in out and not Problem.objects.exists()


def test_unknown_user_and_missing_file(tmp_path, editor):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx())
    with pytest.raises(CommandError, match="nobody"):
        call_command("import_ledger", str(path), "--as", "nobody", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("import_ledger", str(tmp_path / "none.xlsx"), "--as", "puding_editor", stdout=StringIO())


def test_english_with_lang_en(tmp_path, editor):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx())
    code, out = run(str(path), "--as", "puding_editor", "--lang", "en")
    assert code == 0 and "Imported: 3 problems created" in out
