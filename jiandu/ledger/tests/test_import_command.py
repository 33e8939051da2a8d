"""`jiandu import-ledger FILE --as USERNAME [--dry-run] [--json]`: JSON result, exit codes, no writes on
rejection or dry run, Chinese by default."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from factories import RegionFactory, UserFactory

from jiandu.ledger.models import Problem
from jiandu.ledger.tests.ledger_files import HEADER, ROWS, csv_bytes, xlsx
from jiandu.org.models import RegionKind

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


@pytest.fixture
def two_tianxing(registry):
    """A second 天星村 in the county, under 化处镇: the ledger's 天星村 without a township is ambiguous."""
    township = RegionFactory(
        code="520422103000", name="化处镇", kind=RegionKind.TOWNSHIP, parent=registry.puding
    )
    village = RegionFactory(code="520422103201", name="天星村", kind=RegionKind.VILLAGE, parent=township)
    return village


def ambiguous_file(tmp_path):
    values = dict(zip(HEADER, ROWS[0], strict=True)) | {"所在乡镇": None, "整改责任单位": None}
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx([[values[title] for title in HEADER]]))
    return path


def test_choose_decides_an_ambiguous_name_by_region_code_or_label(tmp_path, editor, two_tianxing, registry):
    path = ambiguous_file(tmp_path)
    code, out = run(str(path), "--as", "puding_editor", "--json")
    [error] = json.loads(out)["errors"]
    assert code == 1 and "化处镇" in error["message"] and not Problem.objects.exists()

    code, out = run(str(path), "--as", "puding_editor", "--json", "--choose", "天星村=520422103201")
    assert code == 0 and json.loads(out)["created"] == 1
    assert Problem.objects.get().region == two_tianxing

    Problem.objects.all().delete()
    label = "天星村（普定县马官镇）"  # a candidate as the message lists it
    assert label in error["message"]
    code, out = run(str(path), "--as", "puding_editor", "--json", "--choose", f"天星村={label}")
    assert code == 0, out
    assert Problem.objects.get().region == registry.tianxing


def test_choose_that_names_no_candidate_leaves_the_name_ambiguous(tmp_path, editor, two_tianxing):
    path = ambiguous_file(tmp_path)
    code, out = run(str(path), "--as", "puding_editor", "--json", "--choose", "天星村=520422999999")
    assert code == 1 and "化处镇" in json.loads(out)["errors"][0]["message"]
    assert not Problem.objects.exists()


def test_choices_from_a_json_file(tmp_path, editor, two_tianxing):
    path = ambiguous_file(tmp_path)
    choices = tmp_path / "choices.json"
    choices.write_text(json.dumps({"天星村": "520422103201"}, ensure_ascii=False), encoding="utf-8")
    code, out = run(str(path), "--as", "puding_editor", "--json", "--choices", str(choices))
    assert code == 0 and Problem.objects.get().region == two_tianxing


def test_bad_choose_and_choices_are_named(tmp_path, editor):
    path = ambiguous_file(tmp_path)
    with pytest.raises(CommandError, match="--choose 天星村"):
        run(str(path), "--as", "puding_editor", "--choose", "天星村")
    broken = tmp_path / "choices.json"
    broken.write_text('{"天星村": ', encoding="utf-8")
    with pytest.raises(CommandError, match=r"choices\.json .*第 1 行第 9 列"):
        run(str(path), "--as", "puding_editor", "--choices", str(broken))
    broken.write_text('["天星村"]', encoding="utf-8")
    with pytest.raises(CommandError, match="choices.json"):
        run(str(path), "--as", "puding_editor", "--choices", str(broken))
    assert not Problem.objects.exists()


def test_after_the_import_the_dashboard_is_recounted_and_duplicates_are_looked_for(
    tmp_path, editor, django_capture_on_commit_callbacks
):
    from jiandu.insights.models import TallyRefresh
    from jiandu.ledger.models import DuplicateCandidate

    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx())
    with django_capture_on_commit_callbacks(execute=True):
        assert run(str(path), "--as", "puding_editor")[0] == 0
    assert TallyRefresh.objects.count() == 1 and not DuplicateCandidate.objects.exists()
    # The same problem reported again in other words: a likely duplicate of the first row.
    again = dict(zip(HEADER, ROWS[0], strict=True)) | {"主要问题": "天星村低保资金延迟发放了三个月"}
    path.write_bytes(xlsx([[again[title] for title in HEADER]]))
    with django_capture_on_commit_callbacks(execute=True):
        assert run(str(path), "--as", "puding_editor")[0] == 0
    assert TallyRefresh.objects.count() == 2
    pair = DuplicateCandidate.objects.get()
    assert {pair.first.facts, pair.second.facts} == {ROWS[0][6], again["主要问题"]}
