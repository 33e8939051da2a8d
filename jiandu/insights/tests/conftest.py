"""A ledger spread over every kind of place, finder and responsible unit, and users of every kind of scope."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from factories import BodyFactory, ProblemFactory, RegionFactory, UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.access.services import recuse, share_record
from jiandu.ledger.models import Category, Ledger, Problem, ProblemStatus, Source
from jiandu.org.models import BodyKind, Region, RegionKind


@dataclass
class Ledgered:
    registry: Registry
    users: dict[str, User]
    problems: list[Problem]


def spread_problems(r: Registry, rng: random.Random, n: int, city_body, extra_village) -> list[Problem]:
    """`n` problems at random places, found by random bodies (some outside their own scope, as in cross
    supervision), in either ledger, of every source, category, month and status."""
    places = [r.tianxing, r.machang, r.maguan, r.puding, r.nanjie, r.xixiu_village, r.carved, r.zone]
    places += [extra_village, r.xixiu, r.city]
    finders = [r.commission, r.office, r.group, r.maguan_office, r.committee, r.xixiu_commission]
    finders += [r.zone_commission, city_body]
    townships = [r.maguan, r.nanjie, r.carved]
    departments = [r.health, r.education, r.xixiu_health]
    sources = list(Source.objects.all())
    categories = list(Category.objects.all())
    problems = []
    for _ in range(n):
        department = rng.choice(departments) if rng.random() < 0.35 else None
        problems.append(
            ProblemFactory(
                found_by=rng.choice(finders),
                region=rng.choice(places),
                responsible_region=None if department else rng.choice(townships),
                responsible_department=department,
                ledger=Ledger.DEPARTMENT if department else Ledger.TOWNSHIP,
                source=rng.choice(sources),
                category=rng.choice(categories),
                status=rng.choice(ProblemStatus.values),
                found_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(500)),
                amount=rng.choice([None, Decimal(rng.randrange(1, 10**7)) / 100]),
            )
        )
    return problems


def make_users(r: Registry, city_body, extra_village) -> dict[str, User]:
    zone_group = BodyFactory(name="马官片区工作组", kind=BodyKind.ZONE_GROUP, region=r.maguan)
    zone_group.covered_regions.set([r.nanjie])
    village_zone = BodyFactory(name="马场民生监督片区", kind=BodyKind.ZONE_GROUP, region=r.machang)
    village_zone.covered_regions.set([extra_village])
    return {
        "city": UserFactory(username="u-city", body=city_body),
        "county": UserFactory(username="u-county", body=r.commission),
        "group": UserFactory(username="u-group", body=r.group),
        "township": UserFactory(username="u-township", body=r.maguan_office),
        "village": UserFactory(username="u-village", body=r.committee),
        "zone": UserFactory(username="u-zone", body=zone_group),
        "village-zone": UserFactory(username="u-village-zone", body=village_zone),
        "functional-zone": UserFactory(username="u-fzone", body=r.zone_commission),
        "xixiu": UserFactory(username="u-xixiu", body=r.xixiu_commission),
        "recused": UserFactory(username="u-recused", body=r.commission),
        "shared": UserFactory(username="u-shared", body=r.maguan_office),
        "superuser": UserFactory(username="u-root", body=None, is_superuser=True),
        "nobody": UserFactory(username="u-nobody", body=None),
    }


def build_ledger(r: Registry, seed: int, n: int) -> Ledgered:
    rng = random.Random(seed)
    city_body = BodyFactory(name="安顺市纪委监委", region=r.city)
    extra_village = RegionFactory(
        code="520422101202", name="马堡村", kind=RegionKind.VILLAGE, parent=r.maguan
    )
    users = make_users(r, city_body, extra_village)
    problems = spread_problems(r, rng, n, city_body, extra_village)
    # The recused colleague: a village's subtree and one single problem are hidden from them.
    decider = UserFactory(username="u-decider", body=r.commission)
    recuse(acting_user=decider, user=users["recused"], target=r.tianxing, reason="亲属")
    recuse(acting_user=decider, user=users["recused"], target=problems[0], reason="亲属")
    # Problems of 西秀 shared with 马官 (the "shared" account's body is the township office).
    sharer = UserFactory(username="u-sharer", body=r.xixiu_commission)
    outside = Problem.objects.visible_to(sharer, "change").exclude(found_by=r.maguan_office)[:3]
    for problem in outside:
        share_record(acting_user=sharer, record=problem, body=r.maguan_office, reason="交叉监督")
    return Ledgered(r, users, problems)


@pytest.fixture
def ledgered(registry: Registry) -> Ledgered:
    return build_ledger(registry, seed=7, n=160)


def direct_counts(user: User) -> dict[str, dict[str, tuple[int, Decimal]]]:
    """Each tile counted straight from `Problem.objects.visible_to(user)`, defined independently of the
    summary tables: a county's figure is the count over its subtree, as the ledger's place filter cuts."""
    visible = list(Problem.objects.visible_to(user))
    result: dict[str, dict[str, tuple[int, Decimal]]] = {}

    def tally(tile: str, key_of) -> None:
        counts: Counter = Counter()
        amounts: Counter = Counter()
        for problem in visible:
            key = key_of(problem)
            counts[key] += 1
            amounts[key] += problem.amount or Decimal(0)
        result[tile] = {key: (counts[key], amounts[key]) for key in counts}

    counties: dict[int, str] = {}
    for county in Region.objects.filter(kind__in=[RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE]):
        for pk in Problem.objects.filter(county.subtree_q("region")).values_list("pk", flat=True):
            assert pk not in counties, "a place in two counties"
            counties[pk] = str(county.pk)
    tally("county", lambda p: counties.get(p.pk, ""))
    tally("township", lambda p: str(p.responsible_region_id or ""))
    tally("source", lambda p: str(p.source_id))
    tally("category", lambda p: str(p.category_id))
    tally("month", lambda p: p.found_on.strftime("%Y-%m"))
    tally("status", lambda p: p.status)
    return result


def as_plain(figures) -> dict[str, dict[str, tuple[int, Decimal]]]:
    return {
        tile: {key: (cell.count, cell.amount) for key, cell in cells.items() if cell.count}
        for tile, cells in figures.items()
    }
