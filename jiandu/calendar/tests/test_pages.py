"""The calendar pages: a 2027 arrangement entered through them makes 2027 deadlines computable; who may
enter; confirmation before removing a day; the count check on the list page."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from jiandu.calendar import days
from jiandu.calendar.models import CalendarDay, CalendarYear
from jiandu.calendar.tests.conftest import client_for
from jiandu.rectification.services import rectification_open
from jiandu.rectification.tests.support import build_world

pytestmark = pytest.mark.django_db
D = datetime.date
SOURCE = "国务院办公厅关于2027年部分节假日安排的通知（测试用）"


def enter_2027_through_the_pages(client) -> CalendarYear:
    """A plausible 2027 arrangement: New Year's Day, the Spring Festival (6–12 February, Sunday 14 worked)."""
    assert client.post("/calendar/new/", {"year": "2027", "source": SOURCE}).status_code == 302
    year = CalendarYear.objects.get(year=2027)
    entries = [("2027-01-01", "holiday", "元旦")]
    entries += [(f"2027-02-{d:02d}", "holiday", "春节") for d in range(6, 13)]
    entries += [("2027-02-14", "workday", "调休上班")]
    for date, kind, name in entries:
        response = client.post(f"/calendar/{year.pk}/days/new/", {"date": date, "kind": kind, "name": name})
        assert response.status_code == 302, response.content.decode()
    response = client.post(f"/calendar/{year.pk}/edit/", {"source": SOURCE, "complete": "on"})
    assert response.status_code == 302
    return year


def test_a_2027_deadline_is_refused_until_the_arrangement_is_entered_through_the_page(
    registry, administrator
):
    world = build_world(registry)

    def open_rectification():
        return rectification_open(
            acting_user=world.supervisor,
            problem=world.township_problem,
            measures="补发资金",
            opened_on=D(2026, 11, 20),
            workdays_allowed=30,
        )

    with pytest.raises(ValidationError) as refused:
        open_rectification()
    message = refused.value.message_dict["deadline"][0]
    assert "2027" in message and "working-day calendar" in message

    client = client_for(administrator)
    year = enter_2027_through_the_pages(client)
    # Complete now, it counts: the 29th working day is Thursday 31 December, New Year's Day is off, the
    # 30th is Monday 4 January.
    rectification = open_rectification()
    assert rectification.deadline == D(2027, 1, 4)
    page = client.get(f"/calendar/{year.pk}/").content.decode()
    assert "春节" in page and "调休上班" in page and SOURCE in page
    listing = client.get("/calendar/?start=2027-02-05&n=2").content.decode()
    assert "2027-02-15" in listing


def test_an_entered_year_not_marked_complete_still_refuses(administrator):
    client = client_for(administrator)
    client.post("/calendar/new/", {"year": "2027", "source": SOURCE})
    year = CalendarYear.objects.get(year=2027)
    client.post(f"/calendar/{year.pk}/days/new/", {"date": "2027-02-08", "kind": "holiday", "name": "春节"})
    with pytest.raises(days.CalendarNotCovered):
        days.add_workdays(D(2027, 2, 5), 1)
    page = client.get("/calendar/?start=2027-02-05&n=1").content.decode()
    assert "not entered" in page


def test_a_year_without_a_day_off_cannot_be_marked_complete(administrator):
    client = client_for(administrator)
    response = client.post("/calendar/new/", {"year": "2027", "source": SOURCE, "complete": "on"})
    assert response.status_code == 200
    assert "no day off" in str(response.context["form"].errors["complete"])
    assert not CalendarYear.objects.exists()


