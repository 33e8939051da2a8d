"""A small registry that tests of every area share: 安顺市 with two counties and a functional zone.

普定县 (520422) is the county most tests act in: its commission, an internal office, a dispatched group that
supervises the health bureau, the 马官镇 office and the 天星村 committee. 西秀区 (520402) is another county.
黄果树旅游区 (520492, a functional zone) administers 白岩镇, carved out of 普定县 — out of 普定's scope.
The `registry` fixture (conftest.py at the repository root) builds it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from factories import BodyFactory, DepartmentFactory, PostFactory, RegionFactory

from jiandu.org.models import Body, BodyKind, Department, Person, PostKind, Region, RegionKind


@dataclass
class Registry:
    city: Region
    puding: Region
    xixiu: Region
    maguan: Region
    tianxing: Region
    machang: Region
    nanjie: Region
    xixiu_village: Region
    zone: Region
    carved: Region
    commission: Body
    office: Body
    group: Body
    maguan_office: Body
    committee: Body
    xixiu_commission: Body
    zone_commission: Body
    health: Department
    education: Department
    xixiu_health: Department
    zhang: Person
    chen: Person
    zhao: Person
    zhou: Person
    wu: Person


def build_registry() -> Registry:
    city = RegionFactory(code="520400000000", name="安顺市", kind=RegionKind.CITY)
    puding = RegionFactory(code="520422000000", name="普定县", kind=RegionKind.COUNTY, parent=city)
    xixiu = RegionFactory(code="520402000000", name="西秀区", kind=RegionKind.COUNTY, parent=city)
    maguan = RegionFactory(code="520422101000", name="马官镇", kind=RegionKind.TOWNSHIP, parent=puding)
    tianxing = RegionFactory(code="520422101233", name="天星村", kind=RegionKind.VILLAGE, parent=maguan)
    machang = RegionFactory(code="520422101201", name="马场村", kind=RegionKind.VILLAGE, parent=maguan)
    nanjie = RegionFactory(code="520402001000", name="南街街道", kind=RegionKind.TOWNSHIP, parent=xixiu)
    xixiu_village = RegionFactory(
        code="520402001001", name="南华社区", kind=RegionKind.VILLAGE, parent=nanjie
    )
    zone = RegionFactory(
        code="520492000000", name="黄果树旅游区", kind=RegionKind.FUNCTIONAL_ZONE, parent=city
    )
    carved = RegionFactory(
        code="520422102000", name="白岩镇", kind=RegionKind.TOWNSHIP, parent=puding, functional_zone=zone
    )

    commission = BodyFactory(name="普定县纪委监委", region=puding, establishment=4)
    office = BodyFactory(
        name="普定县纪委监委第一纪检监察室", kind=BodyKind.OFFICE, region=puding, parent=commission
    )
    group = BodyFactory(
        name="普定县纪委监委派驻第一纪检监察组",
        kind=BodyKind.DISPATCHED_GROUP,
        region=puding,
        parent=commission,
        establishment=3,
    )
    maguan_office = BodyFactory(
        name="马官镇纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=maguan, establishment=3
    )
    committee = BodyFactory(name="天星村村务监督委员会", kind=BodyKind.VILLAGE_COMMITTEE, region=tianxing)
    xixiu_commission = BodyFactory(name="西秀区纪委监委", region=xixiu, establishment=5)
    zone_commission = BodyFactory(
        name="黄果树旅游区纪检监察工委", kind=BodyKind.WORKING_COMMISSION, region=zone, establishment=8
    )

    health = DepartmentFactory(region=puding, name="普定县卫生健康局", short_name="县卫健局", sector="卫健")
    education = DepartmentFactory(region=puding, name="普定县教育局", short_name="县教育局", sector="教育")
    xixiu_health = DepartmentFactory(
        region=xixiu, name="西秀区卫生健康局", short_name="区卫健局", sector="卫健"
    )
    group.supervised_departments.set([health])

    zhang = PostFactory(person__name="张伟", kind=PostKind.LEADER, body=commission, title="书记").person
    PostFactory(person__name="李娜", body=office)
    PostFactory(person__name="孙丽", kind=PostKind.LEADER, body=group, title="组长")
    PostFactory(person__name="王芳", kind=PostKind.DIRECTOR, body=maguan_office, title="主任")
    PostFactory(person__name="刘洋", kind=PostKind.SUPERVISOR, body=maguan_office)
    chen = PostFactory(person__name="陈静", kind=PostKind.VILLAGE_COMMITTEE_CHAIR, body=committee).person
    PostFactory(person=chen, kind=PostKind.VILLAGE_DISCIPLINE_MEMBER, body=None, region=tianxing)
    PostFactory(person=chen, kind=PostKind.LIVELIHOOD_SUPERVISOR, body=None, region=tianxing)
    zhao = PostFactory(person__name="赵磊", kind=PostKind.VILLAGE_COMMITTEE_MEMBER, body=committee).person
    zhou = PostFactory(person__name="周强", body=xixiu_commission).person
    PostFactory(person__name="郑华", body=zone_commission)
    wu = PostFactory(person__name="吴敏", body=commission, ended_on=datetime.date(2023, 12, 31)).person

    return Registry(
        city, puding, xixiu, maguan, tianxing, machang, nanjie, xixiu_village, zone, carved,
        commission, office, group, maguan_office, committee, xixiu_commission, zone_commission,
        health, education, xixiu_health, zhang, chen, zhao, zhou, wu,
    )  # fmt: skip
