"""Filters of the organisation lists; the pages and the API use the same definitions."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.org.models import (
    Body,
    BodyKind,
    Department,
    Education,
    Level,
    Person,
    Post,
    PostKind,
    Region,
    RegionKind,
)

# Regions offered as "within": the levels a list is usually cut by (a township list would be too long).
WITHIN_KINDS = [RegionKind.PROVINCE, RegionKind.CITY, RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE]


def within_choices(request: Any) -> QuerySet:
    """The regions the user may cut a list by: those in their scope, at county level and above."""
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).filter(kind__in=WITHIN_KINDS).order_by("code")


class WithinFilterMixin(django_filters.FilterSet):
    """`?region=<code>`: keep the rows inside that region's subtree (functional zones included)."""

    region_path = "region"
    region = django_filters.ModelChoiceFilter(
        label=_("within"),
        queryset=within_choices,
        to_field_name="code",
        method="filter_within",
        empty_label=_("all"),
    )

    def filter_within(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(value.subtree_q(self.region_path))


class RegionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=RegionKind.choices, empty_label=_("all"))

    class Meta:
        model = Region
        fields = ["kind"]


class BodyFilterSet(WithinFilterMixin):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=BodyKind.choices, empty_label=_("all"))
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices, empty_label=_("all"))

    class Meta:
        model = Body
        fields = ["kind", "level", "region"]


class DepartmentFilterSet(WithinFilterMixin):
    is_active = django_filters.ChoiceFilter(
        label=_("state"),
        choices=[("1", _("active")), ("0", _("inactive"))],
        empty_label=_("all"),
        method="filter_active",
    )

    class Meta:
        model = Department
        fields = ["region", "is_active"]

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_active=value == "1") if value in {"0", "1"} else queryset


class PersonFilterSet(WithinFilterMixin):
    region_path = "posts__region"
    education = django_filters.ChoiceFilter(
        label=_("education"), choices=Education.choices, empty_label=_("all")
    )
    post = django_filters.ChoiceFilter(
        label=_("post"), choices=PostKind.choices, empty_label=_("all"), method="filter_post"
    )

    class Meta:
        model = Person
        fields = ["education", "post", "region"]

    def filter_within(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(value.subtree_q("posts__region"), posts__ended_on__isnull=True).distinct()

    def filter_post(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """People holding such a post now (an ended post does not count)."""
        return queryset.filter(posts__kind=value, posts__ended_on__isnull=True).distinct()


class PostFilterSet(WithinFilterMixin):
    kind = django_filters.ChoiceFilter(label=_("post"), choices=PostKind.choices, empty_label=_("all"))
    body = django_filters.NumberFilter(label=_("body"), field_name="body")
    person = django_filters.NumberFilter(label=_("person"), field_name="person")
    is_active = django_filters.BooleanFilter(
        label=_("current"), field_name="ended_on", lookup_expr="isnull", help_text=_("Not ended.")
    )

    class Meta:
        model = Post
        fields = ["kind", "body", "person", "region", "is_active"]
