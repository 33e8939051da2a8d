"""Likely duplicates among problem reports: Chinese text similarity plus place, unit, date and amount.

Pure code, no Django. The same problem is written differently by a dispatched group, a township office, an
inspection team or a village supervisor: other words around the same facts, numbers as digits or in
Chinese (三个月 / 3个月, 1.2万元 / 12000元), long names or their usual short forms (普定县卫生健康局 / 县卫健局,
最低生活保障 / 低保). So:

- `normalise` folds full-width characters, short forms and numbers; every quantity with its unit (元, 户,
  月 …) is taken out as a value and replaced by one placeholder, so that wording is compared apart from the
  figures, and the figures apart from the wording.
- Text similarity is the cosine of TF-IDF weighted character 2- and 3-grams (shingles). No word segmenter:
  short problem descriptions are full of names a dictionary does not know, and shingles need no model to
  load. Identical normalised text scores exactly 1; the score is symmetric and lies in [0, 1].
- `score_pair` combines text (most of the weight) with place (same village, same township …), responsible
  unit, days apart and the figures (the amount field and the quantities in the text), each with a reason.
  A component that neither report informs (no amount on either side) is left out, not guessed.
- `find_duplicates` never compares all pairs. Two reports are comparable only within one county (the
  statistical code of the place: a carved-out township keeps its county's) and a date window, so the
  reports are scanned per county in date order. Within that, a pair can reach the threshold only if its text
  similarity reaches `text_floor(threshold)` (the other components cannot make up more than their weight);
  an inverted index over the rare-first prefix of each vector finds exactly those pairs (the "all-pairs"
  prefix filter: if two unit vectors share no feature of one's indexed prefix, their cosine is below the
  floor). It returns exactly the pairs a comparison of all pairs would flag, far faster.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# --- normalisation ---------------------------------------------------------------------------------------

# Long forms people abbreviate, folded to the short form (longest first when applied).
SHORT_FORMS: dict[str, str] = {
    "城乡居民最低生活保障": "低保",
    "农村最低生活保障": "低保",
    "最低生活保障金": "低保金",
    "最低生活保障": "低保",
    "特困人员救助供养": "特困供养",
    "特困人员供养": "特困供养",
    "城乡居民基本医疗保险": "医保",
    "城乡居民医疗保险": "医保",
    "基本医疗保险": "医保",
    "新型农村合作医疗": "新农合",
    "城乡居民基本养老保险": "养老保险",
    "卫生和计划生育局": "卫计局",
    "卫生健康局": "卫健局",
    "人力资源和社会保障局": "人社局",
    "人力资源社会保障局": "人社局",
    "住房和城乡建设局": "住建局",
    "住房城乡建设局": "住建局",
    "交通运输局": "交通局",
    "文化广电旅游局": "文旅局",
    "文体广电旅游局": "文旅局",
    "市场监督管理局": "市场监管局",
    "农业农村局": "农业局",
    "生态环境局": "环保局",
    "综合行政执法局": "执法局",
    "退役军人事务局": "退役军人局",
    "医疗保障局": "医保局",
    "村民委员会": "村委会",
    "居民委员会": "居委会",
    "村务监督委员会": "村监会",
    "党支部书记": "支书",
    "人民政府": "政府",
    "建档立卡贫困户": "贫困户",
    "农村危房改造": "危改",
    "危房改造": "危改",
    "易地扶贫搬迁": "易地搬迁",
    "耕地地力保护补贴": "耕地补贴",
    "耕地地力补贴": "耕地补贴",
    "残疾人两项补贴": "残补",
    "困难残疾人生活补贴": "残补",
    "重度残疾人护理补贴": "残补",
    "临时救助金": "临时救助",
    "社会救助": "救助",
    "有关规定": "规定",
    "相关规定": "规定",
    "没有": "未",
    "未能": "未",
    "不按": "未按",
    "存在": "",
    "问题": "",
    "情况": "",
}
_SHORT_FORMS_RE = re.compile("|".join(re.escape(k) for k in sorted(SHORT_FORMS, key=len, reverse=True)))

# Units a figure is counted in; 万元 and 元 are one unit (yuan), 个月 and 月 are told apart from a date's 月
# only by the 个, which is enough for what we compare.
_UNITS = (
    "余元",
    "多元",
    "元",
    "户",
    "人次",
    "人",
    "名",
    "亩",
    "个月",
    "月",
    "年",
    "日",
    "号",
    "天",
    "次",
    "套",
    "间",
    "笔",
    "份",
    "辆",
    "台",
    "吨",
    "公里",
    "平方米",
    "米",
    "组",
    "处",
    "张",
    "万",
)
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇一二两三四五六七八九十百千"
_QUANTITY_RE = re.compile(
    r"(?P<num>[0-9]+(?:\.[0-9]+)?|[" + _CN_NUM + r"]+(?:万[" + _CN_NUM + r"]*)?)"
    r"(?:余|多)?(?P<big>万|亿)?(?:余|多)?"
    r"(?P<unit>" + "|".join(u for u in _UNITS if u not in ("余元", "多元", "万")) + r")"
)
# Everything but letters, digits and CJK ideographs: punctuation and spaces carry no meaning here.
_NOISE_RE = re.compile(r"[^0-9a-z\u4e00-\u9fff#]+")
PLACEHOLDER = "#"
# People as ledgers name them: a surname and 某 (张某某, 王某).
_PERSON_RE = re.compile(r"[\u4e00-\u9fff]某某?")


def chinese_number(text: str) -> float | None:
    """一万二千 → 12000, 三百五十 → 350, 十二 → 12, 三千五 → 3500, 二〇二三 → 2023; None if not a number."""
    if "万" in text:
        high, _, low = text.partition("万")
        high_value = chinese_number(high) if high else 1.0
        if high_value is None:
            return None
        if not low:
            return high_value * 10_000
        # 一万二 is 12000: one digit after 万 counts in thousands.
        low_value = _CN_DIGITS[low] * 1000.0 if len(low) == 1 and low in _CN_DIGITS else chinese_number(low)
        return None if low_value is None else high_value * 10_000 + low_value
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_SMALL_UNITS for ch in text):
        return None
    if all(ch in _CN_DIGITS for ch in text) and len(text) > 1:
        return float("".join(str(_CN_DIGITS[ch]) for ch in text))  # 二〇二三 is read digit by digit
    total, last_unit, zero = 0, 1, False
    pending: int | None = None
    for ch in text:
        if ch in _CN_DIGITS:
            zero = zero or ch in "零〇"
            pending = _CN_DIGITS[ch]
        else:
            unit = _CN_SMALL_UNITS[ch]
            total += (pending if pending is not None else 1) * unit
            pending, last_unit = None, unit
    if pending is not None:
        # 三千五 is 3500: a trailing digit after a unit counts one unit lower.
        total += pending * (last_unit // 10 if last_unit >= 100 and not zero else 1)
    return float(total)


@dataclass(frozen=True)
class Normalised:
    """A text with its figures taken out: `text` holds `#` where a quantity stood, `quantities` the values."""

    text: str
    quantities: frozenset[tuple[str, float]]
    people: frozenset[str] = frozenset()


def normalise(raw: str) -> Normalised:
    text = unicodedata.normalize("NFKC", raw or "").lower()
    text = re.sub(r"(?<=[0-9]),(?=[0-9]{3})", "", text)  # thousands separators: 12,000 → 12000
    text = _SHORT_FORMS_RE.sub(lambda m: SHORT_FORMS[m.group(0)], text)
    quantities: set[tuple[str, float]] = set()

    def take(match: re.Match[str]) -> str:
        number = match.group("num")
        value = float(number) if number[0].isdigit() else chinese_number(number)
        if value is None:
            return match.group(0)
        if match.group("big") == "万":
            value *= 10_000
        elif match.group("big") == "亿":
            value *= 100_000_000
        unit = match.group("unit")
        unit = {"名": "人", "号": "日"}.get(unit, unit)
        quantities.add((unit, round(value, 2)))
        return PLACEHOLDER + unit

    text = _QUANTITY_RE.sub(take, text)
    people = frozenset(_PERSON_RE.findall(text))
    text = _NOISE_RE.sub("", text)
    return Normalised(text, frozenset(quantities), people)


def shingles(text: str) -> Counter[str]:
    """Character 2- and 3-grams of a normalised text; a text too short for them is its own shingle."""
    grams: Counter[str] = Counter()
    for n in (2, 3):
        grams.update(text[i : i + n] for i in range(len(text) - n + 1))
    if not grams:
        grams[text or "∅"] += 1
    return grams


# --- vectors -----------------------------------------------------------------------------------------------


class Vectoriser:
    """TF-IDF over shingles, with the document frequencies of a corpus (the reports being compared).

    Without a corpus every shingle weighs the same (plain cosine of counts)."""

    def __init__(self, corpus: Iterable[Counter[str]] = ()) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for grams in corpus:
            self.df.update(grams.keys())
            self.n += 1

    def idf(self, gram: str) -> float:
        if not self.n:
            return 1.0
        return math.log((self.n + 1) / (self.df.get(gram, 0) + 1)) + 1.0

    def vector(self, grams: Counter[str]) -> dict[str, float]:
        weights = {g: (1.0 + math.log(c)) * self.idf(g) for g, c in grams.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[g] for g, w in a.items() if g in b)
    return min(1.0, max(0.0, dot))


def text_similarity(a: str, b: str, vectoriser: Vectoriser | None = None) -> float:
    """Similarity of two problem descriptions in [0, 1]; 1 for texts equal once normalised."""
    na, nb = normalise(a), normalise(b)
    if na.text == nb.text:
        return 1.0
    v = vectoriser or Vectoriser()
    return cosine(v.vector(shingles(na.text)), v.vector(shingles(nb.text)))


# --- reports and their comparison ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What is compared of a problem. `village`/`township` are region codes or None (a report placed at the
    township or county only); `county` is the block (6-digit county code); `unit` names the responsible
    unit ("township:<code>", "department:<id>")."""

    key: Any
    text: str
    found_on: date
    county: str
    township: str | None = None
    village: str | None = None
    unit: str | None = None
    amount: float | None = None


