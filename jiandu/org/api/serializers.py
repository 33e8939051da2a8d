"""What the organisation API shows (output serializers) and accepts (input serializers).

Regions are named by their 12-digit code, skills by name, everything else by id. Lists of related objects
show only those the user may see: the viewsets prefetch them through `visible_to` into `visible_*`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from jiandu.core.api.serializers import (
    AttributeListField,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    StrictModelSerializer,
)
from jiandu.core.querysets import CHANGE
from jiandu.org.models import Body, BodyKind, Department, Person, Post, PostKind, Region, RegionKind, Skill

# Regions a department may belong to (as on the page's form).
DEPARTMENT_REGION_KINDS = [RegionKind.CITY, RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE]


def region_code_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


# --- output ---------------------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    parent = region_code_field(allow_null=True)
    functional_zone = region_code_field(allow_null=True)

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "parent",
            "functional_zone",
            "is_statistical",
        ]


class BodySerializer(serializers.ModelSerializer):
    region = region_code_field()
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    headcount = serializers.IntegerField(read_only=True, help_text=_("People in active posts (实有)."))
    supervised_departments = AttributeListField(
        source="visible_departments", child=serializers.IntegerField(), help_text=_("Department ids.")
    )
    covered_regions = AttributeListField(
        source="visible_covered_regions",
        attribute="code",
        child=serializers.CharField(),
        help_text=_("Region codes."),
    )

    class Meta:
        model = Body
        fields = [
            "id", "name", "kind", "level", "region", "region_name", "parent", "establishment", "headcount",
            "supervised_departments", "covered_regions", "is_active", "sort_order",
        ]  # fmt: skip


class DepartmentSerializer(serializers.ModelSerializer):
    region = region_code_field()
    region_name = serializers.CharField(source="region.name", read_only=True)
    supervising_bodies = AttributeListField(
        source="visible_supervisors", child=serializers.IntegerField(), help_text=_("Body ids.")
    )

    class Meta:
        model = Department
        fields = [
            "id",
            "region",
            "region_name",
            "name",
            "short_name",
            "sector",
            "is_active",
            "supervising_bodies",
        ]


class PersonPostSerializer(serializers.ModelSerializer):
    """A post as listed with its person."""

    body_name = serializers.CharField(source="body.name", read_only=True, allow_null=True, default=None)
    region = region_code_field()
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Post
        fields = ["id", "kind", "title", "body", "body_name", "region", "started_on", "ended_on", "is_active"]


class PostSerializer(PersonPostSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta(PersonPostSerializer.Meta):
        fields = ["id", "person", "person_name", *PersonPostSerializer.Meta.fields[1:]]


class PersonSerializer(serializers.ModelSerializer):
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    posts = PersonPostSerializer(
        source="visible_posts", many=True, read_only=True, help_text=_("Posts you may see, current first.")
    )

    class Meta:
        model = Person
        fields = ["id", "name", "gender", "birth_year", "education", "is_party_member", "skills", "posts"]


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name"]


# --- input ----------------------------------------------------------------------------------------------


class BodyInputSerializer(StrictModelSerializer):
    parent = ScopedPrimaryKeyRelatedField(queryset=Body.objects.all(), allow_null=True, required=False)
    supervised_departments = ScopedPrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )

    class Meta:
        model = Body
        fields = ["name", "establishment", "parent", "is_active", "supervised_departments"]
        validators: list[Any] = []

    def validate_parent(self, parent: Body | None) -> Body | None:
        body = self.instance
        node = parent
        while node is not None and body is not None:
            if node.pk == body.pk:
                raise serializers.ValidationError(_("A body cannot be placed under itself."))
            node = node.parent
        return parent

    def validate_supervised_departments(self, departments: list[Department]) -> list[Department]:
        body = self.instance
        if body is not None and body.kind != BodyKind.DISPATCHED_GROUP:
            raise serializers.ValidationError(_("Only a dispatched group supervises departments."))
        if body is not None:
            elsewhere = [d.name for d in departments if d.region_id != body.region_id]
            if elsewhere:
                raise serializers.ValidationError(
                    _("A group supervises departments of its own region; not %(names)s.")
                    % {"names": ", ".join(elsewhere)}
                )
        return departments


class DepartmentInputSerializer(StrictModelSerializer):
    region = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(kind__in=DEPARTMENT_REGION_KINDS),
        help_text=_("Code of a city, county or functional zone in your scope."),
    )

    class Meta:
        model = Department
        fields = ["region", "name", "short_name", "sector", "is_active"]
        validators: list[Any] = []


class PersonInputSerializer(StrictModelSerializer):
    skills = ScopedSlugRelatedField(
        slug_field="name", queryset=Skill.objects.all(), many=True, required=False
    )

    class Meta:
        model = Person
        fields = ["name", "gender", "birth_year", "education", "is_party_member", "skills"]
        validators: list[Any] = []


class PersonCreateSerializer(PersonInputSerializer):
    """A new person comes with their first post, which places them in the user's scope."""

    body = ScopedPrimaryKeyRelatedField(
        queryset=Body.objects.all(), action=CHANGE, help_text=_("The body of the first post.")
    )
    post_kind = serializers.ChoiceField(choices=PostKind.choices)
    post_title = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")

    class Meta(PersonInputSerializer.Meta):
        fields = [*PersonInputSerializer.Meta.fields, "body", "post_kind", "post_title"]
