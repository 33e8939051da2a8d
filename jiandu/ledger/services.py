"""Writes to the problem ledger. Pages, the API, imports and commands all go through these.

`problem_save` checks what a form cannot know: that the place and the responsible unit are inside the
scope of the body filing the problem, that a responsible township is a township, and that exactly one
responsible unit is named (which decides the ledger).
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core.evidence import evidence_file_error
from jiandu.ledger.duplicates import duplicates_find_on_commit
from jiandu.ledger.models import Category, Evidence, Ledger, Problem, ProblemStatus, Source
from jiandu.org.models import Department, Level, Region

# What the duplicate finder compares: a change to one of these looks for likely duplicates again.
COMPARED_FIELDS = {"region", "responsible_region", "responsible_department", "facts", "amount", "found_on"}
EDITABLE_FIELDS = (
    "source",
    "region",
    "responsible_region",
    "responsible_department",
    "category",
    "facts",
    "amount",
    "found_on",
)


def ledger_of(responsible_region: Region | None, responsible_department: Department | None) -> str:
    """The ledger a problem lands in, by its responsible unit; a ValidationError unless exactly one."""
    if (responsible_region is None) == (responsible_department is None):
        raise ValidationError(
            {"responsible_region": _("Name exactly one responsible unit: a township or a county department.")}
        )
    return Ledger.TOWNSHIP if responsible_region is not None else Ledger.DEPARTMENT


def check_problem(acting_user: Any, fields: dict[str, Any], *, today: datetime.date | None = None) -> None:
    """Refuse a problem the acting user may not file; every message names its field."""
    errors: dict[str, list[str]] = {}
    region = fields.get("region")
    township = fields.get("responsible_region")
    department = fields.get("responsible_department")
    if region is not None and not Region.objects.visible_to(acting_user).filter(pk=region.pk).exists():
        errors.setdefault("region", []).append(_("This place is outside your scope."))
    if township is not None:
        if township.level != Level.TOWNSHIP:
            errors.setdefault("responsible_region", []).append(
                _("The responsible unit must be a township, not a %(level)s.")
                % {"level": township.get_level_display()}
            )
        elif not Region.objects.visible_to(acting_user).filter(pk=township.pk).exists():
            errors.setdefault("responsible_region", []).append(_("This township is outside your scope."))
    if (
        department is not None
        and not Department.objects.visible_to(acting_user).filter(pk=department.pk).exists()
    ):
        errors.setdefault("responsible_department", []).append(_("This department is outside your scope."))
    found_on = fields.get("found_on")
    if found_on is not None and found_on > (today or timezone.localdate()):
        errors.setdefault("found_on", []).append(_("The date found cannot be in the future."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def problem_save(*, acting_user: Any, problem: Problem | None, fields: dict[str, Any]) -> Problem:
    """Create a problem (when `problem` is None, filed by the acting user's body) or change one."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    merged = {name: getattr(problem, name) for name in EDITABLE_FIELDS} if problem else {}
    merged.update(fields)
    check_problem(acting_user, merged)
    ledger = ledger_of(merged.get("responsible_region"), merged.get("responsible_department"))
    if problem is None:
        if acting_user.body_id is None:
            raise ValidationError(_("Only a user acting for a body can file a problem."))
        problem = Problem(found_by_id=acting_user.body_id, created_by=acting_user, ledger=ledger, **fields)
        problem.full_clean()
        problem.save()
        duplicates_find_on_commit([problem.pk])
        return problem
    changed = [name for name, value in fields.items() if getattr(problem, name) != value]
    for name in changed:
        setattr(problem, name, fields[name])
    if problem.ledger != ledger:
        problem.ledger = ledger
        changed.append("ledger")
    problem.full_clean()
    if changed:
        problem.save(update_fields=[*changed, "updated_at"])
        if set(changed) & COMPARED_FIELDS:
            duplicates_find_on_commit([problem.pk])
    return problem


@transaction.atomic
def problem_set_status(*, acting_user: Any, problem: Problem, status: str) -> Problem:
    """Move a problem to a new status. Closure (销号) is not set here: only a verified rectification closes."""
    if status not in ProblemStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == ProblemStatus.CLOSED:
        raise ValidationError({"status": _("A problem is closed only after its rectification is verified.")})
    if status == ProblemStatus.MERGED:
        raise ValidationError({"status": _("Merge a problem through its likely duplicate.")})
    if problem.status != status:
        problem.status = status
        problem.save(update_fields=["status", "updated_at"])
    return problem


# --- evidence, bulk acts and the catalogues ----------------------------------------------------------------


@transaction.atomic
def evidence_add(*, acting_user: Any, problem: Problem, upload: Any) -> Evidence:
    """Attach a file to a problem the user may change; its SHA-256 and size are taken while it is stored."""
    if not Problem.objects.visible_to(acting_user, "change").filter(pk=problem.pk).exists():
        raise ValidationError(_("You can only add evidence to a problem you may change."))
    if error := evidence_file_error(upload):
        raise ValidationError({"file": error})
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    name = (os.path.basename(upload.name or "") or "evidence")[:200]
    evidence = Evidence(
        problem=problem, name=name, size=size, sha256=digest.hexdigest(), uploaded_by=acting_user
    )
    # The stored name is the digest: no user-chosen path, and the same file twice is stored twice safely.
    evidence.file.save(f"{evidence.sha256[:16]}{os.path.splitext(name)[1][:10]}", upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def problems_set_status(*, acting_user: Any, problems: Iterable[Problem], status: str) -> int:
    """One status for many problems, all or none; returns how many changed."""
    changed = 0
    for problem in _changeable(acting_user, problems):
        before = problem.status
        problem_set_status(acting_user=acting_user, problem=problem, status=status)
        changed += before != status
    return changed


@transaction.atomic
def problems_set_category(*, acting_user: Any, problems: Iterable[Problem], category: Category) -> int:
    changed = 0
    for problem in _changeable(acting_user, problems):
        if problem.category_id != category.pk:
            problem_save(acting_user=acting_user, problem=problem, fields={"category": category})
            changed += 1
    return changed


@transaction.atomic
def problems_share(
    *, acting_user: Any, problems: Iterable[Problem], body: Any, reason: str, can_change: bool = False
) -> int:
    from jiandu.access.services import share_record

    problems = _changeable(acting_user, problems)
    for problem in problems:
        share_record(acting_user=acting_user, record=problem, body=body, reason=reason, can_change=can_change)
    return len(problems)


def _changeable(acting_user: Any, problems: Iterable[Problem]) -> list[Problem]:
    """The problems again, read through the change scope; one outside it refuses the whole act."""
    wanted = {problem.pk for problem in problems}
    found = list(Problem.objects.visible_to(acting_user, "change").filter(pk__in=wanted).order_by("pk"))
    if len(found) != len(wanted):
        raise ValidationError(_("Some of the chosen problems are not yours to change; nothing was changed."))
    return found


def _catalogue_save(entry: Any, fields: dict[str, Any]) -> Any:
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def source_save(*, acting_user: Any, source: Source | None, fields: dict[str, Any]) -> Source:
    """Add or change a source of problems (never deleted: `is_active` off retires it)."""
    return _catalogue_save(source or Source(), fields)


@transaction.atomic
def category_save(*, acting_user: Any, category: Category | None, fields: dict[str, Any]) -> Category:
    """Add or change a category of problems (never deleted: `is_active` off retires it)."""
    return _catalogue_save(category or Category(), fields)
