"""The organisation pages as a county user sees them: scope, search, htmx partials, edit, staffing, language.

The registry: 安顺市 with two counties, 普定县 (the user's) and 西秀区 (another county's), and the
黄果树旅游区 functional zone, which administers a township carved out of 普定县 — out of 普定's scope.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from factories import (
    BodyFactory,
    DepartmentFactory,
    PostFactory,
    RegionFactory,
    UserFactory,
)
from scenario import Registry

from jiandu.access.models import User
from jiandu.org.models import BodyKind, Level, Person, PostKind, RegionKind

pytestmark = pytest.mark.django_db

PASSWORD = "Jiandu-test-2024"


@pytest.fixture
def county_user(registry: Registry) -> User:
    return UserFactory(username="puding", first_name="张伟", body=registry.commission, person=registry.zhang)


@pytest.fixture
def editor(registry: Registry) -> User:
    return UserFactory(username="puding-editor", body=registry.commission, permissions=["org.change_body"])


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_county(county_user: User) -> Client:
    return signed_in(county_user)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- the shell ----------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(registry: Registry) -> None:
    client = Client()
    for url in ["/", reverse("org:region-list"), reverse("org:body-detail", args=[registry.commission.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_anonymous_htmx_request_redirects_the_whole_window(registry: Registry) -> None:
    response = Client().get(
        reverse("org:body-list"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/org/bodies/?q=x",
    )
    assert response["HX-Redirect"] == reverse("login") + "?next=/org/bodies/%3Fq%3Dx"


def test_login_page_and_bad_credentials(county_user: User) -> None:
    client = Client()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="username"' in text(page) and "autofocus" in text(page)
    assert "demo-accounts" in text(page)
    bad = client.post(reverse("login"), {"username": "puding", "password": "wrong-password-1"})
    assert bad.status_code == 200
    assert 'role="alert"' in text(bad)
    good = client.post(reverse("login"), {"username": "puding", "password": PASSWORD})
    assert good.status_code == 302 and good["Location"] == reverse("home")


def test_base_layout_is_local_and_accessible(client_county: Client) -> None:
    html = text(client_county.get("/"))
    assert '<html lang="zh-hans">' in html
    assert 'href="#main"' in html  # skip link
    assert "X-CSRFToken" in html  # htmx sends the CSRF token
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert f'action="{reverse("logout")}"' in html and 'method="post"' in html
    assert f'action="{reverse("set_language")}"' in html
    # Areas still to come (线索案件) are shown, disabled; the rest lead somewhere (片区 opens the maps).
    from jiandu.core.context_processors import NAVIGATION

    assert html.count('aria-disabled="true"') == sum(1 for item in NAVIGATION if item["url"] is None) == 1


def test_language_switch_to_english(client_county: Client) -> None:
    response = client_county.post(
        reverse("set_language"), {"language": "en", "next": "/org/bodies/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/org/bodies/"
    assert '<html lang="en">' in text(response)
    assert '<html lang="en">' in text(client_county.get("/"))


def test_logout_is_a_post(client_county: Client) -> None:
    response = client_county.post(reverse("logout"))
    assert response.status_code == 302
    assert client_county.get("/").status_code == 302


# --- home ---------------------------------------------------------------------------------------------


def test_home_shows_the_users_body_and_scope(client_county: Client, registry: Registry) -> None:
    response = client_county.get("/")
    assert response.status_code == 200
    html = text(response)
    assert "普定县纪委监委" in html and "张伟" in html
    assert reverse("org:region-detail", args=["520422000000"]) in html
    assert response.context["summary"] == {
        "counties": 1,
        "townships": 1,
        "villages": 2,
        "bodies": 5,
        "people": 7,
    }
    assert response.context["departments"] == 2


def test_home_of_a_user_without_body(registry: Registry) -> None:
    client = signed_in(UserFactory(username="nobody"))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["body"] is None
    assert 'class="alert alert-warning' in text(response)
    assert client.get(reverse("org:body-list")).context["object_list"].count() == 0
    staffing = client.get(reverse("org:staffing"))
    assert staffing.status_code == 200
    assert "org/staffing_empty.html" in [t.name for t in staffing.templates]
    # Asking for a region outside scope is still a 404.
    assert client.get(reverse("org:staffing") + "?region=520422000000").status_code == 404


# --- lists: scope, search, filters, htmx --------------------------------------------------------------

IN_AND_OUT = [
    # url name, query, shown, hidden
    ("org:region-list", "", ["普定县", "马官镇"], ["西秀区", "安顺市", "白岩镇"]),
    ("org:region-list", "?kind=village", ["天星村", "马场村"], ["南华社区"]),
    ("org:region-list", "?kind=township", ["马官镇"], ["南街街道", "白岩镇"]),
    (
        "org:body-list",
        "",
        ["普定县纪委监委", "马官镇纪委", "天星村村务监督委员会"],
        ["西秀区纪委监委", "黄果树"],
    ),
    ("org:department-list", "", ["普定县卫生健康局", "普定县教育局"], ["西秀区卫生健康局"]),
    ("org:person-list", "", ["张伟", "陈静", "赵磊"], ["周强", "郑华", "吴敏"]),
]


@pytest.mark.parametrize(("name", "query", "shown", "hidden"), IN_AND_OUT)
def test_lists_show_only_the_scope(
    client_county: Client, name: str, query: str, shown: list[str], hidden: list[str]
) -> None:
    response = client_county.get(reverse(name) + query)
    assert response.status_code == 200
    html = text(response)
    for item in shown:
        assert item in html, item
    for item in hidden:
        assert item not in html, item


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("org:region-list", "?q=马场", ["马场村"]),
        ("org:region-list", "?q=520422101233", ["天星村"]),
        ("org:region-list", "?q=南街", []),
        ("org:body-list", "?kind=township_office", ["马官镇纪委"]),
        ("org:body-list", "?level=village", ["天星村村务监督委员会"]),
        ("org:body-list", "?q=派驻", ["普定县纪委监委派驻第一纪检监察组"]),
        ("org:body-list", "?region=520422000000&kind=commission", ["普定县纪委监委"]),
        ("org:department-list", "?q=教育", ["普定县教育局"]),
        ("org:department-list", "?q=卫健", ["普定县卫生健康局"]),
        ("org:person-list", "?post=village_committee_member", ["赵磊"]),
        ("org:person-list", "?q=陈", ["陈静"]),
    ],
)
def test_search_and_filters_narrow_the_list(
    client_county: Client, name: str, query: str, expected: list[str]
) -> None:
    response = client_county.get(reverse(name) + query)
    assert response.status_code == 200
    assert sorted(str(obj) for obj in response.context["object_list"]) == sorted(expected)


def test_a_filter_cannot_reach_outside_the_scope(client_county: Client) -> None:
    # 西秀区 is not among the choices: the filter is ignored as invalid rather than widening anything.
    response = client_county.get(reverse("org:body-list") + "?region=520402000000")
    assert "西秀区纪委监委" not in [str(b) for b in response.context["object_list"]]


def test_sorting(client_county: Client) -> None:
    response = client_county.get(reverse("org:body-list") + "?sort=-establishment&level=county")
    names = [b.name for b in response.context["object_list"]]
    assert names[0] == "普定县纪委监委"  # 4 posts, then the group's 3; the office has none
    assert 'aria-sort="descending"' in text(response)
    by_headcount = client_county.get(reverse("org:body-list") + "?sort=-headcount")
    assert [b.headcount for b in by_headcount.context["object_list"]] == [2, 2, 1, 1, 1]


def test_htmx_request_gets_only_the_table(client_county: Client) -> None:
    url = reverse("org:body-list") + "?q=马官"
    partial = client_county.get(url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = text(partial)
    assert "<html" not in html and "<table" in html and "马官镇纪委" in html
    assert "HX-Request" in partial["Vary"]
    full = client_county.get(url)
    assert "<html" in text(full)
    # Restoring history needs the whole page.
    restored = client_county.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in text(restored)


def test_pagination_keeps_the_query(client_county: Client, registry: Registry) -> None:
    for n in range(60):
        RegionFactory(
            code=f"520422101{300 + n:03d}", name=f"新村{n}", kind=RegionKind.VILLAGE, parent=registry.maguan
        )
    response = client_county.get(reverse("org:region-list") + "?q=新村&kind=village")
    assert response.context["paginator"].count == 60
    html = text(response)
    assert "?q=%E6%96%B0%E6%9D%91&amp;kind=village&amp;page=2" in html
    second = client_county.get(reverse("org:region-list") + "?q=新村&kind=village&page=2")
    assert len(second.context["object_list"]) == 10


def test_region_drill_down(client_county: Client, registry: Registry) -> None:
    county = client_county.get(reverse("org:region-detail", args=["520422000000"]))
    assert county.status_code == 200
    assert [r.name for r in county.context["children"]] == ["马官镇"]  # 白岩镇 belongs to the zone
    assert county.context["ancestors"] == []  # 安顺市 is above the user's scope
    township = client_county.get(reverse("org:region-detail", args=["520422101000"]))
    assert [(r.name, r.n_children) for r in township.context["children"]] == [("马场村", 0), ("天星村", 0)]
    assert "马官镇纪委" in text(township)
    village = client_county.get(reverse("org:region-detail", args=["520422101233"]))
    html = text(village)
    assert [a.name for a in village.context["ancestors"]] == ["普定县", "马官镇"]
    assert "陈静" in html and reverse("org:person-detail", args=[registry.chen.pk]) in html
    assert "天星村村务监督委员会" in html


def test_body_detail(client_county: Client, registry: Registry) -> None:
    response = client_county.get(reverse("org:body-detail", args=[registry.commission.pk]))
    assert response.status_code == 200
    html = text(response)
    # 李娜 sits in the commission's office, which is staffed within the commission's 4 posts.
    assert response.context["headcount"] == 1 and response.context["unit_headcount"] == 2
    assert response.context["vacancies"] == 2
    assert "张伟" in html and "吴敏" not in html
    assert "普定县纪委监委第一纪检监察室" in html  # a child body
    assert reverse("org:body-edit", args=[registry.commission.pk]) not in html  # no permission
    group = client_county.get(reverse("org:body-detail", args=[registry.group.pk]))
    assert "普定县卫生健康局" in text(group)


def test_department_and_person_detail(client_county: Client, registry: Registry) -> None:
    department = client_county.get(reverse("org:department-detail", args=[registry.health.pk]))
    assert department.status_code == 200
    assert "普定县纪委监委派驻第一纪检监察组" in text(department)
    person = client_county.get(reverse("org:person-detail", args=[registry.chen.pk]))
    assert person.status_code == 200
    html = text(person)
    assert len(person.context["posts"]) == 3
    assert "1980" in html


def test_detail_pages_outside_the_scope_are_404(client_county: Client, registry: Registry) -> None:
    urls = [
        reverse("org:region-detail", args=[registry.xixiu.code]),
        reverse("org:region-detail", args=[registry.city.code]),
        reverse("org:region-detail", args=[registry.carved.code]),
        reverse("org:region-detail", args=[registry.zone.code]),
        reverse("org:body-detail", args=[registry.xixiu_commission.pk]),
        reverse("org:body-detail", args=[registry.zone_commission.pk]),
        reverse("org:department-detail", args=[registry.xixiu_health.pk]),
        reverse("org:person-detail", args=[registry.zhou.pk]),
        reverse("org:person-detail", args=[registry.wu.pk]),  # no post any more
        reverse("org:staffing") + "?region=520402000000",
    ]
    for url in urls:
        response = client_county.get(url)
        assert response.status_code == 404, url
        assert "超出您账号的查看权限范围" in text(response)  # the same page as a missing object


def test_dispatched_group_sees_its_departments(registry: Registry) -> None:
    client = signed_in(UserFactory(username="group", body=registry.group))
    departments = client.get(reverse("org:department-list"))
    assert [d.name for d in departments.context["object_list"]] == ["普定县卫生健康局"]
    bodies = client.get(reverse("org:body-list"))
    assert [b.name for b in bodies.context["object_list"]] == ["普定县纪委监委派驻第一纪检监察组"]
    assert client.get(reverse("org:department-detail", args=[registry.education.pk])).status_code == 404


def test_functional_zone_user_sees_its_carved_townships(registry: Registry) -> None:
    client = signed_in(UserFactory(username="zone", body=registry.zone_commission))
    regions = client.get(reverse("org:region-list"))
    assert [r.name for r in regions.context["object_list"]] == ["白岩镇", "黄果树旅游区"]
    zone = client.get(reverse("org:region-detail", args=[registry.zone.code]))
    assert [r.name for r in zone.context["children"]] == ["白岩镇"]
    assert client.get(reverse("org:region-detail", args=[registry.puding.code])).status_code == 404
    carved = client.get(reverse("org:region-detail", args=[registry.carved.code]))
    assert carved.context["ancestors"] == []  # its statutory county is not the zone's
    assert "badge-zone" in text(carved)


def test_city_user_sees_both_counties_and_the_zone(registry: Registry) -> None:
    city_body = BodyFactory(name="安顺市纪委监委", region=registry.city, establishment=60)
    client = signed_in(UserFactory(username="city", body=city_body))
    regions = client.get(reverse("org:region-list"))
    assert [r.name for r in regions.context["object_list"]] == ["安顺市", "西秀区", "普定县", "黄果树旅游区"]
    assert client.get(reverse("org:staffing") + "?region=520402000000").status_code == 200
    choices = client.get(reverse("org:staffing")).context["choices"]
    assert [r.code for r in choices] == ["520400000000", "520402000000", "520422000000", "520492000000"]


# --- editing -------------------------------------------------------------------------------------------


def test_edit_body_with_permission(editor: User, registry: Registry) -> None:
    client = signed_in(editor)
    url = reverse("org:body-edit", args=[registry.maguan_office.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="establishment"' in text(form)
    assert reverse("org:body-detail", args=[registry.maguan_office.pk]) in text(form)  # cancel link
    response = client.post(url, {"name": "马官镇纪委", "establishment": "4", "is_active": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("org:body-detail", args=[registry.maguan_office.pk])
    registry.maguan_office.refresh_from_db()
    assert registry.maguan_office.establishment == 4
    detail = client.get(response["Location"])
    assert url in text(detail)  # the edit button
    assert "alert-success" in text(detail)


def test_edit_body_shows_errors_next_to_fields(editor: User, registry: Registry) -> None:
    client = signed_in(editor)
    url = reverse("org:body-edit", args=[registry.maguan_office.pk])
    response = client.post(url, {"name": "", "establishment": "-1"})
    assert response.status_code == 200
    html = text(response)
    assert 'id="id_name_error"' in html and 'id="id_establishment_error"' in html
    assert 'aria-invalid="true"' in html


def test_edit_body_without_permission_is_403(client_county: Client, registry: Registry) -> None:
    url = reverse("org:body-edit", args=[registry.maguan_office.pk])
    assert client_county.get(url).status_code == 403
    assert client_county.post(url, {"name": "x", "is_active": "on"}).status_code == 403


def test_edit_body_outside_scope_is_404(editor: User, registry: Registry) -> None:
    client = signed_in(editor)
    url = reverse("org:body-edit", args=[registry.xixiu_commission.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "establishment": "1", "is_active": "on"}).status_code == 404
    registry.xixiu_commission.refresh_from_db()
    assert registry.xixiu_commission.name == "西秀区纪委监委"


def test_new_person_gets_a_post_in_scope(registry: Registry) -> None:
    client = signed_in(
        UserFactory(username="hr", body=registry.commission, permissions=["org.change_person"])
    )
    response = client.post(
        reverse("org:person-create"),
        {"name": "钱进", "birth_year": "1990", "body": registry.maguan_office.pk, "post_kind": "staff"},
    )
    assert response.status_code == 302
    person = Person.objects.get(name="钱进")
    assert person.posts.get().region == registry.maguan
    # A body outside the scope is not a valid choice.
    refused = client.post(
        reverse("org:person-create"),
        {"name": "孙悟", "body": registry.xixiu_commission.pk, "post_kind": "staff"},
    )
    assert refused.status_code == 200 and not Person.objects.filter(name="孙悟").exists()


# --- staffing ------------------------------------------------------------------------------------------

EXPECTED_ROWS = [
    # kind, level, bodies, establishment, headcount, vacancies
    (BodyKind.COMMISSION, Level.COUNTY, 1, 4, 2, 2),  # the office's 李娜 counts within the commission
    (BodyKind.DISPATCHED_GROUP, Level.COUNTY, 1, 3, 1, 2),
    (BodyKind.TOWNSHIP_OFFICE, Level.TOWNSHIP, 1, 3, 2, 1),
    (BodyKind.VILLAGE_COMMITTEE, Level.VILLAGE, 1, 0, 2, 0),
]


def test_staffing_page(client_county: Client) -> None:
    response = client_county.get(reverse("org:staffing"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.region_code == "520422000000"
    assert [
        (r.kind, r.level, r.bodies, r.establishment, r.headcount, r.vacancies) for r in report.bodies
    ] == [(k.value, lv.value, *figures) for k, lv, *figures in EXPECTED_ROWS]
    assert (report.village_committee_members, report.village_supervisors, report.three_in_one) == (2, 2, 1)
    assert response.context["totals"] == {"bodies": 4, "establishment": 10, "headcount": 7, "vacancies": 5}
    assert response.context["chart"]["establishment"] == [4, 3, 3, 0]
    assert response.context["chart"]["headcount"] == [2, 1, 2, 2]
    html = text(response)
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert 'id="staffing-chart-data"' in html
    assert "format=csv" in html


def test_staffing_csv(client_county: Client) -> None:
    response = client_county.get(reverse("org:staffing") + "?region=520422000000&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="staffing-520422000000.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "普定县" in rows[0][0]
    with translation.override("zh-hans"):
        expected = [
            [str(BodyKind(k).label), str(Level(lv).label), *map(str, figures)]
            for k, lv, *figures in EXPECTED_ROWS
        ]
    assert rows[2:6] == expected
    village = {row[0]: row[1:] for row in rows[8:12]}
    with translation.override("zh-hans"):
        assert village[str(PostKind.VILLAGE_DISCIPLINE_MEMBER.label)] == ["1", "1"]
    assert [row[1] for row in rows[13:16]] == ["2", "2", "1"]


# --- cost ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["org:region-list", "org:body-list", "org:department-list", "org:person-list"]
)
def test_list_queries_do_not_grow_with_rows(client_county: Client, registry: Registry, name: str) -> None:
    with CaptureQueriesContext(connection) as before:
        client_county.get(reverse(name))
    for n in range(5):
        body = BodyFactory(name=f"临时机构{n}", kind=BodyKind.TASK_FORCE, region=registry.puding)
        PostFactory(person__name=f"临时{n}", body=body)
        DepartmentFactory(region=registry.puding, name=f"普定县临时局{n}")
        RegionFactory(
            code=f"520422101{400 + n:03d}", name=f"临村{n}", kind=RegionKind.VILLAGE, parent=registry.maguan
        )
    with CaptureQueriesContext(connection) as after:
        client_county.get(reverse(name))
    assert len(after) == len(before), [q["sql"] for q in after]
