"""Writes of periodic filing: submitting a filing, and the rule table. Pages, the API and commands call
these and nothing else writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.calendar import days
from jiandu.filing.models import Filing, FilingRevision, FilingRule
from jiandu.filing.rules import due_date, must_file
from jiandu.ledger.models import Problem, ProblemStatus
from jiandu.lib.periods import QUARTERLY, Period, PeriodError, parse_period
from jiandu.org.models import Body, Level

CREATED = "created"
REVISED = "revised"
UNCHANGED = "unchanged"

RULE_FIELDS = ("body_kind", "frequency", "due_days", "day_count", "reminder_lead_days", "is_active")


@dataclass(frozen=True)
class SubmitResult:
    filing: Filing
    outcome: str  # CREATED, REVISED (a correction) or UNCHANGED (the same filing again)


def check_period(text: str, *, today: datetime.date) -> Period:
    """A period that can be filed today: well formed, and ended. A ValidationError naming `period`."""
    try:
        period = parse_period(text)
    except PeriodError:
        raise ValidationError(
            {
                "period": _("“%(value)s” is not a period: write a month as 2026-10 or a quarter as 2026-Q3.")
                % {"value": text}
            }
        ) from None
    if period.start > today:
        raise ValidationError({"period": _("%(period)s is in the future.") % {"period": period}})
    if period.end >= today:
        raise ValidationError(
            {
                "period": _("%(period)s has not ended yet: it can be filed from %(day)s.")
                % {"period": period, "day": period.end + datetime.timedelta(days=1)}
            }
        )
    return period


def period_problems(body: Body, period: Period) -> list[int]:
    """Ids of the problems `body` found in `period` (merged duplicates count once, in the one kept).

    The body's whole ledger for the period, whoever files it: a filer's own recusals do not change what
    the body files. Readers see the problems through `visible_to` only.
    """
    return list(
        Problem.objects.filter(found_by=body, found_on__gte=period.start, found_on__lte=period.end)
        .exclude(status=ProblemStatus.MERGED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _filing_body(acting_user: Any, body: Body | None) -> Body:
    if body is None:
        if acting_user.body_id is None:
            raise ValidationError({"body": _("Only a user acting for a body can file.")})
        return Body.objects.get(pk=acting_user.body_id)
    # Filing for another body (a county for a township without access): it must be in the change scope;
    # one that is not gets the error of one that does not exist.
    visible = Body.objects.visible_to(acting_user, "change").filter(pk=body.pk).first()
    if visible is None:
        raise ValidationError({"body": _("There is no such body.")})
    return visible


@transaction.atomic
def filing_submit(
    *,
    acting_user: Any,
    period: str,
    body: Body | None = None,
    nothing_to_report: bool = False,
    now: datetime.datetime | None = None,
) -> SubmitResult:
    """File the acting user's body's ledger (or `body`'s, in their scope) for `period`.

    Idempotent: filing a period again with the same problems changes nothing. Filed again after a
    correction (a problem of the period added, removed or merged), the filing gets a new revision; its
    filing time and lateness stay those of the first filing. A body with no problem in the period must
    say so explicitly (`nothing_to_report`, 零报告).
    """
    if not acting_user.has_perm("filing.add_filing"):
        raise PermissionDenied
    now = now or timezone.now()
    today = timezone.localdate(now)
    parsed = check_period(period, today=today)
    body = _filing_body(acting_user, body)
    rule = must_file(body, parsed)
    if rule is None:
        own = FilingRule.objects.filter(body_kind=body.kind, is_active=True).first()
        if own is None or not body.is_active:
            raise ValidationError(
                {"body": _("%(body)s does not file its ledger periodically.") % {"body": body.name}}
            )
        example = "2026-Q3" if own.frequency == QUARTERLY else "2026-10"
        raise ValidationError(
            {
                "period": _("%(body)s files %(frequency)s: give a period like %(example)s.")
                % {"body": body.name, "frequency": own.get_frequency_display(), "example": example}
            }
        )
    try:
        due_on = due_date(rule, parsed)
    except days.CalendarNotCovered as missing:
        raise ValidationError({"period": days.missing_message(missing.year)}) from None
    ids = period_problems(body, parsed)
    if ids and nothing_to_report:
        raise ValidationError(
            {
                "nothing_to_report": _(
                    "%(count)d problems were found in %(period)s: a nil report is not possible."
                )
                % {"count": len(ids), "period": parsed}
            }
        )
    if not ids and not nothing_to_report:
        raise ValidationError(
            {
                "nothing_to_report": _(
                    "%(body)s found no problem in %(period)s: confirm that there is nothing to report."
                )
                % {"body": body.name, "period": parsed}
            }
        )
    filing = Filing.objects.select_for_update().filter(body=body, period=str(parsed)).first()
    if filing is None:
        filing = _create(acting_user, body, parsed, due_on, ids, now)
        if filing is not None:
            _resolve_reminders(body, parsed)
            return SubmitResult(filing, CREATED)
        # Someone filed the same period a moment ago: theirs is the filing, this one a correction of it.
        filing = Filing.objects.select_for_update().get(body=body, period=str(parsed))
    if filing.problem_ids == ids:
        return SubmitResult(filing, UNCHANGED)
    before = set(filing.problem_ids)
    filing.problem_ids = ids
    filing.problem_count = len(ids)
    filing.nothing_to_report = not ids
    filing.revision += 1
    filing.revised_at = now
    filing.full_clean()
    filing.save(
        update_fields=[
            "problem_ids",
            "problem_count",
            "nothing_to_report",
            "revision",
            "revised_at",
            "updated_at",
        ]
    )
    record_revision(filing, filed_at=now, filed_by=acting_user, ids=ids, before=before)
    return SubmitResult(filing, REVISED)


def _create(
    acting_user: Any,
    body: Body,
    period: Period,
    due_on: datetime.date,
    ids: list[int],
    now: datetime.datetime,
) -> Filing | None:
    filing = Filing(
        body=body,
        period=str(period),
        period_start=period.start,
        period_end=period.end,
        due_on=due_on,
        filed_at=now,
        filed_by=acting_user,
        is_late=timezone.localdate(now) > due_on,
        problem_count=len(ids),
        problem_ids=ids,
        nothing_to_report=not ids,
    )
    filing.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            filing.save()
    except IntegrityError:
        return None
    record_revision(filing, filed_at=now, filed_by=acting_user, ids=ids)
    return filing


def record_revision(
    filing: Filing,
    *,
    filed_at: datetime.datetime,
    filed_by: Any,
    ids: list[int],
    before: set[int] | None = None,
) -> FilingRevision:
    """What one submission said: revision `filing.revision`, with the problems added and removed since
    the one before (`before`: its problem ids; none for the first)."""
    previous = before or set()
    return FilingRevision.objects.create(
        filing=filing,
        number=filing.revision,
        filed_at=filed_at,
        filed_by=filed_by,
        problem_count=len(ids),
        problem_ids=ids,
        nothing_to_report=not ids,
        added=sorted(set(ids) - previous),
        removed=sorted(previous - set(ids)),
    )


def _resolve_reminders(body: Body, period: Period) -> None:
    """The body's reminders about this period are settled by the filing: mark them read."""
    from jiandu.filing.reminders import reminder_keys
    from jiandu.notices.models import Notice

    keys = reminder_keys(body, period)
    transaction.on_commit(
        lambda: Notice.objects.filter(key__in=keys, read_at__isnull=True).update(read_at=timezone.now())
    )


@transaction.atomic
def filing_rule_save(*, acting_user: Any, rule: FilingRule | None, fields: dict[str, Any]) -> FilingRule:
    """Create or change a filing rule. The rules hold for the whole platform: only a user acting for a
    city (or province) body, or a superuser, may change them."""
    if not acting_user.has_perm("filing.change_filingrule" if rule else "filing.add_filingrule"):
        raise PermissionDenied
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not acting_user.is_superuser:
        body = Body.objects.filter(pk=acting_user.body_id).first()
        if body is None or body.level not in (Level.CITY, Level.PROVINCE):
            raise ValidationError(
                _("The filing rules hold for the whole city: only the city's commission changes them.")
            )
    if rule is None:
        rule = FilingRule(**fields)
        rule.full_clean()
        rule.save()
        return rule
    changed = [name for name, value in fields.items() if getattr(rule, name) != value]
    for name in changed:
        setattr(rule, name, fields[name])
    rule.full_clean()
    if changed:
        rule.save(update_fields=[*changed, "updated_at"])
    return rule
