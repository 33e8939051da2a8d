"""One filterset per list, for the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jiandu.elevated.models import (
    AuditStatus,
    DepartureAudit,
    IntegrityFile,
    OutcomeLevel,
    Role,
    RunStatus,
    SelectionOutcome,
    SelectionRun,
    VillageAssets,
)


class SelectionRunFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RunStatus.choices, label=_("status"))
    region = django_filters.CharFilter(field_name="region__code", label=_("region code"))
    year = django_filters.NumberFilter(label=_("year"))

    class Meta:
        model = SelectionRun
        fields = ["status", "region", "year"]


class OutcomeFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=OutcomeLevel.choices, label=_("level"))
    region = django_filters.CharFilter(
        field_name="village__code", lookup_expr="startswith", label=_("code starts")
    )

    class Meta:
        model = SelectionOutcome
        fields = ["level", "region"]


class VillageAssetsFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    region = django_filters.CharFilter(
        field_name="village__code", lookup_expr="startswith", label=_("code starts")
    )

    class Meta:
        model = VillageAssets
        fields = ["year", "region"]


class IntegrityFileFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("role"))
    current = django_filters.BooleanFilter(
        field_name="left_office_on", lookup_expr="isnull", label=_("in office")
    )
    region = django_filters.CharFilter(
        field_name="village__code", lookup_expr="startswith", label=_("code starts")
    )

    class Meta:
        model = IntegrityFile
        fields = ["role", "current", "region"]


class DepartureAuditFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AuditStatus.choices, label=_("status"))

    class Meta:
        model = DepartureAudit
        fields = ["status"]
