"""The demo's elevated supervision: the study's 13 city-level and 49 county-level villages of 安顺市, with
integrity files and departure audits; a second run changes nothing."""

from __future__ import annotations

import io

import pytest

from jiandu.elevated import demo, selectors
from jiandu.elevated.models import DepartureAudit, IntegrityFile, RunStatus, SelectionRun, VillageAssets
from jiandu.org.demo import demo_build as org_demo_build
from jiandu.org.models import Region

pytestmark = pytest.mark.django_db


def test_demo_selects_13_city_and_49_county_villages_and_is_idempotent() -> None:
    org_demo_build()
    assert demo.demo_build(io.StringIO()) == 62
    run = SelectionRun.objects.get(region__code=demo.CITY)
    assert run.status == RunStatus.APPROVED
    assert (run.city_count, run.county_count) == (13, 49)
    city = Region.objects.get(code=demo.CITY)
    current = selectors.current_elevated(city)
    assert sorted(o.level for o in current).count("city") == 13 and current.count() == 62
    assert selectors.run_reproduced(run)
    assert VillageAssets.objects.count() == run.village_count
    assert IntegrityFile.objects.filter(village__in=[o.village for o in current]).count() >= 62
    assert DepartureAudit.objects.count() == 3
    before = (VillageAssets.objects.count(), IntegrityFile.objects.count(), SelectionRun.objects.count())
    assert demo.demo_build(io.StringIO()) == 0
    assert (
        VillageAssets.objects.count(),
        IntegrityFile.objects.count(),
        SelectionRun.objects.count(),
    ) == before
