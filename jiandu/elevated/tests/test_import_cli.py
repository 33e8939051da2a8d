"""The 三资 import (page and `jiandu import-village-assets`) and `jiandu select-elevated`: all rows or none,
errors named by row and column, re-import idempotent; levels and reasons printed, exit 2 on bad input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jiandu.elevated import services
from jiandu.elevated.imports import assets_import
from jiandu.elevated.models import SelectionRun, VillageAssets
from jiandu.elevated.tests.helpers import puding_assets, supervisor

pytestmark = pytest.mark.django_db

GOOD = "村代码,村名称,年度,资金,资产,资源,来源\n520422101233,天星村,2025,200,300,1.2亿,清产核资\n520422101201,,2025,10,20,30,\n"


def test_a_good_file_imports_and_a_second_import_changes_nothing(registry):
    user = supervisor(registry)
    report = assets_import(acting_user=user, data=GOOD.encode())
    assert report.written and report.as_dict()["new"] == 2
    tianxing = VillageAssets.objects.get(village=registry.tianxing)
    assert (tianxing.funds, tianxing.resources) == (Decimal(200), Decimal(12000))
    again = assets_import(acting_user=user, data=GOOD.encode())
    assert again.accepted and again.as_dict()["unchanged"] == 2 and again.as_dict()["new"] == 0


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(registry):
    bad = (
        "村代码,村名称,年度,资金,资产,资源\n"
        "520422101233,天星村,2025,200,300,100\n"
        "520402001001,南华社区,2025,1,1,1\n"  # out of scope
        "520422101201,错误村,二〇二五,abc,1,1\n"
        "520422101233,,2025,1,1,1\n"  # repeated
    )
    report = assets_import(acting_user=supervisor(registry), data=bad.encode())
    errors = {(e.row, e.column.split(" ")[0]) for e in report.errors}
    assert errors == {(3, "村代码"), (4, "村名称"), (4, "年度"), (4, "资金"), (5, "村代码")}
    assert any("(D)" in e.column for e in report.errors)
    assert not VillageAssets.objects.exists()


def test_a_file_without_the_columns_is_refused(registry):
    report = assets_import(acting_user=supervisor(registry), data="名称,数值\n甲,1\n".encode())
    assert not report.accepted and report.errors[0].row is None


def test_the_import_page_previews_errors_then_imports(registry):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(supervisor(registry))
    bad = SimpleUploadedFile("a.csv", "村代码,年度,资金,资产,资源\n520422101233,2025,x,1,1\n".encode())
    page = client.post("/elevated/assets/import/", {"file": bad, "dry_run": "on"})
    html = page.content.decode()
    assert page.status_code == 200 and "nothing was written" in html and "资金 (C)" in html
    preview = client.post(
        "/elevated/assets/import/", {"file": SimpleUploadedFile("a.csv", GOOD.encode()), "dry_run": "on"}
    )
    assert "2 new" in preview.content.decode() and not VillageAssets.objects.exists()
    done = client.post("/elevated/assets/import/", {"file": SimpleUploadedFile("a.csv", GOOD.encode())})
    assert done.status_code == 302 and VillageAssets.objects.count() == 2


def test_import_command(registry, tmp_path, capsys):
    user = supervisor(registry)
    path = tmp_path / "assets.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command(
        "import_village_assets", str(path), "--as", user.username, "--dry-run", "--json", "--lang", "en"
    )
    assert json.loads(capsys.readouterr().out)["new"] == 2 and not VillageAssets.objects.exists()
    call_command("import_village_assets", str(path), "--as", user.username, "--lang", "en")
    assert VillageAssets.objects.count() == 2
    path.write_text("村代码,年度,资金,资产,资源\n999,2025,1,1,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_village_assets", str(path), "--as", user.username, "--lang", "en")
    assert caught.value.returncode == 1
    assert "row 2 [村代码 (A)]" in capsys.readouterr().out


def test_select_command_prints_levels_and_reasons_and_saves(registry, capsys):
    user = supervisor(registry)
    puding_assets(user, registry)
    args = [
        "--region",
        registry.puding.code,
        "--year",
        "2025",
        "--county-threshold",
        "100",
        "--city-threshold",
        "500",
    ]
    call_command("select_elevated", *args, "--json", "--lang", "en")
    answer = json.loads(capsys.readouterr().out)
    assert answer["counts"] == {"city": 1, "county": 1, "none": 0}
    levels = {v["code"]: v["level"] for v in answer["villages"]}
    assert levels == {registry.tianxing.code: "city", registry.machang.code: "county"}
    call_command("select_elevated", *args, "--lang", "en")
    text = capsys.readouterr().out
    assert "天星村: city level" in text and "✓ Collective 三资 of 600 万元 against the city threshold" in text
    call_command("select_elevated", *args, "--save", "--as", user.username, "--lang", "en")
    run = SelectionRun.objects.get()
    assert run.digest == answer["digest"]


def test_select_command_uses_the_rule_set_and_exits_2_on_bad_input(registry, capsys):
    user = supervisor(registry)
    puding_assets(user, registry)
    base = ["--region", registry.puding.code, "--year", "2025", "--lang", "en"]
    for bad in (
        ["--region", "123", "--year", "2025"],
        base,  # no rule set and no thresholds
        [*base, "--county-threshold", "500", "--city-threshold", "100"],
        [*base, "--county-threshold", "x", "--city-threshold", "100"],
        [*base, "--county-threshold", "1", "--city-threshold", "2", "--save"],
    ):
        with pytest.raises(CommandError) as caught:
            call_command("select_elevated", *bad)
        assert caught.value.returncode == 2, bad
    services.rule_set_save(acting_user=user, region=registry.puding, name="r", county_threshold=Decimal(100),
                           city_threshold=Decimal(1000))  # fmt: skip
    call_command("select_elevated", *base, "--json")
    assert json.loads(capsys.readouterr().out)["counts"] == {"city": 0, "county": 2, "none": 0}
