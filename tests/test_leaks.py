"""The leak walk: every URL pattern and API endpoint, as users of every kind of scope.

For each user (city, county, dispatched group, township, village, zone group, and a county user under a
recusal) and each URL the project routes:
- a page without arguments must not show the name of any planted record the user may not see;
- a page whose arguments name a record (`pk`, `code` …) is tried with every record of its model: one the
  user may not see answers exactly as a record that does not exist (404, never 200 or a 403 that only the
  real record would get), and shows none of the planted names either.

What a user "may see" is `Model.objects.visible_to(user)`; a second table states by hand what each scope
must not see, so that a wrong scope rule fails too. The URL list comes from the resolver: a new view or
endpoint is walked without anyone editing this file, and one whose arguments name no known model fails
`test_every_url_argument_names_a_model` until the view declares it (`model`, a DRF queryset, or
`@reads(...)` from jiandu.core.views).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from factories import (
    BodyFactory,
    DepartmentFactory,
    PostFactory,
    ProblemFactory,
    RegionFactory,
    UserFactory,
)
from scenario import Registry

from jiandu.access.models import User
from jiandu.access.services import recuse
from jiandu.crossing.models import CrossPair, CrossRound, Kinship
from jiandu.elevated.models import IntegrityFile, SelectionOutcome, SelectionRun
from jiandu.filing.models import Filing
from jiandu.geo.models import Adjacency, RegionShape
from jiandu.ledger.models import DuplicateCandidate, Problem
from jiandu.notices.models import Notice
from jiandu.org.models import Body, BodyKind, Department, Person, PostKind, Region, RegionKind
from jiandu.rectification.models import Rectification
from jiandu.zones.models import Zone, ZoneMember, ZonePlan

pytestmark = pytest.mark.django_db

# URL prefixes the walk leaves out, and why.
SKIPPED_PREFIXES = {
    "static/": "front-end files, no records",
    "i18n/": "language switch (POST only)",
    "accounts/logout/": "ends the session the walk needs",
}
# Admin pages are for superusers only; ordinary users are redirected to the admin login.
ADMIN_PREFIX = "admin/"
# Values that name no record, for the "does not exist" baseline of each kind of argument.
MISSING = {"pk": 987654321, "code": "999999999999", "object_id": "987654321"}


@dataclass(frozen=True)
class Route:
    path: str  # the pattern, for messages
    name: str  # namespace:name
    callback: Any
    kwargs: tuple[str, ...]


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            regex = pattern.pattern.regex
            kwargs = tuple(name for name in regex.groupindex if name != "format")
            name = ":".join(filter(None, [namespace, pattern.name or ""]))
            yield Route(prefix + str(pattern.pattern), name, pattern.callback, kwargs)


def routes() -> list[Route]:
    found = []
    for route in walk(get_resolver().url_patterns):
        plain = route.path.lstrip("^")
        if any(plain.startswith(p) for p in SKIPPED_PREFIXES):
            continue
        if route.path.endswith(r"\.(?P<format>[a-z0-9]+)/?$"):
            continue  # DRF's ".json" twin of a route walked anyway
        found.append(route)
    return found


def model_of(route: Route) -> type[Model] | None:
    """The model a route's arguments name, as its view declares it."""
    callback = route.callback
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        queryset = getattr(view_class, "queryset", None)
        if queryset is not None:
            return queryset.model
        if getattr(view_class, "model", None) is not None:
            return view_class.model
    if hasattr(callback, "reads_model"):
        return callback.reads_model
    return None


def declares_no_record(route: Route) -> bool:
    return hasattr(route.callback, "reads_model") and route.callback.reads_model is None


def url_for(route: Route, values: dict[str, Any]) -> str:
    """Fill the route's arguments; works for path() converters and DRF's regex routes alike."""
    path = route.path.lstrip("^").rstrip("$")
    for name, value in values.items():
        path = re.sub(r"<(?:\w+:)?" + name + ">", str(value), path)
        path = re.sub(r"\(\?P<" + name + r">[^)]*\)", str(value), path)
    return "/" + path.replace("\\", "")


# --- the world -----------------------------------------------------------------------------------------


@dataclass
class World:
    registry: Registry
    users: dict[str, User]
    planted: dict[str, Model]  # token -> record; each token is the record's name, unique in the world
    must_not_see: dict[str, set[str]]  # user key -> tokens that scope must never show


