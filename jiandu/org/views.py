"""Pages of the organisation registry: home, region and body browsers, departments, people, staffing."""

from __future__ import annotations

import copy
import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.access.scoping import scope_for
from jiandu.core.audit import audit_export
from jiandu.core.views import AuditedDetailMixin, ScopedDetailView, ScopedListView, get_visible_or_404, reads
from jiandu.org import services
from jiandu.org.filtersets import BodyFilterSet, DepartmentFilterSet, PersonFilterSet, RegionFilterSet
from jiandu.org.forms import BodyForm, DepartmentForm, PersonForm
from jiandu.org.models import Body, Department, Person, Post, Region, RegionKind
from jiandu.org.selectors import StaffingReport, scope_summary, staffing_report


def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    region = scope.region
    if region is None and scope.everything:
        region = Region.objects.filter(parent__isnull=True).first()
    summary = scope_summary(region) if region else {}
    if scope.department_ids is not None:
        # A dispatched group sees its departments, not the bodies and people of its whole region.
        summary["bodies"] = Body.objects.visible_to(request.user).count()
        summary["people"] = Person.objects.visible_to(request.user).count()
    body = Body.objects.select_related("region", "parent").filter(pk=request.user.body_id).first()
    context = {
        "body": body,
        "scope": scope,
        "scope_region": region,
        "scope_ancestors": region.ancestors() if region else [],
        "summary": summary,
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
        qs = Region.objects.select_related("parent", "functional_zone").annotate(
            n_children=Count("children", distinct=True)
        )
        if not self.request.GET.get("q") and not self.request.GET.get("kind"):
            # Without a search, start at the top of the user's scope and its next level, and drill down.
            top = scope_for(self.request.user).region
            if top is None:
                return qs.filter(parent__isnull=True)
            next_level = (
                Q(functional_zone=top, kind=RegionKind.TOWNSHIP)
                if top.kind == RegionKind.FUNCTIONAL_ZONE
                else Q(parent=top)
            )
            return qs.filter(Q(pk=top.pk) | next_level)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # A parent above the scope is named only when the user may open it (a county user's city is not).
        parent_ids = {region.parent_id for region in context["object_list"] if region.parent_id}
        context["visible_parent_ids"] = set(
            Region.objects.visible_to(self.request.user)
            .filter(pk__in=parent_ids)
            .values_list("pk", flat=True)
        )
        return context


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
        context["children"] = (
            children.select_related("functional_zone")
            .annotate(n_children=Count("children", distinct=True), n_bodies=Count("bodies", distinct=True))
            .order_by("code")
        )
        context["ancestors"] = [a for a in region.ancestors() if visible_regions.filter(pk=a.pk).exists()]
        context["bodies"] = Body.objects.visible_to(user).filter(region=region).select_related("parent")
        context["departments"] = Department.objects.visible_to(user).filter(region=region)
        context["village_posts"] = (
            Post.objects.visible_to(user)
            .active()
            .filter(region=region, body__isnull=True)
            .select_related("person")
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
    sort_fields = {
        "name": "name",
        "region": "region__code",
        "kind": "kind",
        "level": "level",
        "establishment": "establishment",
        "headcount": "headcount",
    }

    def base_queryset(self) -> QuerySet:
        # An aggregate drops the model's default ordering, so it is repeated here for stable pages.
        return (
            Body.objects.select_related("region", "parent")
            .annotate(headcount=Count("posts__person", filter=Q(posts__ended_on__isnull=True), distinct=True))
            .order_by("region__code", "sort_order", "name")
        )


def staffed_within(body: Body) -> list[int]:
    """The body and the active bodies below it that hold no establishment of their own."""
    unit = [body.pk]
    frontier = [body.pk]
    while frontier:
        frontier = list(
            Body.objects.filter(parent__in=frontier, establishment__isnull=True, is_active=True).values_list(
                "pk", flat=True
            )
        )
        unit += frontier
    return unit


class BodyDetailView(ScopedDetailView):
    model = Body
    template_name = "org/body_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        body: Body = self.object
        user = self.request.user
        context["children"] = Body.objects.visible_to(user).filter(parent=body)
        context["posts"] = (
            Post.objects.visible_to(user)
            .active()
            .filter(body=body)
            .select_related("person")
            .order_by("kind", "pk")
        )
        context["headcount"] = context["posts"].values("person").distinct().count()
        context["vacancies"] = None
        if body.establishment is not None:
            # Offices without an establishment of their own count within this one, as in the staffing table.
            unit = staffed_within(body)
            context["unit_headcount"] = (
                Post.objects.active().filter(body__in=unit).values("person").distinct().count()
            )
            context["vacancies"] = max(body.establishment - context["unit_headcount"], 0)
        context["departments"] = body.supervised_departments.visible_to(user)
        context["can_change"] = user.has_perm("org.change_body") and (
            Body.objects.visible_to(user, "change").filter(pk=body.pk).exists()
        )
        return context


@reads(Body)
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
    context = {
        "form": form,
        "object": body,
        "title": _("Edit body"),
        "cancel_url": reverse("org:body-detail", args=[body.pk]),
    }
    return render(request, "org/form.html", context)


class DepartmentListView(ScopedListView):
    model = Department
    template_name = "org/department_list.html"
    partial_template_name = "org/_department_table.html"
    search_fields = ("name", "short_name", "region__name")
    filterset_class = DepartmentFilterSet
    sort_fields = {"name": "name", "region": "region__code", "sector": "sector"}

    def base_queryset(self) -> QuerySet:
        supervising = Body.objects.visible_to(self.request.user).order_by("name")
        return Department.objects.select_related("region").prefetch_related(
            Prefetch("supervising_bodies", queryset=supervising, to_attr="visible_supervisors")
        )


class DepartmentDetailView(ScopedDetailView):
    model = Department
    template_name = "org/department_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["supervising_bodies"] = (
            Body.objects.visible_to(user).filter(supervised_departments=self.object).select_related("region")
        )
        context["can_change"] = user.has_perm("org.change_department") and (
            Department.objects.visible_to(user, "change").filter(pk=self.object.pk).exists()
        )
        return context


@reads(Department)
@permission_required("org.change_department", raise_exception=True)
def department_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    department = get_visible_or_404(request, Department, "change", pk=pk) if pk is not None else None
    # The form gets its own copy: validating writes into its instance, and the service must still see what
    # changed against the record as it was.
    form = DepartmentForm(request.POST or None, instance=copy.copy(department), user=request.user)
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
    cancel_url = (
        reverse("org:department-detail", args=[department.pk])
        if department
        else reverse("org:department-list")
    )
    context = {"form": form, "object": department, "title": title, "cancel_url": cancel_url}
    return render(request, "org/form.html", context)


class PersonListView(ScopedListView):
    model = Person
    template_name = "org/person_list.html"
    partial_template_name = "org/_person_table.html"
    search_fields = ("name",)
    filterset_class = PersonFilterSet
    sort_fields = {"name": "name", "birth_year": "birth_year"}

    def base_queryset(self) -> QuerySet:
        current_posts = Post.objects.visible_to(self.request.user).active().select_related("body", "region")
        return Person.objects.prefetch_related(
            "skills", Prefetch("posts", queryset=current_posts, to_attr="current_posts")
        )


class PersonDetailView(AuditedDetailMixin, ScopedDetailView):
    """A person's page holds personal data of a cadre: each view is in the audit trail."""

    model = Person
    template_name = "org/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["posts"] = (
            Post.objects.visible_to(user)
            .filter(person=self.object)
            .select_related("body", "region")
            .order_by("ended_on", "-started_on", "pk")
        )
        context["skills"] = self.object.skills.all()
        context["can_change"] = user.has_perm("org.change_person") and (
            Person.objects.visible_to(user, "change").filter(pk=self.object.pk).exists()
        )
        return context


