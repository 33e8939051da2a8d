"""Search and filters of the auditors' page; the CSV export uses the same definitions."""

from __future__ import annotations

import datetime
import json
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.core.audit.capture import audited_models
from jiandu.core.models import AuditAction, AuditEntry
from jiandu.org.models import Body, Level


def model_choices() -> list[tuple[str, str]]:
    """The kinds of record the trail speaks of: every audited model, and the trail itself (exports)."""
    models = {*audited_models(), AuditEntry, apps.get_model("auth", "group")}
    choices = [(m._meta.label_lower, str(m._meta.verbose_name)) for m in models]
    return sorted(choices, key=lambda choice: choice[1])


def body_choices(request: Any) -> QuerySet:
    """Bodies an auditor may cut the trail by: those in scope, above the villages (search finds those)."""
    if request is None:
        return Body.objects.none()
    return (
        Body.objects.visible_to(request.user)
        .exclude(level=Level.VILLAGE)
        .select_related("region")
        .order_by("region__code", "sort_order", "name")
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search_q(term: str) -> Q:
    """Actor, body, record and the text of the changes and details. SQLite keeps JSON with non-ASCII
    characters escaped (\\u738b), so the escaped spelling of the term is searched too."""
    q = Q()
    for name in ("actor_username", "body_name", "object_repr", "object_id", "model", "ip"):
        q |= Q(**{f"{name}__icontains": term})
    escaped = json.dumps(term)[1:-1]
    for spelling in dict.fromkeys([term, escaped]):
        q |= Q(changes__icontains=spelling) | Q(detail__icontains=spelling)
    return q


class AuditEntryFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=_("action"), choices=AuditAction.choices, empty_label=_("all"))
    model = django_filters.ChoiceFilter(
        label=_("kind of record"), choices=model_choices, empty_label=_("all")
    )
    body = django_filters.ModelChoiceFilter(
        label=_("acting for"),
        queryset=body_choices,
        method="filter_body",
        empty_label=_("all"),
        # Body names are long: keep room for the search box.
        widget=forms.Select(attrs={"style": "max-width: 16rem"}),
    )
    since = django_filters.DateFilter(
        label=_("from"), method="filter_since", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("to"), method="filter_until", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "model", "body", "since", "until"]

    def filter_body(self, queryset: QuerySet, name: str, value: Body | None) -> QuerySet:
        return queryset.filter(body_id=value.pk) if value is not None else queryset

    def filter_since(self, queryset: QuerySet, name: str, value: datetime.date | None) -> QuerySet:
        return queryset.filter(at__gte=_day_start(value)) if value else queryset

    def filter_until(self, queryset: QuerySet, name: str, value: datetime.date | None) -> QuerySet:
        # Up to the end of that day, in the site's time zone.
        return queryset.filter(at__lt=_day_start(value + datetime.timedelta(days=1))) if value else queryset