def test_a_day_outside_its_year_and_a_repeated_day_are_refused_at_the_date(administrator):
    client = client_for(administrator)
    year = enter_2027_through_the_pages(client)
    other = client.post(f"/calendar/{year.pk}/days/new/", {"date": "2028-01-01", "kind": "holiday"})
    assert "2028-01-01 is not in 2027" in str(other.context["form"].errors["date"])
    again = client.post(f"/calendar/{year.pk}/days/new/", {"date": "2027-02-08", "kind": "workday"})
    assert "already entered" in str(again.context["form"].errors["date"])
    assert CalendarDay.objects.get(date=D(2027, 2, 8)).is_workday is False


def test_removing_a_day_asks_first_and_the_count_follows_at_once(administrator):
    client = client_for(administrator)
    enter_2027_through_the_pages(client)
    assert days.add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 14)
    day = CalendarDay.objects.get(date=D(2027, 2, 14))
    confirm = client.get(f"/calendar/days/{day.pk}/delete/")
    assert confirm.status_code == 200 and "Remove 2027-02-14" in confirm.content.decode()
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert client.post(f"/calendar/days/{day.pk}/delete/").status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert days.add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 15)  # a plain Monday after the holiday


def test_the_last_day_off_of_a_complete_year_cannot_be_removed(administrator):
    client = client_for(administrator)
    client.post("/calendar/new/", {"year": "2027", "source": SOURCE})
    year = CalendarYear.objects.get(year=2027)
    client.post(f"/calendar/{year.pk}/days/new/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    client.post(f"/calendar/{year.pk}/edit/", {"source": SOURCE, "complete": "on"})
    day = CalendarDay.objects.get()
    response = client.post(f"/calendar/days/{day.pk}/delete/")
    assert response.status_code == 200 and "cannot be removed" in response.content.decode()
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_everyone_reads_the_calendar_only_administrators_enter_it(administrator, reader):
    enter_2027_through_the_pages(client_for(administrator))
    year = CalendarYear.objects.get()
    day = CalendarDay.objects.first()
    client = client_for(reader)
    listing = client.get("/calendar/")
    assert listing.status_code == 200 and "2027" in listing.content.decode()
    assert "/calendar/new/" not in listing.content.decode()
    assert client.get(f"/calendar/{year.pk}/").status_code == 200
    for url in (
        "/calendar/new/",
        "/calendar/import/",
        f"/calendar/{year.pk}/edit/",
        f"/calendar/{year.pk}/days/new/",
        f"/calendar/days/{day.pk}/",
        f"/calendar/days/{day.pk}/delete/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/calendar/days/{day.pk}/delete/").status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert client_for(administrator).get("/calendar/987654/").status_code == 404


def test_list_search_filter_and_empty_state(administrator):
    client = client_for(administrator)
    assert "No year entered yet" in client.get("/calendar/").content.decode()
    enter_2027_through_the_pages(client)
    assert "2027" in client.get("/calendar/?q=2027年部分节假日").content.decode()
    assert "No year matches" in client.get("/calendar/?q=不存在的通知").content.decode()
    assert "No year matches" in client.get("/calendar/?complete=false").content.decode()
    year = CalendarYear.objects.get()
    worked = client.get(f"/calendar/{year.pk}/?is_workday=1").content.decode()
    assert "调休上班" in worked and "元旦" not in worked


def test_the_request_reads_the_table_once_however_many_dates_it_counts(
    administrator, django_assert_max_num_queries
):
    enter_2027_through_the_pages(client_for(administrator))
    with days.held():
        days.add_workdays(D(2027, 1, 4), 1)  # stamp, then (new stamp) days and years
        with django_assert_max_num_queries(0):
            for n in range(20):
                days.add_workdays(D(2027, 1, 4), n)


def test_a_change_made_elsewhere_is_seen_at_the_next_check(administrator):
    enter_2027_through_the_pages(client_for(administrator))
    assert days.is_workday(D(2027, 2, 14))
    # Another process changes the day (no signal reaches this one); the stamp moves, so this one reloads.
    CalendarDay.objects.filter(date=D(2027, 2, 14)).update(
        is_workday=False, updated_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    )
    assert not days.is_workday(D(2027, 2, 14))
