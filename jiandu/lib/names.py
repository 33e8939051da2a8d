"""How people write a place: the short name of a statutory division (马官镇 → 马官, 天兴村村民委员会 → 天兴村).

Pure string rules, no Django. The result only ever drops characters of the official name (it is a
subsequence of it), never goes below two characters when the name has two, and falls back to the full name
when no rule applies.
"""

from __future__ import annotations

import unicodedata

LEVELS = ("province", "city", "county", "township", "village")
MIN_LENGTH = 2

# The 55 minority nationalities and 汉, as they appear in autonomous place names (苗族, 布依族, 维吾尔 …).
ETHNIC_GROUPS = tuple(
    sorted(
        (
            "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 "
            "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 "
            "鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
        ).split(),
        key=len,
        reverse=True,
    )
)

# Suffixes of an autonomous division: before them a nationality may be written without 族 (新疆维吾尔自治区).
AUTONOMOUS_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗")

# Suffixes dropped at each level, longest first. A county-level name ending in one of KEEP_WHOLE is a zone
# (开发区, 管理区 …) that people write in full.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "city": ("自治州", "地区", "市", "盟"),
    "county": ("自治县", "自治旗", "特区", "林区", "区", "县", "市"),
    "township": ("街道办事处", "民族乡", "街道", "镇", "乡"),
}
KEEP_WHOLE = (
    "开发区",
    "园区",
    "管理区",
    "示范区",
    "实验区",
    "试验区",
    "合作区",
    "新区",
    "矿区",
    "景区",
    "名胜区",
    "聚集区",
    "食品区",
    "市辖区",
)

# Village-level committees: (suffix, what the place is called, the words that already name the place).
VILLAGE_COMMITTEES = (
    ("村民委员会", "村", ("村", "社区", "嘎查")),
    ("村民委会", "村", ("村", "社区", "嘎查")),
    ("村委会", "村", ("村", "社区", "嘎查")),
    ("居民委员会", "居委会", ("社区",)),
    ("居委会", "居委会", ("社区",)),
)


def short_region_name(name: str, level: str) -> str:
    """The short form people write for a division `name` at `level` (province … village).

    马官镇 → 马官, 猫洞苗族仡佬族乡 → 猫洞, 镇宁布依族苗族自治县 → 镇宁, 安顺市 → 安顺, 定南街道 → 定南,
    天兴村村民委员会 → 天兴村, 马堡社区居民委员会 → 马堡社区. A short result (东屯乡 → 东屯) keeps at least
    two characters; otherwise the name is kept as it is (萧县, 城区).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if level == "village":
        short = _village(name)
    elif name.endswith(KEEP_WHOLE) or "直辖" in name:
        short = name
    else:
        short = _without_suffix(name, SUFFIXES[level])
    return short if len(short) >= MIN_LENGTH else name


def _without_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = _without_nationalities(name[: -len(suffix)], bare=suffix in AUTONOMOUS_SUFFIXES)
            if len(stem) >= MIN_LENGTH:
                return stem
    return name


def _without_nationalities(stem: str, *, bare: bool) -> str:
    """Drop the nationalities written before 乡/自治县 (…苗族仡佬族, …布依族苗族), keeping two characters.

    `bare` also drops a name of two or more characters written without 族 (新疆维吾尔, 巴里坤哈萨克).
    """
    while True:
        for group in ETHNIC_GROUPS:
            if stem.endswith(group + "族"):
                rest = stem[: -len(group) - 1]
                if len(rest) < MIN_LENGTH:
                    # 东乡族自治县, 鄂温克族自治旗: the nationality is the place.
                    return stem[:-1]
                stem = rest
                break
            if bare and len(group) >= 2 and stem.endswith(group) and len(stem) - len(group) >= MIN_LENGTH:
                stem = stem[: -len(group)]
                break
        else:
            return stem


def _village(name: str) -> str:
    for suffix, place, named in VILLAGE_COMMITTEES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(named) else stem + place
    return name


# What people write after a township's name when they mean its government or Party committee.
ORGAN_SUFFIXES = ("党委政府", "人民政府", "党委", "政府", "管委会", "纪委")
# Second-tier endings: 天兴 for 天兴村, 塔东 for 塔东社区, 黄果树 for 黄果树旅游区.
LOOSE_ENDINGS: dict[str, tuple[str, ...]] = {
    "village": ("居委会", "社区", "村"),
    "county": ("经济技术开发区", "经开区", "开发区", "旅游区", "新区"),
}


def loose_keys(text: str, level: str) -> tuple[str, str]:
    """The two keys a loosely written name of a division at `level` is looked up by, the closer first.

    马官镇人民政府, 马官镇 and 马官 give 马官; 猫洞乡 and 猫洞苗族仡佬族乡 give 猫洞; 天兴村村民委员会 and 天兴村 give
    天兴村 (and 天兴 as the looser key, which 天兴 alone also gives). Full-width letters and spaces are folded.
    """
    name = "".join(unicodedata.normalize("NFKC", text).split())
    if level in ("township", "county"):
        for suffix in ORGAN_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name = name[: -len(suffix)]
                break
    close = short_region_name(name, level) if name else name
    loose = close
    for ending in LOOSE_ENDINGS.get(level, ()):
        for form in (close, name):
            if form.endswith(ending) and len(form) - len(ending) >= MIN_LENGTH:
                return close, form[: -len(ending)]
    return close, loose
