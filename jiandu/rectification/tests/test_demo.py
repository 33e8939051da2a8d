"""The demo rectifications: built on whatever problems exist, consistent with them, and only once."""

from __future__ import annotations

import pytest
from factories import ProblemFactory

from jiandu.ledger.models import ProblemStatus
from jiandu.rectification.demo import demo_build
from jiandu.rectification.models import Rectification, RectificationStatus

pytestmark = pytest.mark.django_db


def test_demo_rectifications_follow_the_problems_and_are_built_once(registry):
    r = registry
    for n in range(12):
        status = ProblemStatus.CLOSED if n % 3 == 0 else ProblemStatus.RECTIFYING
        ProblemFactory(found_by=r.commission, region=r.tianxing, status=status)
    ProblemFactory(found_by=r.commission, region=r.tianxing, status=ProblemStatus.REGISTERED)
    assert demo_build() == 12
    closed = Rectification.objects.filter(problem__status=ProblemStatus.CLOSED)
    assert closed.count() == 4
    assert all(x.status == RectificationStatus.CLOSED and x.verifications.filter(passed=True) for x in closed)
    for x in Rectification.objects.all():
        assert x.supervisor == r.commission and x.unit_body == r.maguan_office
        assert x.problem.found_on <= x.opened_on <= x.deadline
        if x.claimed_done_on:
            assert x.reports.filter(claims_done=True).exists()
    assert demo_build() == 0
    assert Rectification.objects.count() == 12