@dataclass(frozen=True)
class Weights:
    """Shares of the additive components (text, place, unit, date, amount), and the most that figures in
    the text that disagree take off the whole score."""

    text: float = 0.62
    place: float = 0.16
    unit: float = 0.04
    date: float = 0.06
    amount: float = 0.12
    figures: float = 0.9

    def total(self) -> float:
        return self.text + self.place + self.unit + self.date + self.amount


DEFAULT_WEIGHTS = Weights()
# Reports further apart than this are never the same problem reported twice.
WINDOW_DAYS = 120
# Chosen on the training half of bench/data/duplicate_pairs.jsonl (see docs/benchmarks.md).
DEFAULT_THRESHOLD = 0.4


@dataclass
class Prepared:
    report: Report
    norm: Normalised
    vector: dict[str, float]


@dataclass(frozen=True)
class Match:
    first: Any
    second: Any
    score: float
    reasons: dict[str, Any] = field(default_factory=dict)


def prepare(reports: Sequence[Report]) -> list[Prepared]:
    norms = [normalise(r.text) for r in reports]
    grams = [shingles(n.text) for n in norms]
    vectoriser = Vectoriser(grams)
    return [Prepared(r, n, vectoriser.vector(g)) for r, n, g in zip(reports, norms, grams, strict=True)]


