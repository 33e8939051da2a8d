"""Reminders of periodic filing: before the due date, on missing filings (with a summary to the county),
never twice, and settled by the filing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jiandu.filing.services import filing_submit
from jiandu.notices.models import Notice, NoticeKind

from .conftest import NOW, editor

pytestmark = pytest.mark.django_db

# October 2026 of a township office is due on 2026-11-06 (5 working days), reminded from 2026-11-03.


def run(day: str) -> str:
    out = StringIO()
    call_command("send_filing_reminders", "--date", day, "--lang", "en", stdout=out)
    return out.getvalue()


def test_nothing_before_the_lead_days(registry):
    run("2026-11-02")
    assert not Notice.objects.filter(body=registry.maguan_office, key__contains="2026-10").exists()


def test_a_reminder_before_the_due_date_once(registry):
    output = run("2026-11-04")
    notice = Notice.objects.get(body=registry.maguan_office, kind=NoticeKind.FILING_DUE)
    assert "2026-10" in notice.message and "2026-11-06" in notice.message
    assert notice.due_on == datetime.date(2026, 11, 6)
    assert notice.url == "/filing/submit/?period=2026-10"
    assert "2026-10" in output
    run("2026-11-04")
    run("2026-11-05")
    assert Notice.objects.filter(body=registry.maguan_office, kind=NoticeKind.FILING_DUE).count() == 1


def test_missing_after_the_due_date_with_a_summary_to_the_county(registry):
    run("2026-11-09")
    missing = Notice.objects.get(
        body=registry.maguan_office, kind=NoticeKind.FILING_MISSING, key__endswith=":2026-10"
    )
    assert "2026-10" in missing.message
    # The month before is missing too (the last two ended periods are looked at), not older ones.
    assert Notice.objects.filter(body=registry.maguan_office, key__endswith=":2026-09").exists()
    assert not Notice.objects.filter(body=registry.maguan_office, key__endswith=":2026-08").exists()
    summary = Notice.objects.get(
        body=registry.commission, kind=NoticeKind.FILING_MISSING, key__contains="2026-10"
    )
    with translation.override("en"):
        assert summary.shown() == "Bodies of 普定县 that have not filed the ledger of 2026-10: 1."
    assert "status=missing" in summary.url and registry.puding.code in summary.url
    count = Notice.objects.count()
    run("2026-11-09")
    run("2026-11-10")
    assert Notice.objects.count() == count


def test_a_body_that_filed_gets_no_reminder_and_filing_settles_its_reminders(
    registry, django_capture_on_commit_callbacks
):
    user = editor(registry.maguan_office, "r-maguan")
    run("2026-11-04")
    due = Notice.objects.get(body=registry.maguan_office, kind=NoticeKind.FILING_DUE)
    with django_capture_on_commit_callbacks(execute=True):
        filing_submit(acting_user=user, period="2026-10", nothing_to_report=True, now=NOW)
    due.refresh_from_db()
    assert due.read_at is not None
    run("2026-11-09")
    assert not Notice.objects.filter(
        body=registry.maguan_office, kind=NoticeKind.FILING_MISSING, key__endswith=":2026-10"
    ).exists()


def test_a_dispatched_group_is_reminded_of_its_quarter(registry):
    run("2026-10-20")
    notice = Notice.objects.get(body=registry.group, key__endswith=":2026-Q3")
    assert notice.kind == NoticeKind.FILING_DUE
    assert "2026-Q3" in notice.message


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="2026-13-01"):
        call_command("send_filing_reminders", "--date", "2026-13-01", "--lang", "en", stdout=StringIO())
