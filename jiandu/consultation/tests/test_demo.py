"""The consultation demo builds on whatever problems the ledger holds, once, and without them builds nothing."""

from __future__ import annotations

import io

import pytest
from factories import UserFactory

from jiandu.consultation.demo import demo_build
from jiandu.consultation.models import FollowUp, Session, SystemicProblem
from jiandu.ledger.models import Problem

from .conftest import World

pytestmark = pytest.mark.django_db


def test_the_demo_is_built_once(world: World) -> None:
    out = io.StringIO()
    demo_build(out)
    session = Session.objects.get(convener=world.r.commission)
    # 西秀区 gets its own, on its one problem.
    assert Session.objects.get(convener=world.r.xixiu_commission).items.get().problem == world.xixiu
    assert session.items.count() == 4 and session.items.filter(decision="").count() == 0
    assert SystemicProblem.objects.filter(region=world.r.puding).exists()
    assert FollowUp.objects.get().recipient == world.civil_affairs
    assert world.county.groups.filter(name="consultation editors").exists()
    demo_build(out)
    assert Session.objects.count() == 2 and FollowUp.objects.count() == 1
    assert "nothing changed" in out.getvalue()


def test_without_problems_nothing_is_built(registry) -> None:
    UserFactory(body=registry.commission)
    assert not Problem.objects.exists()
    out = io.StringIO()
    demo_build(out)
    assert not Session.objects.exists()
    assert "No problems in the ledger" in out.getvalue()
