"""Importing an arrangement file (page and `jiandu calendar-import`): all or nothing, every bad row named by
row and column; and filing refusing a due date in a year without an arrangement."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from factories import UserFactory

from jiandu.access.roles import LEDGER_EDITORS, role_group
from jiandu.calendar import days
from jiandu.calendar.models import CalendarDay, CalendarYear
from jiandu.calendar.tests.conftest import client_for
from jiandu.filing.models import FilingRule
from jiandu.filing.services import filing_submit

pytestmark = pytest.mark.django_db
D = datetime.date
GOOD = (
    "date,kind,name\n"
    "2027-01-01,holiday,元旦\n"
    "2027/2/6,休,春节\n"
    "2027-02-07,holiday,春节\n"
    "2027-02-14,班,调休上班\n"
)
BAD = (
    "日期,类型,名称\n"
    "2027-01-01,holiday,元旦\n"
    "2027-02-30,holiday,春节\n"  # row 3: no such day
    "2027-02-07,vacation,春节\n"  # row 4: unknown kind
    "2027-01-01,workday,\n"  # row 5: repeated date
    ",holiday,清明节\n"  # row 6: no date
)


def upload(client, text: str, encoding: str = "utf-8", **fields):
    file = SimpleUploadedFile("2027.csv", text.encode(encoding), content_type="text/csv")
    return client.post("/calendar/import/", {"file": file, **fields})


def test_a_good_file_is_imported_and_counts_at_once(administrator):
    client = client_for(administrator)
    response = upload(client, GOOD, source="国办发明电〔2026〕1号", complete="on")
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.complete and year.entered_by == administrator and year.source == "国办发明电〔2026〕1号"
    assert CalendarDay.objects.count() == 4
    assert days.add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 8)  # Saturday 6 and Sunday 7 off, 8 plain Monday
    assert days.add_workdays(D(2027, 2, 12), 1) == D(2027, 2, 14)
    assert days.is_holiday_name(D(2027, 2, 6)) == "春节"
    # The same file again changes nothing; a changed name is a change.
    upload(client, GOOD, complete="on")
    assert CalendarDay.objects.count() == 4
    upload(client, GOOD.replace("调休上班", "春节调休"))
    assert CalendarDay.objects.get(date=D(2027, 2, 14)).name == "春节调休"


def test_a_gbk_file_is_read(administrator):
    response = upload(client_for(administrator), GOOD, encoding="gbk", source="通知")
    assert response.status_code == 302
    assert CalendarDay.objects.filter(name="春节").count() == 2


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(administrator):
    response = upload(client_for(administrator), BAD, source="通知", complete="on")
    assert response.status_code == 200
    errors = {(e.row, e.column) for e in response.context["row_errors"]}
    assert errors == {(3, "A（date）"), (4, "B（kind）"), (5, "A（date）"), (6, "A（date）")}
    page = response.content.decode()
    assert "Nothing was imported" in page and "vacation" in page and "already given in row 2" in page
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()


def test_a_new_year_needs_its_notice(administrator):
    response = upload(client_for(administrator), GOOD)
    assert "give the notice" in str(response.context["row_errors"][0])
    assert not CalendarYear.objects.exists()


def test_a_file_that_is_not_an_arrangement_is_refused(administrator):
    client = client_for(administrator)
    empty = upload(client, "\n\n", source="通知")
    assert "empty" in str(empty.context["row_errors"][0])
    no_kind = upload(client, "date,name\n2027-01-01,元旦\n", source="通知")
    assert "kind" in str(no_kind.context["row_errors"][0])
    assert not CalendarYear.objects.exists()


def test_the_command_imports_and_rejects_with_rows_and_columns(tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(SystemExit) as rejected:
        call_command("calendar_import", str(bad), "--source", "通知", "--json", "--lang", "en")
    assert rejected.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert {(e["row"], e["column"]) for e in out["errors"]} == {
        (3, "A（date）"),
        (4, "B（kind）"),
        (5, "A（date）"),
        (6, "A（date）"),
    }
    assert not CalendarDay.objects.exists()
    call_command("calendar_import", str(good), "--source", "通知", "--complete", "--dry-run", "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 4
    assert not CalendarDay.objects.exists()
    call_command("calendar_import", str(good), "--source", "通知", "--complete", "--json")
    assert json.loads(capsys.readouterr().out)["years"] == [2027]
    assert CalendarYear.objects.get().complete and days.is_covered(2027)


def test_the_command_refuses_a_user_without_the_role(tmp_path, registry):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    UserFactory(username="no-role", body=registry.commission)
    with pytest.raises(Exception, match="无权录入工作日历"):
        call_command("calendar_import", str(good), "--source", "通知", "--as", "no-role")
    assert not CalendarDay.objects.exists()


def test_filing_refuses_a_due_date_without_the_arrangement_then_files(registry, administrator):
    FilingRule.objects.update_or_create(
        body_kind="township_office", defaults={"frequency": "monthly", "due_days": 5, "day_count": "working"}
    )
    filer = UserFactory(username="filer", body=registry.maguan_office)
    filer.groups.add(role_group(LEDGER_EDITORS))
    now = datetime.datetime(2027, 1, 11, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as refused:
        filing_submit(acting_user=filer, period="2026-12", nothing_to_report=True, now=now)
    assert "2027" in refused.value.message_dict["period"][0]
    upload(client_for(administrator), GOOD, source="通知", complete="on")
    result = filing_submit(acting_user=filer, period="2026-12", nothing_to_report=True, now=now)
    # 5 working days after 31 December: New Year's Day off, so 4, 5, 6, 7, 8 January.
    assert result.filing.due_on == D(2027, 1, 8)


def test_the_filing_status_page_says_which_arrangement_is_missing(registry, administrator):
    FilingRule.objects.update_or_create(
        body_kind="township_office", defaults={"frequency": "monthly", "due_days": 5, "day_count": "working"}
    )
    client = client_for(administrator)
    url = f"/filing/?period=2026-12&region={registry.puding.code}"
    page = client.get(url).content.decode()
    assert 'id="calendar-missing"' in page and "holiday arrangement of 2027" in page
    upload(client, GOOD, source="通知", complete="on")
    page = client.get(url).content.decode()
    assert 'id="calendar-missing"' not in page and "2027-01-08" in page
