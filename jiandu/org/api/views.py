"""Endpoints of the organisation registry. Reads are scoped by `ScopedViewSet`; writes call the services
the pages call (jiandu/org/services.py), with the user as `acting_user`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet

from jiandu.core import audit
from jiandu.core.api.viewsets import ScopedCreateMixin, ScopedReadOnlyViewSet, ScopedUpdateMixin
from jiandu.org import services
from jiandu.org.api import serializers as s
from jiandu.org.filtersets import (
    BodyFilterSet,
    DepartmentFilterSet,
    PersonFilterSet,
    PostFilterSet,
    RegionFilterSet,
)
from jiandu.org.models import Body, Department, Person, Post, Region, Skill

BODY_FIELDS = ("name", "establishment", "parent", "is_active")


class RegionViewSet(ScopedReadOnlyViewSet):
    """Regions in your scope, named by their 12-digit statistical code."""

    queryset = Region.objects.all()
    serializer_class = s.RegionSerializer
    lookup_field = "code"
    filterset_class = RegionFilterSet
    search_fields = ("name", "short_name", "code")
    ordering_fields = ("code", "name")

    def base_queryset(self) -> QuerySet:
        return Region.objects.select_related("parent", "functional_zone")


class BodyViewSet(ScopedUpdateMixin, ScopedReadOnlyViewSet):
    """Bodies in your scope; changing one needs `org.change_body`."""

    queryset = Body.objects.all()
    serializer_class = s.BodySerializer
    input_serializer_class = s.BodyInputSerializer
    filterset_class = BodyFilterSet
    search_fields = ("name", "region__name")
    ordering_fields = ("name", "region__code", "kind", "level", "establishment", "headcount")

    def base_queryset(self) -> QuerySet:
        user = self.request.user
        # An aggregate drops the model's default ordering: repeat it for stable pages.
        return (
            Body.objects.select_related("region")
            .annotate(headcount=Count("posts__person", filter=Q(posts__ended_on__isnull=True), distinct=True))
            .prefetch_related(
                Prefetch(
                    "supervised_departments",
                    queryset=Department.objects.visible_to(user).order_by("pk"),
                    to_attr="visible_departments",
                ),
                Prefetch(
                    "covered_regions",
                    queryset=Region.objects.visible_to(user).order_by("code"),
                    to_attr="visible_covered_regions",
                ),
            )
            .order_by("region__code", "sort_order", "name", "pk")
        )

    def service_update(self, instance: Any, data: dict[str, Any]) -> Body:
        return services.body_update(
            acting_user=self.request.user,
            body=instance,
            fields={name: data[name] for name in BODY_FIELDS if name in data},
            supervised_departments=data.get("supervised_departments"),
        )


class DepartmentViewSet(ScopedCreateMixin, ScopedUpdateMixin, ScopedReadOnlyViewSet):
    """Supervised departments in your scope; `org.add_department` / `org.change_department` to write."""

    queryset = Department.objects.all()
    serializer_class = s.DepartmentSerializer
    input_serializer_class = s.DepartmentInputSerializer
    filterset_class = DepartmentFilterSet
    search_fields = ("name", "short_name", "region__name")
    ordering_fields = ("name", "region__code", "sector")

    def base_queryset(self) -> QuerySet:
        supervisors = Body.objects.visible_to(self.request.user).order_by("pk")
        return Department.objects.select_related("region").prefetch_related(
            Prefetch("supervising_bodies", queryset=supervisors, to_attr="visible_supervisors")
        )

    def service_create(self, data: dict[str, Any]) -> Department:
        return services.department_save(acting_user=self.request.user, department=None, fields=data)

    def service_update(self, instance: Any, data: dict[str, Any]) -> Department:
        return services.department_save(acting_user=self.request.user, department=instance, fields=data)


class PersonViewSet(ScopedCreateMixin, ScopedUpdateMixin, ScopedReadOnlyViewSet):
    """People with a current post in your scope, with the posts you may see and their skills.

    A new person is created with their first post (`body`, `post_kind`, `post_title`): without it they
    would be outside every scope. `org.add_person` / `org.change_person` to write.
    """

    queryset = Person.objects.all()
    serializer_class = s.PersonSerializer
    input_serializer_class = s.PersonInputSerializer
    create_serializer_class = s.PersonCreateSerializer
    filterset_class = PersonFilterSet
    search_fields = ("name",)
    ordering_fields = ("name", "birth_year")

    def base_queryset(self) -> QuerySet:
        posts = (
            Post.objects.visible_to(self.request.user)
            .select_related("body", "region")
            .order_by("ended_on", "-started_on", "pk")
        )
        return Person.objects.prefetch_related(
            "skills", Prefetch("posts", queryset=posts, to_attr="visible_posts")
        )

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Cadres' personal data: a read through the API is recorded like the person page.
        response = super().retrieve(request, *args, **kwargs)
        audit.audit_view(request._request, self.get_object())
        return response

    def service_create(self, data: dict[str, Any]) -> Person:
        body, kind, title = data.pop("body"), data.pop("post_kind"), data.pop("post_title", "")
        skills = data.pop("skills", None)
        user = self.request.user
        # The person and their first post are one change: without the post they would be out of scope.
        with transaction.atomic():
            person = services.person_save(acting_user=user, person=None, fields=data, skills=skills)
            services.post_create(acting_user=user, person=person, body=body, kind=kind, title=title)
        return person

    def service_update(self, instance: Any, data: dict[str, Any]) -> Person:
        skills = data.pop("skills", None)
        return services.person_save(
            acting_user=self.request.user, person=instance, fields=data, skills=skills
        )


class PostViewSet(ScopedReadOnlyViewSet):
    """Posts in your scope, ended ones included (`?is_active=true` for the current ones)."""

    queryset = Post.objects.all()
    serializer_class = s.PostSerializer
    filterset_class = PostFilterSet
    search_fields = ("person__name", "title", "body__name")
    ordering_fields = ("region__code", "kind", "started_on", "ended_on")

    def base_queryset(self) -> QuerySet:
        return Post.objects.select_related("person", "body", "region")


class SkillViewSet(ScopedReadOnlyViewSet):
    """The skills of the talent pool (法律, 财务, 审计 …): one vocabulary for everyone."""

    queryset = Skill.objects.all()
    serializer_class = s.SkillSerializer
    filterset_fields = ("name",)
    search_fields = ("name",)
    ordering_fields = ("name",)
