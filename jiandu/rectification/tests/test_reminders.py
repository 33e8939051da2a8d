"""`jiandu send-reminders`: due soon, overdue and verification-waiting reminders, each sent once."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiandu.notices.models import Notice, NoticeKind
from jiandu.rectification.models import Rectification
from jiandu.rectification.services import rectification_open, rectification_report
from jiandu.rectification.tests.support import OPENED, World

pytestmark = pytest.mark.django_db
D = datetime.date


def run(date: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", date, "--lang", "en", stdout=out)
    return out.getvalue()


def open_both(world: World) -> tuple[Rectification, Rectification]:
    town = rectification_open(
        acting_user=world.supervisor, problem=world.township_problem, measures="补发", opened_on=OPENED
    )
    dept = rectification_open(
        acting_user=world.supervisor, problem=world.department_problem, measures="规范", opened_on=OPENED
    )
    return town, dept


def test_due_soon_overdue_and_waiting_reminders_are_sent_once(world):
    town, dept = open_both(world)
    # On Friday 17 April 2026: the township's deadline (22 April) is 3 working days away, within the 5 of
    # the lead; the department's deadline was moved to 15 April: overdue.
    Rectification.objects.filter(pk=dept.pk).update(deadline=D(2026, 4, 15))
    first = run("2026-04-17")
    assert "Sent 1 reminders of rectifications due soon, 2 of overdue" in first
    due = Notice.objects.get(kind=NoticeKind.RECTIFICATION_DUE)
    assert due.body == world.registry.maguan_office and due.url == f"/rectification/{town.pk}/"
    overdue = set(Notice.objects.filter(kind=NoticeKind.RECTIFICATION_OVERDUE).values_list("body", flat=True))
    assert overdue == {world.registry.group.pk, world.registry.commission.pk}
    again = run("2026-04-17")
    assert "Sent 0 reminders of rectifications due soon, 0 of overdue" in again and "3 had been sent" in again
    assert Notice.objects.count() == 3


def test_a_claim_waits_five_working_days_before_the_supervisor_is_reminded(world):
    town, _dept = open_both(world)
    rectification_report(
        acting_user=world.township,
        rectification=town,
        text="完成",
        claims_done=True,
        reported_on=D(2026, 3, 30),
    )
    Notice.objects.all().delete()  # the claim's own notice
    run("2026-04-03")  # Monday 30 March + 5 working days = Tuesday 7 April (Qingming 4–6 April off)
    assert not Notice.objects.filter(kind=NoticeKind.VERIFICATION_DUE).exists()
    run("2026-04-07")
    notice = Notice.objects.get(kind=NoticeKind.VERIFICATION_DUE)
    assert notice.body == world.registry.commission
    run("2026-04-08")
    assert Notice.objects.filter(kind=NoticeKind.VERIFICATION_DUE).count() == 1


def test_a_changed_deadline_reminds_again(world):
    town, _dept = open_both(world)
    run("2026-04-17")
    Rectification.objects.filter(pk=town.pk).update(deadline=D(2026, 4, 21))
    run("2026-04-17")
    assert (
        Notice.objects.filter(kind=NoticeKind.RECTIFICATION_DUE, url=f"/rectification/{town.pk}/").count()
        == 2
    )


def test_a_year_without_a_calendar_fails_loudly_after_sending_what_it_can(world):
    town, _dept = open_both(world)
    Rectification.objects.filter(pk=town.pk).update(deadline=D(2026, 12, 1))
    with pytest.raises(CommandError, match="2027"):
        run("2026-12-30")
    assert Notice.objects.filter(kind=NoticeKind.RECTIFICATION_OVERDUE).exists()


def test_a_bad_date_is_refused_naming_the_option(world):
    with pytest.raises(CommandError, match="--date"):
        run("2026-13-01")
