"""What the accounts API shows: the caller (`/api/me/`) and the accounts in their scope. Never a password
hash or a token."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiandu.access.models import User
from jiandu.access.scoping import scope_for
from jiandu.core.api.serializers import StrictSerializer
from jiandu.org.models import Body


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=32,
        required=False,
        help_text=_(
            "The current two-factor code (or a backup code), for an account that uses two-factor sign-in."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires = serializers.DateTimeField(read_only=True, help_text=_("After this, obtain a new token."))


class UserSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "body", "body_name", "is_active"]
        read_only_fields = fields


class MeBodySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Body
        fields = ["id", "name", "kind", "level", "region", "region_name"]


class ScopeSerializer(serializers.Serializer):
    everything = serializers.BooleanField(help_text=_("A superuser without a body: sees everything."))
    regions = serializers.ListField(
        child=serializers.CharField(), help_text=_("Codes of the regions whose subtrees you see.")
    )
    departments = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("A dispatched group: the ids of the departments it supervises (its whole scope)."),
    )


class MeSerializer(serializers.ModelSerializer):
    body = MeBodySerializer(read_only=True, allow_null=True)
    scope = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "body",
            "person",
            "scope",
            "permissions",
        ]
        read_only_fields = fields

    @extend_schema_field(ScopeSerializer)
    def get_scope(self, user: User) -> dict[str, Any]:
        scope = scope_for(user)
        departments = sorted(scope.department_ids) if scope.department_ids is not None else None
        regions = [region.code for region in scope.regions]
        return {"everything": scope.everything, "regions": regions, "departments": departments}

    def get_permissions(self, user: User) -> list[str]:
        return sorted(user.get_all_permissions())
