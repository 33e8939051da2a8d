"""Filters of the calendar pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jiandu.calendar.models import CalendarDay, CalendarYear


class CalendarYearFilterSet(django_filters.FilterSet):
    complete = django_filters.BooleanFilter(label=_("complete"))

    class Meta:
        model = CalendarYear
        fields = ["complete"]


class CalendarDayFilterSet(django_filters.FilterSet):
    is_workday = django_filters.ChoiceFilter(
        label=_("kind"),
        choices=[("0", _("days off")), ("1", _("adjusted working days"))],
        method="filter_kind",
        empty_label=_("all"),
    )

    class Meta:
        model = CalendarDay
        fields = ["is_workday"]

    def filter_kind(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(is_workday=value == "1")
