"""Form widgets that render fast.

Django renders each <option> of a select through the template engine: about a tenth of a millisecond an
option, so the ledger's filters (hundreds of bodies, townships, departments) cost more than the page's
database work. `Select` writes the same HTML by joining strings. It keeps the class name `Select`, so
`BoundField.widget_type` is still "select" and the `bootstrap` filter gives it `form-select`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


class Select(forms.Select):
    """A single select without option templates (no option groups)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        parts = [f"<select{flatatt(final)}>"]
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected = " selected" if key in chosen else ""
            parts.append(
                f'<option value="{conditional_escape(key)}"{selected}>{conditional_escape(label)}</option>'
            )
        parts.append("</select>")
        return mark_safe("".join(parts))