def place_similarity(a: Report, b: Report) -> tuple[float, str]:
    """1 for the same place; less when one report names only the township (or county) of the other's
    village; little for two villages of one township; 0 across townships."""
    pa, pb = (a.county, a.township, a.village), (b.county, b.township, b.village)
    if pa == pb:
        return 1.0, "same_village" if a.village else ("same_township" if a.township else "same_county")
    if a.township and a.township == b.township:
        if a.village and b.village:
            return 0.15, "other_village_same_township"
        return 0.7, "within_township"
    if a.county == b.county and (a.township is None or b.township is None):
        return 0.4, "within_county"
    return 0.0, "other_township"


def figure_agreement(a: Normalised, b: Normalised) -> float | None:
    """Share of the things both texts state whose values agree: each unit counted in (元, 户, 月 …), and the
    people named (张某某); None when they state nothing in common."""
    units = {u for u, _ in a.quantities} & {u for u, _ in b.quantities}
    both_name_people = bool(a.people and b.people)
    if not units and not both_name_people:
        return None
    agree = int(both_name_people and bool(a.people & b.people))
    for unit in units:
        va = [v for u, v in a.quantities if u == unit]
        vb = [v for u, v in b.quantities if u == unit]
        if any(close(x, y) for x in va for y in vb):
            agree += 1
    return agree / (len(units) + both_name_people)


