"""Builds the Anshun demo: regions from the shipped division subset, bodies, departments, people, accounts.

Idempotent: the registry is built once, in one transaction; later runs find it and only make sure the demo
accounts exist. Deterministic: the same seed gives the same people on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from jiandu.access.models import User
from jiandu.access.roles import ACCOUNT_ADMINISTRATORS, REGISTRY_EDITORS, role_group
from jiandu.core import audit
from jiandu.lib.chinese_names import chinese_name
from jiandu.org import demo_spec as spec
from jiandu.org.divisions import import_divisions
from jiandu.org.models import (
    Body,
    BodyKind,
    Department,
    Education,
    Level,
    Person,
    Post,
    PostKind,
    Region,
    RegionKind,
    Skill,
)

DEMO_DATA_DIR = Path(__file__).resolve().parent / "demo_data"
EDITORS_GROUP = REGISTRY_EDITORS
# Account administrators of the city and of 普定县. They must set up two-factor sign-in at their first
# sign-in; the other demo accounts are not administrators and sign in with the password alone.
ADMIN_ACCOUNTS = ("anshun_admin", "puding_admin")


@dataclass
class DemoAccount:
    username: str
    password: str
    body: str
    body_kind: str
    level: str
    region_code: str


@dataclass
class DemoResult:
    built: bool
    regions_created: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)


class _People:
    """Collects people and posts in memory and writes them with a few bulk inserts."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self.posts: list[tuple[int, dict[str, Any]]] = []
        self.skills: list[tuple[int, int]] = []
        self.skill_ids = [Skill.objects.get_or_create(name=name)[0].pk for name in spec.SKILLS]

    def person(self, *, cadre: bool) -> int:
        rng = self.rng
        gender = "f" if rng.random() < (0.38 if cadre else 0.3) else "m"
        if cadre:
            education = rng.choices(
                [Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE], weights=[8, 70, 22]
            )[0]
            birth_year = rng.randint(1966, 1998)
        else:
            education = rng.choices(
                [Education.BACHELOR, Education.COLLEGE, Education.SENIOR, Education.JUNIOR],
                weights=[8, 27, 40, 25],
            )[0]
            birth_year = rng.randint(1960, 1996)
        self.people.append(
            Person(
                name=chinese_name(rng, gender),
                gender=gender,
                birth_year=birth_year,
                education=education,
                is_party_member=cadre or rng.random() < 0.8,
            )
        )
        index = len(self.people) - 1
        for skill in rng.sample(
            self.skill_ids, k=rng.choices([0, 1, 2], weights=[3, 5, 2] if cadre else [8, 2, 0])[0]
        ):
            self.skills.append((index, skill))
        return index

    def post(self, person: int, kind: str, region: Region, body: Body | None = None, title: str = "") -> None:
        self.posts.append((person, {"kind": kind, "region": region, "body": body, "title": title}))

    def staff(self, body: Body, kinds: list[tuple[str, str]]) -> list[int]:
        """New cadres for a body, one per (post kind, title)."""
        people = []
        for kind, title in kinds:
            person = self.person(cadre=True)
            self.post(person, kind, body.region, body, title)
            people.append(person)
        return people

    def save(self) -> None:
        Person.objects.bulk_create(self.people, batch_size=2000)
        Post.objects.bulk_create(
            [Post(person=self.people[person], **fields) for person, fields in self.posts], batch_size=2000
        )
        through = Person.skills.through
        through.objects.bulk_create(
            [through(person_id=self.people[p].pk, skill_id=s) for p, s in self.skills], batch_size=2000
        )


def _body(kind: str, level: str, region: Region, name: str, **extra: Any) -> Body:
    return Body.objects.create(kind=kind, level=level, region=region, name=name, **extra)


def _ordinal(n: int) -> str:
    if n <= 10:
        return spec.CHINESE_ORDINALS[n - 1]
    return "十" + spec.CHINESE_ORDINALS[n - 11]


def _split(total: int, parts: int) -> Iterator[int]:
    """`total` split into `parts` near-equal whole numbers, larger first."""
    base, extra = divmod(total, parts)
    for i in range(parts):
        yield base + (1 if i < extra else 0)


def _county_label(county: Region) -> str:
    """How a county names its Party committee's bodies: 普定县委, 西秀区委, 镇宁自治县委."""
    for suffix in ("自治县", "区", "县"):
        if county.name.endswith(suffix):
            return f"{county.short_name or county.name.removesuffix(suffix)}{suffix}"
    return county.name


