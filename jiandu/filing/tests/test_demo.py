"""The filing demo: a year of filings for the bodies that file, some late, some missing; idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from factories import BodyFactory, RegionFactory

from jiandu.filing.demo import demo_build
from jiandu.filing.models import Filing, FilingRevision
from jiandu.notices.models import Notice
from jiandu.org.models import BodyKind, RegionKind

pytestmark = pytest.mark.django_db


def test_demo_builds_a_year_of_filings_once(registry):
    for n in range(30):
        township = RegionFactory(
            code=f"520422{200 + n:03d}000",
            name=f"示范乡{n}",
            kind=RegionKind.TOWNSHIP,
            parent=registry.puding,
        )
        BodyFactory(name=f"示范乡{n}纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=township)
    demo_build(StringIO())

    monthly = Filing.objects.filter(body__kind=BodyKind.TOWNSHIP_OFFICE)
    periods = set(monthly.values_list("period", flat=True))
    assert len(periods) == 12
    expected = 31 * 12
    assert 0.75 * expected < monthly.count() < expected  # some missing
    assert monthly.filter(is_late=True).exists() and monthly.filter(is_late=False).exists()
    assert Filing.objects.filter(body=registry.group).count() <= 4
    # The demo township leaves its last month for the demo user to file.
    assert not Filing.objects.filter(body=registry.maguan_office, period=max(periods)).exists()
    assert FilingRevision.objects.count() == Filing.objects.count()
    assert Notice.objects.exists()

    counts = (Filing.objects.count(), Notice.objects.count())
    out = StringIO()
    demo_build(out)
    assert (Filing.objects.count(), Notice.objects.count()) == counts
    assert "0" in out.getvalue()
