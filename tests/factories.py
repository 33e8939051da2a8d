"""factory_boy factories for the organisation registry and accounts.

Codes follow the 12-digit statistical scheme: pass `code` (and `parent`) for a real-looking tree, e.g.
city 520400000000 → county 520422000000 → township 520422101000 → village 520422101233.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth.models import Permission

from jiandu.access.models import User
from jiandu.ledger.models import Category, Problem, Source
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
)

# The level that goes with each kind of region (a functional zone counts as county level).
REGION_LEVEL = {
    RegionKind.PROVINCE: Level.PROVINCE,
    RegionKind.CITY: Level.CITY,
    RegionKind.COUNTY: Level.COUNTY,
    RegionKind.FUNCTIONAL_ZONE: Level.COUNTY,
    RegionKind.TOWNSHIP: Level.TOWNSHIP,
    RegionKind.VILLAGE: Level.VILLAGE,
}


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"520422101{n + 1:03d}")
    name = factory.Sequence(lambda n: f"村{n + 1}")
    kind = RegionKind.VILLAGE
    level = factory.LazyAttribute(lambda o: REGION_LEVEL[RegionKind(o.kind)])
    is_statistical = factory.LazyAttribute(lambda o: o.kind != RegionKind.FUNCTIONAL_ZONE)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"机构{n + 1}")
    kind = BodyKind.COMMISSION
    region = factory.SubFactory(RegionFactory)
    level = factory.LazyAttribute(lambda o: o.region.level)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    region = factory.SubFactory(RegionFactory, code="520422000000", name="普定县", kind=RegionKind.COUNTY)
    name = factory.Sequence(lambda n: f"部门{n + 1}")
    short_name = factory.LazyAttribute(lambda o: o.name[:6])
    sector = ""


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n + 1}")
    birth_year = 1980
    education = Education.BACHELOR


class PostFactory(factory.django.DjangoModelFactory):
    """A post in a body (region follows the body) or, with `body=None` and a village, a village post."""

    class Meta:
        model = Post

    person = factory.SubFactory(PersonFactory)
    kind = PostKind.STAFF
    body = factory.SubFactory(BodyFactory)
    region = factory.LazyAttribute(lambda o: o.body.region if o.body is not None else None)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n + 1}")
    first_name = factory.Sequence(lambda n: f"用户{n + 1}")
    body = None
    password = factory.django.Password("Jiandu-test-2024")

    @factory.post_generation
    def permissions(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """`UserFactory(permissions=["org.change_body"])` grants model permissions by app_label.codename."""
        if not create or not extracted:
            return
        for name in extracted:
            app_label, codename = name.split(".")
            self.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class ProblemFactory(factory.django.DjangoModelFactory):
    """A problem in the townships' ledger of its place's township; pass `responsible_department` (and
    `responsible_region=None`, `ledger="department"`) for the departments' ledger."""

    class Meta:
        model = Problem

    source = factory.LazyFunction(lambda: Source.objects.get(code="daily"))
    category = factory.LazyFunction(lambda: Category.objects.get(name="惠民政策落实"))
    found_by = factory.SubFactory(BodyFactory)
    region = factory.LazyAttribute(lambda o: o.found_by.region)
    responsible_region = factory.LazyAttribute(
        lambda o: o.region if o.region.level == "township" else o.region.parent
    )
    responsible_department = None
    ledger = factory.LazyAttribute(lambda o: "township" if o.responsible_department is None else "department")
    facts = factory.Sequence(lambda n: f"问题事实{n + 1}：低保资金未按时发放")
    amount = None
    found_on = datetime.date(2026, 3, 5)