def _commission_staff(people: _People, body: Body, headcount: int, offices: list[Body]) -> None:
    """Leaders on the commission itself, the rest spread over its internal offices."""
    leaders = [("leader", "书记"), ("leader", "副书记"), ("leader", "副书记"), ("leader", "常委")]
    people.staff(body, leaders)
    for office, size in zip(offices, _split(headcount - len(leaders), len(offices)), strict=True):
        kinds = [(PostKind.DIRECTOR, "主任"), (PostKind.DEPUTY_DIRECTOR, "副主任")] + [
            (PostKind.STAFF, "")
        ] * (size - 2)
        people.staff(office, kinds[:size])


def _build_city(people: _People, city: Region) -> None:
    establishment, headcount = spec.CITY_COMMISSION
    commission = _body(
        BodyKind.COMMISSION, Level.CITY, city, f"{city.name}纪委监委", establishment=establishment
    )
    offices = [
        _body(
            BodyKind.OFFICE, Level.CITY, city, f"{city.name}纪委监委{name}", parent=commission, sort_order=i
        )
        for i, name in enumerate(spec.COMMISSION_OFFICES, start=1)
    ]
    _commission_staff(people, commission, headcount, offices)
    establishment, headcount = spec.CITY_INSPECTION_OFFICE
    office = _body(
        BodyKind.INSPECTION_OFFICE, Level.CITY, city, "安顺市委巡察办", establishment=establishment
    )
    people.staff(
        office,
        [(PostKind.DIRECTOR, "主任"), (PostKind.DEPUTY_DIRECTOR, "副主任")]
        + [(PostKind.STAFF, "")] * (headcount - 2),
    )


def _build_county(
    people: _People, county: Region, county_spec: spec.CountySpec, group_sizes: Iterator[tuple[int, int]]
) -> None:
    establishment, headcount = county_spec.commission
    commission = _body(
        BodyKind.COMMISSION, Level.COUNTY, county, f"{county.name}纪委监委", establishment=establishment
    )
    offices = [
        _body(
            BodyKind.OFFICE,
            Level.COUNTY,
            county,
            f"{county.name}纪委监委{name}",
            parent=commission,
            sort_order=i,
        )
        for i, name in enumerate(spec.COMMISSION_OFFICES, start=1)
    ]
    _commission_staff(people, commission, headcount, offices)

    establishment, headcount = county_spec.inspection_office
    office = _body(
        BodyKind.INSPECTION_OFFICE,
        Level.COUNTY,
        county,
        f"{_county_label(county)}委巡察办",
        establishment=establishment,
    )
    people.staff(
        office,
        [(PostKind.DIRECTOR, "主任"), (PostKind.DEPUTY_DIRECTOR, "副主任")]
        + [(PostKind.STAFF, "")] * (headcount - 2),
    )

    prefix = "区" if county.name.endswith("区") else "县"
    departments = [
        Department.objects.create(
            region=county, name=f"{county.name}{full}", short_name=f"{prefix}{short}", sector=sector
        )
        for full, short, sector in spec.DEPARTMENTS
    ]
    groups = county_spec.dispatched_groups
    for n, share in enumerate(_split(len(departments), groups), start=1):
        posts, size = next(group_sizes)
        group = _body(
            BodyKind.DISPATCHED_GROUP,
            Level.COUNTY,
            county,
            f"{county.name}纪委监委派驻第{_ordinal(n)}纪检监察组",
            parent=commission,
            establishment=posts,
            sort_order=100 + n,
        )
        group.supervised_departments.set(departments[:share])
        departments = departments[share:]
        people.staff(
            group,
            [(PostKind.LEADER, "组长"), (PostKind.DEPUTY_DIRECTOR, "副组长")]
            + [(PostKind.STAFF, "")] * (size - 2),
        )


