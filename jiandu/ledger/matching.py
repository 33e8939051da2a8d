"""Place and unit names as a ledger writes them, matched to the registry within the filer's scope.

Built once per import from `Region.objects.visible_to(user)` and `Department.objects.visible_to(user)`:
two reads, then dictionary lookups. A name is looked up by its close key first (马官镇 → 马官, 天兴村村民委员会
→ 天兴村) and by its loose key only when the close one finds nothing (天兴 for 天兴村). The row's other
columns narrow the candidates (a village within the row's township, 县卫健局 within the row's county); what
still has several candidates is ambiguous and goes back to the person, with the candidates.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from jiandu.lib.names import loose_keys
from jiandu.lib.sheet_values import fold as _fold
from jiandu.org.models import Department, Level, Region

# The prefixes of a department's short name that stand for its own county (县卫健局, 区民政局, 市财政局).
_OWN_LEVEL = ("县", "区", "市")


@dataclass(frozen=True)
class Place:
    """A region of the scope, with what narrowing needs: its statutory and functional-zone ancestors."""

    id: int
    code: str
    name: str
    level: str
    label: str  # 天兴村村民委员会（普定县马官镇）
    ancestors: frozenset[int]
    county_ids: frozenset[int]  # the county-level regions it belongs to (a statutory county and/or a zone)
    township_id: int | None  # the township it is in (itself for a township)


@dataclass(frozen=True)
class Unit:
    """A county department of the scope."""

    id: int
    name: str
    region_id: int
    label: str


@dataclass
class Match:
    """The outcome of one lookup: the one object, nothing (`found` empty) or several (ambiguous)."""

    found: list[Any] = field(default_factory=list)

    @property
    def one(self) -> Any:
        return self.found[0] if len(self.found) == 1 else None


def ambiguity_key(kind: str, text: str, candidates: list[Any]) -> str:
    """A stable key for one ambiguous name (the form field of its choice)."""
    raw = "|".join([kind, text, *(str(c.id) for c in candidates)])
    return "c" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:12]


class NameMatcher:
    """Lookup tables of the places and departments in one user's scope."""

    def __init__(self, user: Any) -> None:
        rows = list(
            Region.objects.visible_to(user).values_list(
                "id", "code", "name", "short_name", "level", "parent_id", "functional_zone_id"
            )
        )
        everything = {row[0]: row for row in rows}
        # Ancestors outside the scope are still needed for labels (a township office sees its township
        # only, but its villages' labels name the county): one more read of the parents' names.
        missing = {row[5] for row in rows if row[5] and row[5] not in everything}
        while missing:
            more = Region.objects.filter(pk__in=missing).values_list(
                "id", "code", "name", "short_name", "level", "parent_id", "functional_zone_id"
            )
            for row in more:
                everything[row[0]] = row
            missing = {row[5] for row in more if row[5] and row[5] not in everything}
        self.places: dict[int, Place] = {}
        self.close: dict[str, dict[str, list[Place]]] = {level: defaultdict(list) for level in Level.values}
        self.loose: dict[str, dict[str, list[Place]]] = {level: defaultdict(list) for level in Level.values}
        for row in rows:
            place = self._place(row, everything)
            self.places[place.id] = place
            keys = {*loose_keys(row[2], row[4])}
            if row[3]:
                keys |= {*loose_keys(row[3], row[4])}
            close_keys = {loose_keys(row[2], row[4])[0], row[2]} | ({row[3]} if row[3] else set())
            for key in close_keys:
                self.close[row[4]][key].append(place)
            for key in keys - close_keys:
                self.loose[row[4]][key].append(place)
            for key in close_keys:
                # The loose table also answers a loose key equal to a close one (天兴 written for 天兴).
                self.loose[row[4]][key].append(place)
        # Lookups already made in this import: a ledger repeats its names thousands of times.
        self._places: dict[tuple[str, str, frozenset[int] | None], Match] = {}
        self._units: dict[tuple[str, frozenset[int] | None], Match] = {}
        self.units: dict[int, Unit] = {}
        self.unit_keys: dict[str, list[Unit]] = defaultdict(list)
        departments = Department.objects.visible_to(user).filter(is_active=True)
        for pk, name, short, region_id in departments.values_list("id", "name", "short_name", "region_id"):
            county = everything.get(region_id)
            county_name = county[2] if county else ""
            unit = Unit(pk, name, region_id, f"{name}")
            self.units[pk] = unit
            for key in self._unit_keys(name, short, county_name):
                if unit not in self.unit_keys[key]:
                    self.unit_keys[key].append(unit)

    @staticmethod
    def _place(row: tuple, everything: dict[int, tuple]) -> Place:
        pk, code, name, _short, level, parent_id, zone_id = row
        ancestors: list[int] = []
        names: list[str] = []
        counties: set[int] = set()
        township_id = pk if level == Level.TOWNSHIP else None
        node = everything.get(parent_id) if parent_id else None
        if zone_id:
            ancestors.append(zone_id)
            counties.add(zone_id)
        if level == Level.COUNTY:
            counties.add(pk)
        while node is not None:
            ancestors.append(node[0])
            if node[4] in (Level.COUNTY, Level.TOWNSHIP):
                names.append(node[2])
            if node[4] == Level.COUNTY:
                counties.add(node[0])
            if node[4] == Level.TOWNSHIP and township_id is None:
                township_id = node[0]
            if node[6]:
                ancestors.append(node[6])
                counties.add(node[6])
            node = everything.get(node[5]) if node[5] else None
        label = f"{name}（{''.join(reversed(names))}）" if names else name
        return Place(pk, code, name, level, label, frozenset(ancestors), frozenset(counties), township_id)

    @staticmethod
    def _unit_keys(name: str, short: str, county_name: str) -> set[str]:
        keys = {_fold(name), _fold(short)}
        bare = short[1:] if short.startswith(_OWN_LEVEL) and len(short) > 2 else short
        if county_name:
            county_short = loose_keys(county_name, Level.COUNTY)[0]
            keys |= {_fold(county_name + bare), _fold(county_short + bare)}
        return {key for key in keys if key}

    # Lookups. `within` narrows to places or departments under one of these region ids.

    def place(self, text: str, level: str, within: frozenset[int] | None = None) -> Match:
        key = (text, level, within)
        match = self._places.get(key)
        if match is None:
            match = self._places[key] = self._place_match(text, level, within)
        return match

    def _place_match(self, text: str, level: str, within: frozenset[int] | None) -> Match:
        close, loose = loose_keys(text, level)
        for table, key in ((self.close, close), (self.close, _fold(text)), (self.loose, loose)):
            found = table[level].get(key)
            if found:
                narrowed = [p for p in found if within is None or p.id in within or p.ancestors & within]
                if narrowed:
                    return Match(_unique(narrowed))
                return Match([])
        return Match([])

    def unit(self, text: str, county_ids: frozenset[int] | None = None) -> Match:
        key = (text, county_ids)
        match = self._units.get(key)
        if match is None:
            match = self._units[key] = self._unit_match(text, county_ids)
        return match

    def _unit_match(self, text: str, county_ids: frozenset[int] | None) -> Match:
        found = self.unit_keys.get(_fold(text), [])
        if len(found) > 1 and county_ids:
            narrowed = [unit for unit in found if unit.region_id in county_ids]
            found = narrowed or found
        return Match(list(found))


def _unique(items: list[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return list(seen.values())
