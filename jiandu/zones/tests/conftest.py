"""Fixtures of the zone tests: the small county of `helpers.build_county` and a draft of its townships in
two zones."""

import pytest

from jiandu.zones import services
from jiandu.zones.tests.helpers import build_county, planner


@pytest.fixture
def county(registry):
    return build_county(registry)


@pytest.fixture
def plan(county):
    return services.zone_plan_draft(
        acting_user=planner(county.registry, "drafter"), kind="township", region=county.registry.puding,
        min_size=2, max_size=4, min_staff=0, target_zones=2,
    )  # fmt: skip