def _build_zone(people: _People, city: Region, zone_spec: spec.ZoneSpec) -> Region:
    zone = Region.objects.create(
        code=zone_spec.code,
        name=zone_spec.name,
        short_name=zone_spec.short_name,
        kind=RegionKind.FUNCTIONAL_ZONE,
        level=Level.COUNTY,
        parent=city,
        is_statistical=False,
    )
    for code in zone_spec.townships:
        Region.objects.filter(code__startswith=code).update(functional_zone=zone)
    establishment, headcount = zone_spec.working_commission
    body = _body(
        BodyKind.WORKING_COMMISSION,
        Level.COUNTY,
        zone,
        f"{zone.name}纪检监察工委",
        establishment=establishment,
    )
    people.staff(
        body,
        [(PostKind.LEADER, "书记"), (PostKind.LEADER, "副书记")] + [(PostKind.STAFF, "")] * (headcount - 2),
    )
    return zone


def _build_townships(people: _People, townships: list[Region]) -> None:
    with_office = [t for t in townships if t.code[:9] not in spec.TOWNSHIPS_WITHOUT_OFFICE]
    for township, size in zip(
        with_office, _split(spec.TOWNSHIP_OFFICE_CADRES, len(with_office)), strict=True
    ):
        unit = "纪工委" if township.name.endswith("街道") else "纪委"
        office = _body(
            BodyKind.TOWNSHIP_OFFICE,
            Level.TOWNSHIP,
            township,
            f"{township.name}{unit}（监察办公室）",
            establishment=max(size, 4),
        )
        kinds = [(PostKind.DIRECTOR, "主任"), (PostKind.DEPUTY_DIRECTOR, "副主任")]
        people.staff(office, kinds + [(PostKind.SUPERVISOR, "专职监察员")] * (size - 2))


def _build_villages(people: _People, villages: list[Region]) -> None:
    """Village posts in the study's numbers; 镇宁's villages hold the three posts on one person."""
    rng = random.Random(52040)
    pilot = [
        v for v in villages if v.code.startswith(spec.THREE_IN_ONE_COUNTY) and v.functional_zone_id is None
    ]
    pilot_ids = {v.pk for v in pilot}
    others = [v for v in villages if v.pk not in pilot_ids]
    discipline = {v.pk for v in pilot} | {
        v.pk for v in rng.sample(others, spec.VILLAGE_DISCIPLINE_MEMBERS - len(pilot))
    }
    livelihood = {v.pk for v in pilot} | {
        v.pk for v in rng.sample(others, spec.LIVELIHOOD_SUPERVISORS - len(pilot))
    }
    extra_members = spec.VILLAGE_COMMITTEE_MEMBERS - 2 * len(villages)
    with_third_member = {v.pk for v in rng.sample(villages, extra_members)}

    for village in villages:
        short = village.short_name or village.name
        affairs = "居务" if short.endswith("社区") else "村务"
        committee = _body(BodyKind.VILLAGE_COMMITTEE, Level.VILLAGE, village, f"{short}{affairs}监督委员会")
        chair = people.person(cadre=False)
        people.post(chair, PostKind.VILLAGE_COMMITTEE_CHAIR, village, committee, "主任")
        for _ in range(2 if village.pk in with_third_member else 1):
            people.post(
                people.person(cadre=False), PostKind.VILLAGE_COMMITTEE_MEMBER, village, committee, "委员"
            )
        if village.pk in pilot_ids:
            people.post(chair, PostKind.VILLAGE_DISCIPLINE_MEMBER, village, title="村级专职纪检监督员")
            people.post(chair, PostKind.LIVELIHOOD_SUPERVISOR, village, title="村级专职纪检监督员")
            continue
        if village.pk in discipline:
            people.post(
                people.person(cadre=False), PostKind.VILLAGE_DISCIPLINE_MEMBER, village, title="纪检委员"
            )
        if village.pk in livelihood:
            people.post(
                people.person(cadre=False), PostKind.LIVELIHOOD_SUPERVISOR, village, title="民生监督员"
            )


def _build_registry() -> None:
    city = Region.objects.get(code=spec.CITY_CODE)
    people = _People(seed=5204)
    _build_city(people, city)
    group_sizes = iter(zip(spec.DISPATCHED_GROUP_POSTS, spec.DISPATCHED_GROUP_PEOPLE, strict=True))
    for county_spec in spec.COUNTIES:
        _build_county(people, Region.objects.get(code=county_spec.code), county_spec, group_sizes)
    for zone_spec in spec.FUNCTIONAL_ZONES:
        _build_zone(people, city, zone_spec)
    subtree = Region.objects.filter(city.subtree_q())
    _build_townships(people, list(subtree.filter(kind=RegionKind.TOWNSHIP).order_by("code")))
    _build_villages(people, list(subtree.filter(kind=RegionKind.VILLAGE).order_by("code")))
    people.save()