ORG_PERMISSIONS = ("change_body", "add_department", "change_department", "add_person", "change_person")


def plant(registry: Registry) -> dict[str, Model]:
    """Records with unmistakable names in and out of every scope: leaves, so no page shows them as an
    ancestor of something visible."""
    r = registry
    village_a = RegionFactory(
        code="520402001091", name="泄密检测村甲", kind=RegionKind.VILLAGE, parent=r.nanjie
    )
    village_b = RegionFactory(
        code="520422101291", name="泄密检测村乙", kind=RegionKind.VILLAGE, parent=r.maguan
    )
    village_c = RegionFactory(
        code="520422102291",
        name="泄密检测村丙",
        kind=RegionKind.VILLAGE,
        parent=r.carved,
        functional_zone=r.zone,
    )
    committee_a = BodyFactory(name="泄密检测甲监委会", kind=BodyKind.VILLAGE_COMMITTEE, region=village_a)
    committee_b = BodyFactory(name="泄密检测乙监委会", kind=BodyKind.VILLAGE_COMMITTEE, region=village_b)
    committee_c = BodyFactory(name="泄密检测丙监委会", kind=BodyKind.VILLAGE_COMMITTEE, region=village_c)
    dept_xixiu = DepartmentFactory(region=r.xixiu, name="泄密检测西秀局", short_name="泄密西局")
    dept_puding = DepartmentFactory(region=r.puding, name="泄密检测普定局", short_name="泄密普局")
    person_xixiu = PostFactory(person__name="泄密检测人甲", body=r.xixiu_commission).person
    person_village = PostFactory(
        person__name="泄密检测人乙", kind=PostKind.VILLAGE_COMMITTEE_MEMBER, body=committee_b
    ).person
    person_puding = PostFactory(person__name="泄密检测人丙", body=r.commission).person
    person_zone = PostFactory(person__name="泄密检测人丁", body=committee_c).person
    user_xixiu = UserFactory(username="xielou-xixiu", body=r.xixiu_commission)
    user_village = UserFactory(username="xielou-village", body=committee_b)
    problem_xixiu = ProblemFactory(facts="泄密检测问题甲", found_by=r.xixiu_commission, region=village_a)
    problem_village = ProblemFactory(facts="泄密检测问题乙", found_by=committee_b, region=village_b)
    problem_department = ProblemFactory(
        facts="泄密检测问题丙",
        found_by=r.commission,
        region=r.puding,
        responsible_region=None,
        responsible_department=dept_puding,
    )
    problem_zone = ProblemFactory(facts="泄密检测问题丁", found_by=committee_c, region=village_c)
    # Filings (their pages are walked per record) and a reminder addressed to a body no walker acts for.
    for body in (r.xixiu_commission, r.maguan_office, committee_c):
        Filing.objects.create(
            body=body, period="2026-09", period_start=datetime.date(2026, 9, 1),
            period_end=datetime.date(2026, 9, 30), due_on=datetime.date(2026, 10, 15), filed_at=timezone.now(),
        )  # fmt: skip
    notice = Notice.objects.create(body=committee_b, kind="other", message="泄密检测提醒乙", key="leak-walk")
    for problem in (problem_xixiu, problem_village, problem_department, problem_zone):
        # Each problem's rectification: its pages must hide it exactly as they hide the problem.
        Rectification.objects.create(
            problem=problem, supervisor=problem.found_by, measures="-", opened_on=problem.found_on,
            deadline=problem.found_on,
        )  # fmt: skip
    # Shapes and adjacencies (geo): an adjacency names both regions, so it must hide whenever either is hidden.
    for village in (village_a, village_b, village_c, r.tianxing):
        RegionShape.objects.create(
            region=village, geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
            centroid_lon=0.5, centroid_lat=0.3, generated=True,
        )  # fmt: skip
    for first, second in ((village_a, village_b), (village_b, village_c), (village_b, r.tianxing)):
        first, second = sorted((first, second), key=lambda v: v.pk)
        Adjacency.objects.create(region_a=first, region_b=second, basis="pair_list")
    # Zone plans (zones): a plan, its zones and members are visible with the plan's region.
    zone_records: list[Model] = []
    for region, unit, letter in ((r.xixiu, r.nanjie, "甲"), (r.puding, r.maguan, "乙")):
        zone_plan = ZonePlan.objects.create(
            name=f"泄密检测片区方案{letter}", kind="township", region=region, unit_level="township", version=1,
        )  # fmt: skip
        zone = Zone.objects.create(plan=zone_plan, number=1, name=f"泄密检测片区{letter}")
        ZoneMember.objects.create(plan=zone_plan, zone=zone, region=unit)
        zone_records += [zone_plan, zone]
    # A case-review zone with its chief reviewer (a 西秀区 cadre): its chief-reviewer page lists candidates.
    review_plan = ZonePlan.objects.create(
        name="泄密检测审理方案甲", kind="case_review", region=r.xixiu, unit_level="township", version=1
    )
    review_zone = Zone.objects.create(
        plan=review_plan, number=1, name="泄密检测审理片区甲", chief_reviewer=person_xixiu
    )
    ZoneMember.objects.create(plan=review_plan, zone=review_zone, region=r.nanjie)
    zone_records += [review_plan, review_zone]
    # Elevated supervision (elevated): a selection run is visible with its region, each village's line in it
    # with the village too; an integrity file (confidential) with its village.
    elevated_records: list[Model] = []
    for region, village, letter in ((r.xixiu, village_a, "甲"), (r.puding, village_b, "乙")):
        run = SelectionRun.objects.create(
            name=f"泄密检测提级{letter}", region=region, year=2025, period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31), rules={"county_threshold": "1", "city_threshold": "2"},
            digest="0" * 64,
        )  # fmt: skip
        SelectionOutcome.objects.create(run=run, village=village, level="county", candidate="county", total=1)
        file = IntegrityFile.objects.create(village=village, role="secretary", name=f"泄密检测档案{letter}")
        elevated_records += [run, file]
    # Cross supervision (crossing): a round with its region, a recorded relative with the person.
    cross_records: list[Model] = []
    for region, unit, other, letter in (
        (r.xixiu, r.nanjie, r.xixiu_village, "甲"),
        (r.puding, r.maguan, r.machang, "乙"),
    ):
        cross = CrossRound.objects.create(name=f"泄密检测交叉{letter}", level="township", region=region)
        CrossPair.objects.create(round=cross, supervisor=unit, supervised=other)
        cross_records.append(cross)
    cross_records.append(
        Kinship.objects.create(
            person=person_xixiu, relative_name="泄密检测亲属甲", relation="spouse", works_in=r.nanjie
        )
    )
    records: list[Model] = [
        *zone_records,
        *cross_records,
        *elevated_records,
        village_a, village_b, village_c, committee_a, committee_b, committee_c, dept_xixiu, dept_puding,
        person_xixiu, person_village, person_puding, person_zone, user_xixiu, user_village,
        problem_xixiu, problem_village, problem_department, problem_zone, notice,
    ]  # fmt: skip
    # Likely-duplicate pairs across scopes: a pair shows both problems' facts, so its pages must hide it
    # from anyone who cannot see both.
    for first, second in ((problem_xixiu, problem_village), (problem_village, problem_department)):
        first, second = sorted((first, second), key=lambda p: p.pk)
        DuplicateCandidate.objects.create(first=first, second=second, score=0.9, reasons={"text": 0.9})
    return {token_of(record): record for record in records}


