"""A small scope's list read part by part (ProblemQuerySet.scope_parts, views.fetch_rows): the same pages,
row for row, as the whole list read newest first; which scopes are read that way."""

from __future__ import annotations

import datetime
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from factories import ProblemFactory, UserFactory

from jiandu.access.models import Share
from jiandu.ledger import views
from jiandu.ledger.models import Category, Problem
from jiandu.ledger.tests.test_api import client_for
from jiandu.ledger.tests.test_pages import steered

pytestmark = pytest.mark.django_db

PAGE = views.PAGE_SIZE + 1
STEP = 7  # pages of seven in the comparison: several pages out of each filtered list


@pytest.fixture
def ledger(registry):
    """160 problems over 普定 and 西秀, found by four bodies, some of a department, on a few dates (many
    ties, which the id breaks), a few shared with the township office and the dispatched group."""
    r = registry
    rng = random.Random(20261205)
    welfare = Category.objects.get(name="民生资金发放")
    style = Category.objects.get(name="作风问题")
    finders = [r.commission, r.maguan_office, r.group, r.xixiu_commission]
    places = [r.maguan, r.tianxing, r.machang, r.nanjie, r.xixiu_village]
    departments = [r.health, r.education, r.xixiu_health]
    days = [datetime.date(2026, 1, 1) + datetime.timedelta(days=7 * n) for n in range(6)]
    made = []
    for n in range(160):
        fields = {
            "found_by": rng.choice(finders),
            "found_on": rng.choice(days),
            "category": rng.choice([welfare, style]),
            "facts": f"第{n}号问题" + ("，低保资金延迟发放" if rng.random() < 0.4 else "，会议记录缺失"),
        }
        if rng.random() < 0.3:
            department = rng.choice(departments)
            fields.update(
                region=department.region,
                responsible_region=None,
                responsible_department=department,
            )
        else:
            fields["region"] = rng.choice(places)
        made.append(ProblemFactory(**fields))
    sharer = UserFactory(username="sharer", body=r.xixiu_commission)
    kind = ContentType.objects.get_for_model(Problem)
    for body in (r.maguan_office, r.group):
        for problem in rng.sample(made, 8):
            Share.objects.create(
                content_type=kind, object_id=problem.pk, body=body, reason="会商", shared_by=sharer
            )
    return made


@pytest.fixture
def township(registry):
    return UserFactory(username="maguan-reader", body=registry.maguan_office)


@pytest.fixture
def group(registry):
    return UserFactory(username="group-reader", body=registry.group)


def listed(user, *, sort: str, term: str = "", **filters) -> object:
    qs = Problem.objects.visible_to(user)
    if term:
        qs = views.search_facts(qs, term)
    return qs.filter(**filters).order_by(*views.ordering_for(sort))


@pytest.mark.parametrize("who", ["township", "group"])
@pytest.mark.parametrize("sort", ["-found_on", "found_on"])
@pytest.mark.parametrize(
    ("term", "filters"), [("", {}), ("低保资金", {}), ("", {"category__name": "作风问题"})]
)
def test_every_page_read_by_parts_is_the_page_of_the_whole_list(request, ledger, who, sort, term, filters):
    user = request.getfixturevalue(who)
    parts = Problem.objects.scope_parts(user)
    assert parts is not None
    qs = listed(user, sort=sort, term=term, **filters)
    total = qs.count()
    assert total > 2 * STEP  # several pages, or the merge is not tried
    for start in range(0, total + 1, STEP):
        expected = [problem.pk for problem in qs[start : start + STEP + 1]]
        rows = views.fetch_rows(qs, start, start + STEP + 1, term=term, parts=parts)
        assert [problem.pk for problem in rows] == expected, (who, sort, term, start)


def test_a_part_adds_nothing_outside_the_scope(registry, ledger, township):
    """The parts may hold other rows (a department problem of 普定 found by the office is in two parts);
    the page is only what the scope shows, each row once."""
    qs = listed(township, sort="-found_on")
    rows = views.fetch_rows(qs, 0, 500, term="", parts=Problem.objects.scope_parts(township))
    assert sorted(problem.pk for problem in rows) == sorted(qs.values_list("pk", flat=True))


