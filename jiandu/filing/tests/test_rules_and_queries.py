"""Rule application (which bodies file which period, by when), the rule table's page and service, and
list pages whose query count does not grow with their rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from factories import BodyFactory, RegionFactory

from jiandu.calendar.days import CalendarNotCovered
from jiandu.filing.models import DayCount, FilingRule
from jiandu.filing.rules import due_date, filing_bodies, must_file
from jiandu.filing.services import filing_submit
from jiandu.lib.periods import Period
from jiandu.org.models import BodyKind, RegionKind

from .conftest import NOW, editor

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_which_bodies_file_which_period(registry):
    october, third_quarter = Period(2026, month=10), Period(2026, quarter=3)
    assert must_file(registry.maguan_office, october) is not None
    assert must_file(registry.maguan_office, third_quarter) is None  # monthly, not quarterly
    assert must_file(registry.group, third_quarter) is not None
    assert must_file(registry.group, october) is None
    assert must_file(registry.commission, october) is None and must_file(registry.committee, october) is None
    inactive = BodyFactory(
        name="撤并乡纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=registry.maguan, is_active=False
    )
    assert must_file(inactive, october) is None
    rules = {rule.body_kind: rule for rule in FilingRule.objects.filter(is_active=True)}
    assert set(filing_bodies(rules)) == {registry.maguan_office, registry.group}
    assert set(filing_bodies(rules, registry.xixiu)) == set()


def test_due_dates_in_working_or_calendar_days():
    rule = FilingRule(
        body_kind="township_office", frequency="monthly", due_days=5, day_count=DayCount.WORKING
    )
    # September 2026 ends on a Wednesday; the National Day holidays (1–7 October) do not count, the
    # adjusted working Saturday does.
    september = Period(2026, month=9)
    working = due_date(rule, september)
    assert working > datetime.date(2026, 10, 7)
    rule.day_count = DayCount.CALENDAR
    assert due_date(rule, september) == datetime.date(2026, 10, 5)
    # A year whose holiday arrangement is neither installed nor entered is refused, never guessed.
    rule.day_count = DayCount.WORKING
    with pytest.raises(CalendarNotCovered, match="2099"):
        due_date(rule, Period(2099, month=1))


def test_rules_page_lists_and_the_city_edits(registry):
    city = editor(BodyFactory(name="安顺市纪委监委", region=registry.city), "rule-city")
    client = client_for(city)
    page = client.get("/filing/rules/")
    assert page.status_code == 200 and "township office" in page.content.decode()
    rule = FilingRule.objects.get(body_kind=BodyKind.TOWNSHIP_OFFICE)
    form = {
        "body_kind": rule.body_kind,
        "frequency": "quarterly",
        "due_days": "10",
        "day_count": "calendar",
        "reminder_lead_days": "2",
        "is_active": "on",
    }
    assert client.post(f"/filing/rules/{rule.pk}/edit/", form).status_code == 302
    rule.refresh_from_db()
    assert (rule.frequency, rule.due_days, rule.day_count) == ("quarterly", 10, "calendar")
    bad = client.post(f"/filing/rules/{rule.pk}/edit/", {**form, "due_days": "99"})
    assert bad.status_code == 200 and "due_days" in bad.context["form"].errors
    duplicate = client.post("/filing/rules/new/", {**form, "due_days": "3"})
    assert duplicate.status_code == 200 and "body_kind" in duplicate.context["form"].errors


def test_a_county_may_not_change_the_citywide_rules(registry, county_user):
    rule = FilingRule.objects.get(body_kind=BodyKind.TOWNSHIP_OFFICE)
    response = client_for(county_user).post(
        f"/filing/rules/{rule.pk}/edit/",
        {"body_kind": rule.body_kind, "frequency": "quarterly", "due_days": "5", "day_count": "working",
         "reminder_lead_days": "3", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 200 and "city" in response.content.decode()
    rule.refresh_from_db()
    assert rule.frequency == "monthly"


def test_editing_rules_needs_the_role(registry):
    from factories import UserFactory

    rule = FilingRule.objects.get(body_kind=BodyKind.TOWNSHIP_OFFICE)
    client = client_for(UserFactory(username="rule-plain", body=registry.commission))
    assert client.get(f"/filing/rules/{rule.pk}/edit/").status_code == 403
    assert client.get("/filing/rules/new/").status_code == 403


def test_status_page_queries_do_not_grow_with_bodies(registry):
    city = editor(BodyFactory(name="安顺市纪委监委", region=registry.city), "q-city")
    client = client_for(city)
    url = f"/filing/?period=2026-10&region={registry.city.code}"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)
    before = count()
    for n in range(12):
        township = RegionFactory(
            code=f"520422{300 + n:03d}000",
            name=f"计数乡{n}",
            kind=RegionKind.TOWNSHIP,
            parent=registry.puding,
        )
        body = BodyFactory(name=f"计数乡{n}纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=township)
        if n % 2:
            filing_submit(
                acting_user=editor(body, f"q-{n}"), period="2026-10", nothing_to_report=True, now=NOW
            )
    assert count() == before, "the status page makes a query per body"