# username, how to find the account's body, and the post whose holder the account belongs to
def _account_specs() -> list[tuple[str, Callable[[], Body]]]:
    specs: list[tuple[str, Callable[[], Body]]] = [
        ("anshun", lambda: Body.objects.get(kind=BodyKind.COMMISSION, region__code=spec.CITY_CODE)),
    ]
    for county in spec.COUNTIES:
        specs.append(
            (county.slug, lambda c=county: Body.objects.get(kind=BodyKind.COMMISSION, region__code=c.code))
        )
    for zone in spec.FUNCTIONAL_ZONES:
        specs.append(
            (
                zone.slug,
                lambda z=zone: Body.objects.get(kind=BodyKind.WORKING_COMMISSION, region__code=z.code),
            )
        )
    specs += [
        ("anshun_admin", lambda: Body.objects.get(kind=BodyKind.COMMISSION, region__code=spec.CITY_CODE)),
        ("puding_admin", lambda: Body.objects.get(kind=BodyKind.COMMISSION, region__code="520422000000")),
        (
            "puding_group1",
            lambda: Body.objects.get(kind=BodyKind.DISPATCHED_GROUP, name="普定县纪委监委派驻第一纪检监察组"),
        ),
        ("maguan", lambda: Body.objects.get(kind=BodyKind.TOWNSHIP_OFFICE, region__code="520422101000")),
        (
            "maguan_tianxing",
            lambda: Body.objects.get(kind=BodyKind.VILLAGE_COMMITTEE, region__code="520422101233"),
        ),
    ]
    return specs


def demo_usernames() -> list[str]:
    return [username for username, _ in _account_specs()]


def _ensure_accounts() -> None:
    # The roles' groups come from a migration of the access app; looked up by name.
    editors = role_group(EDITORS_GROUP)
    administrators = role_group(ACCOUNT_ADMINISTRATORS)
    for username, find_body in _account_specs():
        body = find_body()
        user, created = User.objects.get_or_create(username=username, defaults={"body": body})
        if not created:
            continue
        user.set_password(spec.DEMO_PASSWORD)
        if username in ADMIN_ACCOUNTS:
            user.save()
            user.groups.add(administrators)
            continue
        holder = Post.objects.filter(body=body).order_by("pk").first()
        user.person = holder.person if holder else None
        user.first_name = user.person.name if user.person else ""
        user.save()
        if body.kind in (BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION):
            user.groups.add(editors)


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts that exist, with the body each acts for."""
    names = demo_usernames()
    users = {u.username: u for u in User.objects.filter(username__in=names).select_related("body__region")}
    return [
        DemoAccount(
            username=name,
            password=spec.DEMO_PASSWORD,
            body=users[name].body.name,
            body_kind=users[name].body.kind,
            level=users[name].body.level,
            region_code=users[name].body.region.code,
        )
        for name in names
        if name in users and users[name].body is not None
    ]


def refresh_planner_statistics() -> None:
    """After thousands of rows arrive at once, PostgreSQL's planner still thinks the tables are empty and
    picks nested loops that take minutes; ANALYZE (which counts this transaction's own rows) fixes that."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Region, Body, Department, Person, Post)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def demo_build() -> DemoResult:
    """Import Anshun's divisions, build its supervision force once, and make sure the accounts exist."""
    # Thousands of rows, saved in bulk: one summary entry in the audit trail instead of one per row.
    with transaction.atomic(), audit.suspended():
        division_result = import_divisions(DEMO_DATA_DIR)
        built = not Body.objects.filter(kind=BodyKind.COMMISSION, region__code=spec.CITY_CODE).exists()
        if built:
            _build_registry()
        _ensure_accounts()
        counts = {
            "bodies": Body.objects.count(),
            "people": Person.objects.count(),
            "posts": Post.objects.count(),
        }
        audit.audit_import(Body, object_repr="demo", detail={"built": built, **counts})
        if built:
            refresh_planner_statistics()
    return DemoResult(built=built, regions_created=division_result.total_created, accounts=demo_accounts())


def demo_accounts_as_dicts() -> list[dict[str, str]]:
    return [asdict(account) for account in demo_accounts()]