@reads(Person)
@permission_required("org.change_person", raise_exception=True)
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person = get_visible_or_404(request, Person, "change", pk=pk) if pk is not None else None
    form = PersonForm(request.POST or None, instance=copy.copy(person), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills = data.pop("skills")
        body = data.pop("body", None)
        kind = data.pop("post_kind", None)
        title = data.pop("post_title", "")
        try:
            # A new person and their first post are one change: without the post they would be out of scope.
            with transaction.atomic():
                saved = services.person_save(
                    acting_user=request.user, person=person, fields=data, skills=skills
                )
                if body is not None and kind:
                    services.post_create(
                        acting_user=request.user, person=saved, body=body, kind=kind, title=title
                    )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("org:person-detail", pk=saved.pk)
    title = _("Edit person") if person else _("New person")
    cancel_url = reverse("org:person-detail", args=[person.pk]) if person else reverse("org:person-list")
    context = {"form": form, "object": person, "title": title, "cancel_url": cancel_url}
    return render(request, "org/form.html", context)


def staffing(request: HttpRequest) -> HttpResponse:
    """The staffing table of a region in scope: the page with its chart, or the same table as CSV."""
    scope = scope_for(request.user)
    code = request.GET.get("region") or (scope.region.code if scope.region else "")
    regions = Region.objects.visible_to(request.user)
    region = regions.filter(code=code).first() if code else regions.filter(parent__isnull=True).first()
    if region is None and not code:
        # Nothing in scope at all (an account that acts for no body): say so rather than a bare 404.
        return render(request, "org/staffing_empty.html")
    if region is None:
        raise Http404
    report = staffing_report(region)
    if request.GET.get("format") == "csv":
        audit_export(request, Body, len(report.bodies), {"region": region.code})
        return staffing_csv(report)
    choices = regions.filter(
        kind__in=[RegionKind.PROVINCE, RegionKind.CITY, RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE]
    ).order_by("code")
    chart = {
        "labels": [
            _("%(kind)s (%(level)s)") % {"kind": row.kind_label, "level": row.level_label}
            for row in report.bodies
        ],
        "establishment": [row.establishment for row in report.bodies],
        "headcount": [row.headcount for row in report.bodies],
        "series": {"establishment": _("Establishment"), "headcount": _("Headcount")},
    }
    totals = {
        name: sum(getattr(row, name) for row in report.bodies)
        for name in ("bodies", "establishment", "headcount", "vacancies")
    }
    context = {
        "report": report,
        "totals": totals,
        "region": region,
        "choices": choices,
        "chart": chart,
        "chart_json": json.dumps(chart, ensure_ascii=False),
    }
    return render(request, "org/staffing.html", context)


def staffing_csv(report: StaffingReport) -> HttpResponse:
    """The staffing table as CSV, UTF-8 with a byte-order mark so that Excel reads the Chinese right."""
    out = io.StringIO()
    writer = csv.writer(out)
    title = _("Staffing of %(region)s (%(code)s)") % {
        "region": report.region_name,
        "code": report.region_code,
    }
    # A cell that starts like a formula would be run by Excel: the region name is data, so defuse it.
    writer.writerow(["'" + title if title[:1] in "=+-@" else title])
    writer.writerow(
        [_("Kind of body"), _("Level"), _("Bodies"), _("Establishment"), _("Headcount"), _("Vacancies")]
    )
    for row in report.bodies:
        writer.writerow(
            [row.kind_label, row.level_label, row.bodies, row.establishment, row.headcount, row.vacancies]
        )
    writer.writerow([])
    writer.writerow([_("Village post"), _("Posts"), _("People")])
    for post in report.village_posts:
        writer.writerow([post.label, post.posts, post.people])
    writer.writerow([])
    writer.writerow(
        [_("Members of village affairs supervision committees"), report.village_committee_members]
    )
    writer.writerow([_("Village supervisors (people)"), report.village_supervisors])
    writer.writerow([_("Three posts in one person"), report.three_in_one])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="staffing-{report.region_code}.csv"'
    return response
