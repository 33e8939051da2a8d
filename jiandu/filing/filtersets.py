"""Filters of the filing pages and the API (one definition for both)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jiandu.filing.models import Filing
from jiandu.filing.selectors import STATUS_CHOICES
from jiandu.org.filtersets import WithinFilterMixin
from jiandu.org.models import BodyKind


def filing_kinds() -> list[tuple[str, str]]:
    from jiandu.filing.models import FilingRule

    kinds = set(FilingRule.objects.filter(is_active=True).values_list("body_kind", flat=True))
    return [(value, label) for value, label in BodyKind.choices if value in kinds]


class FilingStatusFilterSet(django_filters.FilterSet):
    """On the status page's annotated bodies: the status of their filing and their kind."""

    status = django_filters.ChoiceFilter(
        label=_("status"), choices=STATUS_CHOICES, empty_label=_("all"), field_name="status"
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=filing_kinds, empty_label=_("all"))


class FilingFilterSet(WithinFilterMixin):
    region_path = "body__region"
    period = django_filters.CharFilter(label=_("period"), field_name="period")
    body = django_filters.NumberFilter(label=_("body"), field_name="body")
    is_late = django_filters.BooleanFilter(label=_("late"), field_name="is_late")
    nothing_to_report = django_filters.BooleanFilter(
        label=_("nothing to report"), field_name="nothing_to_report"
    )

    class Meta:
        model = Filing
        fields = ["period", "body", "is_late", "nothing_to_report", "region"]
