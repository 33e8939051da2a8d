"""Scope widened by covered regions and shares, narrowed by recusals, through `visible_to`."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from factories import BodyFactory, UserFactory
from scenario import Registry

from jiandu.access.models import Recusal, Share
from jiandu.access.services import lift_recusal, recuse, revoke_share, share_record
from jiandu.org.models import Body, BodyKind, Department, Person, Post, Region

pytestmark = pytest.mark.django_db


def fresh(user):  # type: ignore[no-untyped-def]
    """The same account as a new request sees it (scope and recusals are cached per user object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def county(registry: Registry):  # type: ignore[no-untyped-def]
    return UserFactory(username="puding", body=registry.commission, permissions=["org.change_department"])


@pytest.fixture
def decider(registry: Registry):  # type: ignore[no-untyped-def]
    return UserFactory(username="puding-secretary", body=registry.commission)


def test_zone_group_sees_the_regions_it_covers(registry: Registry) -> None:
    group = BodyFactory(name="第一片区工作组", kind=BodyKind.ZONE_GROUP, region=registry.maguan)
    group.covered_regions.set([registry.nanjie])
    member = UserFactory(body=group)
    codes = set(Region.objects.visible_to(member).values_list("code", flat=True))
    assert {"520422101000", "520422101233", "520402001000", "520402001001"} <= codes
    assert "520422000000" not in codes and "520402000000" not in codes
    assert Body.objects.visible_to(member).filter(pk=group.pk).exists()


def test_a_share_makes_one_record_visible_and_revoking_hides_it(registry: Registry, county, decider) -> None:
    xixiu_user = UserFactory(body=registry.xixiu_commission)
    assert not Department.objects.visible_to(xixiu_user).filter(pk=registry.health.pk).exists()

    share = share_record(
        acting_user=county, record=registry.health, body=registry.xixiu_commission, reason="联合检查"
    )
    assert Department.objects.visible_to(fresh(xixiu_user)).filter(pk=registry.health.pk).exists()
    # Only that record, and only to view.
    assert not Department.objects.visible_to(fresh(xixiu_user)).filter(pk=registry.education.pk).exists()
    assert (
        not Department.objects.visible_to(fresh(xixiu_user), "change").filter(pk=registry.health.pk).exists()
    )

    revoke_share(acting_user=county, share=share)
    assert not Department.objects.visible_to(fresh(xixiu_user)).filter(pk=registry.health.pk).exists()
    assert Share.objects.get(pk=share.pk).revoked_by == county


def test_sharing_needs_change_rights_and_a_reason(registry: Registry, county) -> None:
    xixiu_user = UserFactory(body=registry.xixiu_commission)
    with pytest.raises(ValidationError):
        share_record(
            acting_user=county, record=registry.xixiu_health, body=registry.commission, reason="想看"
        )
    with pytest.raises(ValidationError):
        share_record(acting_user=county, record=registry.health, body=registry.xixiu_commission, reason="  ")
    with pytest.raises(ValidationError):
        share_record(
            acting_user=xixiu_user, record=registry.health, body=registry.commission, reason="联合检查"
        )
    assert not Share.objects.exists()


def test_recusal_from_a_record_hides_it_whatever_the_scope(registry: Registry, county, decider) -> None:
    recusal = recuse(acting_user=decider, user=county, target=registry.health, reason="近亲属在该局任职")
    visible = Department.objects.visible_to(fresh(county))
    assert not visible.filter(pk=registry.health.pk).exists()
    assert visible.filter(pk=registry.education.pk).exists()
    assert recusal.decided_by == decider and recusal.reason == "近亲属在该局任职"

    lift_recusal(acting_user=decider, recusal=recusal)
    assert Department.objects.visible_to(fresh(county)).filter(pk=registry.health.pk).exists()


def test_recusal_binds_a_superuser_too(registry: Registry, decider) -> None:
    admin = UserFactory(username="root", is_superuser=True)
    recuse(acting_user=decider, user=admin, target=registry.tianxing, reason="户籍所在地")
    admin = fresh(admin)
    assert not Region.objects.visible_to(admin).filter(code="520422101233").exists()
    assert Region.objects.visible_to(admin).filter(code="520422101201").exists()
    assert not Body.objects.visible_to(admin).filter(pk=registry.committee.pk).exists()
    assert not Post.objects.visible_to(admin).filter(region=registry.tianxing).exists()


def test_recusal_from_a_person_hides_them_and_their_posts(registry: Registry, county, decider) -> None:
    recuse(acting_user=decider, user=county, target=registry.chen, reason="同学关系")
    county = fresh(county)
    assert not Person.objects.visible_to(county).filter(pk=registry.chen.pk).exists()
    assert not Post.objects.visible_to(county).filter(person=registry.chen).exists()
    assert Person.objects.visible_to(county).filter(pk=registry.zhao.pk).exists()


def test_recusal_from_a_region_hides_its_subtree(registry: Registry, county, decider) -> None:
    recuse(acting_user=decider, user=county, target=registry.maguan, reason="本人籍贯")
    codes = set(Region.objects.visible_to(fresh(county)).values_list("code", flat=True))
    assert "520422000000" in codes
    assert not {"520422101000", "520422101233", "520422101201"} & codes
    assert not Body.objects.visible_to(fresh(county)).filter(pk=registry.maguan_office.pk).exists()


def test_nobody_recuses_themselves_and_a_reason_is_required(registry: Registry, county, decider) -> None:
    with pytest.raises(ValidationError):
        recuse(acting_user=county, user=county, target=registry.health, reason="自行回避")
    with pytest.raises(ValidationError):
        recuse(acting_user=decider, user=county, target=registry.health, reason="")
    assert not Recusal.objects.exists()


def test_recusing_twice_keeps_one_entry(registry: Registry, county, decider) -> None:
    first = recuse(acting_user=decider, user=county, target=registry.health, reason="近亲属")
    second = recuse(acting_user=decider, user=county, target=registry.health, reason="近亲属")
    assert first.pk == second.pk and Recusal.objects.count() == 1


def test_sharing_and_recusing_are_named_as_such_in_the_audit_trail(
    registry: Registry, county, decider
) -> None:
    from jiandu.core.models import AuditAction, AuditEntry

    share = share_record(
        acting_user=county, record=registry.health, body=registry.xixiu_commission, reason="联合检查"
    )
    revoke_share(acting_user=county, share=share)
    recusal = recuse(acting_user=decider, user=county, target=registry.zhang, reason="近亲属")
    lift_recusal(acting_user=decider, recusal=recusal)
    actions = list(
        AuditEntry.objects.filter(model__in=["access.share", "access.recusal"])
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.SHARE, AuditAction.REVOKE, AuditAction.RECUSE, AuditAction.LIFT]
