"""The demo's cross supervision: 普定县's townships approved, a 西秀区 township's villages and 安顺市's
counties drafted, every pair within the rules, recorded relatives kept off their relatives' units;
idempotent."""

from __future__ import annotations

import io
import time

import pytest

from jiandu.crossing import demo
from jiandu.crossing.models import CrossPair, CrossRound, CrossTeamMember, Kinship, RoundStatus
from jiandu.geo.demo import demo_build as geo_demo_build
from jiandu.org.demo import demo_build as org_demo_build
from jiandu.org.models import CODE_DIGITS, Region

pytestmark = pytest.mark.django_db


def test_demo_rounds_keep_the_rules_and_are_idempotent():
    org_demo_build()
    geo_demo_build()
    started = time.perf_counter()
    assert demo.demo_build(io.StringIO()) == 3
    print(f"crossing demo: {time.perf_counter() - started:.2f} s")
    puding = CrossRound.objects.get(region__code=demo.PUDING)
    assert puding.status == RoundStatus.APPROVED and puding.figures["feasible"]
    county = CrossRound.objects.get(region__code=demo.ANSHUN)
    counties = Region.objects.filter(code__startswith="5204", level="county").count()  # 6 and 2 zones
    assert CrossPair.objects.filter(round=county).count() == counties == 8
    assert CrossTeamMember.objects.filter(pair__round=county).exists()
    for cross_round in CrossRound.objects.all():
        pairs = list(CrossPair.objects.filter(round=cross_round).values_list("supervisor", "supervised"))
        assert pairs and all(s != t for s, t in pairs)
        assert len({t for _, t in pairs}) == len(pairs) == cross_round.figures["units"]
        if cross_round.avoid_reciprocal and not cross_round.figures["relaxed"]:
            assert not {(t, s) for s, t in pairs} & set(pairs)
    assert Kinship.objects.count() == 2
    for kin in Kinship.objects.select_related("works_in"):
        prefix = kin.works_in.code[: CODE_DIGITS["township"]]
        checked = CrossTeamMember.objects.filter(person=kin.person).values_list(
            "pair__supervised__code", flat=True
        )
        assert all(code[: CODE_DIGITS["township"]] != prefix for code in checked)
    assert demo.demo_build(io.StringIO()) == 0
    assert CrossRound.objects.count() == 3
