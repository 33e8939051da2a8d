"""The Anshun demo as the study describes it (section 1), as data the builder follows.

Figures marked "study" are the report's; the rest (how they split across counties, the city's own bodies,
which townships the functional zones hold) are plausible choices for a demo and are documented as such in
docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_CODE = "520400000000"
DEMO_PASSWORD = "Anshun@2021demo"


@dataclass(frozen=True)
class CountySpec:
    code: str
    slug: str  # pinyin used in demo usernames
    commission: tuple[int, int]  # establishment, headcount
    inspection_office: tuple[int, int]
    dispatched_groups: int


# study: county commissions 212 / 172; inspection offices 88 / 76; 38 dispatched groups.
COUNTIES = (
    CountySpec("520402000000", "xixiu", (44, 36), (16, 14), 8),
    CountySpec("520403000000", "pingba", (36, 29), (15, 13), 7),
    CountySpec("520422000000", "puding", (34, 28), (15, 13), 6),
    CountySpec("520423000000", "zhenning", (34, 27), (14, 12), 6),
    CountySpec("520424000000", "guanling", (32, 26), (14, 12), 6),
    CountySpec("520425000000", "ziyun", (32, 26), (14, 12), 5),
)
# study: 38 dispatched groups with 172 posts / 145 staff: 20 groups of 5 posts and 18 of 4; 31 groups with
# 4 people and 7 with 3 (the 7 among the 4-post groups).
DISPATCHED_GROUP_POSTS = (5,) * 20 + (4,) * 18
DISPATCHED_GROUP_PEOPLE = (4,) * 20 + (4,) * 11 + (3,) * 7


@dataclass(frozen=True)
class ZoneSpec:
    code: str
    name: str
    short_name: str
    slug: str
    working_commission: tuple[int, int]
    townships: tuple[str, ...]  # 9-digit township codes carved out of statutory counties


# study: 2 working commissions 18 / 16.
FUNCTIONAL_ZONES = (
    ZoneSpec(
        "520491000000",
        "安顺经济技术开发区",
        "经开区",
        "jingkai",
        (10, 9),
        ("520402007", "520402100", "520402101"),
    ),
    ZoneSpec("520492000000", "黄果树旅游区", "黄果树", "huangguoshu", (8, 7), ("520423102", "520424107")),
)

CITY_COMMISSION = (96, 88)  # not in the study: the city's own commission, for a complete demo
CITY_INSPECTION_OFFICE = (20, 18)

# study: 90 township offices with 304 cadres, each with a director, a deputy and >= 1 supervisor.
# The 92 township-level units of the 2023 data include two urban sub-districts of 普定县 set up after the
# study; the demo leaves them without an office of their own.
TOWNSHIPS_WITHOUT_OFFICE = ("520422003", "520422004")
TOWNSHIP_OFFICE_CADRES = 304

# study: village posts.
VILLAGE_DISCIPLINE_MEMBERS = 1171
LIVELIHOOD_SUPERVISORS = 1011
VILLAGE_COMMITTEE_MEMBERS = 2541  # chairs and members together
THREE_IN_ONE_COUNTY = "520423"  # 镇宁: one person holds the three village posts

COMMISSION_OFFICES = (
    "办公室",
    "党风政风监督室",
    "信访室",
    "案件监督管理室",
    "案件审理室",
    "第一纪检监察室",
    "第二纪检监察室",
    "第三纪检监察室",
)

# A county's usual departments: full name after the county name, and the short name with 县/区 before it.
DEPARTMENTS = (
    ("民政局", "民政局", "civil_affairs"),
    ("教育局", "教育局", "education"),
    ("财政局", "财政局", "finance"),
    ("卫生健康局", "卫健局", "health"),
    ("公安局", "公安局", "public_security"),
    ("交通运输局", "交通局", "transport"),
    ("农业农村局", "农业农村局", "agriculture"),
    ("乡村振兴局", "乡村振兴局", "rural_revitalisation"),
    ("住房和城乡建设局", "住建局", "housing"),
    ("自然资源局", "自然资源局", "natural_resources"),
    ("人力资源和社会保障局", "人社局", "human_resources"),
    ("文体广电旅游局", "文体广旅局", "culture_tourism"),
    ("水务局", "水务局", "water"),
    ("市场监督管理局", "市场监管局", "market_regulation"),
    ("审计局", "审计局", "audit"),
    ("林业局", "林业局", "forestry"),
    ("应急管理局", "应急局", "emergency"),
    ("发展和改革局", "发改局", "development"),
    ("医疗保障局", "医保局", "medical_insurance"),
    ("退役军人事务局", "退役军人局", "veterans"),
    ("司法局", "司法局", "justice"),
    ("统计局", "统计局", "statistics"),
    ("工业和信息化局", "工信局", "industry"),
    ("商务局", "商务局", "commerce"),
)

SKILLS = ("法律", "财务会计", "审计", "工程建设", "信息技术", "纪检监察业务", "农村集体三资管理", "信访处理")
CHINESE_ORDINALS = "一二三四五六七八九十"
