"""A county with problems of one category at four units in the first quarter of 2026 (a systemic proposal
at the default threshold of 3), one more at a township of another county, and users of several scopes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from factories import BodyFactory, DepartmentFactory, ProblemFactory, RegionFactory, UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.access.roles import CONSULTATION_EDITORS, role_group
from jiandu.ledger.models import Category, Problem
from jiandu.org.models import BodyKind, Department, RegionKind

Q1 = datetime.date(2026, 3, 5)


@dataclass
class World:
    r: Registry
    category: Category
    civil_affairs: Department
    maguan: Problem  # township 马官镇 (the township office sees it)
    chengguan: Problem  # township 城关镇
    health: Problem  # the health bureau (the dispatched group sees it)
    education: Problem  # the education bureau
    xixiu: Problem  # another county's township: outside 普定's scope
    county: User  # 普定县纪委监委, consultation editor
    township: User  # 马官镇纪委, consultation editor
    group: User  # the dispatched group that supervises the health bureau
    xixiu_user: User  # 西秀区纪委监委


def editor(username: str, body: object) -> User:
    user = UserFactory(username=username, body=body)
    user.groups.add(role_group(CONSULTATION_EDITORS))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(registry: Registry) -> World:
    r = registry
    category = Category.objects.get(name="惠民政策落实")
    chengguan = RegionFactory(code="520422100000", name="城关镇", kind=RegionKind.TOWNSHIP, parent=r.puding)
    BodyFactory(name="城关镇纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=chengguan)
    civil_affairs = DepartmentFactory(
        region=r.puding, name="普定县民政局", short_name="县民政局", sector=category.sector
    )
    problems = {
        "maguan": ProblemFactory(
            facts="马官镇天星村低保资金延迟发放",
            found_by=r.maguan_office,
            region=r.tianxing,
            amount=Decimal("1200"),
        ),
        "chengguan": ProblemFactory(facts="城关镇临时救助审核不严", found_by=r.commission, region=chengguan),
        "health": ProblemFactory(
            facts="县卫健局医疗救助资金未及时拨付",
            found_by=r.commission,
            region=r.puding,
            responsible_region=None,
            responsible_department=r.health,
            amount=Decimal("30000"),
        ),
        "education": ProblemFactory(
            facts="县教育局学生资助名单未公示",
            found_by=r.commission,
            region=r.puding,
            responsible_region=None,
            responsible_department=r.education,
        ),
        "xixiu": ProblemFactory(facts="南街街道低保复核走过场", found_by=r.xixiu_commission, region=r.nanjie),
    }
    for problem in problems.values():
        problem.category = category
        problem.found_on = Q1
        problem.save()
    return World(
        r=r,
        category=category,
        civil_affairs=civil_affairs,
        county=editor("cs-county", r.commission),
        township=editor("cs-township", r.maguan_office),
        group=editor("cs-group", r.group),
        xixiu_user=editor("cs-xixiu", r.xixiu_commission),
        **problems,
    )


def signed_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client
