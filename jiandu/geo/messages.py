"""Words for the errors of jiandu/lib/geography.py, in the user's language, each naming where it is."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.lib.geography import GeographyError
from jiandu.lib.spreadsheet import column_letter

GEOGRAPHY_ERRORS = {
    "not_json": gettext_lazy("The file is not valid JSON at line %(line)s, character %(char)s (%(detail)s)."),
    "not_geojson": gettext_lazy(
        "The file is not GeoJSON: expected a FeatureCollection, a Feature or a geometry."
    ),
    "no_features": gettext_lazy("The FeatureCollection has no features."),
    "no_geometry": gettext_lazy("The feature has no geometry."),
    "geometry_type": gettext_lazy(
        "The geometry is a %(value)s; only Polygon and MultiPolygon describe a region."
    ),
    "bad_coordinates": gettext_lazy("The coordinates cannot be read as longitude and latitude (%(detail)s)."),
    "no_area": gettext_lazy("The geometry encloses no area."),
    "no_code": gettext_lazy("No division code: put it in one of the properties %(keys)s."),
    "bad_code": gettext_lazy("“%(value)s” is not a division code (6, 9 or 12 digits)."),
    "duplicate_code": gettext_lazy("Region %(region)s appears twice (first at %(first)s)."),
    "same_place": gettext_lazy("Region %(region)s is at the same place as row %(first)s."),
    "no_header": gettext_lazy("No header row naming the columns %(expected)s."),
    "bad_number": gettext_lazy("“%(value)s” is not a number."),
    "out_of_range": gettext_lazy("%(value)s is outside %(low)s to %(high)s."),
    "empty_cell": gettext_lazy("The cell is empty: each row names two regions."),
    "self_pair": gettext_lazy("A region cannot be its own neighbour (%(value)s)."),
    "too_few": gettext_lazy("The file names no region."),
    "sheet_empty": gettext_lazy("The file is empty."),
    "sheet_not_spreadsheet": gettext_lazy("The file is neither a workbook (.xlsx, .xls, .ods) nor CSV text."),
    "sheet_encoding": gettext_lazy("The text is neither UTF-8 nor GBK."),
    "sheet_csv": gettext_lazy("The CSV text cannot be read (%(detail)s)."),
}


def where(error: GeographyError) -> str:
    """Feature, row, column and field of an error, as a person looks for them."""
    parts = []
    if error.feature is not None:
        parts.append(_("feature %(number)s") % {"number": error.feature + 1})
    if error.row is not None and error.column is not None:
        parts.append(
            _("row %(row)s, column %(column)s") % {"row": error.row, "column": column_letter(error.column)}
        )
    elif error.row is not None:
        parts.append(_("row %(row)s") % {"row": error.row})
    if error.field:
        parts.append(_("field %(field)s") % {"field": error.field})
    return ", ".join(parts)


def describe(error: GeographyError, file_name: str = "") -> str:
    """The whole message: file, place in it, what is wrong."""
    template = GEOGRAPHY_ERRORS.get(error.code)
    params = {
        "detail": "",
        "line": "",
        "char": "",
        "keys": "",
        "value": "",
        "code": "",
        "first": "",
        "expected": "",
    } | error.params
    if error.code in ("duplicate_code", "same_place") and error.feature is not None:
        params["first"] = _("feature %(number)s") % {"number": int(error.params["first"]) + 1}
    elif error.code in ("duplicate_code",) and error.row is not None:
        params["first"] = _("row %(row)s") % {"row": error.params["first"]}
    text = str(template) % params if template is not None else error.code
    return located(file_name, where(error), text)


def located(file_name: str, place: str, text: str) -> str:
    prefix = ": ".join(part for part in (file_name, place) if part)
    return f"{prefix}: {text}" if prefix else text
