"""Writes of elevated supervision: 三资 figures, rule sets, selection runs and their approval, integrity
files and their entries, departure audits. Pages, API, imports, CLI and demo call these; each is atomic,
takes `acting_user` first, checks the permission and the scope (a record or region out of scope is refused
as one that does not exist), validates before saving, and leaves its audit entry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import audit
from jiandu.core.querysets import CHANGE
from jiandu.elevated import selectors
from jiandu.elevated.models import (
    DepartureAudit,
    IntegrityEntry,
    IntegrityFile,
    RunStatus,
    SelectionOutcome,
    SelectionRuleSet,
    SelectionRun,
    VillageAssets,
)
from jiandu.lib.elevation import Outcome, Reason, RuleError, RuleSet, RuleSetError, select
from jiandu.org.models import Body, Level, Region

RULE_FIELDS = {"county_threshold", "city_threshold", "flags", "county_cap", "city_cap"}


def reason_text(reason: Reason | dict[str, Any]) -> str:
    """A reason (the library's, or as stored in JSON) in the user's language."""
    from jiandu.lib.elevation import MESSAGES

    code = reason.code if isinstance(reason, Reason) else reason["code"]
    params = reason.params if isinstance(reason, Reason) else reason["params"]
    return _(MESSAGES[code]) % params


def rules_error(errors: list[RuleError]) -> ValidationError:
    out: dict[str, list[str]] = {}
    for e in errors:
        field = e.field if e.field in RULE_FIELDS else NON_FIELD_ERRORS
        out.setdefault(field, []).append(_(e.message) % e.params if e.params else _(e.message))
    return ValidationError(out)


def _require(acting_user: Any, permission: str) -> None:
    if not acting_user.has_perm(permission):
        raise PermissionDenied(_("You may not change elevated supervision."))


def _region_in_scope(acting_user: Any, region: Region | str, *, levels: tuple[str, ...]) -> Region:
    code = region.code if isinstance(region, Region) else str(region)
    found = Region.objects.visible_to(acting_user, CHANGE).filter(code=code, level__in=levels).first()
    if found is None:
        raise ValidationError({"region": _("No region of this kind with this code in your scope.")})
    return found


def _village_in_scope(acting_user: Any, village: Region | str) -> Region:
    try:
        return _region_in_scope(acting_user, village, levels=(Level.VILLAGE,))
    except ValidationError:
        raise ValidationError({"village": _("No village with this code in your scope.")}) from None


# --- 三资 ------------------------------------------------------------------------------------------------


@transaction.atomic
def village_assets_save(
    *,
    acting_user: Any,
    village: Region | str,
    year: int,
    funds: Decimal,
    assets: Decimal,
    resources: Decimal,
    source: str = "",
) -> tuple[VillageAssets, bool]:
    """Record a village's 三资 for a year (万元), replacing that year's figures. Returns (record, changed)."""
    _require(acting_user, "elevated.add_villageassets")
    village = _village_in_scope(acting_user, village)
    record = VillageAssets.objects.select_for_update().filter(village=village, year=year).first()
    values = {"funds": funds, "assets": assets, "resources": resources, "source": source.strip()}
    if record is None:
        record = VillageAssets(village=village, year=year, **values)
        record.full_clean()
        record.save()
        return record, True
    changed = [k for k, v in values.items() if getattr(record, k) != v]
    if not changed:
        return record, False
    for k in changed:
        setattr(record, k, values[k])
    record.full_clean()
    record.save(update_fields=[*changed, "updated_at"])
    return record, True


# --- rule sets ---------------------------------------------------------------------------------------------


def rule_set_of(
    *,
    county_threshold: Decimal,
    city_threshold: Decimal,
    flags: list[dict[str, Any]] | None = None,
    county_cap: int | None = None,
    city_cap: int | None = None,
) -> RuleSet:
    """The library's rule set, or a ValidationError naming each field at fault."""
    try:
        rules = RuleSet.from_json(
            {
                "county_threshold": county_threshold,
                "city_threshold": city_threshold,
                "flags": flags or [],
                "county_cap": county_cap,
                "city_cap": city_cap,
            }
        )
    except (KeyError, ValueError, ArithmeticError) as exc:
        raise ValidationError(
            {"flags": _("The flag rules cannot be read: %(error)s") % {"error": exc}}
        ) from None
    errors = rules.errors()
    if errors:
        raise rules_error(errors)
    return rules


@transaction.atomic
def rule_set_save(
    *,
    acting_user: Any,
    region: Region | str,
    name: str,
    county_threshold: Decimal,
    city_threshold: Decimal,
    flags: list[dict[str, Any]] | None = None,
    county_cap: int | None = None,
    city_cap: int | None = None,
    is_active: bool = True,
    rule_set: SelectionRuleSet | None = None,
) -> SelectionRuleSet:
    """Create (or, given `rule_set`, change) a city's or county's selection rules."""
    _require(acting_user, "elevated.change_selectionruleset" if rule_set else "elevated.add_selectionruleset")
    region = _region_in_scope(acting_user, region, levels=(Level.CITY, Level.COUNTY))
    rules = rule_set_of(
        county_threshold=county_threshold, city_threshold=city_threshold, flags=flags,
        county_cap=county_cap, city_cap=city_cap,
    )  # fmt: skip
    if rule_set is not None:
        found = SelectionRuleSet.objects.visible_to(acting_user, CHANGE).filter(pk=rule_set.pk).first()
        if found is None:
            raise ValidationError(_("No rule set with this number in your scope."))
        rule_set = found
    else:
        rule_set = SelectionRuleSet()
    rule_set.name = name.strip() or _("Rules of %(region)s") % {"region": region.name}
    rule_set.region = region
    rule_set.county_threshold = rules.county_threshold
    rule_set.city_threshold = rules.city_threshold
    rule_set.flags = [f.as_json() for f in rules.flags]
    rule_set.county_cap = rules.county_cap
    rule_set.city_cap = rules.city_cap
    rule_set.is_active = is_active
    rule_set.full_clean()
    rule_set.save()
    return rule_set


# --- selection runs ----------------------------------------------------------------------------------------


@dataclass
class Preview:
    """A selection computed but not saved: for the CLI without --save, and the pages' checks."""

    region: Region
    year: int
    period_start: datetime.date
    period_end: datetime.date
    rules: RuleSet
    digest: str
    outcomes: list[Outcome]
    villages: dict[str, Region]
    facts: dict[str, dict[str, Any]]


def default_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def selection_preview(
    *,
    region: Region,
    year: int,
    rules: RuleSet,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Preview:
    """Select the region's villages under these rules (reads only)."""
    start, end = default_period(year)
    period_start, period_end = period_start or start, period_end or end
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    data = selectors.village_facts(region, year, period_start, period_end)
    try:
        outcomes = select(data.facts, rules)
    except RuleSetError as exc:
        raise rules_error(exc.errors) from None
    return Preview(
        region=region, year=year, period_start=period_start, period_end=period_end, rules=rules,
        digest=data.digest(rules), outcomes=outcomes, villages=data.villages,
        facts={f.code: f.as_json() for f in data.facts},
    )  # fmt: skip


@transaction.atomic
def selection_run_create(
    *,
    acting_user: Any,
    region: Region | str,
    year: int,
    rules: RuleSet | None = None,
    rule_set: SelectionRuleSet | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    name: str = "",
) -> SelectionRun:
    """Select the region's villages (by `rules`, or by the rule set's) and save the run as a draft, with
    every village's outcome and reasons."""
    _require(acting_user, "elevated.add_selectionrun")
    region = _region_in_scope(acting_user, region, levels=(Level.CITY, Level.COUNTY, Level.TOWNSHIP))
    if rules is None:
        if rule_set is None:
            raise ValidationError({"rule_set": _("Choose a rule set or give the rules.")})
        if not SelectionRuleSet.objects.visible_to(acting_user).filter(pk=rule_set.pk).exists():
            raise ValidationError({"rule_set": _("No rule set with this number in your scope.")})
        rules = rule_set_of(**rule_set.as_json())  # type: ignore[arg-type]
    preview = selection_preview(
        region=region, year=year, rules=rules, period_start=period_start, period_end=period_end
    )
    if not preview.villages:
        raise ValidationError({"region": _("%(region)s has no villages.") % {"region": region.name}})
    levels = [o.level for o in preview.outcomes]
    run = SelectionRun(
        name=name.strip()
        or _("%(region)s, %(year)s selection") % {"region": region.name, "year": year},
        region=region, year=year, period_start=preview.period_start, period_end=preview.period_end,
        rule_set=rule_set, rules=rules.as_json(), digest=preview.digest, status=RunStatus.DRAFT,
        city_count=levels.count("city"), county_count=levels.count("county"), village_count=len(levels),
        created_by=acting_user,
    )  # fmt: skip
    run.full_clean()
    with audit.suspended():
        run.save()
        SelectionOutcome.objects.bulk_create(
            SelectionOutcome(
                run=run,
                village=preview.villages[o.code],
                level=o.level,
                candidate=o.candidate,
                total=o.total,
                facts=preview.facts[o.code],
                reasons=[r.as_json() for r in o.reasons],
            )  # fmt: skip
            for o in preview.outcomes
        )
    audit.record(
        audit.AuditAction.CREATE,
        obj=run,
        detail={
            "region": region.code,
            "year": year,
            "digest": preview.digest,
            "rules": rules.as_json(),
            "city": run.city_count,
            "county": run.county_count,
            "villages": run.village_count,
        },
    )
    return run


@transaction.atomic
def selection_run_approve(*, acting_user: Any, run: SelectionRun) -> SelectionRun:
    """Approve a draft run: its selected villages become the region's current elevated villages, and the
    run approved before it is superseded."""
    _require(acting_user, "elevated.approve_selectionrun")
    found = SelectionRun.objects.visible_to(acting_user, CHANGE).select_for_update().filter(pk=run.pk).first()
    if found is None:
        raise ValidationError(_("No selection run with this number in your scope."))
    if found.status != RunStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be approved; this run is %(status)s.")
            % {"status": found.get_status_display()}
        )
    previous = selectors.current_run(found.region)
    if previous is not None:
        previous.status = RunStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    found.status = RunStatus.APPROVED
    found.approved_by = acting_user
    found.approved_at = timezone.now()
    found.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return found


# --- integrity files ---------------------------------------------------------------------------------------


def _file_in_scope(acting_user: Any, file: IntegrityFile, action: str = CHANGE) -> IntegrityFile:
    found = IntegrityFile.objects.visible_to(acting_user, action).filter(pk=file.pk).first()
    if found is None:
        raise ValidationError(_("No integrity file with this number in your scope."))
    return found


@transaction.atomic
def integrity_file_save(
    *,
    acting_user: Any,
    village: Region | str,
    role: str,
    name: str,
    gender: str = "",
    birth_year: int | None = None,
    in_office_since: datetime.date | None = None,
    left_office_on: datetime.date | None = None,
    file: IntegrityFile | None = None,
) -> IntegrityFile:
    """Open (or, given `file`, change) the integrity file of a village's Party secretary or director."""
    _require(acting_user, "elevated.change_integrityfile" if file else "elevated.add_integrityfile")
    village = _village_in_scope(acting_user, village)
    record = _file_in_scope(acting_user, file) if file is not None else IntegrityFile()
    record.village = village
    record.role = role
    record.name = name.strip()
    record.gender = gender
    record.birth_year = birth_year
    record.in_office_since = in_office_since
    record.left_office_on = left_office_on
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def integrity_entry_add(
    *,
    acting_user: Any,
    file: IntegrityFile,
    kind: str,
    date: datetime.date,
    content: str,
    problem: Any = None,
) -> IntegrityEntry:
    """Add a record to an integrity file; a linked problem must be one the user can see."""
    from jiandu.ledger.models import Problem

    _require(acting_user, "elevated.add_integrityentry")
    file = _file_in_scope(acting_user, file)
    if problem is not None and not Problem.objects.visible_to(acting_user).filter(pk=problem.pk).exists():
        raise ValidationError({"problem": _("No problem with this number in your scope.")})
    entry = IntegrityEntry(
        file=file, kind=kind, date=date, content=content.strip(), problem=problem, created_by=acting_user
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def departure_audit_save(
    *,
    acting_user: Any,
    file: IntegrityFile,
    left_office_on: datetime.date,
    auditor: Body,
    audit_date: datetime.date | None = None,
    findings: str = "",
    amount_questioned: Decimal | None = None,
    status: str = "planned",
    problems: list[Any] | None = None,
    departure_audit: DepartureAudit | None = None,
) -> DepartureAudit:
    """Record (or change) a departure audit of the person of an integrity file; the problems it filed to the
    ledger must be visible to the user. The file records the departure date."""
    from jiandu.ledger.models import Problem

    _require(
        acting_user,
        "elevated.change_departureaudit" if departure_audit else "elevated.add_departureaudit",
    )
    file = _file_in_scope(acting_user, file)
    if not Body.objects.visible_to(acting_user).filter(pk=auditor.pk).exists():
        raise ValidationError({"auditor": _("No body with this number in your scope.")})
    if audit_date is not None and audit_date < left_office_on - datetime.timedelta(days=366):
        raise ValidationError({"audit_date": _("The audit date is more than a year before leaving office.")})
    problem_ids = [p.pk for p in problems or []]
    if len(Problem.objects.visible_to(acting_user).filter(pk__in=problem_ids)) != len(set(problem_ids)):
        raise ValidationError({"problems": _("Some of these problems are not in your scope.")})
    if departure_audit is not None:
        record = DepartureAudit.objects.visible_to(acting_user, CHANGE).filter(pk=departure_audit.pk).first()
        if record is None:
            raise ValidationError(_("No departure audit with this number in your scope."))
    else:
        record = DepartureAudit(created_by=acting_user)
    record.file = file
    record.left_office_on = left_office_on
    record.auditor = auditor
    record.audit_date = audit_date
    record.findings = findings.strip()
    record.amount_questioned = amount_questioned
    record.status = status
    record.full_clean()
    record.save()
    record.problems.set(problem_ids)
    if file.left_office_on != left_office_on:
        file.left_office_on = left_office_on
        file.full_clean()
        file.save(update_fields=["left_office_on", "updated_at"])
    return record
