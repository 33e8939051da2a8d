"""Checks of a given assignment of units to zones against the rules: what an edit by hand must re-check.

The planner only builds valid zones; a person moving a unit between zones may break them. `check_zones`
lists every violation (contiguity, size, staff, together, apart), each a `RuleMessage` whose message is an
English msgid with named placeholders, for the Django layer to translate. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

from .types import RuleMessage, Rules, Unit
from .validation import _connected, _msg


def check_zones(
    units: Sequence[Unit],
    edges: Sequence[tuple[str, str]],
    rules: Rules,
    zones: Mapping[str, Sequence[str]],
) -> list[RuleMessage]:
    """Every rule the zones (zone label → unit codes) break; an empty list when they meet them all.

    Units in no zone are not checked (they are the plan's unplaced units); a code that is not a unit is
    reported. Zones are checked in label order, so the messages come in a stable order.
    """
    staff = {unit.code: unit.staff for unit in units}
    adjacency: dict[str, set[str]] = {code: set() for code in staff}
    for a, b in edges:
        if a in adjacency and b in adjacency and a != b:
            adjacency[a].add(b)
            adjacency[b].add(a)
    out: list[RuleMessage] = []
    zone_of: dict[str, str] = {}
    for label in sorted(zones, key=_natural):
        codes = list(zones[label])
        unknown = [code for code in codes if code not in staff]
        for code in unknown:
            out.append(_msg("zones", "unknown_unit", "%(code)s is not a unit of this plan.", code=code))
        codes = [code for code in codes if code in staff]
        for code in codes:
            if code in zone_of:
                out.append(_msg("zones", "unit_in_two_zones", "%(code)s is in two zones.", code=code))
            zone_of[code] = label
        out += _zone_messages(label, codes, staff, adjacency, rules)
    for group in rules.together:
        found = {zone_of.get(code) for code in group}
        if len(found) > 1:
            out.append(
                _msg(
                    "together",
                    "split",
                    "%(codes)s must share a zone but are split.",
                    codes=", ".join(sorted(group)),
                )
            )
    for group in rules.apart:
        for a, b in combinations(sorted(group), 2):
            if zone_of.get(a) is not None and zone_of.get(a) == zone_of.get(b):
                out.append(
                    _msg(
                        "apart",
                        "together",
                        "%(a)s and %(b)s must be kept apart but share zone %(zone)s.",
                        a=a,
                        b=b,
                        zone=zone_of[a],
                    )
                )
    return out


def _zone_messages(
    label: str, codes: list[str], staff: dict[str, int], adjacency: dict[str, set[str]], rules: Rules
) -> list[RuleMessage]:
    out = []
    size = len(codes)
    if not rules.min_size <= size <= rules.max_size:
        out.append(
            _msg(
                "size",
                "size_out_of_bounds",
                "Zone %(zone)s has %(size)s units, outside %(min_size)s–%(max_size)s.",
                zone=label,
                size=size,
                min_size=rules.min_size,
                max_size=rules.max_size,
            )
        )
    total = sum(staff[code] for code in codes)
    if total < rules.min_staff:
        out.append(
            _msg(
                "staff",
                "staff_below_minimum",
                "Zone %(zone)s has %(staff)s staff, fewer than %(min_staff)s.",
                zone=label,
                staff=total,
                min_staff=rules.min_staff,
            )
        )
    if codes and not _connected(frozenset(codes), adjacency):
        out.append(_msg("contiguity", "not_contiguous", "Zone %(zone)s is not contiguous.", zone=label))
    return out


def _natural(label: str) -> tuple[int, str]:
    return (int(label), "") if label.isdigit() else (1 << 30, label)
