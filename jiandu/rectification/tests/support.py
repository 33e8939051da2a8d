"""A small rectification world on the shared registry: a county supervisor, the 马官镇 office that reports
for its township, the dispatched group that reports for the health bureau, and one problem of each ledger."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from factories import ProblemFactory, UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.access.roles import (
    LEDGER_EDITORS,
    RECTIFICATION_REPORTERS,
    RECTIFICATION_SUPERVISORS,
    role_group,
)
from jiandu.ledger.models import Problem

FOUND = datetime.date(2026, 3, 5)
OPENED = datetime.date(2026, 3, 10)


@dataclass
class World:
    registry: Registry
    supervisor: User  # 普定县纪委监委
    township: User  # 马官镇纪委: reports for 马官镇
    group: User  # the dispatched group: reports for 县卫健局
    outsider: User  # 西秀区纪委监委, with every role
    township_problem: Problem
    department_problem: Problem


def with_roles(user: User, *roles: str) -> User:
    user.groups.add(*(role_group(name) for name in roles))
    return User.objects.get(pk=user.pk)


def build_world(registry: Registry) -> World:
    r = registry
    everything = (LEDGER_EDITORS, RECTIFICATION_SUPERVISORS, RECTIFICATION_REPORTERS)
    return World(
        registry=r,
        supervisor=with_roles(UserFactory(username="sup", body=r.commission), *everything),
        township=with_roles(UserFactory(username="town", body=r.maguan_office), RECTIFICATION_REPORTERS),
        group=with_roles(UserFactory(username="grp", body=r.group), RECTIFICATION_REPORTERS),
        outsider=with_roles(UserFactory(username="xixiu", body=r.xixiu_commission), *everything),
        township_problem=ProblemFactory(
            found_by=r.commission, region=r.tianxing, facts="天星村低保资金延迟发放", found_on=FOUND
        ),
        department_problem=ProblemFactory(
            found_by=r.commission,
            region=r.puding,
            responsible_region=None,
            responsible_department=r.health,
            facts="县卫健局医疗救助资金审核不严",
            found_on=FOUND,
        ),
    )
