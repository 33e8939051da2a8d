"""Filters of the problem ledger; the list page, its export and the API use the same definitions.

Every choice offered is inside the user's scope: places, townships and departments through `visible_to`.
A value outside the choices is refused with a message naming the filter (a 400 in the API), never ignored.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.core.widgets import Select
from jiandu.ledger.models import Category, Ledger, Problem, ProblemStatus, Source
from jiandu.org.models import Body, BodyKind, Department, Region, RegionKind

# Places a list is cut by: a region and its subtree. Villages are too many for a choice list; search finds them.
PLACE_KINDS = [
    RegionKind.PROVINCE,
    RegionKind.CITY,
    RegionKind.COUNTY,
    RegionKind.FUNCTIONAL_ZONE,
    RegionKind.TOWNSHIP,
]


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def place_choices(request: Any) -> QuerySet:
    return Region.objects.visible_to(_user(request)).filter(kind__in=PLACE_KINDS).order_by("code")


def township_choices(request: Any) -> QuerySet:
    return Region.objects.visible_to(_user(request)).filter(kind=RegionKind.TOWNSHIP).order_by("code")


def department_choices(request: Any) -> QuerySet:
    return (
        Department.objects.visible_to(_user(request))
        .select_related("region")
        .order_by("region__code", "name")
    )


def finder_choices(request: Any) -> QuerySet:
    # Village committees are many and find few problems: they are left out of the list, not of the data.
    return (
        Body.objects.visible_to(_user(request))
        .exclude(kind=BodyKind.VILLAGE_COMMITTEE)
        .select_related("region")
        .order_by("region__code", "sort_order", "name")
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProblemFilterForm(forms.Form):
    """Ranges must run forwards; each error stands at the field it is about."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("found_from"), data.get("found_to")
        if start and end and start > end:
            self.add_error("found_to", _("The end date is before the start date."))
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The upper amount is below the lower one."))
        return data


class ProblemFilterSet(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(
        widget=Select, label=_("source"), queryset=Source.objects.all(), empty_label=_("all")
    )
    category = django_filters.ModelChoiceFilter(
        widget=Select, label=_("category"), queryset=Category.objects.all(), empty_label=_("all")
    )
    status = django_filters.ChoiceFilter(
        widget=Select, label=_("status"), choices=ProblemStatus.choices, empty_label=_("all")
    )
    ledger = django_filters.ChoiceFilter(
        widget=Select, label=_("ledger"), choices=Ledger.choices, empty_label=_("all")
    )
    region = django_filters.ModelChoiceFilter(
        widget=Select,
        label=_("place"),
        queryset=place_choices,
        to_field_name="code",
        method="filter_place",
        empty_label=_("all"),
        help_text=_("The region and everything below it."),
    )
    responsible_region = django_filters.ModelChoiceFilter(
        widget=Select,
        label=_("responsible township"),
        queryset=township_choices,
        to_field_name="code",
        empty_label=_("all"),
    )
    responsible_department = django_filters.ModelChoiceFilter(
        widget=Select, label=_("responsible department"), queryset=department_choices, empty_label=_("all")
    )
    found_by = django_filters.ModelChoiceFilter(
        widget=Select, label=_("found by"), queryset=finder_choices, empty_label=_("all")
    )
    found_from = django_filters.DateFilter(
        label=_("found from"), field_name="found_on", lookup_expr="gte", widget=DateInput()
    )
    found_to = django_filters.DateFilter(
        label=_("found until"), field_name="found_on", lookup_expr="lte", widget=DateInput()
    )
    amount_min = django_filters.NumberFilter(
        label=_("amount from (yuan)"), field_name="amount", lookup_expr="gte", min_value=0
    )
    amount_max = django_filters.NumberFilter(
        label=_("amount up to (yuan)"), field_name="amount", lookup_expr="lte", min_value=0
    )

    class Meta:
        model = Problem
        form = ProblemFilterForm
        fields = [
            "source",
            "category",
            "status",
            "ledger",
            "region",
            "responsible_region",
            "responsible_department",
            "found_by",
            "found_from",
            "found_to",
            "amount_min",
            "amount_max",
        ]

    def filter_place(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(value.subtree_q("region"))

    def active_filters(self) -> dict[str, str]:
        """The filters in force, as the user gave them (for the export's audit entry and the page)."""
        data = self.data or {}
        return {name: str(data[name]) for name in self.filters if data.get(name) not in (None, "")}
