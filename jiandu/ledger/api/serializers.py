"""What the ledger API shows (output) and accepts (input). Regions are named by their 12-digit code, sources
by their code, everything else by id; a related object on input must be in the user's scope, and one that is
not gets the error of one that does not exist."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from jiandu.core.api.serializers import (
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    StrictModelSerializer,
)
from jiandu.ledger.models import Category, Evidence, Problem, ProblemStatus, Source
from jiandu.org.models import Department, Region, RegionKind


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "code", "name", "sort_order", "is_active"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "sector", "sort_order", "is_active"]


class ProblemSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    found_by_name = serializers.CharField(source="found_by.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    responsible_region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Problem
        fields = [
            "id", "source", "source_name", "category", "category_name", "found_by", "found_by_name",
            "region", "region_name", "ledger", "responsible_region", "responsible_department", "facts",
            "amount", "found_on", "status", "merged_into", "created_at", "updated_at",
        ]  # fmt: skip


class ProblemInputSerializer(StrictModelSerializer):
    source = ScopedSlugRelatedField(
        slug_field="code", queryset=Source.objects.filter(is_active=True), help_text=_("Source code.")
    )
    category = ScopedPrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    region = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(
            kind__in=[RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE, RegionKind.TOWNSHIP, RegionKind.VILLAGE]
        ),
        help_text=_("Code of the village, township or county where it was found."),
    )
    responsible_region = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Code of the responsible township (townships' ledger)."),
    )
    responsible_department = ScopedPrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Id of the responsible department (departments' ledger)."),
    )
    status = serializers.ChoiceField(
        choices=[
            c for c in ProblemStatus.choices if c[0] not in (ProblemStatus.CLOSED, ProblemStatus.MERGED)
        ],
        required=False,
        help_text=_("On update only; closure and merging have their own paths."),
    )

    class Meta:
        model = Problem
        fields = [
            "source",
            "category",
            "region",
            "responsible_region",
            "responsible_department",
            "facts",
            "amount",
            "found_on",
            "status",
        ]
        validators: list[Any] = []


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(
        help_text=_("Where the file is streamed, to those in scope.")
    )

    class Meta:
        model = Evidence
        fields = ["id", "problem", "name", "size", "sha256", "created_at", "download"]

    def get_download(self, evidence: Evidence) -> str:
        return reverse("ledger:evidence-download", args=[evidence.pk])
