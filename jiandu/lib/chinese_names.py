"""Plausible Chinese personal names for demo data, drawn deterministically from a seeded generator."""

from __future__ import annotations

import random

# Common surnames, weighted towards those frequent in Guizhou (including Buyi and Miao family names).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "岑伍班卯蒙吴杨龙"
)
GIVEN_MALE = "伟强军磊勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国文武志成兴忠德海江山云松"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华慧巧美娅婷雪琳玲燕红梅兰凤洁琴云莉萍倩颖露瑶"
GIVEN_ANY = "永正庆祥荣贵福昌明天光学金世开友小佳思晓雨子泽嘉承"


def chinese_name(rng: random.Random, gender: str) -> str:
    """A surname and a one- or two-character given name suited to the gender ("m" or "f")."""
    pool = GIVEN_MALE if gender == "m" else GIVEN_FEMALE
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    return surname + rng.choice(GIVEN_ANY + pool) + rng.choice(pool)
