"""Writes of zone plans: draft (the planner's answer saved), move a unit, approve. Pages, API, CLI and demo
call these; each is atomic, takes `acting_user` first, checks the permission and the scope (a plan or
region out of scope is refused as one that does not exist), and leaves one audit entry per act.

A draft is saved only in a valid state: the planner's zones always are, and a move that would break a rule
(contiguity, size, staff, together/apart) is refused with every violation named (`zone_plan_check_move`
shows them before anyone saves).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import audit
from jiandu.core.querysets import CHANGE
from jiandu.lib.zoning import Plan, RuleMessage, Rules, RulesError, check_zones, plan_zones
from jiandu.org.models import Body, BodyKind, Person, Region
from jiandu.zones import selectors
from jiandu.zones.models import PlanKind, PlanStatus, Zone, ZoneMember, ZonePlan

# A safety cap on the planner inside a request; its effort is otherwise fixed by the input size.
PLAN_TIME_LIMIT_S = 30.0
RULE_FIELDS = {"min_size", "max_size", "min_staff", "target_zones", "together", "apart", "seed"}
COMMISSION_KINDS = (BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION, BodyKind.TOWNSHIP_OFFICE)


def translate(message: RuleMessage | Any) -> str:
    """A planner message (English msgid with named placeholders) in the user's language."""
    text = _(message.message)
    params = getattr(message, "params", None)
    if params is None:
        params = getattr(message, "detail", {})
    return text % params if params else text


def rules_error(messages: list[RuleMessage]) -> ValidationError:
    errors: dict[str, list[str]] = {}
    for m in messages:
        field = m.field if m.field in RULE_FIELDS else NON_FIELD_ERRORS
        errors.setdefault(field, []).append(translate(m))
    return ValidationError(errors)


def plan_figures(result: Plan, regions: dict[str, Region]) -> dict[str, Any]:
    """What the page shows of the planner's answer, as JSON: objective, unplaced units with reasons, the
    nearest plan's relaxed rules and its zone count."""

    def unplaced(plan: Plan) -> list[dict[str, Any]]:
        return [
            {
                "code": u.code,
                "name": regions[u.code].name if u.code in regions else u.code,
                "reason_code": u.reason_code,
                "message": u.message,
                "detail": {k: v for k, v in u.detail.items() if isinstance(v, str | int | float)},
            }
            for u in plan.unplaced
        ]

    figures: dict[str, Any] = {
        "objective": {
            "zone_count": result.objective.zone_count,
            "travel": round(result.objective.travel, 3),
            "travel_kind": result.objective.travel_kind,
            "staff_spread": result.objective.staff_spread,
            "stopped_by_time": result.objective.stopped_by_time,
        },
        "feasible": result.feasible,
        "unplaced": unplaced(result),
        "issues": [{"message": m.message, "params": m.params} for m in result.issues],
        "nearest": None,
    }
    if result.nearest is not None:
        r = result.nearest.rules
        figures["nearest"] = {
            "relaxed": list(result.nearest.relaxed),
            "rules": {
                "min_size": r.min_size,
                "max_size": r.max_size,
                "min_staff": r.min_staff,
                "target_zones": r.target_zones,
                "together": len(r.together),
                "apart": len(r.apart),
            },
            "zone_count": len(result.nearest.zones),
            "unplaced": len(result.nearest.unplaced),
        }
    return figures


def _region_in_scope(acting_user: Any, region: Region | str) -> Region:
    code = region.code if isinstance(region, Region) else region
    found = Region.objects.visible_to(acting_user, CHANGE).filter(code=code).first()
    if found is None:
        raise ValidationError({"region": _("No region with this code in your scope.")})
    return found


def _require(acting_user: Any, permission: str) -> None:
    if not acting_user.has_perm(permission):
        raise PermissionDenied(_("You may not change zone plans."))


