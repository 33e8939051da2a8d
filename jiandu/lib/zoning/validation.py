"""Checks of the rules (and of the graph they speak of) before any planning: every problem at once."""

from __future__ import annotations

from collections import deque
from itertools import combinations

from .types import RuleMessage, Rules, RulesError, Unit


def validate(
    rules: Rules, units: list[Unit] | None = None, edges: list[tuple[str, str]] | None = None
) -> None:
    """Raise `RulesError` with every problem found; return None when the rules can be planned with."""
    messages = _bounds(rules)
    if units is not None:
        messages += _graph(rules, units, edges or [])
    messages += _groups(rules)
    if messages:
        raise RulesError(messages)


def _msg(field: str, code: str, message: str, /, **params: object) -> RuleMessage:
    return RuleMessage(field=field, code=code, message=message, params=params)


def _bounds(rules: Rules) -> list[RuleMessage]:
    out = []
    if rules.min_size < 1:
        out.append(_msg("min_size", "min_size_below_one", "The minimum zone size must be at least 1."))
    if rules.max_size < 1:
        out.append(_msg("max_size", "max_size_below_one", "The maximum zone size must be at least 1."))
    if rules.min_size > rules.max_size:
        out.append(
            _msg(
                "min_size",
                "min_above_max",
                "The minimum zone size %(min_size)s is above the maximum %(max_size)s.",
                min_size=rules.min_size,
                max_size=rules.max_size,
            )
        )
    if rules.min_staff < 0:
        out.append(_msg("min_staff", "negative", "The minimum staff per zone cannot be negative."))
    if rules.target_zones is not None and rules.target_zones < 1:
        out.append(_msg("target_zones", "below_one", "The target number of zones must be at least 1."))
    if rules.time_limit_s is not None and rules.time_limit_s <= 0:
        out.append(_msg("time_limit_s", "not_positive", "The time limit must be positive."))
    return out


def _groups(rules: Rules) -> list[RuleMessage]:
    out = []
    for group in rules.together:
        if len(group) > rules.max_size:
            out.append(
                _msg(
                    "together",
                    "group_too_large",
                    "%(count)s units must share a zone, more than the maximum zone size %(max_size)s.",
                    count=len(group),
                    max_size=rules.max_size,
                )
            )
    seen: dict[str, int] = {}
    for i, zone in enumerate(rules.locked):
        for code in sorted(zone):
            if code in seen and seen[code] != i:
                out.append(
                    _msg("locked", "unit_in_two_locked", "%(code)s is in two locked zones.", code=code)
                )
            seen[code] = i
    together_sets = _merged_together(rules)
    for group in rules.apart:
        for a, b in combinations(sorted(group), 2):
            if together_sets.get(a) is not None and together_sets.get(a) == together_sets.get(b):
                out.append(
                    _msg(
                        "apart",
                        "contradicts_together",
                        "%(a)s and %(b)s must both share a zone and be kept apart.",
                        a=a,
                        b=b,
                    )
                )
            if seen.get(a) is not None and seen.get(a) == seen.get(b):
                out.append(
                    _msg(
                        "apart",
                        "contradicts_locked",
                        "%(a)s and %(b)s must be kept apart but are in the same locked zone.",
                        a=a,
                        b=b,
                    )
                )
    for group in rules.together:
        zones = {seen.get(code) for code in group}
        if len(zones) > 1 and zones != {None}:
            out.append(
                _msg(
                    "together",
                    "contradicts_locked",
                    "%(codes)s must share a zone but are split by the locked zones.",
                    codes=", ".join(sorted(group)),
                )
            )
    return out


def _merged_together(rules: Rules) -> dict[str, int]:
    """Union of overlapping `together` groups: code → group number."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for group in rules.together:
        first, *rest = sorted(group) or [""]
        for code in rest:
            parent[find(code)] = find(first)
        find(first)
    roots = sorted({find(c) for c in parent})
    number = {r: i for i, r in enumerate(roots)}
    return {c: number[find(c)] for c in parent if c}


def _graph(rules: Rules, units: list[Unit], edges: list[tuple[str, str]]) -> list[RuleMessage]:
    out = []
    codes: set[str] = set()
    for unit in units:
        if unit.code in codes:
            out.append(_msg("units", "duplicate", "%(code)s is listed twice.", code=unit.code))
        codes.add(unit.code)
        if unit.staff < 0:
            out.append(_msg("units", "negative_staff", "%(code)s has negative staff.", code=unit.code))
    unknown_edges = sorted({c for edge in edges for c in edge if c not in codes})
    for code in unknown_edges:
        out.append(
            _msg("edges", "unknown_unit", "An adjacency names %(code)s, which is not a unit.", code=code)
        )
    for name in ("together", "apart", "locked"):
        for code in sorted({c for group in getattr(rules, name) for c in group if c not in codes}):
            out.append(
                _msg(name, "unknown_unit", "%(code)s is named in the rules but is not a unit.", code=code)
            )
    if out:
        return out
    adjacency: dict[str, set[str]] = {c: set() for c in codes}
    for a, b in edges:
        if a != b:
            adjacency[a].add(b)
            adjacency[b].add(a)
    staff = {u.code: u.staff for u in units}
    for zone in rules.locked:
        codes_text = ", ".join(sorted(zone))
        if not _connected(zone, adjacency):
            out.append(
                _msg(
                    "locked",
                    "not_contiguous",
                    "The locked zone %(codes)s is not contiguous.",
                    codes=codes_text,
                )
            )
        if not rules.min_size <= len(zone) <= rules.max_size:
            out.append(
                _msg(
                    "locked",
                    "size_out_of_bounds",
                    "The locked zone %(codes)s has %(size)s units, outside %(min_size)s–%(max_size)s.",
                    codes=codes_text,
                    size=len(zone),
                    min_size=rules.min_size,
                    max_size=rules.max_size,
                )
            )
        zone_staff = sum(staff[c] for c in zone)
        if zone_staff < rules.min_staff:
            out.append(
                _msg(
                    "locked",
                    "staff_below_minimum",
                    "The locked zone %(codes)s has %(staff)s staff, fewer than %(min_staff)s.",
                    codes=codes_text,
                    staff=zone_staff,
                    min_staff=rules.min_staff,
                )
            )
    return out


def _connected(group: frozenset[str], adjacency: dict[str, set[str]]) -> bool:
    if not group:
        return False
    start = min(group)
    seen = {start}
    queue = deque([start])
    while queue:
        for n in adjacency[queue.popleft()]:
            if n in group and n not in seen:
                seen.add(n)
                queue.append(n)
    return len(seen) == len(group)
