"""Small summary tables behind the dashboard's tiles, so that no page view counts millions of problems.

`ProblemTally` holds, per tile (problems by county, township, source, category, month, status), the count
and the amount of problems per figure for one *slice* of the ledger:

- `region`: the problems placed in one unit, the problem's place rolled up to township level (a village's
  township; a township, county, functional zone or city itself). Region scopes down to township level are
  unions of these units, so a region subtree is a set of slice ids.
- `department`: the problems a county department answers for (the scope of a dispatched group).
- `finder`: the problems a body found outside its own region or departments (cross supervision): the
  "always by the body that found it" part of the problem scope rule.

Rows are derived data: rebuilt by `services.insights_refresh`, never edited, not in the audit trail.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Slice(models.TextChoices):
    REGION = "region", _("place (township level)")
    DEPARTMENT = "department", _("responsible department")
    FINDER = "finder", _("found outside the finder's scope")


class ProblemTally(models.Model):
    """One figure of one tile for one slice of the ledger: how many problems, and their amount."""

    # Derived rows, rebuilt in bulk: an audit entry per row would say nothing and cost a great deal.
    audited = False

    tile = models.CharField(_("tile"), max_length=12)
    slice = models.CharField(_("slice"), max_length=10, choices=Slice.choices)
    slice_id = models.BigIntegerField(_("slice record"))
    key = models.CharField(_("figure"), max_length=20, blank=True)
    count = models.PositiveBigIntegerField(_("problems"))
    amount = models.DecimalField(_("amount involved (yuan)"), max_digits=20, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("problem tally")
        verbose_name_plural = _("problem tallies")
        indexes = [models.Index(fields=["tile", "slice", "slice_id"], name="insights_tally_tile_slice")]

    def __str__(self) -> str:
        return f"{self.tile} {self.slice}:{self.slice_id} {self.key}={self.count}"


class TallyRefresh(models.Model):
    """A run of `insights_refresh`: when the figures were counted, for which regions, and how long it took."""

    audited = False

    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    rows = models.PositiveIntegerField(_("tally rows written"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")
        ordering = ["-finished_at", "-pk"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"
