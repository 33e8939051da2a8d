"""How the auditors' pages show a value of the trail: a record pointed to as its text and id, a list
joined, an empty value as a dash."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def audit_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict) and set(value) == {"id", "repr"}:
        return _("%(text)s (#%(id)s)") % {"text": value["repr"] or "?", "id": value["id"]}
    if isinstance(value, list):
        return ", ".join(audit_value(item) for item in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.filter
def audit_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
