"""Geography of the registry's regions: their shapes and which regions are adjacent.

Shapes and adjacency are read by the zone planner and the maps. Both are visible exactly when their regions
are (`DependentQuerySet`): an adjacency only when both of its regions are, so a map never names a neighbour
outside the user's scope.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import DependentQuerySet, TimeStampedModel
from jiandu.org.models import Region


class RegionShapeQuerySet(DependentQuerySet):
    parent_paths = ("region",)
    region_path = "region"


class RegionShape(TimeStampedModel):
    """A region's boundary as a GeoJSON geometry (Polygon or MultiPolygon, lon/lat WGS84) with a centroid.

    `generated` marks boundaries the demo drew (townships and villages have no public boundary data):
    every map that shows one says so.
    """

    region = models.OneToOneField(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="shape"
    )
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    centroid_lon = models.FloatField(_("centroid longitude"))
    centroid_lat = models.FloatField(_("centroid latitude"))
    generated = models.BooleanField(
        _("generated"), default=False, help_text=_("Drawn for the demo, not an official boundary.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = RegionShapeQuerySet.as_manager()

    class Meta:
        verbose_name = _("region shape")
        verbose_name_plural = _("region shapes")
        ordering = ["region__code"]

    def __str__(self) -> str:
        return str(self.region)


class Basis(models.TextChoices):
    """What says two regions are adjacent."""

    POLYGON = "polygon", _("shared polygon border")
    POINTS = "points", _("neighbouring points")
    PAIR_LIST = "pair_list", _("uploaded pair list")


class AdjacencyQuerySet(DependentQuerySet):
    parent_paths = ("region_a", "region_b")

    def touching(self, regions: models.QuerySet[Region] | list[int]) -> AdjacencyQuerySet:
        return self.filter(Q(region_a__in=regions) | Q(region_b__in=regions))


class Adjacency(TimeStampedModel):
    """Two adjacent regions, stored once (`region_a` has the smaller id), with what says so and, from
    polygons, the length of their shared border."""

    region_a = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    region_b = models.ForeignKey(
        Region, verbose_name=_("neighbour"), on_delete=models.CASCADE, related_name="+"
    )
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    shared_border_km = models.FloatField(_("shared border (km)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = AdjacencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("adjacency")
        verbose_name_plural = _("adjacencies")
        ordering = ["region_a__code", "region_b__code"]
        constraints = [
            models.UniqueConstraint(fields=["region_a", "region_b"], name="geo_adjacency_unique_pair"),
            models.CheckConstraint(
                condition=Q(region_a__lt=F("region_b")), name="geo_adjacency_ordered_pair"
            ),
        ]
        indexes = [models.Index(fields=["region_b"])]

    def __str__(self) -> str:
        return f"{self.region_a} – {self.region_b}"
