"""The dashboard's filing tile: the last ended period's statuses in the user's scope, each linked to the
filing page filtered by it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from jiandu.filing.models import FilingRule
from jiandu.filing.services import filing_submit
from jiandu.insights.dashboard import filing_tile
from jiandu.lib.periods import MONTHLY, ended_periods

from .conftest import editor

pytestmark = pytest.mark.django_db


def test_the_tile_counts_the_last_period_in_scope(registry, county_user, township_user):
    period = ended_periods(timezone.localdate(), MONTHLY, 1)[0]
    tile = filing_tile(county_user)
    assert str(period) in tile.title
    assert tile.total == 1  # 马官镇, the one township office of 普定县
    filing_submit(acting_user=township_user, period=str(period), nothing_to_report=True)
    tile = filing_tile(county_user)
    [figure] = tile.figures
    assert figure.key in ("filed", "late") and figure.count == 1
    assert figure.url == f"/filing/?period={period}&region={registry.puding.code}&status={figure.key}"
    response = Client().get(figure.url)  # signed out: sent to sign in, the link itself resolves
    assert response.status_code == 302


def test_no_rule_no_figures(registry):
    FilingRule.objects.update(is_active=False)
    tile = filing_tile(editor(registry.commission, "tile-county"))
    assert not tile.figures and tile.note
