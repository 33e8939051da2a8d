"""One filterset for the plan list page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jiandu.zones.models import PlanKind, PlanStatus, Zone, ZonePlan


class ZonePlanFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("status"))
    region = django_filters.CharFilter(field_name="region__code", label=_("region code"))

    class Meta:
        model = ZonePlan
        fields = ["kind", "status", "region"]


class ZoneFilterSet(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan", label=_("plan"))

    class Meta:
        model = Zone
        fields = ["plan"]
