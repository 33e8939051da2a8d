"""Selection of villages for elevated supervision (提级监督). Pure code, no Django.

Each village brings its facts: collective 三资 (funds, assets, resources, in 万元) and what the problem
ledger says of it over a period (problems found, those still open, problems per category, the amount
involved). A rule set says which facts raise a village to county or city supervision:

- total 三资 at or above the county threshold → county level; at or above the city threshold → city level;
- ledger flags ("at least k problems in the period", "at least k open problems", "any problem of category
  X", "an amount involved of at least N yuan"), each raising a village to the level it names;
- optional caps on the number of villages per level. Candidates of a level are ranked (higher candidate
  level, then larger 三资, then more met flags, then code) and only the first `cap` keep it: a city
  candidate past the city cap falls to county level and competes there, a county candidate past the
  county cap is not selected — and its explanation says so.

Every village gets an explanation: each rule with the village's value, the threshold and whether it is
met, as English msgids with named placeholders (translated by the Django layer, like the zoning
`RuleMessage`). The answer depends only on the set of villages and the rules, never on their order;
raising a village's 三资 never lowers its level.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

CITY = "city"
COUNTY = "county"
NONE = "none"
LEVELS = (NONE, COUNTY, CITY)
RANK = {NONE: 0, COUNTY: 1, CITY: 2}

# Kinds of ledger flag rules.
PROBLEMS = "problems"  # at least `threshold` problems found in the period
OPEN = "open"  # at least `threshold` of them still open
CATEGORY = "category"  # at least `threshold` (default 1) problems of `category`
AMOUNT = "amount"  # an amount involved of at least `threshold` yuan
FLAG_KINDS = (PROBLEMS, OPEN, CATEGORY, AMOUNT)

# Reason codes → English msgids (named placeholders). The Django layer translates them.
MESSAGES: dict[str, str] = {
    "city_threshold": "Collective 三资 of %(value)s 万元 against the city threshold of %(threshold)s 万元",
    "county_threshold": "Collective 三资 of %(value)s 万元 against the county threshold of %(threshold)s 万元",
    PROBLEMS: "%(value)s problems found in the period against a threshold of %(threshold)s",
    OPEN: "%(value)s open problems against a threshold of %(threshold)s",
    CATEGORY: "%(value)s problems of category %(category)s against a threshold of %(threshold)s",
    AMOUNT: "%(value)s yuan involved in problems against a threshold of %(threshold)s yuan",
    "city_cap": "City-level places: ranked %(rank)s of %(candidates)s candidates for %(cap)s places",
    "county_cap": "County-level places: ranked %(rank)s of %(candidates)s candidates for %(cap)s places",
}
RULE_ERRORS: dict[str, str] = {
    "threshold_negative": "A threshold cannot be negative.",
    "city_below_county": (
        "The city threshold (%(city)s 万元) must not be below the county threshold (%(county)s 万元)."
    ),
    "cap_negative": "A cap cannot be negative.",
    "flag_kind": "Unknown kind of flag rule: %(kind)s.",
    "flag_level": "A flag rule raises a village to county or city level, not %(level)s.",
    "flag_category": "A category rule must name a category.",
    "flag_threshold": "The threshold of a %(kind)s rule must be at least 1.",
}


@dataclass(frozen=True)
class VillageFacts:
    """What is known of one village. Amounts of 三资 in 万元, the amount involved in yuan."""

    code: str
    funds: Decimal = Decimal(0)
    assets: Decimal = Decimal(0)
    resources: Decimal = Decimal(0)
    problems: int = 0
    open_problems: int = 0
    categories: Mapping[str, int] = field(default_factory=dict)
    amount: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.funds + self.assets + self.resources

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "funds": str(self.funds),
            "assets": str(self.assets),
            "resources": str(self.resources),
            "problems": self.problems,
            "open_problems": self.open_problems,
            "categories": {k: v for k, v in sorted(self.categories.items()) if v},
            "amount": str(self.amount),
        }


@dataclass(frozen=True)
class FlagRule:
    """A ledger flag that raises a village to `level` (county by default)."""

    kind: str
    threshold: Decimal = Decimal(1)
    category: str = ""
    level: str = COUNTY

    def value_of(self, v: VillageFacts) -> Decimal:
        if self.kind == PROBLEMS:
            return Decimal(v.problems)
        if self.kind == OPEN:
            return Decimal(v.open_problems)
        if self.kind == CATEGORY:
            return Decimal(v.categories.get(self.category, 0))
        return v.amount

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "threshold": str(self.threshold),
            "category": self.category,
            "level": self.level,
        }


@dataclass(frozen=True)
class RuleSet:
    """Thresholds of total 三资 (万元) per level, ledger flag rules, and optional caps per level."""

    county_threshold: Decimal
    city_threshold: Decimal
    flags: tuple[FlagRule, ...] = ()
    county_cap: int | None = None
    city_cap: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "flags", tuple(self.flags))

    def errors(self) -> list[RuleError]:
        """Every contradiction of these rules (empty when they are usable)."""
        out: list[RuleError] = []
        if self.county_threshold < 0:
            out.append(RuleError("county_threshold", "threshold_negative"))
        if self.city_threshold < 0:
            out.append(RuleError("city_threshold", "threshold_negative"))
        if self.city_threshold < self.county_threshold:
            out.append(
                RuleError(
                    "city_threshold",
                    "city_below_county",
                    {"city": str(self.city_threshold), "county": str(self.county_threshold)},
                )
            )
        for name in ("county_cap", "city_cap"):
            cap = getattr(self, name)
            if cap is not None and cap < 0:
                out.append(RuleError(name, "cap_negative"))
        for flag in self.flags:
            if flag.kind not in FLAG_KINDS:
                out.append(RuleError("flags", "flag_kind", {"kind": flag.kind}))
                continue
            if flag.level not in (COUNTY, CITY):
                out.append(RuleError("flags", "flag_level", {"level": flag.level}))
            if flag.kind == CATEGORY and not flag.category:
                out.append(RuleError("flags", "flag_category"))
            if flag.threshold < (0 if flag.kind == AMOUNT else 1):
                out.append(RuleError("flags", "flag_threshold", {"kind": flag.kind}))
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "county_threshold": str(self.county_threshold),
            "city_threshold": str(self.city_threshold),
            "flags": [f.as_json() for f in self.flags],
            "county_cap": self.county_cap,
            "city_cap": self.city_cap,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> RuleSet:
        flags = tuple(
            FlagRule(
                kind=str(f["kind"]),
                threshold=Decimal(str(f.get("threshold", 1))),
                category=str(f.get("category", "") or ""),
                level=str(f.get("level", COUNTY) or COUNTY),
            )
            for f in data.get("flags", []) or []  # type: ignore[union-attr]
        )
        caps = {k: (None if data.get(k) in (None, "") else int(data[k])) for k in ("county_cap", "city_cap")}  # type: ignore[call-overload]
        return cls(
            county_threshold=Decimal(str(data["county_threshold"])),
            city_threshold=Decimal(str(data["city_threshold"])),
            flags=flags,
            **caps,
        )


@dataclass(frozen=True)
class RuleError:
    """One contradiction in a rule set: the field at fault, a code, an English msgid and its params."""

    field: str
    code: str
    params: dict[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return RULE_ERRORS[self.code]

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message


class RuleSetError(ValueError):
    def __init__(self, errors: list[RuleError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e}" for e in errors))


@dataclass(frozen=True)
class Reason:
    """One rule applied to one village: `met` says whether it raises the village to `level`."""

    code: str
    level: str
    met: bool
    params: dict[str, object]

    @property
    def message(self) -> str:
        return MESSAGES[self.code]

    def __str__(self) -> str:
        return self.message % self.params

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "level": self.level, "met": self.met, "params": self.params}


@dataclass(frozen=True)
class Outcome:
    """A village's level (city, county or none), its candidate level before caps, and every reason."""

    code: str
    level: str
    candidate: str
    total: Decimal
    reasons: tuple[Reason, ...]

    @property
    def selected(self) -> bool:
        return self.level != NONE

    @property
    def capped(self) -> bool:
        return RANK[self.level] < RANK[self.candidate]