def test_which_scopes_are_read_by_parts(registry, township, group):
    county = UserFactory(username="county-reader", body=registry.commission)
    city = UserFactory(username="city-reader", body=registry.xixiu_commission)
    assert Problem.objects.scope_parts(county) is None  # a county: walked across the ledger
    assert Problem.objects.scope_parts(city) is None
    # the office: itself as finder, 马官镇 and its villages, what is shared with it
    assert len(Problem.objects.scope_parts(township)) == 1 + 3 + 1
    # the group: itself as finder, its one department, what is shared with it
    assert len(Problem.objects.scope_parts(group)) == 1 + 1 + 1


def test_too_many_parts_are_walked_across_the_ledger(township):
    assert Problem.objects.scope_parts(township, max_parts=4) is None
    assert Problem.objects.scope_parts(township, max_parts=6) is not None


def test_the_township_office_pages_through_its_list(registry, ledger, township):
    """Through the page: every problem the office may see comes once over the pages, newest first."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(township)
    expected = list(listed(township, sort="-found_on").values_list("facts", flat=True))
    seen: list[str] = []
    for number in range(1, 5):
        page = client.get(reverse("ledger:problem-list"), {"page": number}).content.decode()
        seen += [facts for facts in expected if f">{facts}<" in page or f"{facts}</" in page]
    assert sorted(seen) == sorted(expected)


def test_a_common_word_in_a_small_scope_walks_its_parts(ledger, township, monkeypatch):
    calls = steered(monkeypatch, failures=0)
    monkeypatch.setattr(views, "facts_matches", lambda term: None)
    qs = listed(township, sort="-found_on", term="低保资金")
    views.fetch_rows(qs, 0, PAGE, term="低保资金", parts=Problem.objects.scope_parts(township))
    assert calls == [{"walk": True, "timeout_ms": views.SEARCH_LOOKUP_MS}]


def test_a_common_word_walked_too_long_in_the_parts_is_looked_up(ledger, township, monkeypatch):
    """A rare word taken for a common one would walk every part to its end: the walk has a time limit."""
    calls = steered(monkeypatch, failures=0)
    monkeypatch.setattr(views, "facts_matches", lambda term: None)
    monkeypatch.setattr(views, "SEARCH_LOOKUP_MS", -1)  # out of time before the first part
    qs = listed(township, sort="-found_on", term="低保资金")
    rows = views.fetch_rows(qs, 0, PAGE, term="低保资金", parts=Problem.objects.scope_parts(township))
    assert [problem.pk for problem in rows] == [problem.pk for problem in qs[:PAGE]]
    assert calls == [
        {"walk": True, "timeout_ms": -1},
        {"by_facts_index": True, "timeout_ms": views.SEARCH_MID_MS},
    ]


def test_a_rare_word_in_a_small_scope_is_looked_up_first(ledger, township, monkeypatch):
    calls = steered(monkeypatch, failures=1)
    monkeypatch.setattr(views, "facts_matches", lambda term: 10)
    qs = listed(township, sort="-found_on", term="低保资金")
    rows = views.fetch_rows(qs, 0, PAGE, term="低保资金", parts=Problem.objects.scope_parts(township))
    assert [problem.pk for problem in rows] == [problem.pk for problem in qs[:PAGE]]
    assert calls == [
        {"by_facts_index": True, "timeout_ms": views.SEARCH_LOOKUP_MS},
        {"walk": True, "timeout_ms": views.SEARCH_SLOW_MS},
    ]


def test_a_township_list_without_a_word_is_walked_across_the_ledger(township, group):
    """Without a search a township's rows come often enough newest first; a group's do not."""
    assert Problem.objects.scope_parts(township, searching=False) is None
    assert Problem.objects.scope_parts(group, searching=False) is not None


@pytest.mark.parametrize("who", ["township", "group"])
def test_the_api_pages_a_small_scope_like_the_list(request, ledger, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    expected = list(listed(user, sort="-found_on", term="低保资金").values_list("pk", flat=True))
    seen: list[int] = []
    number, more = 1, True
    while more:
        response = client.get("/api/problems/", {"q": "低保资金", "page_size": 5, "page": number})
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        number, more = number + 1, bool(body["next"])
    assert seen == expected


def test_an_api_search_out_of_time_is_refused_at_its_parameter(ledger, township, monkeypatch):
    steered(monkeypatch, failures=10)
    monkeypatch.setattr(views, "facts_matches", lambda term: None)
    response = client_for(township).get("/api/problems/", {"q": "低保资金"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "takes too long" in response.json()["errors"]["q"][0]
