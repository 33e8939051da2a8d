"""Short region names: examples from the Anshun data, and the invariants the module docstring promises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiandu.lib.names import (
    ETHNIC_GROUPS,
    KEEP_WHOLE,
    LEVELS,
    MIN_LENGTH,
    SUFFIXES,
    VILLAGE_COMMITTEES,
    short_region_name,
)


@pytest.mark.parametrize(
    ("name", "level", "short"),
    [
        ("马官镇", "township", "马官"),
        ("猫洞苗族仡佬族乡", "township", "猫洞"),
        ("镇宁布依族苗族自治县", "county", "镇宁"),
        ("安顺市", "city", "安顺"),
        ("天兴村村民委员会", "village", "天兴村"),
        ("马堡社区居民委员会", "village", "马堡社区"),
        ("西秀区", "county", "西秀"),
        ("贵州省", "province", "贵州"),
        ("定南街道", "township", "定南"),
        ("新疆维吾尔自治区", "province", "新疆"),
        ("东乡族自治县", "county", "东乡"),  # the nationality is the place
        ("东屯乡", "township", "东屯"),
        ("萧县", "county", "萧县"),  # one character left: kept whole
        ("城区", "county", "城区"),
        ("安顺经济技术开发区", "county", "安顺经济技术开发区"),  # a zone is written in full
        ("多福巷社区居委会", "village", "多福巷社区"),
        ("新寨村委会", "village", "新寨村"),
    ],
)
def test_examples(name: str, level: str, short: str) -> None:
    assert short_region_name(name, level) == short


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="hamlet"):
        short_region_name("马官镇", "hamlet")


# Names are built from the pieces the rules look for, so that the rules fire, and from plain characters.
RULE_WORDS = sorted(
    {suffix for suffixes in SUFFIXES.values() for suffix in suffixes}
    | set(ETHNIC_GROUPS)
    | {group + "族" for group in ETHNIC_GROUPS}
    | set(KEEP_WHOLE)
    | {word for suffix, place, named in VILLAGE_COMMITTEES for word in (suffix, place, *named)}
    | {"族", "直辖", "嘎查"}
)
RULE_CHARACTERS = set("".join(RULE_WORDS))
# Characters that no rule looks at: a stem written with them is never cut into.
PLAIN = "云贵川黔滇桂湘赣闽浙苏皖鲁豫冀晋陕甘青宁桃李杨柳松竹梅兰菊荷花石坝坪坡沟河江湖海泉井堡寨屯庄营关桥马官天兴顺秀"

names = st.lists(st.sampled_from(RULE_WORDS) | st.sampled_from(PLAIN), max_size=8).map("".join)
levels = st.sampled_from(LEVELS)
stems = st.text(alphabet=PLAIN, min_size=MIN_LENGTH, max_size=6)
nationalities = st.lists(st.sampled_from(ETHNIC_GROUPS).map(lambda group: group + "族"), max_size=3).map(
    "".join
)


def is_subsequence(short: str, name: str) -> bool:
    rest = iter(name)
    return all(character in rest for character in short)


def test_plain_characters_are_plain() -> None:
    assert not set(PLAIN) & RULE_CHARACTERS


@given(names, levels)
def test_short_name_only_drops_characters(name: str, level: str) -> None:
    short = short_region_name(name, level)
    assert is_subsequence(short, name)
    if len(name) >= MIN_LENGTH:
        assert len(short) >= MIN_LENGTH
    else:
        assert short == name


@given(names, st.sampled_from([level for level in LEVELS if level != "village"]))
def test_above_villages_only_the_end_is_dropped(name: str, level: str) -> None:
    assert name.startswith(short_region_name(name, level))


@given(names)
def test_village_short_names_are_stable(name: str) -> None:
    """A village's short name ends in 村, 社区, 嘎查 or 居委会, or is the name: shortening it again keeps it.

    (Not so above villages: 安顺市市 → 安顺市 → 安顺.)"""
    short = short_region_name(name, "village")
    assert short_region_name(short, "village") == short


@given(stems, levels.filter(lambda level: level != "village"), st.data())
def test_suffix_and_nationalities_come_off(stem: str, level: str, data: st.DataObject) -> None:
    """The stem a name was built from comes back: 镇宁 + 布依族苗族 + 自治县 → 镇宁."""
    suffix = data.draw(st.sampled_from(SUFFIXES[level]))
    assert short_region_name(stem + data.draw(nationalities) + suffix, level) == stem


@given(stems, st.sampled_from(VILLAGE_COMMITTEES))
def test_village_committee_becomes_the_place(stem: str, committee: tuple[str, str, tuple[str, ...]]) -> None:
    suffix, place, named = committee
    assert short_region_name(stem + suffix, "village") == stem + place
    for word in named:
        assert short_region_name(stem + word + suffix, "village") == stem + word
