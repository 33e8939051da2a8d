"""The demo's elevated supervision: 三资 figures for every village of 安顺市 (seeded, plausible), the city's
rule set, and its approved selection with the study's 13 city-level and 49 county-level villages; integrity
files on the selected villages' Party secretary and director with a few entries, and a few departure
audits.

The figures are drawn so that exactly 13 villages pass the city threshold (1,000 万元) and 60 more pass the
county threshold (200 万元); the ledger flags may raise more villages to county level, and the rule set's
county cap of 49 keeps the study's count (the explanation of each village past it says so). Called by
`jiandu demo` after the ledger and zones; idempotent: with a run for the city already there nothing changes.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.org.models import BodyKind, Gender, Level, Region

CITY = "520400000000"
YEAR = 2025
SEED = 20251
CITY_VILLAGES, COUNTY_BAND = 13, 60
RULES = {
    "county_threshold": Decimal(200),
    "city_threshold": Decimal(1000),
    "flags": [
        {"kind": "problems", "threshold": "3", "category": "", "level": "county"},
        {"kind": "category", "threshold": "1", "category": "村级三资管理", "level": "county"},
    ],
    "county_cap": 49,
    "city_cap": 13,
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = "国明华建军平志强永德文海春光荣兴富贵明成勇"


def _amounts(rng: random.Random, total: float) -> tuple[Decimal, Decimal, Decimal]:
    funds = total * rng.uniform(0.15, 0.35)
    assets = total * rng.uniform(0.35, 0.55)
    parts = [Decimal(str(round(x, 2))) for x in (funds, assets)]
    return parts[0], parts[1], Decimal(str(round(total, 2))) - parts[0] - parts[1]


def demo_build(stdout: Any = None) -> int:
    """Add the demo's elevated supervision when the city has no selection run; returns the villages
    selected (0 when nothing was written)."""
    from jiandu.access.models import User
    from jiandu.access.roles import ELEVATED_SUPERVISORS, role_group
    from jiandu.elevated import services
    from jiandu.elevated.models import (
        EntryKind,
        IntegrityEntry,
        IntegrityFile,
        Role,
        SelectionRun,
        VillageAssets,
    )
    from jiandu.org.demo import ADMIN_ACCOUNTS, demo_usernames

    city_region = Region.objects.filter(code=CITY).first()
    if city_region is None:
        return 0
    names = [name for name in demo_usernames() if name not in ADMIN_ACCOUNTS]
    commissions = User.objects.filter(username__in=names, body__kind=BodyKind.COMMISSION)
    city_user = commissions.filter(body__region=city_region).first()
    if city_user is None:
        return 0
    if SelectionRun.objects.filter(region=city_region).exists():
        if stdout is not None:
            stdout.write(_("The demo's elevated supervision is already in place; nothing changed."))
        return 0
    with transaction.atomic():
        group = role_group(ELEVATED_SUPERVISORS)
        for user in commissions:
            user.groups.add(group)
        city_user = User.objects.get(pk=city_user.pk)
        villages = list(Region.objects.filter(city_region.subtree_q(), level=Level.VILLAGE).order_by("code"))
        rng = random.Random(SEED)
        order = list(range(len(villages)))
        rng.shuffle(order)
        band = {i: "city" for i in order[:CITY_VILLAGES]} | {
            i: "county" for i in order[CITY_VILLAGES : CITY_VILLAGES + COUNTY_BAND]
        }
        records = []
        for i, village in enumerate(villages):
            kind = band.get(i)
            total = (
                rng.uniform(1050, 3200)
                if kind == "city"
                else rng.uniform(210, 900)
                if kind == "county"
                else rng.lognormvariate(3.6, 0.7) % 195
            )
            funds, assets, resources = _amounts(rng, max(total, 3.0))
            records.append(
                VillageAssets(
                    village=village,
                    year=YEAR,
                    funds=funds,
                    assets=assets,
                    resources=resources,
                    source=_("Village collective assets inventory (demo, generated)"),
                )  # fmt: skip
            )
        existing = set(VillageAssets.objects.filter(year=YEAR).values_list("village_id", flat=True))
        from jiandu.core import audit

        with audit.suspended():
            VillageAssets.objects.bulk_create([r for r in records if r.village_id not in existing])
        audit.audit_import(VillageAssets, detail={"created": len(records) - len(existing), "demo": True})
        rule_set = services.rule_set_save(
            acting_user=city_user,
            region=city_region,
            name=_("%(city)s elevated supervision rules") % {"city": city_region.name},
            **RULES,
        )
        run = services.selection_run_create(
            acting_user=city_user, region=city_region, year=YEAR, rule_set=rule_set,
            period_start=datetime.date(YEAR - 1, 1, 1), period_end=datetime.date(YEAR, 12, 31),
        )  # fmt: skip
        services.selection_run_approve(acting_user=city_user, run=run)
        selected = list(
            run.outcomes.exclude(level="none").select_related("village").order_by("village__code")
        )
        files = []
        for n, outcome in enumerate(selected):
            roles = [Role.BOTH] if n % 3 == 0 else [Role.SECRETARY, Role.DIRECTOR]
            for role in roles:
                files.append(
                    IntegrityFile(
                        village=outcome.village,
                        role=role,
                        name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                        gender=Gender.MALE if rng.random() < 0.8 else Gender.FEMALE,
                        birth_year=rng.randint(1962, 1990),
                        in_office_since=datetime.date(rng.choice((2018, 2021)), rng.randint(1, 12), 1),
                    )  # fmt: skip
                )
        with audit.suspended():
            IntegrityFile.objects.bulk_create(files)
            entries = []
            for n, file in enumerate(files):
                entries.append(
                    IntegrityEntry(
                        file=file,
                        kind=EntryKind.PERSONAL_MATTERS,
                        date=datetime.date(YEAR, 1, 15 + n % 10),
                        content=_("Annual personal-matters report filed; nothing to note."),
                    )  # fmt: skip
                )
                if n % 7 == 3:
                    entries.append(
                        IntegrityEntry(
                            file=file,
                            kind=EntryKind.INQUIRY,
                            date=datetime.date(YEAR, 6, 1 + n % 20),
                            content=_("Talk of inquiry on the accounts of the collective cooperative."),
                        )  # fmt: skip
                    )
            IntegrityEntry.objects.bulk_create(entries)
        audit.audit_import(IntegrityFile, detail={"files": len(files), "entries": len(entries), "demo": True})
        commission = city_user.body
        for file in files[1:12:4]:
            services.departure_audit_save(
                acting_user=city_user, file=file, left_office_on=datetime.date(YEAR, 3, 31),
                auditor=commission, audit_date=datetime.date(YEAR, 4, 20),
                findings=_("Collective funds spent without the villagers' meeting's approval."),
                amount_questioned=Decimal("3.60"), status="done",
            )  # fmt: skip
    if stdout is not None:
        stdout.write(
            _(
                "Added the demo's elevated supervision: %(city)s city-level and %(county)s county-level villages."
            )
            % {"city": run.city_count, "county": run.county_count}
        )
    return run.city_count + run.county_count
