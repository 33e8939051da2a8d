"""Filters of the reminders page: the kind (any NoticeKind, so every app's reminders) and read or not."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.notices.models import Notice, NoticeKind


class NoticeFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=NoticeKind.choices, empty_label=_("all"))
    state = django_filters.ChoiceFilter(
        label=_("state"),
        choices=[("unread", _("unread")), ("read", _("read"))],
        empty_label=_("all"),
        method="filter_state",
    )

    class Meta:
        model = Notice
        fields = ["kind", "state"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "unread":
            return queryset.filter(read_at__isnull=True)
        if value == "read":
            return queryset.filter(read_at__isnull=False)
        return queryset
