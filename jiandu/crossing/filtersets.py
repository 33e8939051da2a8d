"""One filterset for the round list page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jiandu.crossing.models import CrossRound, RoundStatus
from jiandu.org.models import Level


class CrossRoundFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        choices=[
            (Level.COUNTY, _("counties")),
            (Level.TOWNSHIP, _("townships")),
            (Level.VILLAGE, _("villages")),
        ],
        label=_("units"),
    )
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, label=_("status"))
    region = django_filters.CharFilter(field_name="region__code", label=_("region code"))

    class Meta:
        model = CrossRound
        fields = ["level", "status", "region"]
