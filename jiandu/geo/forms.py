from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.lib import geography as geo

MAX_BYTES = 30 * 1024 * 1024
KIND_CHOICES = (
    (geo.POLYGON, gettext_lazy("GeoJSON polygons (shared borders make neighbours)")),
    (geo.POINTS, gettext_lazy("Points: a table with code, longitude, latitude")),
    (geo.PAIR_LIST, gettext_lazy("Pair list: a table with two columns of adjacent regions")),
)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of file"), choices=KIND_CHOICES, initial=geo.POLYGON)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "GeoJSON (.geojson, .json) with the division code in a property named code, adcode, 区划代码, gb or "
            "id; or a table (.xlsx, .xls, .csv in UTF-8 or GBK)."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20})
        return upload