def _fmt(value: Decimal) -> str:
    """A number as people write it: no exponent, no trailing zeros after the point."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def select(villages: Iterable[VillageFacts], rules: RuleSet) -> list[Outcome]:
    """The level of every village and why, in code order. RuleSetError when the rules contradict."""
    errors = rules.errors()
    if errors:
        raise RuleSetError(errors)
    facts = sorted(villages, key=lambda v: v.code)
    reasons: dict[str, list[Reason]] = {}
    candidate: dict[str, str] = {}
    met_flags: dict[str, int] = {}
    for v in facts:
        total = v.total
        rs = [
            Reason(
                "city_threshold",
                CITY,
                total >= rules.city_threshold,
                {"value": _fmt(total), "threshold": _fmt(rules.city_threshold)},
            ),
            Reason(
                "county_threshold",
                COUNTY,
                total >= rules.county_threshold,
                {"value": _fmt(total), "threshold": _fmt(rules.county_threshold)},
            ),
        ]
        flags = 0
        for flag in rules.flags:
            value = flag.value_of(v)
            met = value >= flag.threshold
            flags += met
            params: dict[str, object] = {"value": _fmt(value), "threshold": _fmt(flag.threshold)}
            if flag.kind == CATEGORY:
                params["category"] = flag.category
            rs.append(Reason(flag.kind, flag.level, met, params))
        reasons[v.code] = rs
        met_flags[v.code] = flags
        candidate[v.code] = max((r.level for r in rs if r.met), key=RANK.__getitem__, default=NONE)

    def key(v: VillageFacts) -> tuple[object, ...]:
        return (-RANK[candidate[v.code]], -v.total, -met_flags[v.code], v.code)

    level = dict(candidate)
    for lvl, cap in ((CITY, rules.city_cap), (COUNTY, rules.county_cap)):
        # County candidates include the city candidates that the city cap pushed down.
        ranked = sorted((v for v in facts if level[v.code] == lvl), key=key)
        if cap is None:
            continue
        below = COUNTY if lvl == CITY else NONE
        for rank, v in enumerate(ranked, start=1):
            keeps = rank <= cap
            reasons[v.code].append(
                Reason(
                    f"{lvl}_cap",
                    lvl,
                    keeps,
                    {"rank": rank, "candidates": len(ranked), "cap": cap},
                )
            )
            if not keeps:
                level[v.code] = below
    return [Outcome(v.code, level[v.code], candidate[v.code], v.total, tuple(reasons[v.code])) for v in facts]


def inputs_digest(villages: Iterable[VillageFacts], rules: RuleSet) -> str:
    """SHA-256 of the canonical inputs: the same villages (in any order) and rules give the same digest."""
    payload = {
        "rules": rules.as_json(),
        "villages": [v.as_json() for v in sorted(villages, key=lambda v: v.code)],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
