"""Filters of the consultation lists; the pages and the API use the same definitions."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.consultation.models import Decision, FollowUpStatus, PeriodKind, Session, SystemicProblem
from jiandu.ledger.models import Category
from jiandu.org.filtersets import WithinFilterMixin

DATE = forms.DateInput(attrs={"type": "date"})


class SessionFilterSet(WithinFilterMixin):
    """`?region=` (the convener's), `?held_from=`, `?held_to=`, `?decision=` (sessions with such a decision)."""

    region_path = "convener__region"
    held_from = django_filters.DateFilter(
        label=_("held from"), field_name="held_on", lookup_expr="gte", widget=DATE
    )
    held_to = django_filters.DateFilter(
        label=_("held until"), field_name="held_on", lookup_expr="lte", widget=DATE
    )
    decision = django_filters.ChoiceFilter(
        label=_("decision"), choices=Decision.choices, empty_label=_("all"), method="filter_decision"
    )

    class Meta:
        model = Session
        fields = ["region", "held_from", "held_to", "decision"]

    def filter_decision(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(items__decision=value).distinct() if value else queryset


class SystemicFilterSet(WithinFilterMixin):
    category = django_filters.ModelChoiceFilter(
        label=_("category"), queryset=Category.objects.all(), empty_label=_("all")
    )
    period_kind = django_filters.ChoiceFilter(
        label=_("period"), choices=PeriodKind.choices, empty_label=_("all")
    )
    year = django_filters.NumberFilter(label=_("year"), field_name="period_start", lookup_expr="year")
    follow_up = django_filters.ChoiceFilter(
        label=_("follow-up"),
        choices=[("none", _("none yet")), *FollowUpStatus.choices],
        empty_label=_("all"),
        method="filter_follow_up",
    )

    class Meta:
        model = SystemicProblem
        fields = ["region", "category", "period_kind", "year", "follow_up"]

    def filter_follow_up(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "none":
            return queryset.filter(follow_ups__isnull=True)
        return queryset.filter(follow_ups__status=value).distinct() if value else queryset
