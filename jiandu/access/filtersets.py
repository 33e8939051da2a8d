"""Filters of the account list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.access.models import User
from jiandu.access.roles import role_choices
from jiandu.org.models import Body


def body_choices(request: Any) -> QuerySet[Body]:
    if request is None:
        return Body.objects.none()
    return Body.objects.visible_to(request.user).filter(users__isnull=False).distinct().order_by("name")


class UserFilterSet(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(label=_("acts for"), queryset=body_choices, empty_label=_("all"))
    role = django_filters.ChoiceFilter(
        label=_("role"), choices=role_choices, field_name="groups__name", empty_label=_("all")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("state"),
        choices=[("1", _("active")), ("0", _("deactivated"))],
        empty_label=_("all"),
        method="filter_active",
    )

    class Meta:
        model = User
        fields = ["body", "role", "is_active"]

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_active=value == "1") if value in ("0", "1") else queryset
