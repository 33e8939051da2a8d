"""A small county to zone, on the shared test registry (tests/scenario.py): 普定县 gets six more townships
in a row (马官镇 at the west end), each office with `staff` cadres, and 马官镇's two villages get more."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from factories import BodyFactory, PostFactory, RegionFactory, UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.geo.models import Adjacency
from jiandu.org.models import BodyKind, PostKind, Region, RegionKind

PLANNER_PERMISSIONS = ["zones.add_zoneplan", "zones.change_zoneplan", "zones.approve_zoneplan"]


@dataclass
class County:
    registry: Registry
    townships: list[Region]  # west to east, 马官镇 first
    villages: list[Region]  # 马官镇's villages in a row


def adjacent(a: Region, b: Region) -> None:
    first, second = sorted((a, b), key=lambda r: r.pk)
    Adjacency.objects.get_or_create(region_a=first, region_b=second, defaults={"basis": "pair_list"})


def build_county(registry: Registry, staff: int = 5) -> County:
    """马官镇 (2 cadres) and six townships of `staff` cadres each, joined in a row; 马官镇's villages
    天星村 (one supervisor) and 马场村 plus four more, each with two supervisors, in a row."""
    r = registry
    townships = [r.maguan]
    for i in range(6):
        township = RegionFactory(
            code=f"520422{110 + i:03d}000", name=f"测试{i + 1}镇", kind=RegionKind.TOWNSHIP, parent=r.puding
        )
        office = BodyFactory(
            name=f"测试{i + 1}镇纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=township, establishment=staff
        )
        for _n in range(staff):
            PostFactory(kind=PostKind.SUPERVISOR, body=office)
        townships.append(township)
    for a, b in zip(townships, townships[1:], strict=False):
        adjacent(a, b)
    villages = [r.tianxing, r.machang]
    for i in range(4):
        villages.append(
            RegionFactory(
                code=f"520422101{240 + i:03d}",
                name=f"测试{i + 1}村",
                kind=RegionKind.VILLAGE,
                parent=r.maguan,
            )
        )
    for village in villages[1:]:
        for kind in (PostKind.LIVELIHOOD_SUPERVISOR, PostKind.VILLAGE_DISCIPLINE_MEMBER):
            PostFactory(kind=kind, body=None, region=village)
    for a, b in zip(villages, villages[1:], strict=False):
        adjacent(a, b)
    return County(r, townships, villages)


def planner(registry: Registry, username: str = "planner") -> User:
    return UserFactory(username=username, body=registry.commission, permissions=PLANNER_PERMISSIONS)


def signed_in(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client
