"""Elevated supervision (提级监督): villages' collective 三资, the rules that select villages for county or
city supervision, selection runs with every village's explanation, integrity files (廉政档案) on the
village Party secretary and director, and departure audits (离任审计).

Everything is visible exactly when the village (or, for rule sets and runs, the region) is in scope; a
dispatched group, which watches departments, sees none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import DependentQuerySet, ScopedQuerySet, TimeStampedModel, VersionStatus
from jiandu.org.models import Body, Gender, Region

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope


class RegionScopedQuerySet(ScopedQuerySet):
    """Records about a region (`region_path`): visible with the region; never to a dispatched group."""

    region_path = "village"
    scope_may_repeat_rows = False

    def scope_q(self, scope: Scope, action: str) -> Q:
        if scope.department_ids is not None:
            return Q(pk__in=[])
        return scope.region_q(self.region_path)


class VillageAssetsQuerySet(RegionScopedQuerySet):
    region_path = "village"


def money_field(label: str | object) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )


class VillageAssets(TimeStampedModel):
    """A village's collective 三资 in one year, in 万元: funds (资金), assets (资产), resources (资源)."""

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="collective_assets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    funds = money_field(_("funds (10,000 yuan)"))
    assets = money_field(_("assets (10,000 yuan)"))
    resources = money_field(_("resources (10,000 yuan)"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = VillageAssetsQuerySet.as_manager()

    class Meta:
        verbose_name = _("village collective assets")
        verbose_name_plural = _("village collective assets")
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="elevated_assets_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"

    @property
    def total(self):  # type: ignore[no-untyped-def]
        return self.funds + self.assets + self.resources


class RuleSetQuerySet(RegionScopedQuerySet):
    region_path = "region"


class SelectionRuleSet(TimeStampedModel):
    """The rules a city or county selects its villages by (jiandu/lib/elevation.py `RuleSet`).

    `flags` is a list of ledger flag rules: {"kind": problems|open|category|amount, "threshold": …,
    "category": code, "level": county|city}."""

    name = models.CharField(_("name"), max_length=160)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="elevation_rule_sets"
    )
    county_threshold = models.DecimalField(
        _("county-level threshold of total 三资 (10,000 yuan)"), max_digits=14, decimal_places=2
    )
    city_threshold = models.DecimalField(
        _("city-level threshold of total 三资 (10,000 yuan)"), max_digits=14, decimal_places=2
    )
    flags = models.JSONField(_("ledger flag rules"), default=list, blank=True)
    county_cap = models.PositiveIntegerField(
        _("at most this many county-level villages"), null=True, blank=True
    )
    city_cap = models.PositiveIntegerField(_("at most this many city-level villages"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("selection rule set")
        verbose_name_plural = _("selection rule sets")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name

    def as_json(self) -> dict[str, object]:
        return {
            "county_threshold": str(self.county_threshold),
            "city_threshold": str(self.city_threshold),
            "flags": list(self.flags),
            "county_cap": self.county_cap,
            "city_cap": self.city_cap,
        }


RunStatus = VersionStatus


class SelectionRunQuerySet(RegionScopedQuerySet):
    region_path = "region"


class SelectionRun(TimeStampedModel):
    """One selection of a region's villages for a year: the rules as they were (`rules`), the ledger
    period the flags were counted over, and a digest of every input, so that a rerun can say whether it
    reproduces the run. Approving a run makes its selected villages the region's current elevated
    villages (`selectors.current_elevated`); the run it replaces becomes superseded."""

    name = models.CharField(_("name"), max_length=160)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="selection_runs"
    )
    year = models.PositiveSmallIntegerField(_("year of the 三资 figures"))
    period_start = models.DateField(_("ledger period from"))
    period_end = models.DateField(_("ledger period to"))
    rule_set = models.ForeignKey(
        SelectionRuleSet,
        verbose_name=_("rule set"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    rules = models.JSONField(_("rules"), default=dict)
    digest = models.CharField(_("digest of the inputs"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT)
    city_count = models.PositiveIntegerField(_("city level"), default=0)
    county_count = models.PositiveIntegerField(_("county level"), default=0)
    village_count = models.PositiveIntegerField(_("villages"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = SelectionRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("selection run")
        verbose_name_plural = _("selection runs")
        ordering = ["-created_at", "-pk"]
        permissions = [("approve_selectionrun", _("Can approve selection runs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(status="approved"), name="elevated_run_one_approved"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DRAFT


class OutcomeLevel(models.TextChoices):
    CITY = "city", _("city level")
    COUNTY = "county", _("county level")
    NONE = "none", _("not selected")


class SelectionOutcomeQuerySet(DependentQuerySet):
    # Visible when both the run and the village are: a recusal from a village hides its line in a run.
    parent_paths = ("run", "village")


class SelectionOutcome(models.Model):
    """One village in a run: its level, its level before caps, its total 三资 and every reason (JSON)."""

    run = models.ForeignKey(
        SelectionRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="outcomes"
    )
    village = models.ForeignKey(Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=8, choices=OutcomeLevel.choices)
    candidate = models.CharField(_("level before caps"), max_length=8, choices=OutcomeLevel.choices)
    total = models.DecimalField(_("total 三资 (10,000 yuan)"), max_digits=16, decimal_places=2)
    facts = models.JSONField(_("facts"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)

    objects = SelectionOutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("selection outcome")
        verbose_name_plural = _("selection outcomes")
        ordering = ["run", "village__code"]
        constraints = [models.UniqueConstraint(fields=["run", "village"], name="elevated_outcome_unique")]

    def __str__(self) -> str:
        return f"{self.village} · {self.get_level_display()}"

    @property
    def selected(self) -> bool:
        return self.level != OutcomeLevel.NONE


class Role(models.TextChoices):
    SECRETARY = "secretary", _("village Party secretary")  # zh: 村党组织书记
    DIRECTOR = "director", _("village committee director")  # zh: 村委会主任
    BOTH = "both", _("secretary and director (one person)")  # zh: 一肩挑


class IntegrityFileQuerySet(RegionScopedQuerySet):
    region_path = "village"


class IntegrityFile(TimeStampedModel):
    """An integrity file (廉政档案) on a village's Party secretary or director. Confidential: every view of
    its page is in the audit trail."""

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="integrity_files"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    in_office_since = models.DateField(_("in office since"), null=True, blank=True)
    left_office_on = models.DateField(_("left office on"), null=True, blank=True)

    objects = IntegrityFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("integrity file")
        verbose_name_plural = _("integrity files")
        ordering = ["village__code", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "role"],
                condition=Q(left_office_on__isnull=True),
                name="elevated_file_one_current_per_role",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    PERSONAL_MATTERS = "personal_matters", _("personal-matters report")  # zh: 个人有关事项报告
    FAMILY_BUSINESS = "family_business", _("family business")  # zh: 家属经商办企业
    INQUIRY = "inquiry", _("talk or letter of inquiry")  # zh: 谈话函询
    PROBLEM = "problem", _("problem from the ledger")
    COMMENDATION = "commendation", _("commendation")
    OTHER = "other", _("other")


class IntegrityEntryQuerySet(DependentQuerySet):
    parent_paths = ("file",)


class IntegrityEntry(TimeStampedModel):
    """One record in an integrity file."""

    file = models.ForeignKey(
        IntegrityFile, verbose_name=_("integrity file"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    date = models.DateField(_("date"))
    content = models.TextField(_("content"))
    problem = models.ForeignKey(
        "ledger.Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = IntegrityEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("integrity file entry")
        verbose_name_plural = _("integrity file entries")
        ordering = ["file", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.file} · {self.get_kind_display()} {self.date}"


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class DepartureAuditQuerySet(ScopedQuerySet):
    region_path = "file__village"
    scope_may_repeat_rows = False

    def scope_q(self, scope: Scope, action: str) -> Q:
        if scope.department_ids is not None:
            return Q(pk__in=[])
        return scope.region_q("file__village")


class DepartureAudit(TimeStampedModel):
    """A departure audit (离任审计) of a village cadre leaving office, by an auditing body."""

    file = models.ForeignKey(
        IntegrityFile,
        verbose_name=_("person leaving"),
        on_delete=models.PROTECT,
        related_name="departure_audits",
    )
    left_office_on = models.DateField(_("left office on"))
    auditor = models.ForeignKey(
        Body, verbose_name=_("auditing body"), on_delete=models.PROTECT, related_name="departure_audits"
    )
    audit_date = models.DateField(_("audit date"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    amount_questioned = models.DecimalField(
        _("amount questioned (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    problems = models.ManyToManyField(
        "ledger.Problem", verbose_name=_("problems filed to the ledger"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DepartureAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("departure audit")
        verbose_name_plural = _("departure audits")
        ordering = ["-left_office_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.file} · {self.left_office_on}"