def amount_ratio(x: float, y: float) -> float:
    if close(x, y):
        return 1.0
    high = max(abs(x), abs(y))
    return min(abs(x), abs(y)) / high if high else 1.0


def close(x: float, y: float, tolerance: float = 0.02) -> bool:
    return x == y or abs(x - y) <= tolerance * max(abs(x), abs(y))


def comparable(a: Report, b: Report, window: int = WINDOW_DAYS) -> bool:
    return a.county == b.county and abs((a.found_on - b.found_on).days) <= window


def score_pair(
    pa: Prepared, pb: Prepared, *, weights: Weights = DEFAULT_WEIGHTS, window: int = WINDOW_DAYS
) -> Match:
    """The combined score in [0, 1] and its reasons; 0 for reports that are not comparable."""
    a, b = pa.report, pb.report
    if not comparable(a, b, window):
        return Match(a.key, b.key, 0.0, {"comparable": False})
    text = 1.0 if pa.norm.text == pb.norm.text else cosine(pa.vector, pb.vector)
    place, place_reason = place_similarity(a, b)
    days = abs((a.found_on - b.found_on).days)
    # Rewordings of one problem share few shingles (a cosine of 0.15 is already telling, two different
    # problems of one village mostly score below 0.05): the square root spreads the low end.
    parts: list[tuple[float, float]] = [
        (weights.text, math.sqrt(text)),
        (weights.place, place),
        (weights.date, 1.0 - days / (window + 1)),
    ]
    reasons: dict[str, Any] = {"text": round(text, 3), "place": place_reason, "days": days}
    if a.unit and b.unit:
        parts.append((weights.unit, 1.0 if a.unit == b.unit else 0.0))
        reasons["unit"] = "same" if a.unit == b.unit else "different"
    if a.amount is not None and b.amount is not None:
        ratio = amount_ratio(a.amount, b.amount)
        parts.append((weights.amount, ratio))
        reasons["amount"] = "same" if ratio == 1.0 else "different"
    score = sum(w * s for w, s in parts) / sum(w for w, _ in parts)
    figures = figure_agreement(pa.norm, pb.norm)
    if figures is not None:
        # Figures that disagree (another month, another sum) mark another problem worded alike: they
        # discount the whole score rather than one share of it.
        score *= 1.0 - weights.figures * (1.0 - figures)
        reasons["figures"] = round(figures, 3)
    return Match(a.key, b.key, min(1.0, max(0.0, score)), reasons)


def text_floor(threshold: float, weights: Weights = DEFAULT_WEIGHTS, place: float = 1.0) -> float:
    """The least text similarity with which a pair whose place similarity is at most `place` can still
    reach `threshold`: the score is a weighted mean, and every other component is at most 1 (left out, it
    only lowers the bound; figures only discount)."""
    rest = weights.unit + weights.date + weights.amount
    root = (threshold * weights.total() - weights.place * place - rest) / weights.text
    return root * root if root > 0 else 0.0


# --- candidate generation ------------------------------------------------------------------------------------


def find_duplicates(
    reports: Sequence[Report],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    weights: Weights = DEFAULT_WEIGHTS,
    window: int = WINDOW_DAYS,
    only: Iterable[Any] | None = None,
    prepared: list[Prepared] | None = None,
) -> list[Match]:
    """Every pair scoring at least `threshold`, found without comparing all pairs.

    `only`: keys of the reports to look for (a new or imported problem); the others are only compared
    with these. The result is the same as `brute_force` with the same arguments (a property test holds
    that), ordered by (first, second) as given by the reports' order.
    """
    items = prepared if prepared is not None else prepare(reports)
    wanted = set(only) if only is not None else None
    # Two townships of one county: place counts 0, so the text must carry the pair.
    floor = text_floor(threshold, weights, place=0.0) - 1e-9
    order = {id(p): i for i, p in enumerate(items)}
    blocks: dict[str, list[Prepared]] = defaultdict(list)
    for p in items:
        blocks[p.report.county].append(p)
    df: Counter[str] = Counter()
    for p in items:
        df.update(p.vector.keys())
    matches: list[Match] = []
    for block in blocks.values():
        block.sort(key=lambda p: (p.report.found_on, order[id(p)]))
        if wanted is not None:
            # A few new problems: scoring each against its county's window is cheaper than any index.
            candidates = _pairs_with(block, wanted, window)
        else:
            candidates = _block_candidates(block, df, floor, window)
        for x, y in candidates:
            if wanted is not None and x.report.key not in wanted and y.report.key not in wanted:
                continue
            first, second = (x, y) if order[id(x)] < order[id(y)] else (y, x)
            match = score_pair(first, second, weights=weights, window=window)
            if match.score >= threshold:
                matches.append(match)
    return _ordered(matches, items)


