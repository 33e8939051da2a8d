"""Pages of the organisation registry: home, region and body browsers, departments, people, staffing."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiandu.access.scoping import scope_for
from jiandu.core.views import ScopedDetailView, ScopedListView, get_visible_or_404
from jiandu.org import services
from jiandu.org.filtersets import BodyFilterSet, DepartmentFilterSet, PersonFilterSet, RegionFilterSet
from jiandu.org.forms import BodyForm, DepartmentForm, PersonForm
from jiandu.org.models import Body, Department, Person, Post, Region, RegionKind
from jiandu.org.selectors import scope_summary, staffing_report


def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    region = scope.region
    if region is None and scope.everything:
        region = Region.objects.filter(parent__isnull=True).first()
    context = {
        "body": request.user.body,
        "scope": scope,
        "scope_region": region,
        "summary": scope_summary(region) if region else {},
        "departments": Department.objects.visible_to(request.user).count(),
    }
    return render(request, "org/home.html", context)


class RegionListView(ScopedListView):
    model = Region
    template_name = "org/region_list.html"
    partial_template_name = "org/_region_table.html"
    search_fields = ("name", "code")
    filterset_class = RegionFilterSet
    sort_fields = {"code": "code", "name": "name"}
    default_sort = "code"

    def base_queryset(self) -> QuerySet:
        qs = Region.objects.select_related("parent", "functional_zone")
        if not self.request.GET.get("q") and not self.request.GET.get("kind"):
            # Without a search, start at the top of the user's scope and drill down from there.
            scope = scope_for(self.request.user)
            if scope.region is not None:
                return qs.filter(pk=scope.region.pk)
            return qs.filter(parent__isnull=True)
        return qs


class RegionDetailView(ScopedDetailView):
    model = Region
    template_name = "org/region_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region: Region = self.object
        user = self.request.user
        visible_regions = Region.objects.visible_to(user)
        if region.kind == RegionKind.FUNCTIONAL_ZONE:
            children = visible_regions.filter(functional_zone=region, kind=RegionKind.TOWNSHIP)
        else:
            children = visible_regions.filter(parent=region)
        context["children"] = children.annotate(n_children=Count("children")).order_by("code")
        context["ancestors"] = [a for a in region.ancestors() if visible_regions.filter(pk=a.pk).exists()]
        context["bodies"] = Body.objects.visible_to(user).filter(region=region).select_related("parent")
        context["departments"] = Department.objects.visible_to(user).filter(region=region)
        context["village_posts"] = (
            Post.objects.visible_to(user).active().filter(region=region, body__isnull=True).select_related("person")
            if region.kind == RegionKind.VILLAGE
            else []
        )
        return context


class BodyListView(ScopedListView):
    model = Body
    template_name = "org/body_list.html"
    partial_template_name = "org/_body_table.html"
    search_fields = ("name", "region__name")
    filterset_class = BodyFilterSet
    sort_fields = {"name": "name", "region": "region__code", "kind": "kind", "establishment": "establishment"}

    def base_queryset(self) -> QuerySet:
        return Body.objects.select_related("region", "parent").annotate(
            headcount=Count("posts__person", filter=Q(posts__ended_on__isnull=True), distinct=True)
        )


class BodyDetailView(ScopedDetailView):
    model = Body
    template_name = "org/body_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        body: Body = self.object
        user = self.request.user
        context["children"] = Body.objects.visible_to(user).filter(parent=body)
        context["posts"] = (
            Post.objects.visible_to(user).active().filter(body=body).select_related("person").order_by("kind", "pk")
        )
        context["headcount"] = context["posts"].values("person").distinct().count()
        context["departments"] = body.supervised_departments.visible_to(user)
        context["can_change"] = user.has_perm("org.change_body") and (
            Body.objects.visible_to(user, "change").filter(pk=body.pk).exists()
        )
        return context


@permission_required("org.change_body", raise_exception=True)
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_visible_or_404(request, Body, "change", pk=pk)
    form = BodyForm(request.POST or None, instance=Body.objects.get(pk=body.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("name", "establishment", "parent", "is_active")}
        try:
            services.body_update(
                acting_user=request.user,
                body=body,
                fields=fields,
                supervised_departments=form.cleaned_data.get("supervised_departments"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": body.name})
            return redirect("org:body-detail", pk=body.pk)
    return render(request, "org/form.html", {"form": form, "object": body, "title": _("Edit body")})


class DepartmentListView(ScopedListView):
    model = Department
    template_name = "org/department_list.html"
    partial_template_name = "org/_department_table.html"
    search_fields = ("name", "short_name", "region__name")
    filterset_class = DepartmentFilterSet
    sort_fields = {"name": "name", "region": "region__code", "sector": "sector"}

    def base_queryset(self) -> QuerySet:
        return Department.objects.select_related("region").prefetch_related("supervising_bodies")


class DepartmentDetailView(ScopedDetailView):
    model = Department
    template_name = "org/department_detail.html"


@permission_required("org.change_department", raise_exception=True)
def department_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    department = get_visible_or_404(request, Department, "change", pk=pk) if pk is not None else None
    form = DepartmentForm(request.POST or None, instance=department, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_save(
                acting_user=request.user, department=department, fields=dict(form.cleaned_data)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": department.name})
            return redirect("org:department-detail", pk=department.pk)
    title = _("Edit department") if department else _("New department")
    return render(request, "org/form.html", {"form": form, "object": department, "title": title})


class PersonListView(ScopedListView):
    model = Person
    template_name = "org/person_list.html"
    partial_template_name = "org/_person_table.html"
    search_fields = ("name",)
    filterset_class = PersonFilterSet
    sort_fields = {"name": "name", "birth_year": "birth_year"}

    def base_queryset(self) -> QuerySet:
        return Person.objects.prefetch_related("skills")


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "org/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["posts"] = (
            Post.objects.visible_to(self.request.user).filter(person=self.object).select_related("body", "region")
        )
        return context


@permission_required("org.change_person", raise_exception=True)
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person = get_visible_or_404(request, Person, "change", pk=pk) if pk is not None else None
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills = data.pop("skills")
        body = data.pop("body", None)
        kind = data.pop("post_kind", None)
        title = data.pop("post_title", "")
        try:
            person = services.person_save(acting_user=request.user, person=person, fields=data, skills=skills)
            if body is not None and kind:
                services.post_create(acting_user=request.user, person=person, body=body, kind=kind, title=title)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": person.name})
            return redirect("org:person-detail", pk=person.pk)
    title = _("Edit person") if person else _("New person")
    return render(request, "org/form.html", {"form": form, "object": person, "title": title})


def staffing(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    code = request.GET.get("region") or (scope.region.code if scope.region else "")
    regions = Region.objects.visible_to(request.user)
    region = regions.filter(code=code).first() if code else regions.filter(parent__isnull=True).first()
    if region is None:
        raise Http404
    report = staffing_report(region)
    choices = regions.filter(
        kind__in=[RegionKind.PROVINCE, RegionKind.CITY, RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE]
    ).order_by("code")
    chart = {
        "labels": [f"{row.kind_label}（{row.level_label}）" for row in report.bodies],
        "establishment": [row.establishment for row in report.bodies],
        "headcount": [row.headcount for row in report.bodies],
    }
    context = {"report": report, "region": region, "choices": choices, "chart_json": json.dumps(chart)}
    return render(request, "org/staffing.html", context)
