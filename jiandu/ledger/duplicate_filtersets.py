"""Filters of the likely-duplicates list: county (or any region above), source, least score, state."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.ledger.models import DuplicateCandidate, DuplicateStatus, Source
from jiandu.org.filtersets import within_choices
from jiandu.org.models import Region

SCORE_CHOICES = [(value, f"≥ {value}") for value in ("0.5", "0.6", "0.7", "0.8", "0.9")]
ALL = "all"


def source_choices(request: Any) -> QuerySet:
    return Source.objects.visible_to(request.user) if request is not None else Source.objects.none()


class DuplicateFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("within"),
        queryset=within_choices,
        to_field_name="code",
        method="filter_within",
        empty_label=_("all"),
    )
    source = django_filters.ModelChoiceFilter(
        label=_("source"), queryset=source_choices, method="filter_source", empty_label=_("all")
    )
    score = django_filters.ChoiceFilter(
        label=_("similarity"), choices=SCORE_CHOICES, method="filter_score", empty_label=_("all")
    )
    # No value: the pairs still to be decided (the view applies it, since an empty filter is skipped).
    status = django_filters.ChoiceFilter(
        label=_("state"),
        choices=[
            (DuplicateStatus.MERGED, DuplicateStatus.MERGED.label),
            (DuplicateStatus.DISMISSED, DuplicateStatus.DISMISSED.label),
            (ALL, _("all")),
        ],
        method="filter_status",
        empty_label=DuplicateStatus.OPEN.label,
    )

    class Meta:
        model = DuplicateCandidate
        fields = ["region", "source", "score", "status"]

    def filter_within(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(value.subtree_q("first__region") | value.subtree_q("second__region"))

    def filter_source(self, queryset: QuerySet, name: str, value: Source | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(Q(first__source=value) | Q(second__source=value))

    def filter_score(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(score__gte=float(value)) if value else queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if value == ALL else queryset.filter(status=value)