def _ordered(matches: list[Match], items: list[Prepared]) -> list[Match]:
    position = {p.report.key: i for i, p in enumerate(items)}
    return sorted(matches, key=lambda m: (position[m.first], position[m.second]))


def _block_candidates(
    block: list[Prepared], df: Counter[str], floor: float, window: int
) -> Iterable[tuple[Prepared, Prepared]]:
    """Pairs of one county (sorted by date) within the window that may reach the threshold, each once.

    Within one township, and for a report placed only at the county, place may make up for little shared
    text: every pair in the window is scored (a township holds few problems per window). Across townships
    only pairs whose text may reach `floor` are: the prefix filter finds them."""
    by_township: dict[str | None, list[Prepared]] = defaultdict(list)
    for p in block:
        by_township[p.report.township].append(p)
    for township, group in by_township.items():
        yield from _window_pairs(group, window)
        if township is None:
            # County-level reports meet every report of the county placed lower.
            others = [p for p in block if p.report.township is not None]
            for x in group:
                for y in others:
                    if abs((y.report.found_on - x.report.found_on).days) <= window:
                        yield x, y
    if floor <= 0:
        for x, y in _window_pairs(block, window):
            if x.report.township and y.report.township and x.report.township != y.report.township:
                yield x, y
        return
    postings: dict[str, deque[Prepared]] = defaultdict(deque)
    for x in block:
        start = x.report.found_on.toordinal() - window
        seen: set[int] = set()
        for gram in x.vector:
            queue = postings.get(gram)
            if not queue:
                continue
            while queue and queue[0].report.found_on.toordinal() < start:
                queue.popleft()
            for y in queue:
                if id(y) not in seen:
                    seen.add(id(y))
                    if y.report.township and x.report.township and y.report.township != x.report.township:
                        yield y, x
        # Index the rare-first prefix of x: the features left out have a norm below the floor.
        features = sorted(x.vector.items(), key=lambda gw: (df[gw[0]], gw[0]))
        rest = sum(w * w for _, w in features)
        for gram, weight in features:
            if rest < floor * floor:
                break
            postings[gram].append(x)
            rest -= weight * weight


def _pairs_with(block: list[Prepared], wanted: set[Any], window: int) -> Iterable[tuple[Prepared, Prepared]]:
    """Every pair of the block within the window that involves a wanted report, each once."""
    for i, x in enumerate(block):
        if x.report.key not in wanted:
            continue
        for j, y in enumerate(block):
            if j == i or (y.report.key in wanted and j < i):
                continue
            if abs((y.report.found_on - x.report.found_on).days) <= window:
                yield x, y


def _window_pairs(group: list[Prepared], window: int) -> Iterable[tuple[Prepared, Prepared]]:
    for i, x in enumerate(group):
        for y in group[i + 1 :]:
            if (y.report.found_on - x.report.found_on).days > window:
                break
            yield x, y


def brute_force(
    reports: Sequence[Report],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    weights: Weights = DEFAULT_WEIGHTS,
    window: int = WINDOW_DAYS,
    only: Iterable[Any] | None = None,
) -> list[Match]:
    """The reference: every pair compared (for tests and benchmarks only)."""
    items = prepare(reports)
    wanted = set(only) if only is not None else None
    matches = []
    for i, x in enumerate(items):
        for y in items[i + 1 :]:
            if wanted is not None and x.report.key not in wanted and y.report.key not in wanted:
                continue
            match = score_pair(x, y, weights=weights, window=window)
            if match.score >= threshold:
                matches.append(match)
    return matches
