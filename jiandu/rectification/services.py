"""Writes of rectification. Pages, the API, the demo and commands all go through these functions.

The state machine is the table `TRANSITIONS`: an act allowed from no other status than those listed. Who may
act is decided here too: the unit (its reporting body) reports, the supervising body verifies and closes,
and the unit never verifies its own rectification. Every refusal is a `ValidationError` whose message names
the field (or the act) and says why; each service is one transaction, so nothing is ever half-written.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiandu.calendar import days as workdays
from jiandu.core.evidence import evidence_file_error
from jiandu.core.querysets import CHANGE
from jiandu.ledger.models import Ledger, Problem, ProblemStatus
from jiandu.notices.models import NoticeKind
from jiandu.notices.services import notify
from jiandu.org.models import Body, BodyKind
from jiandu.rectification.models import (
    LimitUnit,
    ProgressEvidence,
    ProgressReport,
    Rectification,
    RectificationStatus,
    TimeLimit,
    Verification,
    units_visible_q,
)

S = RectificationStatus
# act → the statuses it is allowed from. `report` goes on to CLAIMED when the unit says it is done, else to
# RECTIFYING; `verify` to VERIFIED or SENT_BACK; `close` to CLOSED.
TRANSITIONS: dict[str, frozenset[str]] = {
    "report": frozenset({S.RECTIFYING, S.CLAIMED, S.SENT_BACK}),
    "verify": frozenset({S.CLAIMED}),
    "close": frozenset({S.VERIFIED}),
}

DEADLINE_LIMIT = "rectification-deadline"
# Evidence files larger than this are refused (bytes; settings.RECTIFICATION_EVIDENCE_MAX_BYTES overrides).
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def refused_message(act: str, status: str) -> str:
    """Why `act` is not allowed on a rectification in `status`, as the person reads it."""
    if status == S.CLOSED:
        return _("This rectification is closed (销号): nothing more can be reported, verified or closed.")
    if act == "report":
        return _("This rectification has been verified: no more progress reports; it can only be closed.")
    if act == "verify":
        return _("Only a rectification the unit has reported done can be verified.")
    return _("A rectification is closed only after the supervising body has verified it.")


def check_transition(rectification: Rectification, act: str) -> None:
    if rectification.status not in TRANSITIONS[act]:
        raise ValidationError({"status": refused_message(act, rectification.status)})


# --- time limits ---------------------------------------------------------------------------------------


def time_limit(key: str) -> TimeLimit:
    try:
        return TimeLimit.objects.get(key=key)
    except TimeLimit.DoesNotExist:
        raise ImproperlyConfiguredLimit(key) from None


class ImproperlyConfiguredLimit(LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"time limit {key!r} is missing from the time-limits table (rectification/0002)")


def deadline_after(start: datetime.date, amount: int, unit: str) -> datetime.date:
    """The end of a period of `amount` `unit`s from `start` (working days on the Chinese calendar)."""
    if unit == LimitUnit.WORKDAYS:
        return workdays.add_workdays(start, amount)
    if unit == LimitUnit.MONTHS:
        return workdays.add_months(start, amount)
    return start + datetime.timedelta(days=amount)


def calendar_error(field: str, error: workdays.CalendarNotCovered) -> ValidationError:
    return ValidationError({field: calendar_missing_message(error.year)})


def calendar_missing_message(year: int) -> str:
    """The refusal of a count of working days in a year whose holiday arrangement is not entered."""
    from jiandu.calendar.days import missing_message

    return missing_message(year)


@transaction.atomic
def time_limit_update(*, acting_user: Any, limit: TimeLimit, amount: int, unit: str, rule: str) -> TimeLimit:
    """Change a time limit (its amount, unit or the rule it comes from); existing deadlines stay."""
    if not acting_user.has_perm("rectification.change_timelimit"):
        raise PermissionDenied
    changed = [
        name
        for name, value in (("amount", amount), ("unit", unit), ("rule", rule.strip()))
        if getattr(limit, name) != value
    ]
    for name in changed:
        setattr(limit, name, {"amount": amount, "unit": unit, "rule": rule.strip()}[name])
    limit.full_clean()
    if changed:
        limit.save(update_fields=changed)
    return limit


# --- who acts ------------------------------------------------------------------------------------------


def unit_body_of(problem: Problem) -> Body | None:
    """The body that reports for the responsible unit: the township's office, or (for a department) the
    dispatched group that supervises it."""
    if problem.ledger == Ledger.TOWNSHIP:
        return (
            Body.objects.filter(
                kind=BodyKind.TOWNSHIP_OFFICE, region=problem.responsible_region_id, is_active=True
            )
            .order_by("pk")
            .first()
        )
    return (
        Body.objects.filter(
            kind=BodyKind.DISPATCHED_GROUP,
            supervised_departments=problem.responsible_department_id,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


def _in_change_scope(acting_user: Any, rectification: Rectification) -> None:
    if not Rectification.objects.visible_to(acting_user, CHANGE).filter(pk=rectification.pk).exists():
        raise PermissionDenied


def _acting_body(acting_user: Any) -> int:
    if acting_user.body_id is None:
        raise ValidationError(_("Only a user acting for a body can act on a rectification."))
    return int(acting_user.body_id)


def may_supervise(body_id: int, rectification: Rectification) -> bool:
    """The supervising body, or the body it belongs to (a commission over its office), verifies and closes."""
    supervisor = rectification.supervisor
    return body_id in (supervisor.pk, supervisor.parent_id)


def _today() -> datetime.date:
    return timezone.localdate()


def _date(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


# --- opening and editing ------------------------------------------------------------------------------


def check_dates(
    problem: Problem, opened_on: datetime.date, deadline: datetime.date, *, today: datetime.date
) -> None:
    errors: dict[str, list[str]] = {}
    if opened_on > today:
        errors.setdefault("opened_on", []).append(_("The opening date cannot be in the future."))
    if opened_on < problem.found_on:
        errors.setdefault("opened_on", []).append(
            _("A rectification cannot be opened before the problem was found (%(date)s).")
            % {"date": _date(problem.found_on)}
        )
    if deadline < problem.found_on:
        errors.setdefault("deadline", []).append(
            _("The deadline cannot be before the date the problem was found (%(date)s).")
            % {"date": _date(problem.found_on)}
        )
    elif deadline < opened_on:
        errors.setdefault("deadline", []).append(
            _("The deadline cannot be before the rectification is opened (%(date)s).")
            % {"date": _date(opened_on)}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rectification_open(
    *,
    acting_user: Any,
    problem: Problem,
    measures: str,
    deadline: datetime.date | None = None,
    workdays_allowed: int | None = None,
    opened_on: datetime.date | None = None,
) -> Rectification:
    """Open the rectification of a problem, supervised by the acting user's body; the problem is then
    "being rectified". The deadline is a date, or `workdays_allowed` working days after opening, or the
    default time limit."""
    body_id = _acting_body(acting_user)
    if not acting_user.has_perm("rectification.add_rectification"):
        raise PermissionDenied
    in_scope = Problem.objects.visible_to(acting_user, CHANGE).filter(units_visible_q(acting_user, CHANGE))
    if not in_scope.filter(pk=problem.pk).exists():
        raise PermissionDenied
    # Locked by key alone: PostgreSQL refuses FOR UPDATE on a scoped query that may be DISTINCT.
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if Rectification.objects.filter(problem=problem).exists():
        raise ValidationError({"problem": _("This problem already has a rectification.")})
    if problem.status != ProblemStatus.REGISTERED:
        raise ValidationError(
            {
                "problem": _("A problem that is “%(status)s” cannot be put to rectification.")
                % {"status": problem.get_status_display()}
            }
        )
    unit_body = unit_body_of(problem)
    if unit_body is not None and unit_body.pk == body_id:
        raise ValidationError(
            _(
                "Your body reports for this unit: its rectification is opened and verified by the body "
                "that supervises it."
            )
        )
    today = _today()
    opened_on = opened_on or today
    rule = ""
    if deadline is None:
        try:
            if workdays_allowed is not None:
                deadline = workdays.add_workdays(opened_on, workdays_allowed)
                rule = _("%(n)s working days") % {"n": workdays_allowed}
            else:
                limit = time_limit(DEADLINE_LIMIT)
                deadline = deadline_after(opened_on, limit.amount, limit.unit)
                rule = str(limit)
        except workdays.CalendarNotCovered as error:
            raise calendar_error("deadline", error) from error
    check_dates(problem, opened_on, deadline, today=today)
    rectification = Rectification(
        problem=problem,
        supervisor_id=body_id,
        unit_body=unit_body,
        measures=measures.strip(),
        opened_on=opened_on,
        deadline=deadline,
        deadline_rule=rule,
        opened_by=acting_user,
    )
    rectification.full_clean()
    rectification.save()
    problem.status = ProblemStatus.RECTIFYING
    problem.save(update_fields=["status", "updated_at"])
    return rectification


@transaction.atomic
def rectification_update(
    *, acting_user: Any, rectification: Rectification, measures: str, deadline: datetime.date
) -> Rectification:
    """Change the measures or the deadline of a rectification that is still open (the supervisor's)."""
    body_id = _acting_body(acting_user)
    if not acting_user.has_perm("rectification.change_rectification"):
        raise PermissionDenied
    _in_change_scope(acting_user, rectification)
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if not may_supervise(body_id, rectification):
        raise ValidationError(_("Only the supervising body changes the measures and the deadline."))
    if rectification.status in (S.VERIFIED, S.CLOSED):
        raise ValidationError({"status": refused_message("report", rectification.status)})
    check_dates(rectification.problem, rectification.opened_on, deadline, today=_today())
    changed = []
    if rectification.measures != measures.strip():
        rectification.measures = measures.strip()
        changed.append("measures")
    if rectification.deadline != deadline:
        rectification.deadline = deadline
        rectification.deadline_rule = _("changed by %(user)s") % {"user": acting_user.get_username()}
        changed += ["deadline", "deadline_rule"]
    rectification.full_clean()
    if changed:
        rectification.save(update_fields=[*changed, "updated_at"])
    return rectification


# --- the unit reports ---------------------------------------------------------------------------------


def _max_evidence_bytes() -> int:
    return int(getattr(settings, "RECTIFICATION_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES))


def check_files(files: Iterable[UploadedFile]) -> list[UploadedFile]:
    files = list(files)
    limit = _max_evidence_bytes()
    errors = []
    for upload in files:
        if not upload.name:
            errors.append(_("A file without a name was sent."))
        elif upload.size is not None and upload.size > limit:
            errors.append(
                _("%(name)s is %(size)s MB; evidence files may be at most %(limit)s MB.")
                % {
                    "name": upload.name,
                    "size": f"{upload.size / 1048576:.1f}",
                    "limit": f"{limit / 1048576:.0f}",
                }
            )
        elif error := evidence_file_error(upload):
            errors.append(error)
    if errors:
        raise ValidationError({"files": errors})
    return files


@transaction.atomic
def rectification_report(
    *,
    acting_user: Any,
    rectification: Rectification,
    text: str,
    claims_done: bool = False,
    files: Iterable[UploadedFile] = (),
    reported_on: datetime.date | None = None,
) -> ProgressReport:
    """The unit reports its progress (with evidence files), perhaps saying it is done."""
    body_id = _acting_body(acting_user)
    if not acting_user.has_perm("rectification.add_progressreport"):
        raise PermissionDenied
    _in_change_scope(acting_user, rectification)
    rectification = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("unit_body")
        .get(pk=rectification.pk)
    )
    check_transition(rectification, "report")
    if rectification.unit_body_id is not None and rectification.unit_body_id != body_id:
        raise ValidationError(
            _("Progress of this rectification is reported by %(body)s.") % {"body": rectification.unit_body}
        )
    if rectification.unit_body_id is None and may_supervise(body_id, rectification):
        raise ValidationError(_("The supervising body verifies; progress is reported by the unit."))
    today = _today()
    reported_on = reported_on or today
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Say what has been done.")]
    if reported_on > today:
        errors["reported_on"] = [_("The report date cannot be in the future.")]
    elif reported_on < rectification.opened_on:
        errors["reported_on"] = [
            _("The report date cannot be before the rectification was opened (%(date)s).")
            % {"date": _date(rectification.opened_on)}
        ]
    if errors:
        raise ValidationError(errors)
    files = check_files(files)
    report = ProgressReport(
        rectification=rectification,
        reported_on=reported_on,
        text=text.strip(),
        claims_done=claims_done,
        body_id=body_id,
        reported_by=acting_user,
    )
    report.full_clean()
    report.save()
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        evidence = ProgressEvidence(report=report, name=upload.name[:200], size=upload.size or 0)
        evidence.sha256 = digest.hexdigest()
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    if claims_done:
        rectification.status = S.CLAIMED
        rectification.claimed_done_on = reported_on
        fields = ["status", "claimed_done_on", "updated_at"]
    else:
        rectification.status = S.RECTIFYING
        fields = ["status", "updated_at"]
    rectification.save(update_fields=fields)
    if claims_done:
        _notify_on_commit(
            key=f"rectification-{rectification.pk}-claimed-{report.pk}",
            kind=NoticeKind.VERIFICATION_DUE,
            body=rectification.supervisor,
            rectification=rectification,
            message=gettext_noop("Reported done, to be verified: %(problem)s"),
            args={"problem": str(rectification)},
        )
    return report


# --- the supervisor verifies and closes ---------------------------------------------------------------


@transaction.atomic
def rectification_verify(
    *,
    acting_user: Any,
    rectification: Rectification,
    passed: bool,
    reasons: str = "",
    verified_on: datetime.date | None = None,
) -> Verification:
    """The supervising body checks what the unit reported: it passes, or goes back with reasons."""
    body_id = _acting_body(acting_user)
    if not acting_user.has_perm("rectification.verify_rectification"):
        raise PermissionDenied
    _in_change_scope(acting_user, rectification)
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    reported_by_self = rectification.reports.filter(body=body_id).exists()
    if body_id == rectification.unit_body_id or reported_by_self:
        raise ValidationError(_("The unit cannot verify its own rectification: the supervising body does."))
    if not may_supervise(body_id, rectification):
        raise ValidationError(
            _("Only the supervising body (%(body)s) verifies this rectification.")
            % {"body": rectification.supervisor}
        )
    check_transition(rectification, "verify")
    today = _today()
    verified_on = verified_on or today
    errors: dict[str, list[str]] = {}
    if not passed and not reasons.strip():
        errors["reasons"] = [_("Say why the rectification is sent back.")]
    if verified_on > today:
        errors["verified_on"] = [_("The verification date cannot be in the future.")]
    elif rectification.claimed_done_on and verified_on < rectification.claimed_done_on:
        errors["verified_on"] = [
            _("The verification date cannot be before the unit reported it done (%(date)s).")
            % {"date": _date(rectification.claimed_done_on)}
        ]
    if errors:
        raise ValidationError(errors)
    verification = Verification(
        rectification=rectification,
        passed=passed,
        reasons=reasons.strip(),
        verified_on=verified_on,
        body_id=body_id,
        verified_by=acting_user,
    )
    verification.full_clean()
    verification.save()
    if passed:
        rectification.status = S.VERIFIED
        rectification.verified_on = verified_on
        rectification.save(update_fields=["status", "verified_on", "updated_at"])
    else:
        rectification.status = S.SENT_BACK
        rectification.save(update_fields=["status", "updated_at"])
        if rectification.unit_body_id is not None:
            _notify_on_commit(
                key=f"rectification-{rectification.pk}-sent-back-{verification.pk}",
                kind=NoticeKind.OTHER,
                body=rectification.unit_body,
                rectification=rectification,
                message=gettext_noop("Sent back: %(problem)s"),
                args={"problem": str(rectification)},
            )
    return verification


@transaction.atomic
def rectification_close(
    *, acting_user: Any, rectification: Rectification, closed_on: datetime.date | None = None
) -> Rectification:
    """Close (销号) a verified rectification; its problem is closed in the same transaction."""
    body_id = _acting_body(acting_user)
    if not acting_user.has_perm("rectification.verify_rectification"):
        raise PermissionDenied
    _in_change_scope(acting_user, rectification)
    rectification = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("problem")
        .get(pk=rectification.pk)
    )
    if not may_supervise(body_id, rectification):
        raise ValidationError(
            _("Only the supervising body (%(body)s) closes this rectification.")
            % {"body": rectification.supervisor}
        )
    check_transition(rectification, "close")
    closed_on = closed_on or _today()
    if rectification.verified_on and closed_on < rectification.verified_on:
        raise ValidationError(
            {
                "closed_on": _("The closing date cannot be before the verification (%(date)s).")
                % {"date": _date(rectification.verified_on)}
            }
        )
    rectification.status = S.CLOSED
    rectification.closed_on = closed_on
    rectification.save(update_fields=["status", "closed_on", "updated_at"])
    problem = rectification.problem
    problem.status = ProblemStatus.CLOSED
    problem.save(update_fields=["status", "updated_at"])
    return rectification


def _notify_on_commit(
    *,
    key: str,
    kind: str,
    body: Body | None,
    rectification: Rectification,
    message: str,
    args: dict[str, str],
) -> None:
    if body is None:
        return
    url = reverse("rectification:detail", args=[rectification.pk])
    deadline = rectification.deadline
    transaction.on_commit(
        lambda: notify(key=key, kind=kind, message=message, args=args, body=body, url=url, due_on=deadline)
    )
