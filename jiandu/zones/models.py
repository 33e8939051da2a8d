"""Zone plans (片区划分方案): versions of a partition of a region's townships or villages into zones.

A plan is drafted by the planner (jiandu/lib/zoning), edited by moving units between zones, compared with
the approved plan of the same region and kind, and approved: then each zone gets a zone group in the
registry (`Body(kind=zone_group)` covering the zone's units, so its members see them), and the plan it
replaces is superseded. Staff are never stored here: they are counted from the registry's posts
(`selectors.unit_staff`). Every plan, zone and membership is visible exactly when the plan's region is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import DependentQuerySet, ScopedQuerySet, TimeStampedModel, VersionStatus
from jiandu.org.models import Body, Level, Person, Region

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope


class PlanKind(models.TextChoices):
    TOWNSHIP = "township", _("township collaboration zones")  # zh: 乡镇片区协作
    VILLAGE = "village", _("village livelihood zones")  # zh: 村级民生监督片区
    CASE_REVIEW = "case_review", _("case-review zones")  # zh: 集中审理片区
    CUSTOM = "custom", _("custom zones")


PlanStatus = VersionStatus


class ZonePlanQuerySet(ScopedQuerySet):
    region_path = "region"
    scope_may_repeat_rows = False

    def scope_q(self, scope: Scope, action: str) -> Q:
        if scope.department_ids is not None:
            # A dispatched group watches departments; zones (and their groups) are not its business.
            return Q(pk__in=[])
        return scope.region_q("region")


class ZonePlan(TimeStampedModel):
    """One version of the zones of a region, of one kind, with the rules it was planned under.

    `unit_level` is what the zones are made of (townships or villages). `figures` holds what the planner
    said: its objective, the units it could not place with their reasons, and the nearest plan's relaxed
    rules; `figures["unplaced"]` lists codes that are in no zone.
    """

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="zone_plans"
    )
    unit_level = models.CharField(_("units"), max_length=10, choices=Level.choices)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    min_size = models.PositiveSmallIntegerField(_("minimum units per zone"), default=3)
    max_size = models.PositiveSmallIntegerField(_("maximum units per zone"), default=5)
    min_staff = models.PositiveIntegerField(_("minimum staff per zone"), default=0)
    target_zones = models.PositiveIntegerField(_("target number of zones"), null=True, blank=True)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    together = models.JSONField(
        _("units that must share a zone"), default=list, blank=True, help_text=_("Groups of codes.")
    )
    apart = models.JSONField(
        _("units that must not share a zone"), default=list, blank=True, help_text=_("Groups of codes.")
    )
    figures = models.JSONField(_("planner's figures"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
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

    objects = ZonePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone plan")
        verbose_name_plural = _("zone plans")
        ordering = ["region__code", "kind", "-version"]
        permissions = [("approve_zoneplan", _("Can approve zone plans"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "version"], name="zones_plan_unique_version"),
            models.UniqueConstraint(
                fields=["region", "kind"],
                condition=Q(status="approved"),
                name="zones_plan_one_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class ZoneQuerySet(DependentQuerySet):
    parent_paths = ("plan",)


class Zone(TimeStampedModel):
    """A zone of a plan: its number, name, whether it was locked by hand, the chief reviewer of a
    case-review zone, and, once the plan is approved, its zone group in the registry."""

    plan = models.ForeignKey(ZonePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="zones")
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=160)
    locked = models.BooleanField(_("locked"), default=False)
    chief_reviewer = models.ForeignKey(
        Person,
        verbose_name=_("chief reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    group = models.ForeignKey(
        Body,
        verbose_name=_("zone group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="zones_zone_unique_number")]

    def __str__(self) -> str:
        return self.name


class ZoneMemberQuerySet(DependentQuerySet):
    parent_paths = ("plan",)


class ZoneMember(models.Model):
    """A unit (township or village) in a zone; a unit is in at most one zone of a plan."""

    plan = models.ForeignKey(ZonePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+")
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="members")
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")

    objects = ZoneMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone member")
        verbose_name_plural = _("zone members")
        ordering = ["zone", "region__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "region"], name="zones_member_unique_region")]

    def __str__(self) -> str:
        return f"{self.zone} · {self.region}"
