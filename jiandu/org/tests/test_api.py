"""The organisation API as users of three scopes see it: a county commission, a dispatched group and a
township office (tests/scenario.py has the registry). Lists hold only what is in scope, detail outside
scope answers exactly as a missing record, and writes need the permission, the scope, and related
objects the user may see.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories import BodyFactory, DepartmentFactory, PostFactory, RegionFactory, UserFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from scenario import Registry

from jiandu.access.models import User
from jiandu.org.models import Body, BodyKind, Department, Person, PostKind, RegionKind, Skill

pytestmark = pytest.mark.django_db

MISSING_PK = 987654321
MISSING_CODE = "999999999999"
WRITE_PERMISSIONS = [
    "org.change_body",
    "org.add_department",
    "org.change_department",
    "org.add_person",
    "org.change_person",
]


def client_for(user: User) -> APIClient:
    """A client that authenticates as a script does, with a token."""
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def users(registry: Registry) -> dict[str, User]:
    r = registry
    return {
        "county": UserFactory(username="api-county", body=r.commission, permissions=WRITE_PERMISSIONS),
        "group": UserFactory(username="api-group", body=r.group, permissions=WRITE_PERMISSIONS),
        "township": UserFactory(username="api-township", body=r.maguan_office, permissions=WRITE_PERMISSIONS),
        "reader": UserFactory(username="api-reader", body=r.commission),
    }


def names(response: Any, key: str = "name") -> set[str]:
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


# What each scope must see, by hand: a wrong scope rule fails here even if `visible_to` agrees with itself.
PUDING_BODIES = {
    "普定县纪委监委",
    "普定县纪委监委第一纪检监察室",
    "普定县纪委监委派驻第一纪检监察组",
    "马官镇纪委",
    "天星村村务监督委员会",
}
EXPECTED = {
    "county": {
        "regions": {"520422000000", "520422101000", "520422101233", "520422101201"},
        "bodies": PUDING_BODIES,
        "departments": {"普定县卫生健康局", "普定县教育局"},
        "people": {"张伟", "李娜", "孙丽", "王芳", "刘洋", "陈静", "赵磊"},
    },
    "group": {
        "regions": {"520422000000", "520422101000", "520422101233", "520422101201"},
        "bodies": {"普定县纪委监委派驻第一纪检监察组"},
        "departments": {"普定县卫生健康局"},
        "people": {"孙丽"},
    },
    "township": {
        "regions": {"520422101000", "520422101233", "520422101201"},
        "bodies": {"马官镇纪委", "天星村村务监督委员会"},
        "departments": set(),
        "people": {"王芳", "刘洋", "陈静", "赵磊"},
    },
}


@pytest.mark.parametrize("key", ["county", "group", "township"])
@pytest.mark.parametrize("endpoint", ["regions", "bodies", "departments", "people"])
def test_lists_hold_exactly_the_scope(users: dict[str, User], key: str, endpoint: str) -> None:
    field = "code" if endpoint == "regions" else "name"
    response = client_for(users[key]).get(f"/api/{endpoint}/", {"page_size": 500})
    assert names(response, field) == EXPECTED[key][endpoint]
    assert response.json()["count"] == len(EXPECTED[key][endpoint])


def out_of_scope(r: Registry, key: str) -> list[str]:
    """Detail URLs of records outside each scope."""
    others = [
        f"/api/bodies/{r.xixiu_commission.pk}/",
        f"/api/bodies/{r.zone_commission.pk}/",
        f"/api/departments/{r.xixiu_health.pk}/",
        f"/api/people/{r.zhou.pk}/",
        f"/api/regions/{r.xixiu.code}/",
        f"/api/regions/{r.carved.code}/",
        f"/api/people/{r.wu.pk}/",  # only an ended post in 普定: out of everyone's scope
    ]
    if key == "group":
        others += [
            f"/api/bodies/{r.commission.pk}/",
            f"/api/departments/{r.education.pk}/",
            f"/api/people/{r.zhang.pk}/",
        ]
    if key == "township":
        others += [
            f"/api/bodies/{r.commission.pk}/",
            f"/api/departments/{r.health.pk}/",
            f"/api/people/{r.zhang.pk}/",
            f"/api/regions/{r.puding.code}/",
        ]
    return others


@pytest.mark.parametrize("key", ["county", "group", "township"])
def test_detail_outside_scope_answers_as_a_missing_record(
    registry: Registry, users: dict[str, User], key: str
) -> None:
    client = client_for(users[key])
    for url in out_of_scope(registry, key):
        endpoint = url.rstrip("/").rsplit("/", 1)[0]
        missing = client.get(f"{endpoint}/{MISSING_CODE if 'regions' in url else MISSING_PK}/")
        response = client.get(url)
        assert response.status_code == missing.status_code == 404, url
        assert response.json() == missing.json(), url


@pytest.mark.parametrize("key", ["county", "group", "township"])
def test_detail_inside_scope(registry: Registry, users: dict[str, User], key: str) -> None:
    client = client_for(users[key])
    own = users[key].body
    assert own is not None
    assert client.get(f"/api/bodies/{own.pk}/").json()["name"] == own.name
    assert client.get(f"/api/regions/{own.region.code}/").json()["name"] == own.region.name


def test_person_shows_skills_and_only_the_posts_in_scope(registry: Registry, users: dict[str, User]) -> None:
    r = registry
    chen = r.chen
    chen.skills.add(Skill.objects.create(name="财务"))
    # A post of the same person in another county: the county user must not see it.
    PostFactory(person=chen, body=r.xixiu_commission, kind=PostKind.STAFF)
    data = client_for(users["county"]).get(f"/api/people/{chen.pk}/").json()
    assert data["skills"] == ["财务"]
    assert {post["body_name"] for post in data["posts"]} == {"天星村村务监督委员会", None}
    assert len(data["posts"]) == 3
    assert r.xixiu_commission.name not in str(data)


def test_body_lists_only_related_objects_in_scope(registry: Registry, users: dict[str, User]) -> None:
    r = registry
    r.group.supervised_departments.add(r.xixiu_health)  # a record out of the county's scope
    county = client_for(users["county"]).get(f"/api/bodies/{r.group.pk}/").json()
    assert county["supervised_departments"] == [r.health.pk]
    department = client_for(users["county"]).get(f"/api/departments/{r.health.pk}/").json()
    assert department["supervising_bodies"] == [r.group.pk]
    assert department["region"] == r.puding.code


def test_posts_skills_and_users_lists(registry: Registry, users: dict[str, User]) -> None:
    township = client_for(users["township"])
    posts = township.get("/api/posts/", {"page_size": 500}).json()["results"]
    assert {post["person_name"] for post in posts} == {"王芳", "刘洋", "陈静", "赵磊"}
    assert len(posts) == 6  # 陈静 holds three village posts
    Skill.objects.create(name="审计")
    assert names(township.get("/api/skills/")) == {"审计"}
    assert names(township.get("/api/users/"), "username") == {"api-township"}


# --- filtering, search, ordering, pagination ------------------------------------------------------------


def test_filters_search_ordering_and_pages(registry: Registry, users: dict[str, User]) -> None:
    client = client_for(users["county"])
    assert names(client.get("/api/bodies/", {"kind": "township_office"})) == {"马官镇纪委"}
    assert names(client.get("/api/people/", {"post": "director"})) == {"王芳"}
    assert names(client.get("/api/departments/", {"region": registry.puding.code, "is_active": "1"})) == {
        "普定县卫生健康局", "普定县教育局",
    }  # fmt: skip
    assert names(client.get("/api/departments/", {"q": "教育"})) == {"普定县教育局"}
    assert names(client.get("/api/posts/", {"kind": "livelihood_supervisor"}), "person_name") == {"陈静"}
    ordered = client.get("/api/regions/", {"sort": "-code"}).json()["results"]
    assert [row["code"] for row in ordered] == sorted((row["code"] for row in ordered), reverse=True)
    first = client.get("/api/people/", {"page_size": 2, "sort": "name"}).json()
    assert first["count"] == 7 and len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert not {p["id"] for p in first["results"]} & {p["id"] for p in second["results"]}


def test_a_region_filter_out_of_scope_fails_as_a_missing_one(
    registry: Registry, users: dict[str, User]
) -> None:
    client = client_for(users["county"])
    hidden = client.get("/api/departments/", {"region": registry.xixiu.code})
    missing = client.get("/api/departments/", {"region": MISSING_CODE})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["errors"].keys() == {"region"}
    assert hidden.json()["errors"]["region"] == [
        message.replace(MISSING_CODE, registry.xixiu.code) for message in missing.json()["errors"]["region"]
    ]


LISTS = ["regions", "bodies", "departments", "people", "posts", "skills", "users"]


def test_list_query_count_does_not_grow_with_rows(registry: Registry, users: dict[str, User]) -> None:
    client = client_for(users["county"])

    def queries() -> dict[str, int]:
        counts = {}
        for endpoint in LISTS:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"/api/{endpoint}/").status_code == 200
            counts[endpoint] = len(captured)
        return counts

    Skill.objects.create(name="法律")  # an empty list skips the page query: start with a row in each
    queries()  # warm the caches (content types) that the first request fills
    before = queries()
    for n in range(3):
        village = RegionFactory(code=f"52042210130{n}", kind=RegionKind.VILLAGE, parent=registry.maguan)
        committee = BodyFactory(
            kind=BodyKind.VILLAGE_COMMITTEE, region=village, parent=registry.maguan_office
        )
        committee.covered_regions.add(village)
        department = DepartmentFactory(region=registry.puding)
        registry.group.supervised_departments.add(department)
        person = PostFactory(person__name=f"多{n}", body=committee).person
        person.skills.add(Skill.objects.create(name=f"技能{n}"))
        UserFactory(username=f"more-{n}", body=committee, person=person)
    assert queries() == before, "a list makes a query per row"


# --- writes -------------------------------------------------------------------------------------------


def test_body_update_goes_through_the_service(registry: Registry, users: dict[str, User]) -> None:
    body = registry.commission
    response = client_for(users["county"]).patch(
        f"/api/bodies/{body.pk}/", {"establishment": 12}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["establishment"] == 12
    body.refresh_from_db()
    assert body.establishment == 12
    assert body.name == "普定县纪委监委"  # PATCH left the other fields alone


def test_writes_need_the_permission(registry: Registry, users: dict[str, User]) -> None:
    client = client_for(users["reader"])
    body = registry.commission
    assert client.patch(f"/api/bodies/{body.pk}/", {"establishment": 12}, format="json").status_code == 403
    response = client.post(
        "/api/departments/", {"region": registry.puding.code, "name": "x", "short_name": "x"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] and response.json()["errors"] == {}
    assert client.post("/api/people/", {}).status_code == 403
    body.refresh_from_db()
    assert body.establishment == 4
    # Without the permission, a record that does not exist gets the same 403: nothing to learn.
    assert client.patch(f"/api/bodies/{MISSING_PK}/", {}, format="json").status_code == 403


def test_writes_outside_scope_are_404(registry: Registry, users: dict[str, User]) -> None:
    r = registry
    client = client_for(users["group"])
    assert (
        client.patch(f"/api/bodies/{r.commission.pk}/", {"establishment": 1}, format="json").status_code
        == 404
    )
    assert (
        client.patch(f"/api/departments/{r.education.pk}/", {"sector": "x"}, format="json").status_code == 404
    )
    assert client.patch(f"/api/people/{r.zhang.pk}/", {"birth_year": 1970}, format="json").status_code == 404
    # Its own department it may change.
    response = client.patch(f"/api/departments/{r.health.pk}/", {"sector": "卫生"}, format="json")
    assert response.status_code == 200 and response.json()["sector"] == "卫生"


def test_read_only_endpoints_refuse_writes(registry: Registry, users: dict[str, User]) -> None:
    client = client_for(users["county"])
    assert client.post("/api/regions/", {}, format="json").status_code == 405
    assert client.delete(f"/api/people/{registry.zhang.pk}/").status_code == 405
    assert client.post("/api/bodies/", {}, format="json").status_code == 405
    assert client.put(f"/api/posts/{registry.zhang.posts.first().pk}/", {}, format="json").status_code == 405


def test_related_objects_out_of_scope_are_refused_as_missing(
    registry: Registry, users: dict[str, User]
) -> None:
    r = registry
    client = client_for(users["county"])
    url = f"/api/bodies/{r.office.pk}/"
    hidden = client.patch(url, {"parent": r.xixiu_commission.pk}, format="json")
    missing = client.patch(url, {"parent": MISSING_PK}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["errors"]["parent"] == [
        m.replace(str(MISSING_PK), str(r.xixiu_commission.pk)) for m in missing.json()["errors"]["parent"]
    ]
    r.office.refresh_from_db()
    assert r.office.parent == r.commission


def test_a_county_user_cannot_create_a_department_in_another_county(
    registry: Registry, users: dict[str, User]
) -> None:
    client = client_for(users["county"])
    data = {"name": "普定县民政局", "short_name": "县民政局", "sector": "民政"}
    elsewhere = client.post("/api/departments/", {**data, "region": registry.xixiu.code}, format="json")
    nowhere = client.post("/api/departments/", {**data, "region": MISSING_CODE}, format="json")
    assert elsewhere.status_code == nowhere.status_code == 400
    assert elsewhere.json()["errors"]["region"] == [
        m.replace(MISSING_CODE, registry.xixiu.code) for m in nowhere.json()["errors"]["region"]
    ]
    assert not Department.objects.filter(name="普定县民政局").exists()
    created = client.post("/api/departments/", {**data, "region": registry.puding.code}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["region"] == registry.puding.code
    assert Department.objects.get(pk=created.json()["id"]).sector == "民政"


def test_a_township_user_cannot_place_a_department_in_its_county(
    registry: Registry, users: dict[str, User]
) -> None:
    client = client_for(users["township"])
    for code in (registry.puding.code, registry.maguan.code):  # out of scope; not a county-level region
        response = client.post(
            "/api/departments/", {"region": code, "name": "某局", "short_name": "某局"}, format="json"
        )
        assert response.status_code == 400 and "region" in response.json()["errors"]


def test_model_validation_in_the_service_is_a_400(registry: Registry, users: dict[str, User]) -> None:
    response = client_for(users["county"]).post(
        "/api/departments/",
        {"region": registry.puding.code, "name": "普定县教育局", "short_name": "县教育局"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"].keys() == {"non_field_errors"}


def test_body_update_checks(registry: Registry, users: dict[str, User]) -> None:
    r = registry
    client = client_for(users["county"])
    cycle = client.patch(f"/api/bodies/{r.commission.pk}/", {"parent": r.office.pk}, format="json")
    assert cycle.status_code == 400 and "parent" in cycle.json()["errors"]
    not_a_group = client.patch(
        f"/api/bodies/{r.commission.pk}/", {"supervised_departments": [r.health.pk]}, format="json"
    )
    assert not_a_group.status_code == 400 and "supervised_departments" in not_a_group.json()["errors"]
    group = client.patch(
        f"/api/bodies/{r.group.pk}/", {"supervised_departments": [r.health.pk, r.education.pk]}, format="json"
    )
    assert group.status_code == 200, group.content
    assert sorted(group.json()["supervised_departments"]) == sorted([r.health.pk, r.education.pk])


def test_person_create_with_first_post_and_skills(registry: Registry, users: dict[str, User]) -> None:
    Skill.objects.create(name="法律")
    client = client_for(users["county"])
    data = {
        "name": "新同志",
        "birth_year": 1990,
        "skills": ["法律"],
        "body": registry.office.pk,
        "post_kind": "staff",
    }
    response = client.post("/api/people/", data, format="json")
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert [s.name for s in person.skills.all()] == ["法律"]
    assert response.json()["posts"][0]["body"] == registry.office.pk
    assert person.posts.get().region == registry.puding


def test_person_create_refuses_a_body_out_of_change_scope(registry: Registry, users: dict[str, User]) -> None:
    client = client_for(users["group"])
    response = client.post(
        "/api/people/", {"name": "越界", "body": registry.commission.pk, "post_kind": "staff"}, format="json"
    )
    assert response.status_code == 400 and "body" in response.json()["errors"]
    assert not Person.objects.filter(name="越界").exists()


def test_person_create_needs_the_first_post_and_update_does_not_take_it(
    registry: Registry, users: dict[str, User]
) -> None:
    client = client_for(users["county"])
    response = client.post("/api/people/", {"name": "无岗"}, format="json")
    assert response.status_code == 400
    assert {"body", "post_kind"} <= response.json()["errors"].keys()
    update = client.patch(f"/api/people/{registry.zhang.pk}/", {"body": registry.office.pk}, format="json")
    assert update.status_code == 400 and "body" in update.json()["errors"]


def test_person_update_and_unknown_skill(registry: Registry, users: dict[str, User]) -> None:
    client = client_for(users["county"])
    url = f"/api/people/{registry.zhang.pk}/"
    assert client.patch(url, {"skills": ["没有这个"]}, format="json").status_code == 400
    response = client.patch(url, {"birth_year": 1975, "education": "postgraduate"}, format="json")
    assert response.status_code == 200, response.content
    registry.zhang.refresh_from_db()
    assert (registry.zhang.birth_year, registry.zhang.education) == (1975, "postgraduate")


def test_write_answers_are_scoped_too(registry: Registry, users: dict[str, User]) -> None:
    """The record a write answers with lists only related objects in scope, like a read."""
    r = registry
    r.group.supervised_departments.add(r.xixiu_health)
    response = client_for(users["county"]).patch(
        f"/api/bodies/{r.group.pk}/", {"name": "派驻组"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["supervised_departments"] == [r.health.pk]
    assert Body.objects.get(pk=r.group.pk).supervised_departments.count() == 2


def test_reading_a_person_and_taking_a_token_are_in_the_audit_trail(
    registry: Registry, users: dict[str, User]
) -> None:
    from jiandu.core.models import AuditEntry

    county = users["county"]
    response = client_for(county).get(f"/api/people/{registry.zhang.pk}/")
    assert response.status_code == 200
    view = AuditEntry.objects.filter(action="view", model="org.person").latest("pk")
    assert (view.actor_username, view.object_id) == (county.username, str(registry.zhang.pk))

    client = APIClient()
    answer = client.post("/api/token/", {"username": county.username, "password": "Jiandu-test-2024"})
    assert answer.status_code == 200, answer.content
    login = AuditEntry.objects.filter(action="login").latest("pk")
    assert login.actor_username == county.username and login.detail == {"via": "api-token"}