def token_of(record: Model) -> str:
    """The unique text a page would show of the record."""
    if isinstance(record, User):
        return record.username
    if isinstance(record, Problem):
        return record.facts
    if isinstance(record, Notice):
        return record.message
    if isinstance(record, Kinship):
        return record.relative_name
    return record.name  # type: ignore[attr-defined]


@pytest.fixture
def world(registry: Registry) -> World:
    r = registry
    planted = plant(r)
    city_commission = BodyFactory(name="安顺市纪委监委", region=r.city, establishment=90)
    zone_group = BodyFactory(name="马官片区工作组", kind=BodyKind.ZONE_GROUP, region=r.maguan)
    zone_group.covered_regions.set([r.nanjie])
    permissions = list(Permission.objects.filter(content_type__app_label="org", codename__in=ORG_PERMISSIONS))
    users = {
        "city": UserFactory(username="w-city", body=city_commission),
        "county": UserFactory(username="w-county", body=r.commission),
        "group": UserFactory(username="w-group", body=r.group),
        "township": UserFactory(username="w-township", body=r.maguan_office),
        "village": UserFactory(username="w-village", body=r.committee),
        "zone": UserFactory(username="w-zone", body=zone_group),
        "recused": UserFactory(username="w-recused", body=r.commission),
    }
    for user in users.values():
        user.user_permissions.add(*permissions)
    decider = UserFactory(username="w-decider", body=r.commission)
    recused_from = [planted["泄密检测普定局"], planted["泄密检测乙监委会"], planted["泄密检测人丙"]]
    for record in recused_from:
        target = record if not isinstance(record, Body) else record.region
        recuse(acting_user=decider, user=users["recused"], target=target, reason="leak walk")
    xixiu = {
        "泄密检测村甲",
        "泄密检测甲监委会",
        "泄密检测西秀局",
        "泄密检测人甲",
        "xielou-xixiu",
        "泄密检测问题甲",
    }
    zone = {"泄密检测村丙", "泄密检测丙监委会", "泄密检测人丁", "泄密检测问题丁"}
    puding_only = {"泄密检测普定局", "泄密检测人丙"}
    # A problem of a county department: the county sees it, a group only for the departments it supervises.
    department_problem = {"泄密检测问题丙"}
    village_b = {"泄密检测村乙", "泄密检测乙监委会", "泄密检测人乙", "xielou-village", "泄密检测问题乙"}
    xixiu_zones = {"泄密检测片区方案甲", "泄密检测片区甲", "泄密检测审理方案甲", "泄密检测审理片区甲"}
    puding_zones = {"泄密检测片区方案乙", "泄密检测片区乙", "泄密检测提级乙", "泄密检测交叉乙"}
    xixiu_zones |= {"泄密检测提级甲", "泄密检测交叉甲"}
    xixiu |= xixiu_zones | {"泄密检测档案甲", "泄密检测亲属甲"}
    village_b |= {"泄密检测档案乙"}
    must_not_see = {
        "city": set(),
        "county": xixiu | zone,
        # Regions are public geography: a dispatched group sees its county's, not the bodies and people there.
        "group": xixiu
        | zone
        | puding_only
        | department_problem
        | (village_b - {"泄密检测村乙"})
        | puding_zones,
        "township": xixiu | zone | puding_only | department_problem | puding_zones,
        "village": xixiu | zone | puding_only | department_problem | village_b | puding_zones,
        "zone": zone
        | puding_only
        | department_problem
        | {"泄密检测西秀局", "泄密检测人甲", "泄密检测亲属甲", "xielou-xixiu"}
        | xixiu_zones
        | puding_zones,
        "recused": xixiu
        | zone
        | puding_only
        | {"泄密检测村乙", "泄密检测乙监委会", "泄密检测问题乙", "泄密检测档案乙"},
    }
    return World(r, users, planted, must_not_see)


