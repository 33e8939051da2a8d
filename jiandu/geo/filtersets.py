"""Filters of the geography API (and any list page to come)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.geo.models import Adjacency, Basis, RegionShape
from jiandu.org.models import Level


class RegionShapeFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code", label=_("region code"))
    parent = django_filters.CharFilter(field_name="region__parent__code", label=_("parent region code"))
    level = django_filters.ChoiceFilter(field_name="region__level", choices=Level.choices, label=_("level"))
    generated = django_filters.BooleanFilter(label=_("generated"))

    class Meta:
        model = RegionShape
        fields = ["region", "parent", "level", "generated"]


class AdjacencyFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("region code (either side)"))
    level = django_filters.ChoiceFilter(field_name="region_a__level", choices=Level.choices, label=_("level"))
    basis = django_filters.ChoiceFilter(choices=Basis.choices, label=_("basis"))

    class Meta:
        model = Adjacency
        fields = ["region", "level", "basis"]

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(region_a__code=value) | Q(region_b__code=value))
