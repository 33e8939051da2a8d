from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The areas of the platform in menu order. Those without a url name are still to come and show as such.
# `sections` are the url names (namespace:name, or a namespace alone) that light the item up.
NAVIGATION = [
    {
        "key": "org",
        "label": _("Organisation"),
        "icon": "diagram-3",
        "url": "org:region-list",
        "sections": ("home", "org"),
    },
    {
        "key": "zones",
        "label": _("Zones"),
        "icon": "grid-3x3-gap",
        # The zone plans; the geography maps are a tab of the same area.
        "url": "zones:plan-list",
        "sections": ("zones", "geo", "crossing", "elevated"),
    },
    {
        "key": "ledger",
        "label": _("Problem ledger"),
        "icon": "journal-text",
        "url": "ledger:problem-list",
        "sections": ("ledger", "ledger-import", "ledger-duplicates", "filing", "consultation"),
    },
    {
        "key": "rectification",
        "label": _("Rectification"),
        "icon": "check2-square",
        "url": "rectification:township-ledger",
        "sections": ("rectification",),
    },
    {"key": "cases", "label": _("Clues and cases"), "icon": "folder2-open", "url": None, "sections": ()},
    {
        "key": "insights",
        "label": _("Statistics"),
        "icon": "bar-chart",
        "url": "insights:dashboard",
        "sections": ("insights", "org:staffing"),
    },
    {
        "key": "audit",
        "label": _("Audit trail"),
        "icon": "journal-check",
        "url": "audit:list",
        "sections": ("audit",),
        # Shown only to those who may open it (the auditors).
        "permission": "core.view_auditentry",
    },
    {
        "key": "calendar",
        "label": _("Working-day calendar"),  # zh: 工作日历
        "icon": "calendar3",
        "url": "calendar:year-list",
        "sections": ("calendar",),
        # Read by everyone through the deadlines; in the menu for those who enter it.
        "permission": "calendar.add_calendarday",
    },
]


def _active_key(request: HttpRequest) -> str | None:
    """The navigation item of the current page: an exact url name beats a whole namespace."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    for item in NAVIGATION:
        if match.view_name in item["sections"]:
            return item["key"]
    for item in NAVIGATION:
        if match.namespace and match.namespace in item["sections"]:
            return item["key"]
    return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    active = _active_key(request)
    items = [
        {
            "key": item["key"],
            "label": item["label"],
            "icon": item["icon"],
            "url": item["url"],
            "href": reverse(item["url"]) if item["url"] else None,
            "active": item["key"] == active,
        }
        for item in NAVIGATION
        if not item.get("permission") or request.user.has_perm(item["permission"])
    ]
    return {"navigation": items}
