"""The rectification tile: rectifications by status and the overdue ones, in scope, each linked to the
rectification list filtered to them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from factories import ProblemFactory, UserFactory

from jiandu.access.models import User
from jiandu.insights.dashboard import dashboard
from jiandu.rectification.services import rectification_open

pytestmark = pytest.mark.django_db


def test_open_and_overdue_rectifications_are_counted_in_scope_and_linked(registry):
    r = registry
    supervisor = UserFactory(
        username="rect-supervisor", body=r.commission, permissions=["rectification.add_rectification"]
    )
    found = datetime.date(2025, 1, 3)
    late = ProblemFactory(found_by=r.commission, region=r.tianxing, facts="逾期整改问题甲", found_on=found)
    ProblemFactory(found_by=r.commission, region=r.machang, facts="未整改问题乙")
    timely = ProblemFactory(found_by=r.commission, region=r.maguan, facts="按期整改问题丙", found_on=found)
    opened = datetime.date(2025, 1, 6)
    rectification_open(
        acting_user=supervisor,
        problem=late,
        measures="补发",
        deadline=datetime.date(2025, 2, 1),
        opened_on=opened,
    )
    rectification_open(
        acting_user=supervisor,
        problem=timely,
        measures="补发",
        deadline=datetime.date(2099, 1, 1),
        opened_on=opened,
    )
    tile = next(t for t in dashboard(User.objects.get(pk=supervisor.pk)).extra if t.name == "rectification")
    figures = {figure.key: figure for figure in tile.figures}
    assert (figures["rectifying"].count, figures["overdue"].count, tile.total) == (2, 1, 2)
    client = Client()
    client.force_login(supervisor)
    overdue = client.get(figures["overdue"].url).content.decode()
    assert "逾期整改问题甲" in overdue and "按期整改问题丙" not in overdue
    rectifying = client.get(figures["rectifying"].url).content.decode()
    assert (
        "逾期整改问题甲" in rectifying and "按期整改问题丙" in rectifying and "未整改问题乙" not in rectifying
    )

    # Another county's commission sees none of them.
    other = UserFactory(username="rect-other", body=r.xixiu_commission)
    tile = next(t for t in dashboard(User.objects.get(pk=other.pk)).extra if t.name == "rectification")
    assert tile.figures == [] and tile.note
