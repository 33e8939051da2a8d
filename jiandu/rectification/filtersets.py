"""Filters of the rectification ledgers and their reconciliation; the pages and the API use the same."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.ledger.models import Ledger
from jiandu.org.filtersets import within_choices
from jiandu.org.models import Department, Region, RegionKind
from jiandu.rectification.models import Rectification, RectificationStatus
from jiandu.rectification.selectors import horizon, is_due_soon_q, is_overdue_q


def township_choices(request: Any) -> QuerySet:
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).filter(kind=RegionKind.TOWNSHIP).order_by("code")


def department_choices(request: Any) -> QuerySet:
    if request is None:
        return Department.objects.none()
    return Department.objects.visible_to(request.user).order_by("region__code", "name")


DEADLINE_CHOICES = [
    ("overdue", _("overdue")),
    ("due_soon", _("due soon")),
    ("on_time", _("not yet due")),
]


class RectificationFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("county"),
        queryset=within_choices,
        to_field_name="code",
        method="filter_within",
        empty_label=_("all"),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("township"),
        queryset=township_choices,
        to_field_name="code",
        field_name="problem__responsible_region",
        empty_label=_("all"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("department"),
        queryset=department_choices,
        field_name="problem__responsible_department",
        empty_label=_("all"),
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=RectificationStatus.choices, empty_label=_("all")
    )
    deadline = django_filters.ChoiceFilter(
        label=_("deadline"), choices=DEADLINE_CHOICES, method="filter_deadline", empty_label=_("all")
    )
    due_before = django_filters.DateFilter(
        label=_("due by"),
        field_name="deadline",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Rectification
        fields = ["region", "township", "department", "status", "deadline", "due_before"]

    def __init__(self, *args: Any, ledger: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each ledger filters by its own kind of unit.
        if ledger == Ledger.TOWNSHIP:
            self.filters.pop("department")
        elif ledger == Ledger.DEPARTMENT:
            self.filters.pop("township")

    def filter_within(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(value.subtree_q("problem__region"))

    def filter_deadline(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        h = horizon()
        if value == "overdue":
            return queryset.filter(is_overdue_q(h.today))
        if value == "due_soon":
            return queryset.filter(is_due_soon_q(h))
        if value == "on_time":
            return queryset.exclude(is_overdue_q(h.today)).exclude(is_due_soon_q(h))
        return queryset
