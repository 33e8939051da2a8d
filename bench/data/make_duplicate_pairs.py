"""Writes bench/data/duplicate_pairs.jsonl: labelled pairs of problem reports for the duplicate finder.

The texts are written by hand: each CASE is one real-looking problem as several writers put it in their own
ledgers — a dispatched group (派驻组, often placing it at the department), a township office (镇纪委), an
inspection team (巡察组) or a village supervisor (村监督员) — with their own wording, numbers written as
digits or in Chinese, extra details, abbreviations. Every two reports of one case are a duplicate pair.

Negatives are the hard kind:
- `same_place`: two different cases of the same village or township (often the same category);
- `template`: one wording template filled with another household, amount or month (as ledgers that copy
  last month's sentence look), written by hand below with the values that differ;
- `county`: two different cases of one county within the date window (the easier kind, fewer of them).

Pairs are split by case (and by template), so no text of the held-out half was seen when the threshold was
chosen. Run: `.venv/bin/python bench/data/make_duplicate_pairs.py` (deterministic).
"""

from __future__ import annotations

import datetime
import itertools
import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("duplicate_pairs.jsonl")

# Places: name → (county, township, village). Codes follow the statistical scheme; the names are Anshun's.
PLACES = {
    "天星村": ("520422", "520422101", "520422101233"),
    "马场村": ("520422", "520422101", "520422101201"),
    "官田村": ("520422", "520422101", "520422101202"),
    "马官镇": ("520422", "520422101", None),
    "化处村": ("520422", "520422102", "520422102201"),
    "化处镇": ("520422", "520422102", None),
    "陇财村": ("520422", "520422103", "520422103205"),
    "猫洞乡": ("520422", "520422103", None),
    "普定县": ("520422", None, None),
    "南华社区": ("520402", "520402001", "520402001001"),
    "南街街道": ("520402", "520402001", None),
    "七眼桥村": ("520402", "520402104", "520402104201"),
    "七眼桥镇": ("520402", "520402104", None),
    "西秀区": ("520402", None, None),
    "丁旗村": ("520423", "520423100", "520423100203"),
    "丁旗街道": ("520423", "520423100", None),
    "镇宁县": ("520423", None, None),
}
TOWNSHIP_OF = {
    "520422101": "马官镇",
    "520422102": "化处镇",
    "520422103": "猫洞乡",
    "520402001": "南街街道",
    "520402104": "七眼桥镇",
    "520423100": "丁旗街道",
}