def plan_rules(
    *,
    min_size: int,
    max_size: int,
    min_staff: int,
    target_zones: int | None,
    seed: int,
    together: list[list[str]],
    apart: list[list[str]],
    locked: list[list[str]] | None = None,
    time_limit_s: float | None = PLAN_TIME_LIMIT_S,
) -> Rules:
    return Rules(
        min_size=min_size,
        max_size=max_size,
        min_staff=min_staff,
        target_zones=target_zones,
        together=[frozenset(g) for g in together],
        apart=[frozenset(g) for g in apart],
        locked=[frozenset(g) for g in locked or []],
        seed=seed,
        time_limit_s=time_limit_s,
    )


@transaction.atomic
def zone_plan_draft(
    *,
    acting_user: Any,
    kind: str,
    region: Region | str,
    unit_level: str | None = None,
    min_size: int = 3,
    max_size: int = 5,
    min_staff: int | None = None,
    target_zones: int | None = None,
    seed: int = 0,
    together: list[list[str]] | None = None,
    apart: list[list[str]] | None = None,
    locked: list[list[str]] | None = None,
    name: str = "",
) -> ZonePlan:
    """Plan the region's units under these rules and save the answer as a new draft version.

    Contradictory rules (minimum above maximum, a unit both together and apart with another …) raise a
    ValidationError naming each field, and nothing is saved. `locked`: zones (groups of codes) kept
    exactly, as when re-planning around zones locked by hand (`zone_plan_replan`). A plan that cannot place every unit is saved
    with its unplaced units, their reasons and the nearest plan's relaxed rules (`figures`).
    """
    _require(acting_user, "zones.add_zoneplan")
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Unknown kind of plan.")})
    region = _region_in_scope(acting_user, region)
    level = selectors.unit_level_for(kind, region, unit_level)
    if level is None:
        raise ValidationError(
            {
                "region": _("A plan of %(kind)s cannot be made for %(region)s (%(level)s).")
                % {"kind": PlanKind(kind).label, "region": region.name, "level": region.get_level_display()}
            }
        )
    min_staff = selectors.default_min_staff(kind) if min_staff is None else min_staff
    together = [sorted(set(g)) for g in together or []]
    apart = [sorted(set(g)) for g in apart or []]
    rules = plan_rules(
        min_size=min_size, max_size=max_size, min_staff=min_staff, target_zones=target_zones,
        seed=seed, together=together, apart=apart, locked=locked,
    )  # fmt: skip
    try:
        rules.validate()
    except RulesError as exc:
        raise rules_error(exc.messages) from None
    data = selectors.load_units(region, level, acting_user)
    if not data.units:
        raise ValidationError(
            {"region": _("%(region)s has no units of this level in your scope.") % {"region": region.name}}
        )
    try:
        result = plan_zones(data.units, data.edges, rules)
    except RulesError as exc:
        raise rules_error(exc.messages) from None
    version = (ZonePlan.objects.filter(region=region, kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
    plan = ZonePlan(
        name=name.strip() or _("%(region)s %(kind)s, version %(version)s")
        % {"region": region.name, "kind": PlanKind(kind).label, "version": version},
        kind=kind, region=region, unit_level=level, version=version, status=PlanStatus.DRAFT,
        min_size=min_size, max_size=max_size, min_staff=min_staff, target_zones=target_zones, seed=seed,
        together=together, apart=apart, figures=plan_figures(result, data.regions), created_by=acting_user,
    )  # fmt: skip
    plan.full_clean()
    with audit.suspended():
        plan.save()
        for number, planned in enumerate(result.zones, start=1):
            zone = Zone.objects.create(
                plan=plan,
                number=number,
                name=_("Zone %(number)s") % {"number": number},
                locked=planned.locked,
            )
            ZoneMember.objects.bulk_create(
                ZoneMember(plan=plan, zone=zone, region=data.regions[code]) for code in planned.codes
            )
    audit.record(
        audit.AuditAction.CREATE,
        obj=plan,
        detail={
            "kind": kind,
            "region": region.code,
            "version": version,
            "rules": {"min_size": min_size, "max_size": max_size, "min_staff": min_staff,
                      "target_zones": target_zones, "seed": seed, "together": together, "apart": apart,
                      "locked": [sorted(g) for g in locked or []]},
            "zones": len(result.zones),
            "unplaced": [u.code for u in result.unplaced],
        },
    )  # fmt: skip
    return plan


def _editable(acting_user: Any, plan: ZonePlan, permission: str) -> ZonePlan:
    _require(acting_user, permission)
    found = ZonePlan.objects.visible_to(acting_user, CHANGE).select_for_update().filter(pk=plan.pk).first()
    if found is None:
        raise ValidationError(_("No zone plan with this number in your scope."))
    if found.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; this plan is %(status)s.")
            % {"status": found.get_status_display()}
        )
    return found


def zone_plan_check_move(*, plan: ZonePlan, region: Region, to_zone: Zone | None) -> list[str]:
    """The violations the plan would have if `region` moved to `to_zone` (None: out of every zone), in the
    user's language; an empty list when the move is allowed. Reads only."""
    data = selectors.load_units(plan.region, plan.unit_level)
    if region.code not in data.regions:
        return [_("%(region)s is not a unit of this plan.") % {"region": region.name}]
    if to_zone is not None and to_zone.plan_id != plan.pk:
        return [_("The target zone is not in this plan.")]
    zones = selectors.assignment(plan)
    for codes in zones.values():
        if region.code in codes:
            codes.remove(region.code)
    if to_zone is not None:
        zones.setdefault(str(to_zone.number), []).append(region.code)
    names = dict(Zone.objects.filter(plan=plan).values_list("number", "name"))
    messages = check_zones(data.units, data.edges, selectors.rules_of(plan), zones)
    out = []
    for m in messages:
        if "zone" in m.params and str(m.params["zone"]).isdigit():
            m = RuleMessage(
                m.field,
                m.code,
                m.message,
                {**m.params, "zone": names.get(int(m.params["zone"]), m.params["zone"])},
            )
        out.append(translate(m))
    return out


@transaction.atomic
def zone_plan_move_unit(*, acting_user: Any, plan: ZonePlan, region: Region, to_zone: Zone) -> ZonePlan:
    """Move one unit (placed or unplaced) into another zone of a draft, if every rule still holds;
    otherwise a ValidationError lists every violation and nothing is saved."""
    plan = _editable(acting_user, plan, "zones.change_zoneplan")
    violations = zone_plan_check_move(plan=plan, region=region, to_zone=to_zone)
    if violations:
        raise ValidationError(violations)
    member = ZoneMember.objects.filter(plan=plan, region=region).select_related("zone").first()
    if member is not None and member.zone_id == to_zone.pk:
        return plan
    if member is None:
        member = ZoneMember(plan=plan, region=region, zone=to_zone)
        member.full_clean()
        member.save()
    else:
        member.zone = to_zone
        member.save(update_fields=["zone"])
    unplaced = plan.figures.get("unplaced", [])
    if any(u["code"] == region.code for u in unplaced):
        plan.figures = {**plan.figures, "unplaced": [u for u in unplaced if u["code"] != region.code]}
        plan.save(update_fields=["figures", "updated_at"])
    return plan


def _parent_body(region: Region) -> Body | None:
    return (
        Body.objects.filter(region=region, kind__in=COMMISSION_KINDS, is_active=True)
        .order_by("kind", "pk")
        .first()
    )


@transaction.atomic
def zone_plan_approve(*, acting_user: Any, plan: ZonePlan) -> ZonePlan:
    """Approve a draft: the approved plan of the same region and kind becomes superseded and its zone
    groups inactive; each zone gets a zone group (`Body(kind=zone_group)`) covering its units, under the
    plan region's commission, so the group's members see the zone's regions."""
    plan = _editable(acting_user, plan, "zones.approve_zoneplan")
    zones = selectors.zones_with_members(plan)
    data = selectors.load_units(plan.region, plan.unit_level)
    violations = check_zones(
        data.units,
        data.edges,
        selectors.rules_of(plan),
        {str(z.number): z.codes for z in zones},  # type: ignore[attr-defined]
    )
    if violations:
        raise ValidationError([translate(m) for m in violations])
    previous = selectors.current_approved(plan)
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        for old in Zone.objects.filter(plan=previous, group__isnull=False).select_related("group"):
            old.group.is_active = False  # type: ignore[union-attr]
            old.group.save(update_fields=["is_active", "updated_at"])  # type: ignore[union-attr]
    parent = _parent_body(plan.region)
    for zone in zones:
        regions = zone.regions  # type: ignore[attr-defined]
        if not regions:
            continue
        group = Body(
            name=(
                _("%(region)s %(zone)s working group (version %(version)s)")
                % {"region": plan.region.name, "zone": zone.name, "version": plan.version}
            )[:120],
            kind=BodyKind.ZONE_GROUP,
            level=regions[0].level,
            region=regions[0],
            parent=parent,
        )
        group.full_clean()
        group.save()
        group.covered_regions.set(regions)
        zone.group = group
        zone.save(update_fields=["group", "updated_at"])
    plan.status = PlanStatus.APPROVED
    plan.approved_by = acting_user
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return plan


def _editable_zone(acting_user: Any, zone: Zone, permission: str) -> Zone:
    plan = _editable(acting_user, zone.plan, permission)
    found = Zone.objects.select_for_update().filter(pk=zone.pk, plan=plan).first()
    if found is None:
        raise ValidationError(_("No zone with this number in your scope."))
    found.plan = plan
    return found


@transaction.atomic
def zone_lock(*, acting_user: Any, zone: Zone, locked: bool) -> Zone:
    """Lock a zone of a draft by hand (re-planning keeps it exactly) or unlock it. The change is audited
    (the zone's save)."""
    zone = _editable_zone(acting_user, zone, "zones.change_zoneplan")
    if zone.locked != locked:
        zone.locked = locked
        zone.save(update_fields=["locked", "updated_at"])
    return zone


@transaction.atomic
def zone_plan_replan(*, acting_user: Any, plan: ZonePlan) -> ZonePlan:
    """Re-run the planner on a draft's rules, keeping its locked zones exactly, and save the answer as a
    new draft version (the draft re-planned stays as it was, so the two can be compared and nothing is
    lost; drafts are versions like any plan). Locked zones that break the rules (not contiguous, too
    small, too few staff, splitting a together group …) are refused with each named, and nothing is
    saved."""
    plan = _editable(acting_user, plan, "zones.change_zoneplan")
    locked = [z.codes for z in selectors.zones_with_members(plan) if z.locked and z.codes]  # type: ignore[attr-defined]
    return zone_plan_draft(
        acting_user=acting_user, kind=plan.kind, region=plan.region, unit_level=plan.unit_level,
        min_size=plan.min_size, max_size=plan.max_size, min_staff=plan.min_staff,
        target_zones=plan.target_zones, seed=plan.seed, together=plan.together, apart=plan.apart,
        locked=locked,
    )  # fmt: skip


@transaction.atomic
def zone_set_chief_reviewer(*, acting_user: Any, zone: Zone, person: Person | None) -> Zone:
    """Choose (or, with None, clear) the chief reviewer of a case-review zone. The person must be one of
    `selectors.chief_reviewer_candidates` as the acting user sees them; anyone else is refused with a
    message naming them. Allowed on a draft and on the approved plan (the reviewer may change while the
    zones stay); audited (the zone's save)."""
    _require(acting_user, "zones.change_zoneplan")
    found = (
        Zone.objects.visible_to(acting_user, CHANGE)
        .select_for_update()
        .select_related("plan")
        .filter(pk=zone.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("No zone with this number in your scope."))
    if found.plan.kind != PlanKind.CASE_REVIEW:
        raise ValidationError(_("Only case-review zones have a chief reviewer."))
    if found.plan.status == PlanStatus.SUPERSEDED:
        raise ValidationError(_("This plan is superseded; its zones no longer change."))
    if person is not None:
        if not selectors.chief_reviewer_candidates(found, acting_user).filter(pk=person.pk).exists():
            raise ValidationError(
                {
                    "person": _(
                        "%(person)s cannot be the chief reviewer of %(zone)s: not a cadre of its townships' "
                        "offices or of their county's case-review office in your scope."
                    )
                    % {"person": person.name, "zone": found.name}
                }
            )
    if found.chief_reviewer_id != (person.pk if person else None):
        found.chief_reviewer = person
        found.save(update_fields=["chief_reviewer", "updated_at"])
    return found
