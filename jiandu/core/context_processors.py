from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The areas of the platform in menu order. Those without a url name are still to come and show as such.
NAVIGATION = [
    {"key": "org", "label": _("Organisation"), "icon": "diagram-3", "url": "org:region-list"},
    {"key": "zones", "label": _("Zones"), "icon": "grid-3x3-gap", "url": None},
    {"key": "ledger", "label": _("Problem ledger"), "icon": "journal-text", "url": None},
    {"key": "rectification", "label": _("Rectification"), "icon": "check2-square", "url": None},
    {"key": "cases", "label": _("Clues and cases"), "icon": "folder2-open", "url": None},
    {"key": "insights", "label": _("Statistics"), "icon": "bar-chart", "url": "org:staffing"},
]


def navigation(request: HttpRequest) -> dict[str, object]:
    return {"navigation": NAVIGATION}
