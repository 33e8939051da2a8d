"""Serializers of the API: strict input (unknown fields are an error) and related fields that accept only
objects the user may see."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from jiandu.core.querysets import VIEW

# Sent by the browsable API's HTML forms with every POST; not a field.
FORM_ONLY_KEYS = frozenset({"csrfmiddlewaretoken"})


class StrictSerializerMixin:
    """Rejects input naming a field the serializer does not have, rather than silently dropping it (a typo
    in `establishment` must not look like a successful update).

    Fields the endpoint shows but does not take (`id`, `region_name` …, passed by the viewset in the
    context as `readable_fields`) are ignored, so that a record read, changed and sent back is accepted.
    """

    fields: Any
    context: Any

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            known = set(self.fields) | set(self.context.get("readable_fields", ())) | FORM_ONLY_KEYS
            unknown = sorted(set(data) - known)
            if unknown:
                accepted = ", ".join(name for name, field in self.fields.items() if not field.read_only)
                message = _("Unknown field. Accepted fields: %(fields)s.") % {"fields": accepted}
                raise serializers.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """Input of a write: typed from the model; uniqueness is left to the model's `full_clean()` in the
    service (set `validators = []` in Meta), so it is checked once, the same way for page and API."""


class ScopedRelatedMixin:
    """A related object on input must be visible to the user (or changeable, with `action=CHANGE`); one that
    is not gets exactly the error of one that does not exist."""

    context: Any

    def __init__(self, *args: Any, action: str = VIEW, **kwargs: Any) -> None:
        self.scope_action = action
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            # No key holds a NUL, and PostgreSQL would refuse the query: the error of a missing object.
            self.fail(
                "does_not_exist", pk_value=data, slug_name=getattr(self, "slug_field", "pk"), value=data
            )  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()  # type: ignore[misc]
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return queryset.visible_to(request.user, self.scope_action)


class ScopedPrimaryKeyRelatedField(ScopedRelatedMixin, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugRelatedField(ScopedRelatedMixin, serializers.SlugRelatedField):
    pass


class AttributeListField(serializers.ListField):
    """A read-only list of one attribute of related objects (ids, codes), from a prefetched list."""

    def __init__(self, *, attribute: str = "pk", **kwargs: Any) -> None:
        self.attribute = attribute
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, data: Any) -> list[Any]:
        return [getattr(item, self.attribute) for item in data]
