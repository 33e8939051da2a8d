"""The Anshun demo and the staffing table: every figure of the study's section 1, counted from records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from jiandu.access.models import User
from jiandu.org.demo import DemoResult, demo_build
from jiandu.org.models import Body, BodyKind, Department, Person, Post, PostKind, Region, RegionKind

CITY = "520400000000"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[DemoResult]:
    """Build the demo once for the module inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        with transaction.atomic():
            yield demo_build()
            transaction.set_rollback(True)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def staffing(code: str = CITY) -> dict:
    return json.loads(run("staffing_report", "--region", code, "--json"))


def row(report: dict, kind: str, level: str) -> dict:
    matches = [r for r in report["bodies"] if r["kind"] == kind and r["level"] == level]
    assert len(matches) == 1, (kind, level, report["bodies"])
    return matches[0]


@pytest.mark.django_db
def test_regions_of_anshun(demo: DemoResult) -> None:
    city = Region.objects.get(code=CITY)
    regions = Region.objects.filter(code__startswith="5204", is_statistical=True)
    assert regions.filter(kind=RegionKind.COUNTY).count() == 6
    assert regions.filter(kind=RegionKind.TOWNSHIP).count() == 92
    assert regions.filter(kind=RegionKind.VILLAGE).count() == 1231
    zones = Region.objects.filter(kind=RegionKind.FUNCTIONAL_ZONE, parent=city)
    assert sorted(zones.values_list("name", flat=True)) == ["安顺经济技术开发区", "黄果树旅游区"]
    huangguoshu = zones.get(name="黄果树旅游区")
    carved = Region.objects.filter(functional_zone=huangguoshu, kind=RegionKind.TOWNSHIP)
    assert sorted(carved.values_list("name", flat=True)) == ["白水镇", "黄果树镇"]
    # A carved township leaves its statutory county's scope but stays in the city's.
    zhenning = Region.objects.get(code="520423000000")
    assert not Region.objects.filter(zhenning.subtree_q(), name="黄果树镇").exists()
    assert Region.objects.filter(city.subtree_q(), name="黄果树镇").exists()
    assert Region.objects.filter(huangguoshu.subtree_q(), kind=RegionKind.VILLAGE).exists()


@pytest.mark.django_db
def test_staffing_figures_of_the_study(demo: DemoResult) -> None:
    report = staffing()
    assert (
        row(report, "commission", "county")["bodies"],
        row(report, "commission", "county")["establishment"],
    ) == (6, 212)
    assert row(report, "commission", "county")["headcount"] == 172
    wc = row(report, "working_commission", "county")
    assert (wc["bodies"], wc["establishment"], wc["headcount"]) == (2, 18, 16)
    io = row(report, "inspection_office", "county")
    assert (io["bodies"], io["establishment"], io["headcount"]) == (6, 88, 76)
    dg = row(report, "dispatched_group", "county")
    assert (dg["bodies"], dg["establishment"], dg["headcount"]) == (38, 172, 145)
    to = row(report, "township_office", "township")
    assert (to["bodies"], to["headcount"]) == (90, 304)
    posts = {r["kind"]: r["posts"] for r in report["village_posts"]}
    assert posts["village_discipline_member"] == 1171
    assert posts["livelihood_supervisor"] == 1011
    assert report["village_committee_members"] == 2541
    assert report["three_in_one"] > 0


@pytest.mark.django_db
def test_staffing_is_counted_not_stored(demo: DemoResult) -> None:
    before = row(staffing(), "dispatched_group", "county")["headcount"]
    post = Post.objects.filter(body__kind=BodyKind.DISPATCHED_GROUP).order_by("pk").first()
    post.ended_on = post.created_at.date()
    post.save()
    assert row(staffing(), "dispatched_group", "county")["headcount"] == before - 1


@pytest.mark.django_db
def test_township_offices_are_fully_staffed(demo: DemoResult) -> None:
    offices = Body.objects.filter(kind=BodyKind.TOWNSHIP_OFFICE)
    assert offices.count() == 90
    for office in offices:
        kinds = list(office.posts.values_list("kind", flat=True))
        assert len(kinds) >= 3, office
        assert kinds.count(PostKind.DIRECTOR) == 1 and kinds.count(PostKind.DEPUTY_DIRECTOR) == 1, office
        assert kinds.count(PostKind.SUPERVISOR) >= 1, office


@pytest.mark.django_db
def test_three_in_one_in_zhenning_only(demo: DemoResult) -> None:
    report_zhenning = staffing("520423000000")
    report_puding = staffing("520422000000")
    villages = Region.objects.filter(
        Region.objects.get(code="520423000000").subtree_q(), kind=RegionKind.VILLAGE
    )
    assert report_zhenning["three_in_one"] == villages.count() > 100
    assert report_puding["three_in_one"] == 0
    # In 镇宁 the village supervisors are fewer people than posts.
    zn = {r["kind"]: r for r in report_zhenning["village_posts"]}
    assert report_zhenning["village_supervisors"] < sum(r["posts"] for r in zn.values())


