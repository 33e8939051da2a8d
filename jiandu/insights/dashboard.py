"""The dashboard as the page shows it: tiles of labelled figures, each with the link to its list.

Problem tiles come from `selectors.problem_figures`. Rectification and filing tiles come from their apps
when they are installed (`extra_tiles`): each adds a function here, and the page shows what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.insights.links import list_url, problem_url
from jiandu.insights.models import TallyRefresh
from jiandu.insights.selectors import Figures, problem_figures
from jiandu.insights.tallies import Cell
from jiandu.ledger.models import Category, ProblemStatus, Source
from jiandu.org.models import Region

TITLES = {
    "county": gettext_lazy("Problems by county"),  # zh: 各县（区）问题数
    "township": gettext_lazy("Problems by responsible township"),  # zh: 各乡镇（街道）问题数（乡镇台账）
    "source": gettext_lazy("Problems by source"),
    "category": gettext_lazy("Problems by category"),
    "month": gettext_lazy("Problems by month found"),
    "status": gettext_lazy("Problems by status"),
}
CHARTS = {
    "county": "bar",
    "township": "bar",
    "source": "pie",
    "category": "bar",
    "month": "line",
    "status": "pie",
}


@dataclass
class Figure:
    key: str
    label: str
    count: int
    amount: Decimal
    url: str | None
    subset: bool = False  # a part of the other figures (the overdue among the open): not in the total


@dataclass
class Tile:
    name: str
    title: str
    chart: str
    figures: list[Figure] = field(default_factory=list)
    note: str = ""
    amounts: bool = True

    @property
    def total(self) -> int:
        return sum(figure.count for figure in self.figures if not figure.subset)

    def chart_data(self) -> dict[str, Any]:
        return {
            "id": self.name,
            "kind": self.chart,
            "title": self.title,
            "labels": [figure.label for figure in self.figures],
            "values": [figure.count for figure in self.figures],
            "urls": [figure.url for figure in self.figures],
        }


@dataclass
class Dashboard:
    tiles: list[Tile]
    total: Figure
    open_problems: Figure | None
    refreshed_at: Any
    extra: list[Tile] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.total.count == 0


def dashboard(user: Any) -> Dashboard:
    figures = problem_figures(user)
    tiles = problem_tiles(figures, user)
    status_tile = next(tile for tile in tiles if tile.name == "status")
    status = {figure.key: figure for figure in status_tile.figures}
    total = sum((figure.count for figure in status.values()), 0)
    amount = sum((figure.amount for figure in status.values()), Decimal(0))
    open_keys = (ProblemStatus.REGISTERED, ProblemStatus.RECTIFYING)
    latest = TallyRefresh.objects.order_by("-finished_at", "-pk").first()
    return Dashboard(
        tiles=tiles,
        total=Figure("", _("Problems"), total, amount, list_url("ledger:problem-list")),
        open_problems=next((status[key] for key in open_keys if key in status), None),
        refreshed_at=latest.finished_at if latest else None,
        extra=extra_tiles(user),
    )


def problem_tiles(figures: Figures, user: Any) -> list[Tile]:
    region_ids = {int(key) for tile in ("county", "township") for key in figures[tile] if key}
    regions = {str(r.pk): r for r in Region.objects.filter(pk__in=region_ids).only("pk", "code", "name")}
    # The ledger filters by regions in the user's scope only: a county or township outside it (problems the
    # body found there, or that were shared with it) has no exact list, so its figure has no link.
    visible = Region.objects.visible_to(user).filter(pk__in=region_ids).values_list("pk", flat=True)
    codes = {str(pk): regions[str(pk)].code for pk in visible}
    sources = {str(s.pk): s for s in Source.objects.all()}
    categories = {str(c.pk): c for c in Category.objects.all()}
    statuses = dict(ProblemStatus.choices)
    labels = {
        "county": lambda key: regions[key].name if key else _("placed at city level"),
        "township": lambda key: regions[key].name if key else _("departments' ledger"),
        "source": lambda key: sources[key].name,
        "category": lambda key: categories[key].name,
        "month": lambda key: key,
        "status": lambda key: str(statuses.get(key, key)),
    }
    order = {
        "county": lambda key: regions[key].code if key else "",
        "township": lambda key: regions[key].code if key else "~",
        "source": lambda key: (sources[key].sort_order, sources[key].name),
        "category": lambda key: (categories[key].sort_order, categories[key].name),
        "month": lambda key: key,
        "status": lambda key: list(statuses).index(key) if key in statuses else len(statuses),
    }
    tiles = []
    for name, cells in figures.items():
        keys = sorted((key for key, cell in cells.items() if cell.count), key=order[name])
        tile = Tile(name, str(TITLES[name]), CHARTS[name])
        for key in keys:
            cell: Cell = cells[key]
            url = problem_url(name, key, codes)
            tile.figures.append(Figure(key, labels[name](key), cell.count, cell.amount, url))
        tiles.append(tile)
    return tiles


def extra_tiles(user: Any) -> list[Tile]:
    """Tiles of the other areas, each from its app once it is installed."""
    tiles = []
    if apps.is_installed("jiandu.rectification"):
        tiles.append(rectification_tile(user))
    if apps.is_installed("jiandu.filing"):
        tiles.append(filing_tile(user))
    return tiles


def filing_tile(user: Any) -> Tile:
    """Filing completeness of the last ended period in the user's scope (jiandu/filing/selectors.py), each
    status linked to the filing page filtered by it."""
    from jiandu.calendar.days import missing_message
    from jiandu.filing.selectors import overview_of_last_period
    from jiandu.lib.workdays import CalendarNotCovered

    try:
        result = overview_of_last_period(user)
    except CalendarNotCovered as missing:
        # Due dates past the calendar's years cannot be counted: say so rather than break the dashboard.
        tile = Tile("filing", _("Periodic filing"), "bar", amounts=False)
        tile.note = missing_message(missing.year)
        return tile
    if result is None:
        tile = Tile("filing", _("Periodic filing"), "bar", amounts=False)
        tile.note = _("No body in your scope files periodically.")
        return tile
    period, region, figures, labels = result
    title = _("Filing of %(period)s") % {"period": period}  # zh: 定期报备情况
    tile = Tile("filing", title, "bar", amounts=False)
    for status, count in figures.counts.items():
        if count:
            params = {"period": str(period), "region": region.code, "status": status}
            tile.figures.append(
                Figure(status, str(labels[status]), count, Decimal(0), list_url("filing:status", params))
            )
    if not tile.figures:
        tile.note = _("No body in your scope files periodically.")
    return tile


def rectification_tile(user: Any) -> Tile:
    """Rectifications by status, and the overdue ones: counted straight from what the user may see (there
    are far fewer rectifications than problems), each figure linked to the rectification list."""
    from django.db.models import Count
    from django.utils import timezone

    from jiandu.rectification.models import Rectification, RectificationStatus
    from jiandu.rectification.selectors import is_overdue_q

    visible = Rectification.objects.visible_to(user).order_by()
    counts = dict(visible.values_list("status").annotate(n=Count("pk")))
    overdue = visible.filter(is_overdue_q(timezone.localdate())).count()
    tile = Tile("rectification", _("Rectifications"), "bar", amounts=False)  # zh: 整改情况
    for value, label in RectificationStatus.choices:
        if counts.get(value):
            url = list_url("rectification:list", {"status": value})
            tile.figures.append(Figure(value, str(label), counts[value], Decimal(0), url))
    if overdue:
        url = list_url("rectification:list", {"deadline": "overdue"})
        tile.figures.append(Figure("overdue", _("overdue"), overdue, Decimal(0), url, subset=True))
    if not tile.figures:
        tile.note = _("No rectification yet.")
    return tile
