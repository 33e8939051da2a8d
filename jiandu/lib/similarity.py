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
- `find_duplicates` never scores all pairs one by one. Two reports are comparable only within one county
  (the statistical code of the place: a carved-out township keeps its county's) and a date window. Per
  county, in date order, the cosines of a block of reports with their window are one matrix product (numpy
  and scipy.sparse); array bounds (the text floor of each pair's place, then the score without and with the
  figures of the text) leave the pairs that can reach the threshold, and these are scored with the same
  arithmetic as `score_pair`: the result is exactly that of comparing all pairs (`brute_force`, a property
  test), far faster. The analysis of each text is cached (`analyse`), so a new problem checked against its
  county costs little more than the look-ups.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse

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


class Analysis:
    """What one text gives the comparison, computed once per distinct text (see `analyse`): the normalised
    text and its shingles as ids of the process-wide shingle vocabulary, in the order `shingles` yields them,
    with their counts."""

    __slots__ = ("norm", "ids", "counts")

    def __init__(self, norm: Normalised, ids: np.ndarray, counts: np.ndarray) -> None:
        self.norm, self.ids, self.counts = norm, ids, counts

    def grams(self) -> dict[str, int]:
        return {_GRAMS[i]: c for i, c in zip(self.ids.tolist(), self.counts.tolist(), strict=True)}


# Shingle → id, and back; only ever grows (Chinese 2- and 3-grams are a bounded set). A lock keeps ids unique
# when threads analyse at once; reads need none.
_VOCABULARY: dict[str, int] = {}
_GRAMS: list[str] = []
_VOCABULARY_LOCK = threading.Lock()
# Distinct texts whose analysis is kept: a county's ledger over the date window, several times over.
ANALYSIS_CACHE_SIZE = 50_000


def _gram_id(gram: str) -> int:
    found = _VOCABULARY.get(gram)
    if found is None:
        with _VOCABULARY_LOCK:
            found = _VOCABULARY.get(gram)
            if found is None:
                found = _VOCABULARY[gram] = len(_GRAMS)
                _GRAMS.append(gram)
    return found


@lru_cache(maxsize=ANALYSIS_CACHE_SIZE)
def analyse(text: str) -> Analysis:
    """Normalise a text and count its shingles; cached, so a problem checked again (each new problem of a
    county meets the same neighbours) costs a dictionary look-up."""
    norm = normalise(text)
    grams = shingles(norm.text)
    ids = np.fromiter((_gram_id(g) for g in grams), dtype=np.int64, count=len(grams))
    counts = np.fromiter(grams.values(), dtype=np.int64, count=len(grams))
    return Analysis(norm, ids, counts)


class _Frequencies:
    """Document frequencies by shingle, read from an array indexed by shingle id (a `Vectoriser.df`)."""

    def __init__(self, counts: np.ndarray) -> None:
        self.counts = counts

    def get(self, gram: str, default: int = 0) -> int:
        i = _VOCABULARY.get(gram)
        return int(self.counts[i]) if i is not None and i < len(self.counts) else default


class Prepared:
    """A report with its analysis, ready to compare; its TF-IDF vector (a dict, for `score_pair`) is made on
    first use only, as most reports of a scan are ruled out by the vectorised bound and never need it."""

    __slots__ = ("report", "analysis", "vectoriser", "_vector")

    def __init__(self, report: Report, analysis: Analysis, vectoriser: Vectoriser) -> None:
        self.report, self.analysis, self.vectoriser = report, analysis, vectoriser
        self._vector: dict[str, float] | None = None

    @property
    def norm(self) -> Normalised:
        return self.analysis.norm

    @property
    def vector(self) -> dict[str, float]:
        if self._vector is None:
            self._vector = _vector(self.analysis, self.vectoriser)
        return self._vector


def _vector(analysis: Analysis, vectoriser: Vectoriser) -> dict[str, float]:
    """`Vectoriser.vector` of the analysed text, computed in arrays (equal up to rounding)."""
    counts = getattr(vectoriser.df, "counts", None)
    if counts is None:
        return vectoriser.vector(Counter(analysis.grams()))
    weights = (1.0 + np.log(analysis.counts)) * _idf(vectoriser.n, counts[analysis.ids])
    weights /= np.sqrt(np.dot(weights, weights))
    return dict(zip((_GRAMS[i] for i in analysis.ids.tolist()), weights.tolist(), strict=True))


def _idf(n: int, df: np.ndarray) -> np.ndarray:
    return np.log((n + 1) / (df + 1.0)) + 1.0


@dataclass(frozen=True)
class Match:
    first: Any
    second: Any
    score: float
    reasons: dict[str, Any] = field(default_factory=dict)


def prepare(reports: Sequence[Report]) -> list[Prepared]:
    """Analyse every report (cached per text) and weigh shingles by their document frequency among them."""
    analyses = [analyse(r.text) for r in reports]
    vectoriser = Vectoriser()
    vectoriser.n = len(analyses)
    if analyses:
        vectoriser.df = _Frequencies(  # type: ignore[assignment]
            np.bincount(np.concatenate([a.ids for a in analyses]), minlength=len(_GRAMS))
        )
    return [Prepared(r, a, vectoriser) for r, a in zip(reports, analyses, strict=True)]


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

# Rows of one block of the vectorised scan: a block meets the reports from its first one to a window past
# its last one, so its matrices hold BLOCK_ROWS × (BLOCK_ROWS + the window's reports) entries.
BLOCK_ROWS = 256
# The shingles most reports share are multiplied as a dense matrix (BLAS), the others as a sparse one.
COMMON_SHINGLES = 96
# Slack for floating point: the vectorised bounds may only let too many pairs through, never too few.
_SLACK = 1e-7
# Quantities and people of one text held in arrays for the vectorised figure check.
_QUANTITY_SLOTS = 4
_PEOPLE_SLOTS = 2
# The products are in single precision (twice as fast): their rounding is far below this.
_PRODUCT_SLACK = 1e-4
# Place classes, in the order of `place_similarity`'s answers.
_PLACES = (1.0, 0.15, 0.7, 0.4, 0.0)


def find_duplicates(
    reports: Sequence[Report],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    weights: Weights = DEFAULT_WEIGHTS,
    window: int = WINDOW_DAYS,
    only: Iterable[Any] | None = None,
    prepared: list[Prepared] | None = None,
) -> list[Match]:
    """Every pair scoring at least `threshold`, without scoring all pairs one by one.

    `only`: keys of the reports to look for (a new or imported problem); the others are only compared
    with these. The result is the same as `brute_force` with the same arguments (a property test holds
    that), ordered by (first, second) as given by the reports' order.

    How: per county, reports in date order are taken in blocks; for each block, the cosine of every pair
    within the window is one matrix product (the common shingles dense, the rest sparse), and the place of
    every pair a few array comparisons. A pair goes on only if its cosine reaches the text floor of its
    place (`text_floor`); then an upper bound of its score (every component but the figures in the text,
    which only discount) is computed for all of them at once; only pairs whose bound reaches the threshold
    are scored exactly, by `score_pair` itself.
    """
    items = prepared if prepared is not None else prepare(reports)
    wanted = set(only) if only is not None else None
    if len(items) < 2 or wanted == set():
        return []
    floors = np.array([text_floor(threshold, weights, place=p) for p in _PLACES]) - _SLACK
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(items):
        blocks[p.report.county].append(i)
    matches: list[Match] = []
    for members in blocks.values():
        if len(members) < 2:
            continue
        block = _Block(items, members, wanted)
        if wanted is not None and not block.wanted.any():
            continue
        for a, b in block.candidates(floors, threshold, weights, window):
            matches.extend(block.matches(items, a, b, threshold, weights, window))
    return _ordered(matches, items)


class _Block:
    """The reports of one county as arrays, in date order (then input order)."""

    def __init__(self, items: list[Prepared], members: list[int], wanted: set[Any] | None) -> None:
        reports = [items[i].report for i in members]
        days = np.array([r.found_on.toordinal() for r in reports], dtype=np.int64)
        order = np.lexsort((np.array(members), days))
        self.position = np.array(members, dtype=np.int64)[order]  # index in `items`
        reports = [reports[i] for i in order.tolist()]
        self.days = days[order]
        self.township = _codes([r.township for r in reports])
        self.village = _codes([r.village for r in reports])
        self.unit = _codes([r.unit for r in reports])
        self.amount = np.array([np.nan if r.amount is None else r.amount for r in reports], dtype=np.float64)
        self.wanted = (
            np.array([r.key in wanted for r in reports], dtype=bool)
            if wanted is not None
            else np.ones(len(reports), dtype=bool)
        )
        self.only = wanted is not None
        self._figures([items[i].analysis.norm for i in self.position.tolist()])
        self._matrices([items[i].analysis for i in self.position.tolist()], items[members[0]].vectoriser)

    def _matrices(self, analyses: list[Analysis], vectoriser: Vectoriser) -> None:
        """Unit TF-IDF rows (as `Vectoriser.vector` makes them, up to rounding), split into the common
        shingles (dense) and the rest (sparse)."""
        lengths = np.array([len(a.ids) for a in analyses], dtype=np.int64)
        ids = np.concatenate([a.ids for a in analyses])
        counts = np.concatenate([a.counts for a in analyses]).astype(np.float64)
        frequencies = getattr(vectoriser.df, "counts", None)
        if frequencies is not None:
            idf = _idf(vectoriser.n, frequencies[ids])
        else:
            idf = np.array([vectoriser.idf(_GRAMS[i]) for i in ids.tolist()], dtype=np.float64)
        data = (1.0 + np.log(counts)) * idf
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        norms = np.sqrt(np.add.reduceat(data * data, starts))
        data /= np.repeat(norms, lengths)
        rows = np.repeat(np.arange(len(analyses)), lengths)
        local, columns = np.unique(ids, return_inverse=True)
        frequency = np.bincount(columns, minlength=len(local))
        common = np.argsort(-frequency, kind="stable")[: min(COMMON_SHINGLES, len(local))]
        common = common[frequency[common] > 1]
        dense_column = np.full(len(local), -1, dtype=np.int64)
        dense_column[common] = np.arange(len(common))
        is_common = dense_column[columns] >= 0
        self.dense = np.zeros((len(analyses), len(common)), dtype=np.float32)
        self.dense[rows[is_common], dense_column[columns[is_common]]] = data[is_common]
        rare = ~is_common
        self.sparse = sparse.csr_matrix(
            (data[rare].astype(np.float32), (rows[rare], columns[rare])), shape=(len(analyses), len(local))
        )

    def _figures(self, norms: list[Normalised]) -> None:
        """The quantities (unit and value) and the people of each text in a few fixed slots, for
        `figure_agreement` on many pairs at once. A text stating more than the slots hold, or two figures in
        one unit, is "crowded": the bound does not discount its pairs, and they are checked one by one."""
        n = len(norms)
        units: dict[str, int] = {}
        self.q_unit = np.full((n, _QUANTITY_SLOTS), -1, dtype=np.int64)
        self.q_value = np.zeros((n, _QUANTITY_SLOTS), dtype=np.float64)
        self.person = np.full((n, _PEOPLE_SLOTS), -1, dtype=np.int64)
        self.crowded = np.zeros(n, dtype=bool)
        people: dict[str, int] = {}
        for k, norm in enumerate(norms):
            named = {unit for unit, _ in norm.quantities}
            if (
                len(named) < len(norm.quantities)
                or len(named) > _QUANTITY_SLOTS
                or len(norm.people) > _PEOPLE_SLOTS
            ):
                self.crowded[k] = True
                continue
            for slot, (unit, value) in enumerate(sorted(norm.quantities)):
                self.q_unit[k, slot] = units.setdefault(unit, len(units))
                self.q_value[k, slot] = value
            for slot, person in enumerate(sorted(norm.people)):
                self.person[k, slot] = people.setdefault(person, len(people))

    def figure_factor(self, a: np.ndarray, b: np.ndarray, most: float) -> np.ndarray:
        """`1 - most * (1 - figure_agreement)` for the pairs (a[k], b[k]), 1 where there is nothing to
        compare, and 1 (no discount: an upper bound) for crowded texts."""
        figures, stated = self.figures(a, b)
        factor = np.where(stated, 1.0 - most * (1.0 - figures), 1.0)
        return np.where(self.crowded[a] | self.crowded[b], 1.0, factor)

    def figures(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`figure_agreement` of the pairs (a[k], b[k]) and whether it is not None (crowded texts aside)."""
        ua, ub = self.q_unit[a], self.q_unit[b]
        va, vb = self.q_value[a], self.q_value[b]
        same_unit = (ua[:, :, None] == ub[:, None, :]) & (ua[:, :, None] >= 0)
        x, y = va[:, :, None], vb[:, None, :]
        close_values = (x == y) | (np.abs(x - y) <= 0.02 * np.maximum(np.abs(x), np.abs(y)))
        # Each unit at most once per (uncrowded) text: a slot pair of one unit is one unit in common.
        common = same_unit.sum(axis=(1, 2))
        agree = (same_unit & close_values).sum(axis=(1, 2))
        pa, pb = self.person[a], self.person[b]
        both = (pa[:, 0] >= 0) & (pb[:, 0] >= 0)
        met = ((pa[:, :, None] == pb[:, None, :]) & (pa[:, :, None] >= 0)).any(axis=(1, 2))
        agree = agree + (both & met)
        stated = common + both
        with np.errstate(invalid="ignore", divide="ignore"):
            figures = np.where(stated > 0, agree / stated, 0.0)
        return figures, stated > 0

    def cosines(self, rows: slice, columns: slice) -> np.ndarray:
        product = self.dense[rows] @ self.dense[columns].T
        rare = self.sparse[rows] @ self.sparse[columns].T
        product += rare.toarray()
        return product

    def candidates(
        self, floors: np.ndarray, threshold: float, weights: Weights, window: int
    ) -> Iterable[tuple[np.ndarray, np.ndarray]]:
        """Pairs (a[k], b[k]) of block indexes, a earlier in `items`, whose score may reach the threshold:
        the cosine reaches the text floor of their place, and the score with that cosine (a hair above,
        for rounding) reaches the threshold."""
        n = len(self.days)
        if self.only:
            starts = np.flatnonzero(self.wanted)
            # Few wanted reports: one block per run of them close in time.
            groups = np.split(starts, np.flatnonzero(np.diff(starts) >= BLOCK_ROWS) + 1)
            spans = [
                (int(s), int(e) + 1)
                for group in groups
                for s, e in ((group[k], group[min(k + BLOCK_ROWS, len(group)) - 1])
                             for k in range(0, len(group), BLOCK_ROWS))
            ]  # fmt: skip
        else:
            spans = [(s, min(s + BLOCK_ROWS, n)) for s in range(0, n - 1, BLOCK_ROWS)]
        for start, stop in spans:
            low = (
                int(np.searchsorted(self.days, self.days[start] - window, side="left"))
                if self.only
                else start
            )
            high = int(np.searchsorted(self.days, self.days[stop - 1] + window, side="right"))
            yield from self._pairs(start, stop, low, high, floors, threshold, weights, window)

    def _pairs(
        self,
        start: int,
        stop: int,
        low: int,
        high: int,
        floors: np.ndarray,
        threshold: float,
        weights: Weights,
        window: int,
    ) -> Iterable[tuple[np.ndarray, np.ndarray]]:
        i = np.arange(start, stop)[:, None]
        j = np.arange(low, high)[None, :]
        days = np.abs(self.days[j] - self.days[i]).astype(np.int32)
        if self.only:
            # Each pair once: a wanted report meets every other one, two wanted ones meet once.
            keep = self.wanted[i] & (j != i) & ~(self.wanted[j] & (j < i))
        else:
            keep = j > i
        keep &= days <= window
        if not keep.any():
            return
        place = self.places(i, j)
        cosine = self.cosines(slice(start, stop), slice(low, high))
        keep &= cosine >= floors[place] - _PRODUCT_SLACK
        rows, columns = np.nonzero(keep)
        if not len(rows):
            return
        a, b = rows + start, columns + low
        text = np.sqrt(np.clip(cosine[rows, columns].astype(np.float64) + _PRODUCT_SLACK, 0.0, 1.0))
        days_apart = days[rows, columns]
        total = np.full(len(a), weights.text + weights.place + weights.date)
        score = (
            weights.text * text
            + weights.place * np.array(_PLACES)[place[rows, columns]]
            + weights.date * (1.0 - days_apart / (window + 1))
        )
        units = (self.unit[a] >= 0) & (self.unit[b] >= 0)
        score += weights.unit * (units & (self.unit[a] == self.unit[b]))
        total += weights.unit * units
        amounts, ratio = self.amount_ratios(a, b)
        score += weights.amount * np.where(amounts, ratio, 0.0)
        total += weights.amount * amounts
        hopeful = score / total >= threshold - _SLACK
        a, b, score = a[hopeful], b[hopeful], score[hopeful] / total[hopeful]
        hopeful = score * self.figure_factor(a, b, weights.figures) >= threshold - _SLACK
        a, b = a[hopeful], b[hopeful]
        swap = self.position[a] > self.position[b]
        yield np.where(swap, b, a), np.where(swap, a, b)

    def matches(
        self,
        items: list[Prepared],
        a: np.ndarray,
        b: np.ndarray,
        threshold: float,
        weights: Weights,
        window: int,
    ) -> list[Match]:
        """`score_pair` of the pairs (a[k], b[k]) (block indexes, a earlier in `items`), all at once, with the
        same arithmetic in the same order, so that the scores are equal to the last bit; the text similarity
        comes from `cosine` itself (its summation order is Python's)."""
        if not len(a):
            return []
        first = [items[k] for k in self.position[a].tolist()]
        second = [items[k] for k in self.position[b].tolist()]
        text = np.array(
            [
                1.0 if x.norm.text == y.norm.text else cosine(x.vector, y.vector)
                for x, y in zip(first, second, strict=True)
            ]
        )
        place = self.places(a, b)
        days = np.abs(self.days[a] - self.days[b])
        score = weights.text * np.sqrt(text) + weights.place * np.array(_PLACES)[place]
        score = score + weights.date * (1.0 - days / (window + 1))
        total = np.full(len(a), (weights.text + weights.place) + weights.date)
        units = (self.unit[a] >= 0) & (self.unit[b] >= 0)
        same_unit = self.unit[a] == self.unit[b]
        score = np.where(units, score + weights.unit * np.where(same_unit, 1.0, 0.0), score)
        total = np.where(units, total + weights.unit, total)
        amounts, ratio = self.amount_ratios(a, b)
        score = np.where(amounts, score + weights.amount * ratio, score)
        total = np.where(amounts, total + weights.amount, total)
        score = score / total
        figures, stated = self.figures(a, b)
        for k in np.flatnonzero(self.crowded[a] | self.crowded[b]).tolist():
            found = figure_agreement(first[k].norm, second[k].norm)
            stated[k] = found is not None
            figures[k] = 0.0 if found is None else found
        score = np.where(stated, score * (1.0 - weights.figures * (1.0 - figures)), score)
        score = np.clip(score, 0.0, 1.0)
        out: list[Match] = []
        for k in np.flatnonzero(score >= threshold).tolist():
            x, y = first[k].report, second[k].report
            reasons: dict[str, Any] = {
                "text": round(float(text[k]), 3),
                "place": place_similarity(x, y)[1],
                "days": int(days[k]),
            }
            if units[k]:
                reasons["unit"] = "same" if same_unit[k] else "different"
            if amounts[k]:
                reasons["amount"] = "same" if ratio[k] == 1.0 else "different"
            if stated[k]:
                reasons["figures"] = round(float(figures[k]), 3)
            out.append(Match(x.key, y.key, float(score[k]), reasons))
        return out

    def places(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """`place_similarity` of the pairs as indexes into `_PLACES` (any shape: a and b broadcast)."""
        ti, tj, vi, vj = self.township[a], self.township[b], self.village[a], self.village[b]
        same_township = ti == tj
        place = np.full(np.broadcast_shapes(ti.shape, tj.shape), 4, dtype=np.int8)  # other townships
        place[(ti < 0) | (tj < 0)] = 3  # one names only the county
        place[same_township & (ti >= 0)] = 2  # within the township
        place[same_township & (ti >= 0) & (vi >= 0) & (vj >= 0)] = 1  # other villages of the township
        place[same_township & (vi == vj)] = 0  # the same place
        return place

    def amount_ratios(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether both pairs state an amount, and `amount_ratio` of them."""
        xa, xb = self.amount[a], self.amount[b]
        amounts = ~np.isnan(xa) & ~np.isnan(xb)
        high = np.maximum(np.abs(xa), np.abs(xb))
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(high > 0, np.minimum(np.abs(xa), np.abs(xb)) / high, 1.0)
        ratio = np.where((xa == xb) | (np.abs(xa - xb) <= 0.02 * high), 1.0, ratio)
        return amounts, ratio


def _codes(values: list[str | None]) -> np.ndarray:
    """Strings as small integers (equal strings, equal integers), None as -1."""
    seen: dict[str, int] = {}
    return np.array([-1 if v is None else seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)


def _ordered(matches: list[Match], items: list[Prepared]) -> list[Match]:
    position = {p.report.key: i for i, p in enumerate(items)}
    return sorted(matches, key=lambda m: (position[m.first], position[m.second]))


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
