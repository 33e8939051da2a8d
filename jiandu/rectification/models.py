"""Rectification and the dual ledgers (整改双台账).

A problem that needs rectifying gets one `Rectification`: the responsible unit (the problem's township or
county department, which puts it in the townships' or the departments' ledger), measures and a deadline
counted in working days. The unit reports progress (`ProgressReport`, with `ProgressEvidence` files), at
last claiming it done; the supervising body verifies (`Verification`: passed, or sent back with reasons);
only a verified rectification is closed (销号), which closes the problem. The allowed moves are the table
`TRANSITIONS` in services.py.

Time limits (the default deadline, the inspection-round report, reminder lead days …) are rows of
`TimeLimit`, editable, each with the rule it comes from: never constants in code.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import VIEW, DependentQuerySet, TimeStampedModel, VocabularyQuerySet


class LimitUnit(models.TextChoices):
    WORKDAYS = "workdays", _("working days")
    DAYS = "days", _("calendar days")
    MONTHS = "months", _("months")


class TimeLimit(models.Model):
    """One time limit, with the rule it comes from. Code reads them by `key`; people change `amount`."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=80)
    amount = models.PositiveIntegerField(_("amount"), validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=10, choices=LimitUnit.choices)
    rule = models.CharField(
        _("rule"), max_length=200, help_text=_("The regulation or decision this limit comes from.")
    )

    # A shared table of the platform's rules, not a record about anyone.
    objects = VocabularyQuerySet.as_manager()

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount} {self.get_unit_display()}"


class RectificationStatus(models.TextChoices):
    RECTIFYING = "rectifying", _("being rectified")  # zh: 整改中
    CLAIMED = "claimed", _("reported done, awaiting verification")  # zh: 已报完成，待验收
    SENT_BACK = "sent_back", _("sent back")  # zh: 验收退回
    VERIFIED = "verified", _("verified")  # zh: 验收通过
    CLOSED = "closed", _("closed (销号)")  # zh: 已销号


# Rectifications that still run against their deadline.
OPEN_STATUSES = (RectificationStatus.RECTIFYING, RectificationStatus.CLAIMED, RectificationStatus.SENT_BACK)
DONE_STATUSES = (RectificationStatus.VERIFIED, RectificationStatus.CLOSED)


def units_visible_q(user: Any, action: str = VIEW, prefix: str = "") -> Q:
    """Problems (reached by `prefix`) whose responsible unit the user may see: someone recused from a
    department or a township sees no rectification of it, nor its name."""
    from jiandu.org.models import Department, Region

    return Q(
        **{
            f"{prefix}responsible_department__isnull": True,
            f"{prefix}responsible_region__in": Region.objects.visible_to(user, action).values("pk"),
        }
    ) | Q(**{f"{prefix}responsible_department__in": Department.objects.visible_to(user, action).values("pk")})


class RectificationQuerySet(DependentQuerySet):
    """A rectification follows its problem: seen (and changed) by exactly those who see the problem, and
    its responsible unit."""

    parent_paths = ("problem",)

    def visible_to(self, user: Any, action: str = VIEW) -> Self:
        return super().visible_to(user, action).filter(units_visible_q(user, action, "problem__"))

    def open(self) -> RectificationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Rectification(TimeStampedModel):
    """The rectification of one problem, followed to its verified closure."""

    problem = models.OneToOneField(
        "ledger.Problem", verbose_name=_("problem"), on_delete=models.PROTECT, related_name="rectification"
    )
    supervisor = models.ForeignKey(
        "org.Body",
        verbose_name=_("supervising body"),
        on_delete=models.PROTECT,
        related_name="rectifications_supervised",
    )
    # The body that reports for the unit: the township's office, or the group that supervises the
    # department. It may never verify its own rectification.
    unit_body = models.ForeignKey(
        "org.Body",
        verbose_name=_("reporting body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications_reported",
    )
    measures = models.TextField(_("measures"))
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("deadline"))
    deadline_rule = models.CharField(_("deadline set by"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.RECTIFYING,
    )
    claimed_done_on = models.DateField(_("reported done on"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        permissions = [("verify_rectification", "Can verify and close rectifications")]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.problem.facts[:40]}"


class ProgressReportQuerySet(DependentQuerySet):
    parent_paths = ("rectification",)


class ProgressReport(TimeStampedModel):
    """What the unit reports: progress so far, and whether it says the rectification is done."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("rectification"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("progress"))
    claims_done = models.BooleanField(_("reports it done"), default=False)
    body = models.ForeignKey(
        "org.Body", verbose_name=_("reported by body"), on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["rectification", "created_at"]

    def __str__(self) -> str:
        return f"{self.reported_on:%Y-%m-%d} {self.text[:30]}"


def progress_evidence_path(instance: ProgressEvidence, filename: str) -> str:
    return f"rectification/{instance.report.rectification_id}/{instance.sha256[:16]}-{filename}"


class ProgressEvidenceQuerySet(DependentQuerySet):
    parent_paths = ("report",)


class ProgressEvidence(TimeStampedModel):
    """A file that backs a progress report (a photo, a receipt, a signed record)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=progress_evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)

    objects = ProgressEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress evidence")
        verbose_name_plural = _("progress evidence")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.name


class VerificationQuerySet(DependentQuerySet):
    parent_paths = ("rectification",)


class Verification(TimeStampedModel):
    """The supervising body's check of what the unit reported: passed, or sent back with reasons."""

    rectification = models.ForeignKey(
        Rectification,
        verbose_name=_("rectification"),
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    passed = models.BooleanField(_("passed"))
    reasons = models.TextField(_("findings"), blank=True)
    verified_on = models.DateField(_("verified on"))
    body = models.ForeignKey("org.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = VerificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["rectification", "created_at"]

    def __str__(self) -> str:
        return f"{self.verified_on:%Y-%m-%d} {'✓' if self.passed else '✗'}"
