"""Users and data for the elevated-supervision tests, on the shared test registry (tests/scenario.py):
普定县 has 天星村 and 马场村 (马官镇); 西秀区 has 南华社区."""

from __future__ import annotations

from decimal import Decimal

from factories import UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.access.roles import ELEVATED_SUPERVISORS, ROLES
from jiandu.elevated import services

PERMISSIONS = list(ROLES[ELEVATED_SUPERVISORS][1])


def supervisor(registry: Registry, username: str = "elevator", body=None) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(username=username, body=body or registry.commission, permissions=PERMISSIONS)


def puding_assets(user: User, registry: Registry, year: int = 2025) -> None:
    """天星村 600 万元 in total (city level with a 500 threshold), 马场村 150 (county level from 100)."""
    services.village_assets_save(
        acting_user=user, village=registry.tianxing, year=year, funds=Decimal(200), assets=Decimal(300),
        resources=Decimal(100),
    )  # fmt: skip
    services.village_assets_save(
        acting_user=user, village=registry.machang, year=year, funds=Decimal(50), assets=Decimal(50),
        resources=Decimal(50),
    )  # fmt: skip


RULES = {"county_threshold": Decimal(100), "city_threshold": Decimal(500)}
