"""Demo problems for the Anshun registry: a few thousand, across every county, source and category, found
by the demo bodies (county commissions, township offices, dispatched groups, village committees), with
facts written as units write them, amounts, and dates over 2024–2026.

Called by `jiandu demo` after the registry (jiandu/org/management/commands/demo.py). Deterministic (one
seed) and idempotent: the demo's problems carry the fingerprint `demo:<n>`, and a ledger that has them is
left alone. Written with bulk_create, with one summary entry in the audit trail.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import audit
from jiandu.ledger.duplicates import duplicates_find
from jiandu.ledger.models import Category, Ledger, Problem, ProblemStatus, Source
from jiandu.org.models import Body, BodyKind, Department, Region, RegionKind

SEED = 20240301
COUNT = 3000
MERGED_PAIRS = 15
# Problems a second body reported again in its own words, left for someone to decide on the likely-duplicates
# page.
REPORTED_TWICE = 12
FINGERPRINT = "demo:"
FIRST_DAY = datetime.date(2024, 1, 1)
# 马官镇 (the township of the `maguan` demo account) and its village 天星村 get a share of their own.
MAGUAN = "520422101000"

# Facts as units write them in their ledgers: {place}, a count {n}, an amount {m}. (bench/ledger_data.py
# writes the same templates in SQL for millions of rows.)
FACT_TEMPLATES = (
    "{place}低保资金未按时足额发放，涉及{n}户群众",
    "{place}村干部优亲厚友，违规将{n}名亲属纳入低保",
    "{place}村集体资金{m}元未纳入账内管理，存在坐收坐支",
    "{place}村务公开栏长期未更新，惠民资金发放情况未公示",
    "{place}耕地地力保护补贴发放对象不准确，多发{m}元",
    "{place}危房改造项目验收把关不严，{n}户未按标准改造",
    "{place}已故人员仍在领取养老保险待遇{n}个月",
    "{place}村级合作社账目混乱，{n}张票据无审批签字",
    "{place}扶贫项目资产闲置，产业大棚{n}个无人管护",
    "{place}财政供养人员违规领取特困供养金{m}元",
    "{place}工程项目未按规定公开招标，合同金额{n}万元",
    "{place}乡村振兴衔接资金滞留{n}个月未拨付",
    "{place}卫生院医保基金违规结算，涉及{n}人次",
    "{place}学校营养改善计划食材采购不规范，账实不符",
    "{place}干部工作日饮酒、上班时间打牌，作风散漫",
    "{place}便民服务中心窗口推诿扯皮，群众反映强烈",
    "{place}村集体土地违规发包，租金{m}元未入账",
    "{place}退役军人优抚金发放延迟{n}个月",
    "{place}高龄补贴重复发放，涉及{n}人",
    "{place}安全生产隐患排查走过场，{n}处隐患未整改",
    "{place}临时救助审批不规范，{n}份材料缺少入户调查",
    "{place}村级公益性岗位人员吃空饷，虚报{n}人",
    "{place}农村饮水工程维护资金被挪用{m}元",
    "{place}公务用车私用，行驶记录缺失{n}次",
    "{place}集体经济收益分配不公开，{n}户群众未领到分红",
    "{place}殡葬改革补助冒领，涉及{n}人、金额{m}元",
    "{place}河道采砂监管缺位，非法采砂{n}处",
    "{place}村民小组长违规收取宅基地审批费用{m}元",
    "{place}教育资助资金未按时发放至{n}名学生",
    "{place}基层干部对群众诉求敷衍塞责，{n}件信访件逾期未办结",
)
STATUSES = (
    [ProblemStatus.REGISTERED] * 6
    + [ProblemStatus.RECTIFYING] * 7
    + [ProblemStatus.CLOSED] * 5
    + [ProblemStatus.TRANSFERRED, ProblemStatus.NO_ACTION]
)


def _county_of(township: Region) -> int | None:
    return township.functional_zone_id or township.parent_id


def _short(region: Region) -> str:
    return region.short_name or region.name


def demo_build(stdout: Any = None) -> int:
    """Add the demo problems unless they are there; returns how many were created."""
    if Problem.objects.filter(fingerprint__startswith=FINGERPRINT).exists():
        if stdout is not None:
            stdout.write(_("The demo problems are already in the ledger; nothing changed."))
        return 0
    rng = random.Random(SEED)
    places = list(
        Region.objects.filter(kind__in=[RegionKind.TOWNSHIP, RegionKind.VILLAGE])
        .select_related("parent")
        .order_by("code")
    )
    if not places:
        return 0
    bodies = list(Body.objects.filter(is_active=True).order_by("pk"))
    commissions = {
        b.region_id: b for b in bodies if b.kind in (BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION)
    }
    offices = {b.region_id: b for b in bodies if b.kind == BodyKind.TOWNSHIP_OFFICE}
    committees = {b.region_id: b for b in bodies if b.kind == BodyKind.VILLAGE_COMMITTEE}
    groups = {}
    for body in Body.objects.filter(kind=BodyKind.DISPATCHED_GROUP).prefetch_related(
        "supervised_departments"
    ):
        for department in body.supervised_departments.all():
            groups.setdefault(department.pk, body)
    departments = list(Department.objects.filter(is_active=True).order_by("pk"))
    sources = {s.code: s for s in Source.objects.all()}
    categories = list(Category.objects.filter(is_active=True))
    maguan = [p for p in places if p.code.startswith(MAGUAN[:9])]
    today = timezone.localdate()
    span = (today - FIRST_DAY).days
    problems: list[Problem] = []
    for n in range(COUNT):
        township_ledger = rng.random() > 0.12 or not departments
        if township_ledger:
            place = rng.choice(maguan) if (n % 12 == 0 and maguan) else rng.choice(places)
            township = place if place.kind == RegionKind.TOWNSHIP else place.parent
            county_id = _county_of(township)
            finders = [commissions.get(county_id), offices.get(township.pk)]
            if place.kind == RegionKind.VILLAGE:
                finders.append(committees.get(place.pk))
            found_by = rng.choice([f for f in finders if f is not None] or [commissions.get(county_id)])
            region, responsible_region, responsible_department = place, township, None
            name = _short(place)
        else:
            department = rng.choice(departments)
            found_by = groups.get(department.pk) or commissions.get(department.region_id)
            region, responsible_region, responsible_department = department.region, None, department
            name = department.short_name or department.name
        if found_by is None:
            continue
        if found_by.kind == BodyKind.VILLAGE_COMMITTEE:
            source = sources["village"]
        elif found_by.kind == BodyKind.DISPATCHED_GROUP:
            source = sources["dispatched"]
        else:
            source = sources[rng.choice([c for c in sources if c not in ("village", "dispatched")])]
        amount = None
        if rng.random() < 0.6:
            amount = Decimal(round(10 ** rng.uniform(2.3, 6.3), 2)).quantize(Decimal("0.01"))
        facts = rng.choice(FACT_TEMPLATES).format(
            place=name, n=rng.randint(1, 60), m=f"{rng.randint(200, 90000):,}"
        )
        problems.append(
            Problem(
                source=source,
                found_by=found_by,
                region=region,
                ledger=Ledger.TOWNSHIP if township_ledger else Ledger.DEPARTMENT,
                responsible_region=responsible_region,
                responsible_department=responsible_department,
                category=rng.choice(categories),
                facts=facts,
                amount=amount,
                found_on=FIRST_DAY + datetime.timedelta(days=rng.randrange(span)),
                status=rng.choice(STATUSES),
                fingerprint=f"{FINGERPRINT}{n}",
            )
        )
    with transaction.atomic(), audit.suspended():
        created = Problem.objects.bulk_create(problems, batch_size=1000)
        merged = _merge_some(rng, created)
        twins = Problem.objects.bulk_create(_reported_twice(rng, created, commissions, offices))
        created += twins
        audit.audit_import(
            Problem,
            detail={"created": len(created), "merged": merged, "reported_twice": len(twins), "seed": SEED},
            object_repr=_("Demo problems"),
        )
        _grant_ledger_role()
    duplicates_find(problems=[twin.pk for twin in twins])
    if stdout is not None:
        stdout.write(_("Added %(count)s demo problems to the ledger.") % {"count": len(created)})
    return len(created)


def _merge_some(rng: random.Random, problems: list[Problem]) -> int:
    """A few problems reported twice (a township office and a dispatched group, say), merged: the detail
    page shows both sources."""
    township = [p for p in problems if p.ledger == Ledger.TOWNSHIP]
    pairs = 0
    for kept, twin in zip(township[0::2], township[1::2], strict=False):
        if pairs >= MERGED_PAIRS:
            break
        if kept.region_id != twin.region_id:
            twin.region, twin.responsible_region = kept.region, kept.responsible_region
        twin.facts = kept.facts + "（另一来源报告）"
        twin.category = kept.category
        twin.merged_into = kept
        twin.status = ProblemStatus.MERGED
        twin.save()
        pairs += 1
    return pairs


# How a second body words what another already wrote down: (prefix, what replaces "，", suffix).
REWORDINGS = (
    ("经核查，", "；", "，情况属实"),
    ("群众反映：", "，", "，需进一步核实"),
    ("专项检查发现", "；", ""),
    ("", "，经查", "，问题依然存在"),
)


def _reported_twice(
    rng: random.Random, problems: list[Problem], commissions: dict[int, Body], offices: dict[int, Body]
) -> list[Problem]:
    """The same problem found again a few days later by another body (the county commission after the
    township office, or the other way round), in its own words: unmerged likely duplicates."""
    twins: list[Problem] = []
    candidates = [p for p in problems if p.ledger == Ledger.TOWNSHIP and p.status != ProblemStatus.MERGED]
    for n, problem in enumerate(candidates[-200:]):
        if len(twins) >= REPORTED_TWICE:
            break
        township = problem.responsible_region
        office, commission = offices.get(township.pk), commissions.get(_county_of(township))
        other = commission if problem.found_by_id != getattr(commission, "pk", None) else office
        if other is None or (n % 3 and problem.region.code[:9] != MAGUAN[:9]):
            continue
        prefix, comma, suffix = rng.choice(REWORDINGS)
        twins.append(
            Problem(
                source=problem.source,
                found_by=other,
                region=problem.region,
                ledger=problem.ledger,
                responsible_region=township,
                category=problem.category,
                facts=prefix + problem.facts.replace("，", comma, 1) + suffix,
                amount=problem.amount,
                found_on=problem.found_on + datetime.timedelta(days=rng.randint(1, 20)),
                status=ProblemStatus.REGISTERED,
                fingerprint=f"{FINGERPRINT}twice:{problem.fingerprint}",
            )
        )
    return twins


def _grant_ledger_role() -> None:
    """The demo's commission, township and group accounts may enter problems (the ledger editors role)."""
    from jiandu.access.models import User
    from jiandu.access.roles import LEDGER_EDITORS, role_group

    editors = role_group(LEDGER_EDITORS)
    kinds = [
        BodyKind.COMMISSION,
        BodyKind.WORKING_COMMISSION,
        BodyKind.TOWNSHIP_OFFICE,
        BodyKind.DISPATCHED_GROUP,
    ]
    from jiandu.org.demo import ADMIN_ACCOUNTS, demo_usernames

    names = [name for name in demo_usernames() if name not in ADMIN_ACCOUNTS]
    for user in User.objects.filter(username__in=names, body__kind__in=kinds):
        user.groups.add(editors)