# A case: category, base date, and its reports as (source, place, unit, day offset, amount, text).
# unit: "T" = the township of the place; anything else is a department's short name.
CASES: list[dict] = [
    {
        "category": "民生资金发放",
        "date": "2026-03-05",
        "reports": [
            (
                "township",
                "天星村",
                "T",
                0,
                12000,
                "天星村低保资金延迟发放三个月，涉及低保户8户，金额1.2万元。",
            ),
            (
                "dispatched",
                "马官镇",
                "县民政局",
                9,
                12000,
                "马官镇天星村城乡居民最低生活保障金迟发3个月，8户群众受影响，共计12,000元。",
            ),
            (
                "village",
                "天星村",
                "T",
                3,
                None,
                "村里8户低保户反映低保金已经三个月没到账了，村委会说是镇里还没拨下来。",
            ),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2026-02-11",
        "reports": [
            (
                "township",
                "马场村",
                "T",
                0,
                3600,
                "马场村村干部优亲厚友，将其弟媳违规纳入低保，已领取低保金3600元。",
            ),
            (
                "inspection",
                "马场村",
                "T",
                20,
                3600,
                "巡察发现，马场村村委会主任利用职务便利为亲属办理低保，其弟媳不符合条件仍享受低保待遇，累计领取3,600元。",
            ),
            (
                "village",
                "马场村",
                "T",
                6,
                None,
                "群众反映马场村主任的弟媳家有车有房还吃低保，是主任帮忙办的。",
            ),
        ],
    },
    {
        "category": "村级三资管理",
        "date": "2026-01-20",
        "reports": [
            ("township", "官田村", "T", 0, 45000, "官田村集体资金4.5万元未纳入账内管理，村会计坐收坐支。"),
            (
                "inspection",
                "官田村",
                "T",
                31,
                45000,
                "官田村村集体收入45000元未入账，由村会计个人保管并直接支出，存在坐收坐支问题。",
            ),
            (
                "dispatched",
                "马官镇",
                "县农业农村局",
                15,
                45000,
                "县农业农村局指导监督不到位，马官镇官田村集体资金四万五千元账外运行。",
            ),
        ],
    },
    {
        "category": "工程项目建设",
        "date": "2025-11-03",
        "reports": [
            (
                "dispatched",
                "普定县",
                "县交通局",
                0,
                1860000,
                "县交通运输局实施的马官镇通组公路项目未按规定公开招标，合同金额186万元。",
            ),
            (
                "township",
                "马官镇",
                "T",
                12,
                1860000,
                "马官镇通组路硬化工程由县交通局直接发包，未进行公开招标，工程款一百八十六万元。",
            ),
            (
                "inspection",
                "马官镇",
                "县交通局",
                40,
                None,
                "巡察组指出：通组公路建设项目规避招标，直接指定施工单位。",
            ),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2026-04-08",
        "reports": [
            (
                "township",
                "化处村",
                "T",
                0,
                6240,
                "化处村已故人员王某某仍在领取城乡居民养老保险待遇共13个月，金额6240元。",
            ),
            (
                "dispatched",
                "化处镇",
                "县人社局",
                7,
                6240,
                "县人力资源和社会保障局未及时停发死亡人员养老待遇，化处村1名已故村民被继续发放十三个月，计6,240元。",
            ),
            ("village", "化处村", "T", 2, None, "王某某去世一年多了，养老金还在打到他卡上，家里人一直在取。"),
        ],
    },
    {
        "category": "作风问题",
        "date": "2026-03-18",
        "reports": [
            (
                "township",
                "化处镇",
                "T",
                0,
                None,
                "化处镇便民服务中心窗口工作人员推诿扯皮，群众办理医保报销多次往返。",
            ),
            (
                "village",
                "化处村",
                "T",
                4,
                None,
                "村民说到镇上便民服务中心报医保，跑了三四趟都没办成，窗口的人互相推。",
            ),
            (
                "inspection",
                "化处镇",
                "T",
                25,
                None,
                "化处镇政务服务窗口存在推诿扯皮、办事效率低的问题，群众反映强烈。",
            ),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-05-06",
        "reports": [
            (
                "township",
                "陇财村",
                "T",
                0,
                21600,
                "陇财村耕地地力保护补贴发放对象不准确，向已流转土地的农户多发补贴21600元。",
            ),
            (
                "dispatched",
                "猫洞乡",
                "县农业农村局",
                10,
                21600,
                "猫洞乡陇财村耕地补贴核定不严，土地已流转仍按原承包户发放，多发2.16万元。",
            ),
            (
                "inspection",
                "陇财村",
                "T",
                33,
                21600,
                "陇财村耕地地力补贴面积核实把关不严，已流转给合作社的土地继续向原农户发放补贴，涉及二万一千六百元。",
            ),
        ],
    },
    {
        "category": "工程项目建设",
        "date": "2026-01-09",
        "reports": [
            (
                "township",
                "陇财村",
                "T",
                0,
                None,
                "陇财村危房改造项目验收把关不严，5户未按标准改造即通过验收。",
            ),
            (
                "dispatched",
                "猫洞乡",
                "县住建局",
                14,
                None,
                "县住房和城乡建设局对猫洞乡农村危房改造验收监管缺位，陇财村五户改造不达标仍验收合格。",
            ),
            ("village", "陇财村", "T", 5, None, "村里有五家危房只刷了墙，屋顶没换，也说验收过了。"),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2025-12-02",
        "reports": [
            (
                "dispatched",
                "普定县",
                "县卫健局",
                0,
                83000,
                "县卫健局对乡镇卫生院医保基金使用监管不力，马官镇卫生院违规结算医保费用8.3万元，涉及156人次。",
            ),
            (
                "township",
                "马官镇",
                "T",
                18,
                83000,
                "马官镇卫生院通过挂床住院方式违规结算城乡居民基本医疗保险费用83000元，共156人次。",
            ),
            (
                "inspection",
                "马官镇",
                "县卫健局",
                45,
                83000,
                "马官镇卫生院存在挂床住院、违规套取医保基金问题，涉及一百五十六人次、八万三千元，普定县卫生健康局监管缺失。",
            ),
        ],
    },
    {
        "category": "村级三资管理",
        "date": "2026-02-24",
        "reports": [
            ("township", "天星村", "T", 0, 30000, "天星村集体土地违规发包给村支书亲属，租金3万元未入账。"),
            (
                "inspection",
                "天星村",
                "T",
                28,
                30000,
                "天星村党支部书记将村集体土地低价发包给其妹夫，所收租金三万元未纳入村集体账户。",
            ),
            (
                "village",
                "天星村",
                "T",
                8,
                None,
                "村集体那片地包给了支书的妹夫，租金也没见公示，大家都不晓得钱去哪了。",
            ),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-03-27",
        "reports": [
            ("township", "南华社区", "T", 0, 4800, "南华社区高龄补贴重复发放，涉及4人，多发4800元。"),
            (
                "dispatched",
                "南街街道",
                "区民政局",
                11,
                4800,
                "区民政局高龄津贴发放系统数据未比对，南街街道南华社区4名老人重复领取补贴共计4,800元。",
            ),
            (
                "inspection",
                "南华社区",
                "T",
                35,
                4800,
                "南华社区八十岁以上老人高龄补贴存在重复发放情况，四人多领四千八百元。",
            ),
        ],
    },
    {
        "category": "作风问题",
        "date": "2026-04-15",
        "reports": [
            ("township", "南街街道", "T", 0, None, "南街街道干部工作日中午饮酒，下午上班时间在办公室打牌。"),
            ("village", "南华社区", "T", 2, None, "有群众看到街道办有几个干部中午喝了酒，下午在办公室打牌。"),
            (
                "inspection",
                "南街街道",
                "T",
                21,
                None,
                "南街街道部分干部作风散漫，存在工作日饮酒、上班时间打牌等违反中央八项规定精神问题。",
            ),
        ],
    },
    {
        "category": "村级三资管理",
        "date": "2025-10-14",
        "reports": [
            ("township", "七眼桥村", "T", 0, None, "七眼桥村合作社账目混乱，32张票据无审批签字。"),
            (
                "inspection",
                "七眼桥村",
                "T",
                26,
                None,
                "七眼桥村农民专业合作社财务管理不规范，三十二张报销票据没有经办人和审批人签字。",
            ),
            (
                "dispatched",
                "七眼桥镇",
                "区农业农村局",
                13,
                None,
                "区农业农村局对合作社财务指导不到位，七眼桥村合作社32张票据缺少审批手续。",
            ),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2025-12-19",
        "reports": [
            (
                "township",
                "七眼桥村",
                "T",
                0,
                150000,
                "七眼桥村扶贫产业大棚12个闲置无人管护，资产价值15万元。",
            ),
            (
                "dispatched",
                "七眼桥镇",
                "区乡村振兴局",
                9,
                150000,
                "七眼桥镇七眼桥村衔接资金建设的蔬菜大棚十二个长期闲置，造成十五万元扶贫资产损失风险。",
            ),
            ("village", "七眼桥村", "T", 4, None, "村里建的那十几个大棚一直空着，没人种，棚膜都烂了。"),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-01-13",
        "reports": [
            ("township", "丁旗村", "T", 0, 9600, "丁旗村财政供养人员违规领取特困供养金9600元。"),
            (
                "dispatched",
                "丁旗街道",
                "县民政局",
                16,
                9600,
                "数据比对发现，丁旗街道丁旗村1名财政供养人员同时领取特困人员救助供养金，累计9,600元。",
            ),
            (
                "inspection",
                "丁旗村",
                "T",
                38,
                9600,
                "丁旗村一名在编教师的父亲不符合条件仍被认定为特困人员，其本人系财政供养人员，违规领取供养金九千六百元。",
            ),
        ],
    },
    {
        "category": "工程项目建设",
        "date": "2026-02-03",
        "reports": [
            ("township", "丁旗村", "T", 0, 280000, "丁旗村饮水工程维护资金被挪用28万元用于修建村办公楼。"),
            (
                "dispatched",
                "丁旗街道",
                "县水务局",
                20,
                280000,
                "县水务局下拨丁旗村农村饮水安全工程维修养护资金二十八万元，被村委会挪作办公楼建设。",
            ),
            ("village", "丁旗村", "T", 1, None, "修水管的钱被村里拿去盖办公楼了，自来水三天两头停。"),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2026-05-20",
        "reports": [
            (
                "township",
                "马场村",
                "T",
                0,
                None,
                "马场村村务公开栏长期未更新，2025年惠民资金发放情况未公示。",
            ),
            ("village", "马场村", "T", 3, None, "村务公开栏好久都没换过了，去年发的补贴一样都没贴出来。"),
            (
                "inspection",
                "马场村",
                "T",
                30,
                None,
                "马场村村务公开不及时，惠民惠农资金发放信息未按规定公示，公开栏内容停留在2024年。",
            ),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-04-22",
        "reports": [
            ("township", "官田村", "T", 0, 2000, "官田村村民小组长违规收取宅基地审批费用2000元。"),
            ("village", "官田村", "T", 5, 2000, "官田村组长帮人办宅基地，收了人家两千块钱好处费。"),
            (
                "inspection",
                "官田村",
                "T",
                27,
                2000,
                "官田村一村民小组组长在宅基地审批中向村民索要费用二千元。",
            ),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2025-11-25",
        "reports": [
            ("township", "天星村", "T", 0, 7500, "天星村教育资助资金未按时发放至15名学生，金额7500元。"),
            (
                "dispatched",
                "马官镇",
                "县教育局",
                12,
                7500,
                "县教育局雨露计划学生资助资金拨付滞后，马官镇天星村15名学生七千五百元资助款至今未到账。",
            ),
            ("village", "天星村", "T", 7, None, "村里十五个读书娃娃的助学金今年一直没发。"),
        ],
    },
    {
        "category": "作风问题",
        "date": "2026-03-09",
        "reports": [
            ("dispatched", "普定县", "县交通局", 0, None, "县交通运输局公务用车私用，车辆行驶记录缺失6次。"),
            (
                "inspection",
                "普定县",
                "县交通局",
                30,
                None,
                "普定县交通运输局存在公车私用问题，公务车辆6次出车无派车单和行驶记录。",
            ),
            (
                "township",
                "化处镇",
                "县交通局",
                10,
                None,
                "周末在化处镇看到县交通局公务车停在农家乐，疑似公车私用。",
            ),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-02-16",
        "reports": [
            ("township", "化处村", "T", 0, 3000, "化处村殡葬改革补助冒领，涉及2人、金额3000元。"),
            (
                "dispatched",
                "化处镇",
                "县民政局",
                14,
                3000,
                "化处村2名村民虚报火化信息冒领殡葬改革奖补资金，共3,000元，县民政局审核把关不严。",
            ),
            ("village", "化处村", "T", 6, None, "两家人老人是土葬的，也领了火化的补助钱。"),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2026-05-12",
        "reports": [
            ("township", "陇财村", "T", 0, None, "陇财村临时救助审批不规范，6份材料缺少入户调查。"),
            (
                "dispatched",
                "猫洞乡",
                "县民政局",
                8,
                None,
                "猫洞乡陇财村临时救助审批程序缺失，抽查的六份档案均无入户调查记录。",
            ),
            (
                "inspection",
                "陇财村",
                "T",
                40,
                None,
                "陇财村临时救助申请审核走过场，6户救助对象没有开展入户核查。",
            ),
        ],
    },
    {
        "category": "村级三资管理",
        "date": "2026-03-30",
        "reports": [
            (
                "township",
                "南华社区",
                "T",
                0,
                26000,
                "南华社区集体经济收益分配不公开，46户群众未领到分红，涉及2.6万元。",
            ),
            (
                "village",
                "南华社区",
                "T",
                9,
                None,
                "社区集体经济去年的分红，我们好多户都没拿到，也没公布账目。",
            ),
            (
                "inspection",
                "南华社区",
                "T",
                22,
                26000,
                "南华社区集体经济组织收益分配不透明，四十六户居民应得分红二万六千元未发放。",
            ),
        ],
    },
    {
        "category": "工程项目建设",
        "date": "2025-12-08",
        "reports": [
            ("township", "七眼桥镇", "T", 0, None, "七眼桥镇河道采砂监管缺位，非法采砂3处。"),
            (
                "dispatched",
                "七眼桥镇",
                "区水务局",
                6,
                None,
                "区水务局河道管理巡查不到位，七眼桥镇境内河段有三处非法采砂点长期作业。",
            ),
            ("village", "七眼桥村", "T", 2, None, "河边有三个地方天天晚上有人挖沙，没人管。"),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-04-02",
        "reports": [
            ("township", "丁旗村", "T", 0, 5400, "丁旗村退役军人优抚金发放延迟4个月，涉及3人5400元。"),
            (
                "dispatched",
                "丁旗街道",
                "县退役军人局",
                10,
                5400,
                "县退役军人事务局优抚金拨付滞后，丁旗村三名优抚对象四个月抚恤补助共5,400元未发放。",
            ),
            ("village", "丁旗村", "T", 3, None, "村里三个老兵的补助已经有四个月没发了。"),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2026-01-27",
        "reports": [
            ("township", "马场村", "T", 0, None, "马场村公益性岗位人员吃空饷，虚报2人。"),
            (
                "dispatched",
                "马官镇",
                "县人社局",
                19,
                14400,
                "马官镇马场村乡村公益性岗位虚报2人，长期不上岗却领取岗位补贴共14400元。",
            ),
            (
                "inspection",
                "马场村",
                "T",
                36,
                14400,
                "马场村将村干部亲属2人登记为护路员公益性岗位，未实际履职，领取补贴一万四千四百元。",
            ),
        ],
    },
    {
        "category": "作风问题",
        "date": "2026-05-08",
        "reports": [
            ("township", "猫洞乡", "T", 0, None, "猫洞乡安全生产隐患排查走过场，4处隐患未整改。"),
            (
                "dispatched",
                "猫洞乡",
                "县应急局",
                15,
                None,
                "县应急管理局督促不力，猫洞乡安全生产大排查流于形式，发现的四处隐患至今未整改到位。",
            ),
            (
                "inspection",
                "猫洞乡",
                "T",
                29,
                None,
                "猫洞乡对辖区内4处安全隐患只登记不整改，排查工作流于形式。",
            ),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-02-06",
        "reports": [
            ("township", "官田村", "T", 0, 8800, "官田村残疾人两项补贴发放不及时，11人8800元拖欠半年。"),
            (
                "dispatched",
                "马官镇",
                "县残联",
                13,
                8800,
                "马官镇官田村11名困难残疾人生活补贴和重度残疾人护理补贴拖欠6个月，金额八千八百元。",
            ),
            ("village", "官田村", "T", 4, None, "村里十一个残疾人的补贴半年没到卡了。"),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2025-10-28",
        "reports": [
            ("township", "天星村", "T", 0, None, "天星村易地扶贫搬迁户旧房未按期拆除复垦，涉及7户。"),
            (
                "dispatched",
                "马官镇",
                "县生态移民局",
                17,
                None,
                "马官镇天星村7户易地搬迁群众旧房拆除复垦工作滞后，未按协议时限完成。",
            ),
            (
                "inspection",
                "天星村",
                "T",
                34,
                None,
                "天星村易地扶贫搬迁旧房拆旧复垦推进不力，七户旧房至今未拆。",
            ),
        ],
    },
    {
        "category": "工程项目建设",
        "date": "2026-03-12",
        "reports": [
            (
                "township",
                "化处村",
                "T",
                0,
                96000,
                "化处村串户路工程偷工减料，路面厚度不足，涉及资金9.6万元。",
            ),
            (
                "inspection",
                "化处村",
                "T",
                24,
                96000,
                "化处村组组通串户路项目施工方偷工减料，抽检路面厚度仅8厘米，项目资金96000元。",
            ),
            ("village", "化处村", "T", 11, None, "新修的串户路才半年就到处开裂，路面薄得很。"),
        ],
    },
    {
        "category": "村级三资管理",
        "date": "2026-04-27",
        "reports": [
            ("township", "七眼桥村", "T", 0, 18000, "七眼桥村出租集体厂房收入1.8万元被村主任个人占用。"),
            (
                "inspection",
                "七眼桥村",
                "T",
                19,
                18000,
                "七眼桥村村委会主任将村集体厂房租金一万八千元截留在个人手中。",
            ),
            (
                "dispatched",
                "七眼桥镇",
                "区农业农村局",
                8,
                18000,
                "七眼桥镇七眼桥村集体资产租金18,000元未入村集体账，由村主任个人保管使用。",
            ),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-01-05",
        "reports": [
            (
                "township",
                "南华社区",
                "T",
                0,
                15600,
                "南华社区低保对象中有2户家庭拥有小轿车，违规享受低保15600元。",
            ),
            (
                "dispatched",
                "南街街道",
                "区民政局",
                21,
                15600,
                "车辆信息比对发现，南华社区2户低保家庭名下有机动车，不符合低保条件仍领取低保金一万五千六百元。",
            ),
            (
                "inspection",
                "南华社区",
                "T",
                39,
                15600,
                "南华社区低保审核把关不严，2户有车家庭违规纳入最低生活保障，领取15600元。",
            ),
        ],
    },
    {
        "category": "作风问题",
        "date": "2026-02-19",
        "reports": [
            ("township", "丁旗街道", "T", 0, None, "丁旗街道办事处违规发放春节福利购物卡，人均500元。"),
            ("inspection", "丁旗街道", "T", 26, None, "丁旗街道春节前违规向干部职工发放购物卡，每人五百元。"),
            ("village", "丁旗村", "T", 4, None, "听说街道办过年给每个干部发了500块钱的超市卡。"),
        ],
    },
    {
        "category": "惠民政策落实",
        "date": "2025-11-12",
        "reports": [
            ("township", "陇财村", "T", 0, 12800, "陇财村村医违规收取家庭医生签约服务费，涉及64户1.28万元。"),
            (
                "dispatched",
                "猫洞乡",
                "县卫健局",
                9,
                12800,
                "猫洞乡陇财村卫生室向签约群众收取家庭医生签约服务费，64户共计12,800元，县卫生健康局未及时发现。",
            ),
            (
                "village",
                "陇财村",
                "T",
                2,
                None,
                "村医签家庭医生每户收了两百块钱，说是服务费，六十几户都交了。",
            ),
        ],
    },
    {
        "category": "民生资金发放",
        "date": "2026-05-15",
        "reports": [
            ("township", "马官镇", "T", 0, 64000, "马官镇乡村振兴衔接资金滞留6个月未拨付，金额6.4万元。"),
            (
                "dispatched",
                "马官镇",
                "县乡村振兴局",
                12,
                64000,
                "县乡村振兴局下达马官镇的衔接推进乡村振兴补助资金六万四千元，在镇财政所滞留半年未拨付项目村。",
            ),
            ("inspection", "马官镇", "T", 37, 64000, "马官镇衔接资金拨付缓慢，64000元资金闲置6个月。"),
        ],
    },
]

# Templates filled with values that differ: each pair is two DIFFERENT problems worded alike.
TEMPLATES: list[dict] = [
    {
        "category": "民生资金发放",
        "text": "{place}{who}不符合低保条件仍享受低保，{year}年{month}月起领取低保金{amount}元。",
        "values": [
            ("天星村", "张某某户", 2025, 3, 4200),
            ("天星村", "李某某户", 2025, 3, 4200),
            ("天星村", "张某某户", 2025, 9, 2100),
            ("天星村", "王某户", 2025, 6, 3600),
        ],
    },
    {
        "category": "惠民政策落实",
        "text": "{place}已故人员{who}仍在领取养老保险待遇{month}个月，金额{amount}元。",
        "values": [
            ("化处村", "陈某", 2026, 7, 1050),
            ("化处村", "罗某某", 2026, 11, 1650),
            ("化处村", "陈某", 2026, 4, 600),
            ("化处村", "杨某", 2026, 7, 1050),
        ],
    },
    {
        "category": "民生资金发放",
        "text": "{place}{year}年{month}月耕地地力保护补贴发放不准确，向{who}多发补贴{amount}元。",
        "values": [
            ("陇财村", "罗某某", 2025, 5, 860),
            ("陇财村", "龙某", 2025, 5, 1240),
            ("陇财村", "罗某某", 2025, 11, 860),
            ("陇财村", "吴某某", 2025, 8, 430),
        ],
    },
    {
        "category": "村级三资管理",
        "text": "{place}{year}年{month}月村集体资金{amount}元未入账，由{who}个人保管。",
        "values": [
            ("官田村", "村会计", 2025, 12, 8000),
            ("官田村", "村会计", 2026, 2, 15000),
            ("官田村", "报账员", 2025, 12, 8000),
            ("官田村", "村主任", 2026, 1, 5000),
        ],
    },
    {
        "category": "民生资金发放",
        "text": "{place}{who}等{month}户危房改造补助资金被拖欠，共{amount}元。",
        "values": [
            ("马场村", "赵某", 2026, 3, 45000),
            ("马场村", "钱某", 2026, 5, 75000),
            ("马场村", "孙某", 2026, 2, 30000),
            ("马场村", "赵某", 2026, 4, 60000),
        ],
    },
    {
        "category": "作风问题",
        "text": "{place}干部{who}{year}年{month}月工作日饮酒，被群众举报。",
        "values": [
            ("马官镇", "刘某", 2026, 3, None),
            ("马官镇", "周某", 2026, 3, None),
            ("马官镇", "刘某", 2026, 5, None),
            ("马官镇", "郑某某", 2026, 4, None),
        ],
    },
    {
        "category": "惠民政策落实",
        "text": "{place}{who}家庭名下有商品房，仍享受特困供养，{year}年累计领取{amount}元。",
        "values": [
            ("南华社区", "何某", 2025, 1, 9600),
            ("南华社区", "蒋某某", 2025, 1, 7200),
            ("南华社区", "何某", 2024, 1, 9600),
            ("南华社区", "谢某", 2025, 1, 4800),
        ],
    },
    {
        "category": "工程项目建设",
        "text": "{place}{who}组串户路项目未按设计施工，工程款{amount}元，{year}年{month}月验收。",
        "values": [
            ("化处村", "大寨", 2025, 10, 120000),
            ("化处村", "小寨", 2025, 10, 85000),
            ("化处村", "新寨", 2025, 12, 120000),
            ("化处村", "大寨", 2026, 4, 60000),
        ],
    },
    {
        "category": "民生资金发放",
        "text": "{place}{who}的高龄补贴{year}年{month}月起停发，拖欠{amount}元。",
        "values": [
            ("七眼桥村", "黄某某", 2025, 8, 900),
            ("七眼桥村", "田某", 2025, 8, 900),
            ("七眼桥村", "黄某某", 2025, 11, 450),
            ("七眼桥村", "石某", 2025, 6, 1200),
        ],
    },
    {
        "category": "村级三资管理",
        "text": "{place}{year}年{month}月出租集体林地{who}亩，租金{amount}元未公示。",
        "values": [
            ("丁旗村", "30", 2025, 4, 9000),
            ("丁旗村", "55", 2025, 4, 16500),
            ("丁旗村", "30", 2026, 1, 9000),
            ("丁旗村", "12", 2025, 9, 3600),
        ],
    },
    {
        "category": "惠民政策落实",
        "text": "{place}{who}医保参保费用被村干部代收未缴，涉及{month}人，{amount}元。",
        "values": [
            ("官田村", "第三组", 2026, 9, 3420),
            ("官田村", "第五组", 2026, 14, 5320),
            ("官田村", "第三组", 2026, 4, 1520),
            ("官田村", "第一组", 2026, 9, 3420),
        ],
    },
    {
        "category": "民生资金发放",
        "text": "{place}{who}领取的临时救助金{amount}元被村干部截留，{year}年{month}月发生。",
        "values": [
            ("陇财村", "韦某", 2026, 2, 1500),
            ("陇财村", "王某某", 2026, 2, 1500),
            ("陇财村", "韦某", 2026, 5, 2000),
            ("陇财村", "潘某", 2026, 3, 800),
        ],
    },
]


def report(source: str, place: str, unit: str, date: datetime.date, amount, text: str) -> dict:
    county, township, village = PLACES[place]
    responsible = f"township:{township}" if unit == "T" and township else f"department:{unit}"
    return {
        "source": source,
        "place": place,
        "county": county,
        "township": township,
        "village": village,
        "unit": responsible,
        "found_on": date.isoformat(),
        "amount": amount,
        "text": text,
    }


def case_reports(index: int, case: dict) -> list[dict]:
    base = datetime.date.fromisoformat(case["date"])
    return [
        dict(
            report(src, place, unit, base + datetime.timedelta(days=off), amount, text),
            case=index,
            category=case["category"],
        )
        for src, place, unit, off, amount, text in case["reports"]
    ]


def template_reports(index: int, template: dict) -> list[dict]:
    out = []
    for k, (place, who, year, month, amount) in enumerate(template["values"]):
        text = template["text"].format(place=place, who=who, year=year, month=month, amount=amount)
        date = datetime.date(2026, 5, 1) - datetime.timedelta(days=9 * k)
        out.append(dict(report("township", place, "T", date, amount, text), category=template["category"]))
    return out


def split_of(group: int) -> str:
    return "train" if group % 2 == 0 else "test"


def main() -> None:
    rng = random.Random(20261125)
    pairs = []
    reports = [case_reports(i, case) for i, case in enumerate(CASES)]
    for i, rs in enumerate(reports):
        for a, b in itertools.combinations(rs, 2):
            pairs.append({"kind": "same_problem", "duplicate": True, "split": split_of(i), "a": a, "b": b})
    # Hard negatives: different cases of one village or township. Cases of the two halves are kept apart.
    for (i, ra), (j, rb) in itertools.combinations(enumerate(reports), 2):
        if split_of(i) != split_of(j):
            continue
        for a, b in itertools.product(ra, rb):
            same_village = a["village"] and a["village"] == b["village"]
            same_township = a["township"] and a["township"] == b["township"]
            near = abs(
                (datetime.date.fromisoformat(a["found_on"]) - datetime.date.fromisoformat(b["found_on"])).days
            )
            if (same_village or same_township) and near <= 120:
                kind = "same_place"
            elif a["county"] == b["county"] and near <= 120 and rng.random() < 0.04:
                kind = "county"
            else:
                continue
            pairs.append({"kind": kind, "duplicate": False, "split": split_of(i), "a": a, "b": b})
    for t, template in enumerate(TEMPLATES):
        rs = template_reports(t, template)
        for a, b in itertools.combinations(rs, 2):
            pairs.append({"kind": "template", "duplicate": False, "split": split_of(t), "a": a, "b": b})
    with OUT.open("w", encoding="utf-8") as out:
        for n, pair in enumerate(pairs, 1):
            out.write(json.dumps({"id": n, **pair}, ensure_ascii=False) + "\n")
    positives = sum(p["duplicate"] for p in pairs)
    print(f"{len(pairs)} pairs: {positives} duplicates, {len(pairs) - positives} not ({OUT})")


if __name__ == "__main__":
    main()
