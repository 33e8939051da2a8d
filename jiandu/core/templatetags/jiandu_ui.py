"""Template helpers of the UI shell: Bootstrap classes on form widgets and sortable column headers."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()

# Bootstrap's class for each kind of widget (BoundField.widget_type); anything else is a form-control.
WIDGET_CLASSES = {
    "checkbox": "form-check-input",
    "checkboxselectmultiple": "form-check-input",
    "radioselect": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
    "nullbooleanselect": "form-select",
}


@register.filter
def bootstrap(field: BoundField) -> BoundField:
    """Give a bound field's widget Bootstrap's class (and is-invalid when it has errors).

    Form fields are deep-copied for every form instance, so setting attributes here touches only this form.
    """
    widget = field.field.widget
    classes = [WIDGET_CLASSES.get(field.widget_type, "form-control")]
    if field.errors:
        classes.append("is-invalid")
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = " ".join(dict.fromkeys([*existing.split(), *classes]))
    return field


@register.inclusion_tag("core/_sort_th.html", takes_context=True)
def sort_th(context: dict[str, Any], key: str, label: str, css: str = "") -> dict[str, Any]:
    """A column header that sorts by `key`: ascending first, then descending, with aria-sort."""
    current = context.get("sort") or ""
    if current == key:
        direction, next_sort = "ascending", f"-{key}"
    elif current == f"-{key}":
        direction, next_sort = "descending", key
    else:
        direction, next_sort = "", key
    return {
        "request": context["request"],
        "label": label,
        "direction": direction,
        "next_sort": next_sort,
        "css": css,
    }