@pytest.mark.django_db
def test_county_departments(demo: DemoResult) -> None:
    puding = Department.objects.filter(region__code="520422000000")
    assert puding.filter(name="普定县卫生健康局", short_name="县卫健局").exists()
    for name in (
        "民政局",
        "教育局",
        "财政局",
        "公安局",
        "交通运输局",
        "农业农村局",
        "乡村振兴局",
        "住房和城乡建设局",
        "自然资源局",
        "人力资源和社会保障局",
        "文体广电旅游局",
    ):
        assert puding.filter(name=f"普定县{name}").exists(), name
    assert Department.objects.filter(region__code="520402000000", short_name="区卫健局").exists()
    # Every department of a county is supervised by exactly one dispatched group.
    for department in puding:
        assert department.supervising_bodies.filter(kind=BodyKind.DISPATCHED_GROUP).count() == 1


@pytest.mark.django_db
def test_people_are_plausible(demo: DemoResult) -> None:
    people = Person.objects.all()
    assert people.count() > 4000
    sample = list(people[:200])
    assert all(2 <= len(p.name) <= 3 for p in sample)
    assert all(1960 <= p.birth_year <= 1998 and p.education for p in sample)
    assert Person.objects.filter(skills__isnull=False).exists()


@pytest.mark.django_db
def test_demo_accounts_json(demo: DemoResult) -> None:
    accounts = json.loads(run("demo_accounts", "--json"))
    by_name = {a["username"]: a for a in accounts}
    assert all(
        set(a) == {"username", "password", "body", "body_kind", "level", "region_code"} for a in accounts
    )
    assert all(len(a["region_code"]) == 12 and a["region_code"].isdigit() for a in accounts)
    kinds = [(a["body_kind"], a["level"]) for a in accounts]
    # The city's and 普定's commissions also have an account administrator (anshun_admin, puding_admin).
    assert kinds.count(("commission", "city")) == 2
    assert kinds.count(("commission", "county")) == 7
    assert kinds.count(("working_commission", "county")) == 2
    puding = [a for a in accounts if a["region_code"].startswith("520422")]
    assert {a["body_kind"] for a in puding} >= {
        "commission",
        "dispatched_group",
        "township_office",
        "village_committee",
    }
    assert by_name["maguan"]["region_code"] == "520422101000"
    assert by_name["maguan_tianxing"]["level"] == "village"
    assert by_name["maguan_tianxing"]["region_code"].startswith("520422101")
    # The printed password really signs the account in.
    user = User.objects.get(username="puding")
    assert user.check_password(by_name["puding"]["password"])


@pytest.mark.django_db
def test_demo_is_idempotent(demo: DemoResult) -> None:
    # The fixture built the registry only; the first `jiandu demo` adds every area's demo (zone groups
    # among them), the second must change nothing.
    run("demo")
    counts = (Region.objects.count(), Body.objects.count(), Person.objects.count(), Post.objects.count())
    output = run("demo")
    assert "未做更改" in output or "nothing changed" in output
    assert "anshun" in output and "maguan_tianxing" in output
    assert counts == (
        Region.objects.count(),
        Body.objects.count(),
        Person.objects.count(),
        Post.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["5204", "52040000000x", "999900000000"])
def test_staffing_report_rejects_bad_codes(demo: DemoResult, code: str) -> None:
    with pytest.raises(CommandError) as error:
        call_command("staffing_report", "--region", code, "--json", stdout=StringIO())
    assert code in str(error.value)


@pytest.mark.django_db
def test_staffing_report_in_english(demo: DemoResult) -> None:
    with pytest.raises(CommandError) as error:
        call_command("staffing_report", "--region", "999900000000", "--lang", "en", stdout=StringIO())
    assert "no region has this code" in str(error.value)


@pytest.mark.django_db
def test_commands_speak_chinese_by_default_and_english_when_asked(demo: DemoResult) -> None:
    with pytest.raises(CommandError) as error:
        call_command("staffing_report", "--region", "999900000000", stdout=StringIO())
    assert "没有" in str(error.value) and "no region" not in str(error.value)

    chinese, english = StringIO(), StringIO()
    call_command("staffing_report", "--region", "520422000000", stdout=chinese)
    call_command("staffing_report", "--region", "520422000000", "--lang", "en", stdout=english)
    assert "乡镇纪委" in chinese.getvalue() or "纪委监委" in chinese.getvalue()
    assert "township office" in english.getvalue() and "township office" not in chinese.getvalue()

    accounts = StringIO()
    call_command("demo_accounts", stdout=accounts)
    assert "演示账号" in accounts.getvalue() and "[县, 520422000000]" in accounts.getvalue()
