"""Writes of cross supervision: draft a round (the solver's answer saved), approve it, record relatives.

Each is atomic, takes `acting_user` first, checks the permission and the scope (a region, round or person
out of scope is refused as one that does not exist) and leaves one audit entry. A round whose rules cannot
all hold is saved only when the user asks for the nearest round, and then says which rules it gives up.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import audit
from jiandu.core.querysets import CHANGE
from jiandu.crossing import selectors
from jiandu.crossing.models import CrossPair, CrossRound, CrossTeamMember, Kinship, RoundStatus
from jiandu.lib.crossing import CrossInput, CrossResult, CrossRules, plan_round
from jiandu.org.models import Level, Person, Region
from jiandu.zones.models import Zone

DEFAULT_TEAM_SIZE = {Level.VILLAGE: 2, Level.TOWNSHIP: 3, Level.COUNTY: 3}


def _require(acting_user: Any, permission: str) -> None:
    if not acting_user.has_perm(permission):
        raise PermissionDenied(_("You may not change cross supervision."))


def solver_message(m: Any) -> dict[str, Any]:
    return {"code": m.code, "field": m.field, "message": m.message, "params": m.params}


def cross_round_solve(
    *,
    acting_user: Any,
    region: Region,
    level: str,
    zone: Zone | None = None,
    avoid_reciprocal: bool = True,
    avoid_adjacent: bool = False,
    no_repeat_rounds: int = 2,
    team_size: int | None = None,
    seed: int = 0,
) -> tuple[selectors.RoundData, CrossResult]:
    """Solve a round without saving it (the CLI's dry run and the draft's first step)."""
    if not Region.objects.visible_to(acting_user).filter(pk=region.pk).exists():
        raise ValidationError({"region": _("No region with this code in your scope.")})
    if zone is not None and not Zone.objects.visible_to(acting_user).filter(pk=zone.pk).exists():
        raise ValidationError({"zone": _("No zone with this number in your scope.")})
    if not selectors.level_fits(region, level, zone):
        raise ValidationError(
            {
                "level": _("A round of %(level)s units cannot be held within %(region)s.")
                % {"level": Level(level).label if level in Level.values else level, "region": region.name}
            }
        )
    if team_size is None:
        team_size = DEFAULT_TEAM_SIZE[Level(level)]
    data = selectors.load_round(region, level, zone, no_repeat_rounds, acting_user)
    if len(data.units) < 2:
        raise ValidationError(
            {
                "region": _("%(region)s has fewer than two units of this level in your scope.")
                % {"region": region.name}
            }
        )
    rules = CrossRules(
        avoid_reciprocal=avoid_reciprocal,
        avoid_adjacent=avoid_adjacent,
        avoid_repeat=no_repeat_rounds > 0,
        team_size=team_size,
        seed=seed,
    )
    problem = CrossInput(
        supervisors=data.units, supervised=data.units, rules=rules, adjacent=data.adjacent,
        history=data.history, staff=data.staff,
    )  # fmt: skip
    return data, plan_round(problem)


@transaction.atomic
def cross_round_draft(
    *,
    acting_user: Any,
    region: Region,
    level: str,
    zone: Zone | None = None,
    avoid_reciprocal: bool = True,
    avoid_adjacent: bool = False,
    no_repeat_rounds: int = 2,
    team_size: int | None = None,
    seed: int = 0,
    name: str = "",
    accept_nearest: bool = False,
) -> CrossRound:
    """Solve and save a draft round. When the rules cannot all hold, a ValidationError explains why and
    names what the nearest round gives up, unless `accept_nearest`, which saves that round instead."""
    _require(acting_user, "crossing.add_crossround")
    if team_size is None and level in Level.values:
        team_size = DEFAULT_TEAM_SIZE[Level(level)]
    data, result = cross_round_solve(
        acting_user=acting_user, region=region, level=level, zone=zone, avoid_reciprocal=avoid_reciprocal,
        avoid_adjacent=avoid_adjacent, no_repeat_rounds=no_repeat_rounds, team_size=team_size, seed=seed,
    )  # fmt: skip
    figures = {
        "feasible": result.feasible,
        "issues": [solver_message(m) for m in result.issues],
        "relaxed": list(result.relaxed),
        "shortfalls": [solver_message(m) for m in result.shortfalls],
        "units": len(data.units),
    }
    if not result.feasible and not (accept_nearest and result.pairs):
        errors = [selectors.describe(m) for m in figures["issues"]]
        if result.pairs:
            errors.append(
                _("The nearest round gives up: %(rules)s. Tick “save the nearest round” to keep it.")
                % {"rules": ", ".join(str(selectors.RULE_LABELS[g]) for g in result.relaxed)}
            )
        raise ValidationError(errors)
    level_label = Level(level).label
    cross_round = CrossRound(
        name=name.strip()
        or _("%(region)s cross supervision of %(level)s units, %(date)s")
        % {"region": zone.name if zone else region.name, "level": level_label, "date": timezone.localdate()},
        level=level, region=region, zone=zone, avoid_reciprocal=avoid_reciprocal,
        avoid_adjacent=avoid_adjacent, no_repeat_rounds=no_repeat_rounds,
        team_size=team_size, seed=seed,
        figures=figures, created_by=acting_user,
    )  # fmt: skip
    cross_round.full_clean()
    with audit.suspended():
        cross_round.save()
        saved = CrossPair.objects.bulk_create(
            CrossPair(round=cross_round, supervisor=data.regions[s], supervised=data.regions[t])
            for s, t in result.pairs
        )
        by_key = {(p.supervisor.code, p.supervised.code): p for p in saved}
        CrossTeamMember.objects.bulk_create(
            CrossTeamMember(pair=by_key[key], person_id=pid)
            for key, team in result.teams.items()
            for pid in team
        )
    audit.record(
        audit.AuditAction.CREATE,
        obj=cross_round,
        detail={
            "region": region.code, "level": level, "zone": zone.pk if zone else None,
            "pairs": [list(p) for p in result.pairs], "relaxed": list(result.relaxed),
            "teams": {f"{s}>{t}": team for (s, t), team in result.teams.items()},
        },
    )  # fmt: skip
    return cross_round


@transaction.atomic
def cross_round_approve(*, acting_user: Any, cross_round: CrossRound) -> CrossRound:
    """Approve a draft: its pairs become the history the next rounds of the same units avoid."""
    _require(acting_user, "crossing.approve_crossround")
    found = (
        CrossRound.objects.visible_to(acting_user, CHANGE)
        .select_for_update()
        .filter(pk=cross_round.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("No cross-supervision round with this number in your scope."))
    if found.status != RoundStatus.DRAFT:
        raise ValidationError(_("Only a draft can be approved; this round is approved already."))
    found.status = RoundStatus.APPROVED
    found.approved_by = acting_user
    found.approved_at = timezone.now()
    found.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return found


@transaction.atomic
def cross_round_delete(*, acting_user: Any, cross_round: CrossRound) -> None:
    """Delete a draft round (an approved one is history and stays)."""
    _require(acting_user, "crossing.delete_crossround")
    found = (
        CrossRound.objects.visible_to(acting_user, CHANGE)
        .select_for_update()
        .filter(pk=cross_round.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("No cross-supervision round with this number in your scope."))
    if found.status != RoundStatus.DRAFT:
        raise ValidationError(_("An approved round is kept as history; only drafts can be deleted."))
    found.delete()


def _person_in_scope(acting_user: Any, person: Person) -> Person:
    found = Person.objects.visible_to(acting_user, CHANGE).filter(pk=person.pk).first()
    if found is None:
        raise ValidationError({"person": _("No person with this number in your scope.")})
    return found


@transaction.atomic
def kinship_record(
    *,
    acting_user: Any,
    person: Person,
    relative_name: str,
    relation: str,
    works_in: Region,
    note: str = "",
    kinship: Kinship | None = None,
) -> Kinship:
    """Record (or, given `kinship`, correct) a relative of a person and the unit where they work."""
    _require(acting_user, "crossing.add_kinship" if kinship is None else "crossing.change_kinship")
    person = _person_in_scope(acting_user, person)
    if kinship is not None:
        kinship = Kinship.objects.visible_to(acting_user, CHANGE).filter(pk=kinship.pk).first()
        if kinship is None:
            raise ValidationError(_("No recorded relative with this number in your scope."))
    else:
        kinship = Kinship()
    kinship.person = person
    kinship.relative_name = relative_name.strip()
    kinship.relation = relation
    kinship.works_in = works_in
    kinship.note = note.strip()
    kinship.full_clean()
    kinship.save()
    return kinship


@transaction.atomic
def kinship_delete(*, acting_user: Any, kinship: Kinship) -> None:
    _require(acting_user, "crossing.delete_kinship")
    found = Kinship.objects.visible_to(acting_user, CHANGE).filter(pk=kinship.pk).first()
    if found is None:
        raise ValidationError(_("No recorded relative with this number in your scope."))
    found.delete()