def invisible_tokens(world: World, key: str) -> set[str]:
    """Planted records the user may not see, by `visible_to`; checked against the hand-written table."""
    user = User.objects.get(pk=world.users[key].pk)
    hidden = {token for token, record in world.planted.items() if not is_visible(record, user)}
    assert world.must_not_see[key] <= hidden, f"{key} may see {world.must_not_see[key] - hidden}"
    return hidden


def is_visible(record: Model, user: User) -> bool:
    manager = type(record).objects
    if not hasattr(manager, "visible_to") and isinstance(record, User):
        # Until accounts are scoped themselves, an account is as visible as the body it acts for.
        return Body.objects.visible_to(user).filter(pk=record.body_id).exists()
    return manager.visible_to(user).filter(pk=record.pk).exists()


def signed_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def shown(response: Any, tokens: set[str]) -> set[str]:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode(errors="replace")
    else:
        body = response.content.decode(errors="replace")
    return {token for token in tokens if token in body}


SCOPES = ["city", "county", "group", "township", "village", "zone", "recused"]


def test_every_url_argument_names_a_model() -> None:
    undeclared = [
        f"{route.name or route.path} ({', '.join(route.kwargs)})"
        for route in routes()
        if route.kwargs
        and not route.path.lstrip("^").startswith(ADMIN_PREFIX)
        and model_of(route) is None
        and not declares_no_record(route)
    ]
    assert not undeclared, "views whose URL arguments name no model (declare it): " + "; ".join(undeclared)


