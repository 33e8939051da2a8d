"""Where each figure leads: the list behind it, with the list's own filter parameters.

Problem figures open the ledger list (`ledger:problem-list`, filters in jiandu/ledger/filtersets.py); the
list reads `Problem.objects.visible_to(user)` as the figures do, so it lists exactly what was counted.
"""

from __future__ import annotations

import calendar
import datetime
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

# tile -> the ledger filter a figure's key goes into (county and township name a region by its code)
PROBLEM_FILTERS = {
    "county": "region",
    "township": "responsible_region",
    "source": "source",
    "category": "category",
    "status": "status",
}


def list_url(name: str, params: dict[str, str] | None = None) -> str | None:
    """The URL of a list page with its filters; None while the page does not exist yet."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    query = urlencode(params or {})
    return f"{url}?{query}" if query else url


def problem_params(tile: str, key: str, codes: dict[str, str]) -> dict[str, str] | None:
    """The ledger filters that select a figure's problems; None when no filter can (a problem placed
    above county level has no county). `codes` gives the codes of the regions the user may filter by."""
    if tile == "month":
        year, month = (int(part) for part in key.split("-"))
        last = calendar.monthrange(year, month)[1]
        return {
            "found_from": datetime.date(year, month, 1).isoformat(),
            "found_to": datetime.date(year, month, last).isoformat(),
        }
    if tile == "township" and key == "":
        return {"ledger": "department"}
    if key == "":
        return None
    if tile in ("county", "township"):
        return {PROBLEM_FILTERS[tile]: codes[key]} if key in codes else None
    return {PROBLEM_FILTERS[tile]: key}


def problem_url(tile: str, key: str, codes: dict[str, str]) -> str | None:
    params = problem_params(tile, key, codes)
    return None if params is None else list_url("ledger:problem-list", params)
