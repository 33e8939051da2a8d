"""Periodic filing (定期报备): bodies file their problem ledger per month or quarter.

`FilingRule` says which kinds of body file, how often and by when (an editable table, one row per kind of
body). A `Filing` is one body's filing of one period: the problems it found in that period (their ids and
count) or an explicit nil report (零报告), when it was filed and whether that was late. Filing the same
period again after a correction (a problem added or removed) keeps the filing and records a new
`FilingRevision`; filing again with nothing changed changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import DependentQuerySet, ScopedQuerySet, TimeStampedModel, VocabularyQuerySet
from jiandu.org.models import BodyKind

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")


class DayCount(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class FilingRule(TimeStampedModel):
    """How a kind of body files: monthly or quarterly, due so many days after the period ends, reminded so
    many days before. A kind without an active rule does not file."""

    body_kind = models.CharField(_("kind of body"), max_length=30, choices=BodyKind.choices, unique=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    due_days = models.PositiveSmallIntegerField(
        _("due after the period ends (days)"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text=_("How many days after the last day of the period the filing is due."),
    )
    day_count = models.CharField(
        _("days counted as"), max_length=10, choices=DayCount.choices, default=DayCount.WORKING
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        _("remind before the due date (days)"),
        default=3,
        validators=[MaxValueValidator(30)],
        help_text=_("Calendar days before the due date when the reminder is sent."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    # The rule table is configuration everyone works by: every user with a scope reads it.
    objects = VocabularyQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing rule")
        verbose_name_plural = _("filing rules")
        ordering = ["body_kind"]

    def __str__(self) -> str:
        return f"{self.get_body_kind_display()} · {self.get_frequency_display()}"


class FilingQuerySet(ScopedQuerySet):
    """A filing is seen by whoever sees its body: the body itself and the bodies above it by region (a
    township only its own, a county its county's). A dispatched group sees only its own filings."""

    region_path = "body__region"

    def scope_q(self, scope: Scope, action: str) -> Q:
        own = Q(body=scope.body_id)
        if scope.department_ids is not None:
            return own
        return own | scope.region_q("body__region")


class Filing(TimeStampedModel):
    """One body's filing of one period. Late or on time is decided by the first filing; a correction filed
    later is a new revision of the same filing."""

    body = models.ForeignKey(
        "org.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="filings"
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("2026-10 or 2026-Q3"))
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    due_on = models.DateField(_("due on"))
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_late = models.BooleanField(_("late"), default=False)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    problem_ids = models.JSONField(_("problem ids"), default=list, blank=True)
    nothing_to_report = models.BooleanField(_("nothing to report"), default=False)  # zh: 零报告
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)  # zh: 报备版次
    revised_at = models.DateTimeField(_("last corrected at"), null=True, blank=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-period_start", "body__region__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "period"], name="filing_filing_unique_period"),
            models.CheckConstraint(
                condition=Q(nothing_to_report=False) | Q(problem_count=0),
                name="filing_filing_nil_report_has_no_problems",
            ),
        ]
        indexes = [models.Index(fields=["period", "body"])]

    def __str__(self) -> str:
        return f"{self.body} · {self.period}"


class FilingRevisionQuerySet(DependentQuerySet):
    parent_paths = ("filing",)


class FilingRevision(models.Model):
    """What one submission of a filing said: the first filing is revision 1, each correction the next."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    problem_ids = models.JSONField(_("problem ids"), default=list, blank=True)
    nothing_to_report = models.BooleanField(_("nothing to report"), default=False)
    added = models.JSONField(_("problems added"), default=list, blank=True)
    removed = models.JSONField(_("problems removed"), default=list, blank=True)

    objects = FilingRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing revision")
        verbose_name_plural = _("filing revisions")
        ordering = ["filing", "number"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="filing_revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.filing} #{self.number}"
