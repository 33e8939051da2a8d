"""Duplicate finding: normalisation examples, and the invariants the module docstring promises."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiandu.lib.similarity import (
    Report,
    brute_force,
    chinese_number,
    find_duplicates,
    normalise,
    prepare,
    score_pair,
    text_similarity,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "value"),
    [("十二", 12), ("三百五十", 350), ("一万二千", 12000), ("一万二", 12000), ("三千五", 3500),
     ("一百零五", 105), ("二〇二三", 2023), ("两千", 2000), ("十", 10)],
)  # fmt: skip
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


def test_numbers_written_differently_are_the_same_figures():
    a = normalise("天星村低保资金延迟发放三个月，涉及1.2万元")
    b = normalise("天星村最低生活保障资金延迟发放3个月，涉及１２,０００元")
    assert a.quantities == b.quantities == {("个月", 3.0), ("元", 12000.0)}
    assert a.text == b.text


def test_long_names_fold_to_their_short_forms():
    assert normalise("普定县卫生健康局").text == normalise("普定县卫健局").text


def test_a_rewording_is_closer_than_another_problem_of_the_same_village():
    facts = "天星村低保资金延迟发放三个月，涉及低保户8户，金额1.2万元。"
    reworded = "马官镇天星村城乡居民最低生活保障金迟发3个月，8户群众受影响，共计12,000元。"
    other = "天星村集体土地违规发包给村支书亲属，租金3万元未入账。"
    assert text_similarity(facts, reworded) > text_similarity(facts, other)


def report(key, text, day=0, **kw):
    values = {"county": "520422", "township": "520422101", "village": "520422101233", "unit": "t:1"}
    values.update(kw)
    return Report(key=key, text=text, found_on=D(2026, 3, 1) + datetime.timedelta(days=day), **values)


def test_the_same_household_in_another_month_is_not_a_duplicate():
    a = report(1, "天星村张某某户不符合低保条件仍享受低保，2025年3月起领取低保金4200元。", amount=4200)
    b = report(2, "天星村张某某户不符合低保条件仍享受低保，2025年9月起领取低保金2100元。", 9, amount=2100)
    c = report(3, "天星村张某某不符合条件却享受最低生活保障，从2025年3月开始领取，共4200元。", 5, amount=4200)
    pa, pb, pc = prepare([a, b, c])
    assert score_pair(pa, pc).score > score_pair(pa, pb).score
    assert score_pair(pa, pb).reasons["figures"] < 1


def test_reports_of_other_counties_or_far_apart_are_never_compared():
    text = "天星村低保资金延迟发放三个月"
    a, b, c = prepare([report(1, text), report(2, text, county="520402"), report(3, text, day=400)])
    assert score_pair(a, b).score == 0 and score_pair(a, c).score == 0
    assert score_pair(a, b).reasons == {"comparable": False}


# --- properties ----------------------------------------------------------------------------------------

# A small alphabet, so that random texts share shingles often enough to matter.
texts = st.text(alphabet="低保资金延迟发放天星村三3个月元户万一二", min_size=0, max_size=24)


@given(texts, texts)
def test_text_similarity_is_symmetric_and_in_range(a, b):
    s = text_similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert s == pytest.approx(text_similarity(b, a))


@given(texts)
def test_identical_text_scores_one(a):
    assert text_similarity(a, a) == 1.0


@st.composite
def reports(draw):
    n = draw(st.integers(min_value=0, max_value=14))
    out = []
    for key in range(n):
        township = draw(st.sampled_from(["520422101", "520422102", None]))
        village = draw(st.sampled_from([None, "1", "2"])) if township else None
        out.append(
            Report(
                key=key,
                text=draw(texts),
                found_on=D(2026, 1, 1) + datetime.timedelta(days=draw(st.integers(0, 300))),
                county=draw(st.sampled_from(["520422", "520402"])),
                township=township,
                village=township + village if township and village else None,
                unit=draw(st.sampled_from([None, "a", "b"])),
                amount=draw(st.sampled_from([None, 100.0, 120.0, 5000.0])),
            )
        )
    return out


@given(reports(), st.floats(min_value=0.05, max_value=1.0))
@settings(max_examples=150, deadline=None)
def test_blocking_finds_exactly_the_pairs_the_full_comparison_flags(items, threshold):
    def pairs(matches):
        return {(m.first, m.second): m.score for m in matches}

    assert pairs(find_duplicates(items, threshold=threshold)) == pairs(
        brute_force(items, threshold=threshold)
    )


@given(reports(), st.data())
@settings(max_examples=60, deadline=None)
def test_looking_for_some_reports_finds_their_pairs_of_the_full_scan(items, data):
    only = data.draw(st.sets(st.sampled_from([r.key for r in items]))) if items else set()
    full = find_duplicates(items, threshold=0.3)
    some = find_duplicates(items, threshold=0.3, only=only)
    assert {(m.first, m.second) for m in some} == {
        (m.first, m.second) for m in full if m.first in only or m.second in only
    }


@given(reports())
@settings(max_examples=60, deadline=None)
def test_pair_scores_are_symmetric_in_range_and_one_for_a_report_with_itself(items):
    prepared = prepare(items)
    for x in prepared:
        assert score_pair(x, x).score == pytest.approx(1.0)
        for y in prepared:
            s = score_pair(x, y).score
            assert 0.0 <= s <= 1.0
            assert s == pytest.approx(score_pair(y, x).score)
