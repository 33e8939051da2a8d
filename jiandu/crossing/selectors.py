"""Reads of cross supervision: the units of a round, their people and relatives, the history to avoid, and
the solver's answer in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.crossing.models import CrossPair, CrossRound, CrossTeamMember, Kinship, RoundStatus
from jiandu.geo.models import Adjacency
from jiandu.lib.crossing import CrossUnit, Staff
from jiandu.org.models import CODE_DIGITS, VILLAGE_POST_KINDS, BodyKind, Level, Post, Region
from jiandu.zones.models import Zone, ZoneMember
from jiandu.zones.selectors import LEVEL_ORDER, TOWNSHIP_CADRE_POSTS, unit_positions, units_of

# What each rule group and hard rule is called on the pages (the solver names them by code).
RULE_LABELS = {
    "reciprocal": gettext_lazy("no reciprocal pair"),
    "adjacent": gettext_lazy("no adjacent pair"),
    "repeat": gettext_lazy("no pair of the last rounds"),
    "balance": gettext_lazy("balanced load"),
    "self": gettext_lazy("itself"),
    "forbidden": gettext_lazy("forbidden by hand"),
}


def level_fits(region: Region, level: str, zone: Zone | None = None) -> bool:
    """Counties within the city, townships within a county (or the city), villages within a township, a
    county or a village zone."""
    if zone is not None:
        return level == Level.VILLAGE and zone.plan.unit_level == Level.VILLAGE
    if level not in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
        return False
    if level == Level.COUNTY and region.level != Level.CITY:
        return False
    return LEVEL_ORDER.index(Level(level)) > LEVEL_ORDER.index(Level(region.level))


def round_units(region: Region, level: str, zone: Zone | None, user: Any) -> list[Region]:
    if zone is not None:
        ids = ZoneMember.objects.filter(zone=zone).values("region")
        return list(Region.objects.visible_to(user).filter(pk__in=ids).order_by("code"))
    return list(units_of(region, level, user))


def people_of(units: list[Region], level: str) -> list[Post]:
    """The active posts whose holders may go on a team for their unit: the village posts of a village, the
    cadres of a township office, the cadres of a county commission (and its offices)."""
    posts = Post.objects.filter(region__in=units, ended_on__isnull=True).select_related("person", "region")
    if level == Level.VILLAGE:
        return list(posts.filter(kind__in=VILLAGE_POST_KINDS).order_by("person__name", "pk"))
    kinds = (
        (BodyKind.TOWNSHIP_OFFICE,)
        if level == Level.TOWNSHIP
        else (BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION, BodyKind.OFFICE)
    )
    return list(
        posts.filter(kind__in=TOWNSHIP_CADRE_POSTS, body__kind__in=kinds).order_by("person__name", "pk")
    )


@dataclass
class RoundData:
    regions: dict[str, Region]
    units: tuple[CrossUnit, ...]
    adjacent: frozenset[frozenset[str]]
    history: frozenset[tuple[str, str]]
    staff: tuple[Staff, ...]


def unit_code_of(code: str, level: str) -> str:
    """The code of the unit at `level` containing the region with `code` (a relative in a village of a
    township works in that township)."""
    digits = CODE_DIGITS[Level(level)]
    return code[:digits] + "0" * (12 - digits)


def load_round(region: Region, level: str, zone: Zone | None, no_repeat_rounds: int, user: Any) -> RoundData:
    regions = round_units(region, level, zone, user)
    ids = [r.pk for r in regions]
    code_of = {r.pk: r.code for r in regions}
    positions = unit_positions(ids)
    units = tuple(
        CrossUnit(r.code, r.name, *positions.get(r.pk, (None, None)))  # type: ignore[arg-type]
        for r in regions
    )
    adjacent = frozenset(
        frozenset((code_of[a], code_of[b]))
        for a, b in Adjacency.objects.filter(region_a__in=ids, region_b__in=ids).values_list(
            "region_a", "region_b"
        )
    )
    history: set[tuple[str, str]] = set()
    if no_repeat_rounds:
        earlier = CrossRound.objects.filter(
            region=region, level=level, zone=zone, status=RoundStatus.APPROVED
        ).order_by("-approved_at", "-pk")[:no_repeat_rounds]
        history = set(
            CrossPair.objects.filter(round__in=list(earlier)).values_list(
                "supervisor__code", "supervised__code"
            )
        )
    posts = people_of(regions, level)
    person_ids = {p.person_id for p in posts}
    kin: dict[int, set[str]] = {}
    for person_id, works_in in Kinship.objects.filter(person__in=person_ids).values_list(
        "person", "works_in__code"
    ):
        kin.setdefault(person_id, set()).add(unit_code_of(works_in, level))
    seen: set[int] = set()
    staff = []
    for post in posts:
        if post.person_id in seen:
            continue  # a person holding several posts goes on one team at most
        seen.add(post.person_id)
        staff.append(
            Staff(post.person_id, post.person.name, post.region.code, frozenset(kin.get(post.person_id, ())))
        )
    return RoundData({r.code: r for r in regions}, units, adjacent, frozenset(history), tuple(staff))


def pairs_with_teams(round: CrossRound) -> list[CrossPair]:
    members = CrossTeamMember.objects.select_related("person").order_by("person__name")
    return list(
        CrossPair.objects.filter(round=round)
        .select_related("supervisor", "supervised")
        .prefetch_related(Prefetch("team", queryset=members))
        .order_by("supervised__code")
    )


def describe(entry: dict[str, Any]) -> str:
    """A stored solver message in the user's language."""
    params = dict(entry.get("params") or {})
    if "excluded" in params:
        params["reasons"] = "; ".join(
            _("%(unit)s: %(rules)s") % {"unit": name, "rules": ", ".join(str(RULE_LABELS[r]) for r in why)}
            for name, why in params["excluded"].items()
        )
    if "groups" in params:
        params["rules"] = ", ".join(str(RULE_LABELS[g]) for g in params["groups"])
    text = _(entry["message"])
    return text % params if params else text


def relaxed_labels(round: CrossRound) -> list[str]:
    return [str(RULE_LABELS[g]) for g in round.figures.get("relaxed", [])]