def test_the_walk_covers_the_pages_and_the_api() -> None:
    names = {route.name for route in routes()}
    assert {"home", "org:region-detail", "org:person-edit", "org:staffing"} <= names
    api = [route for route in routes() if route.path.lstrip("^").startswith("api/")]
    if api:
        assert any(route.kwargs for route in api), "the API has list endpoints but no detail endpoint"


@pytest.mark.parametrize("key", SCOPES)
def test_pages_without_arguments_show_nothing_out_of_scope(world: World, key: str) -> None:
    hidden = invisible_tokens(world, key)
    client = signed_in(world.users[key])
    leaks = {}
    for route in routes():
        if route.kwargs:
            continue
        url = url_for(route, {})
        query = "?page_size=500" if url.startswith("/api/") else ""
        response = client.get(url + query)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if found := shown(response, hidden):
            leaks[url] = found
    assert not leaks, f"{key} sees out-of-scope records: {leaks}"


@pytest.mark.parametrize("key", SCOPES)
def test_records_out_of_scope_answer_as_if_they_did_not_exist(world: World, key: str) -> None:
    hidden = invisible_tokens(world, key)
    user = User.objects.get(pk=world.users[key].pk)
    client = signed_in(world.users[key])
    problems: list[str] = []
    walked = 0
    for route in routes():
        model = model_of(route)
        if not route.kwargs or model is None or route.path.lstrip("^").startswith(ADMIN_PREFIX):
            continue
        if set(route.kwargs) - set(MISSING):
            problems.append(f"{route.name}: no baseline for arguments {route.kwargs}")
            continue
        missing = client.get(url_for(route, {k: MISSING[k] for k in route.kwargs}))
        visible = set(model.objects.visible_to(user).values_list("pk", flat=True))
        for record in model.objects.all():
            url = url_for(route, {k: getattr(record, "pk" if k == "object_id" else k) for k in route.kwargs})
            response = client.get(url)
            walked += 1
            assert response.status_code < 500, f"{url} answered {response.status_code}"
            if record.pk in visible:
                continue
            if response.status_code != missing.status_code or response.status_code == 200:
                problems.append(
                    f"{url} ({record}): {response.status_code}, a missing record gives {missing.status_code}"
                )
            if found := shown(response, hidden):
                problems.append(f"{url} shows {found}")
    assert walked, "no record page was walked"
    assert not problems, f"{key}: " + "; ".join(problems)


def test_recused_user_sees_nothing_of_the_recused_records(world: World) -> None:
    client = signed_in(world.users["recused"])
    department = world.planted["泄密检测普定局"]
    person = world.planted["泄密检测人丙"]
    assert isinstance(department, Department) and isinstance(person, Person)
    assert client.get(f"/org/departments/{department.pk}/").status_code == 404
    assert client.get(f"/org/people/{person.pk}/").status_code == 404
    village = world.planted["泄密检测村乙"]
    assert isinstance(village, Region)
    assert client.get(f"/org/regions/{village.code}/").status_code == 404
    # A colleague in the same body, not recused, sees all three.
    colleague = signed_in(world.users["county"])
    assert colleague.get(f"/org/departments/{department.pk}/").status_code == 200
    assert colleague.get(f"/org/people/{person.pk}/").status_code == 200
    assert colleague.get(f"/org/regions/{village.code}/").status_code == 200


def test_admin_is_closed_to_ordinary_users(world: World) -> None:
    client = signed_in(world.users["city"])
    for route in routes():
        path = route.path.lstrip("^")
        if (
            path.startswith(ADMIN_PREFIX)
            and not route.kwargs
            and path not in ("admin/login/", "admin/logout/")
        ):
            response = client.get(url_for(route, {}))
            assert response.status_code != 200, f"{route.path} is open to a non-superuser"


def test_admin_is_closed_to_staff_of_a_body(world: World) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = world.users["county"]
    staff.is_staff = True
    staff.save()
    client = signed_in(staff)
    # Past two-factor (a staff account must verify first), the admin still turns them away.
    device = TOTPDevice.objects.create(user=staff, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get("/").status_code == 200
    department = world.planted["泄密检测西秀局"]
    for url in ("/admin/org/department/", f"/admin/org/department/{department.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
