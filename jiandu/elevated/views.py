"""The elevated-supervision pages: current elevated villages, selection runs (list, new, the per-village
explanation with filters and xlsx export, approval with a confirmation), rule sets, 三资 (list, form,
import with a preview of row errors), integrity files (list, detail — every view audited — and entries),
departure audits. Every record is read through `visible_to`: out of scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jiandu.core import audit
from jiandu.core.querysets import CHANGE
from jiandu.core.views import ScopedListView, confirmed_act, get_visible_or_404, reads
from jiandu.core.xlsx import xlsx_response
from jiandu.elevated import selectors, services
from jiandu.elevated.filtersets import (
    DepartureAuditFilterSet,
    IntegrityFileFilterSet,
    SelectionRunFilterSet,
    VillageAssetsFilterSet,
)
from jiandu.elevated.forms import (
    AssetsForm,
    DepartureAuditForm,
    EntryForm,
    ImportForm,
    IntegrityFileForm,
    RuleSetForm,
    RunForm,
    flags_text,
)
from jiandu.elevated.imports import assets_import
from jiandu.elevated.models import (
    DepartureAudit,
    IntegrityFile,
    OutcomeLevel,
    RunStatus,
    SelectionOutcome,
    SelectionRuleSet,
    SelectionRun,
    VillageAssets,
)
from jiandu.lib.elevation import MESSAGES


def _reason_labels() -> list[tuple[str, str]]:
    labels = {
        "city_threshold": _("city threshold of 三资"),
        "county_threshold": _("county threshold of 三资"),
        "problems": _("problems in the period"),
        "open": _("open problems"),
        "category": _("problems of a category"),
        "amount": _("amount involved"),
        "city_cap": _("city-level cap"),
        "county_cap": _("county-level cap"),
    }
    return list(labels.items())


def _page(request: HttpRequest, items: Any, per_page: int) -> dict[str, Any]:
    """What core/_pagination.html needs, for a function view."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.paginator.num_pages > 1,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }


# --- current elevated villages and runs --------------------------------------------------------------------


@reads(None, reason="a list of the user's own scope")
@require_GET
def elevated_list(request: HttpRequest) -> HttpResponse:
    """The villages under elevated supervision now, in the user's scope."""
    runs = SelectionRun.objects.visible_to(request.user).filter(status=RunStatus.APPROVED)
    outcomes = (
        SelectionOutcome.objects.visible_to(request.user)
        .filter(run__in=runs.values("pk"))
        .exclude(level=OutcomeLevel.NONE)
        .select_related("village", "village__parent", "run")
        .order_by("level", "village__code")
    )
    level = request.GET.get("level", "")
    if level in (OutcomeLevel.CITY, OutcomeLevel.COUNTY):
        outcomes = outcomes.filter(level=level)
    context = _page(request, outcomes, 50)
    context.update(object_list=context["page_obj"].object_list, level=level)
    return render(request, "elevated/elevated_list.html", context)


class RunListView(ScopedListView):
    model = SelectionRun
    template_name = "elevated/run_list.html"
    partial_template_name = "elevated/_run_table.html"
    filterset_class = SelectionRunFilterSet
    search_fields = ("name", "region__name", "region__code")
    sort_fields = {"name": "name", "region": "region__code", "year": "year", "created": "created_at"}
    default_sort = "-created"

    def base_queryset(self) -> Any:
        return SelectionRun.objects.select_related("region", "created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("elevated.add_selectionrun")
        return context


@permission_required("elevated.add_selectionrun", raise_exception=True)
@require_http_methods(["GET", "POST"])
def run_create(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rules = None
            if d["rule_set"] is None:
                rules = services.rule_set_of(
                    county_threshold=d["county_threshold"], city_threshold=d["city_threshold"], flags=d["flags"],
                    county_cap=d["county_cap"], city_cap=d["city_cap"],
                )  # fmt: skip
            run = services.selection_run_create(
                acting_user=request.user, region=d["region"], year=d["year"], rules=rules, rule_set=d["rule_set"],
                period_start=d["period_start"], period_end=d["period_end"], name=d["name"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("elevated:run-detail", pk=run.pk)
    return render(
        request,
        "elevated/form.html",
        {"form": form, "title": _("New selection run"), "cancel_url": "/elevated/runs/"},
    )


def _filtered_outcomes(request: HttpRequest, run: SelectionRun) -> list[SelectionOutcome]:
    outcomes = (
        SelectionOutcome.objects.visible_to(request.user)
        .filter(run=run)
        .select_related("village", "village__parent")
        .defer("facts")
        .order_by("village__code")
    )
    level = request.GET.get("level", "")
    if level in OutcomeLevel.values:
        outcomes = outcomes.filter(level=level)
    selected = request.GET.get("selected", "")
    if selected == "yes":
        outcomes = outcomes.exclude(level=OutcomeLevel.NONE)
    elif selected == "no":
        outcomes = outcomes.filter(level=OutcomeLevel.NONE)
    term = request.GET.get("q", "").strip()
    if term:
        outcomes = outcomes.filter(village__name__icontains=term) | outcomes.filter(
            village__code__startswith=term
        )
    rows = list(outcomes)
    reason = request.GET.get("reason", "")
    if reason in MESSAGES:
        rows = [o for o in rows if any(r["code"] == reason and r["met"] for r in o.reasons)]
    return rows


def _explain(rows: Any) -> None:
    """Each row's reasons in the user's language (only for the rows shown: a city has over a thousand)."""
    for o in rows:
        o.reason_rows = [
            {"met": r["met"], "level": r["level"], "text": services.reason_text(r)} for r in o.reasons
        ]


@reads(SelectionRun)
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(request, SelectionRun, pk=pk)
    rows = _filtered_outcomes(request, run)
    context = _page(request, rows, 100)
    _explain(context["page_obj"].object_list)
    params = request.GET.copy()
    params.pop("page", None)
    can_approve = (
        run.is_draft
        and request.user.has_perm("elevated.approve_selectionrun")
        and SelectionRun.objects.visible_to(request.user, CHANGE).filter(pk=run.pk).exists()
    )
    context.update(
        {
            "run": run,
            "rows": context["page_obj"].object_list,
            "row_count": len(rows),
            "query_string": params.urlencode(),
            "reproduced": selectors.run_reproduced(run),
            "counts": selectors.level_counts(run),
            "rules": run.rules,
            "flags": flags_text(run.rules.get("flags", [])),
            "levels": OutcomeLevel.choices,
            "reasons": _reason_labels(),
            "filters": {k: request.GET.get(k, "") for k in ("level", "selected", "reason", "q")},
            "can_approve": can_approve,
        }
    )
    return render(request, "elevated/run_detail.html", context)


@reads(SelectionRun)
@require_GET
def run_export(request: HttpRequest, pk: int) -> FileResponse:
    """The run's villages with their level and reasons as xlsx (the page's filters apply)."""
    run = get_visible_or_404(request, SelectionRun, pk=pk)
    rows = _filtered_outcomes(request, run)
    _explain(rows)
    header = [
        _("Code"), _("Village"), _("Township"), _("Level"), _("Level before caps"),
        _("Total 三资 (10,000 yuan)"), _("Reasons met"), _("Reasons not met"),
    ]  # fmt: skip
    table = []
    for o in rows:
        met = "; ".join(r["text"] for r in o.reason_rows if r["met"])  # type: ignore[attr-defined]
        unmet = "; ".join(r["text"] for r in o.reason_rows if not r["met"])  # type: ignore[attr-defined]
        parent = o.village.parent.name if o.village.parent else ""
        table.append([o.village.code, o.village.name, parent, o.get_level_display(),
                      o.get_candidate_display(), float(o.total), met, unmet])  # fmt: skip
    audit.audit_export(
        request, SelectionOutcome, len(rows), dict(request.GET.items()), detail={"run": run.pk}
    )
    return xlsx_response(_("Selection"), header, table, f"selection-{run.pk}.xlsx")


@reads(SelectionRun)
@permission_required("elevated.approve_selectionrun", raise_exception=True)
@require_http_methods(["GET", "POST"])
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(request, SelectionRun, CHANGE, pk=pk)
    done, errors = confirmed_act(
        request,
        lambda: services.selection_run_approve(acting_user=request.user, run=run),
        success=_("The run is approved; its selected villages are now under elevated supervision."),
        next_url=reverse("elevated:run-detail", args=[run.pk]),
    )
    if done:
        return done
    return render(
        request,
        "elevated/run_approve.html",
        {
            "run": run,
            "errors": errors,
            "previous": selectors.current_run(run.region),
            "counts": selectors.level_counts(run),
            "reproduced": selectors.run_reproduced(run),
        },
    )


# --- rule sets ---------------------------------------------------------------------------------------------


class RuleSetListView(ScopedListView):
    model = SelectionRuleSet
    template_name = "elevated/ruleset_list.html"
    partial_template_name = "elevated/_ruleset_table.html"
    search_fields = ("name", "region__name", "region__code")
    sort_fields = {"name": "name", "region": "region__code"}
    default_sort = "region"

    def base_queryset(self) -> Any:
        return SelectionRuleSet.objects.select_related("region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("elevated.add_selectionruleset")
        for rule_set in context["object_list"]:
            rule_set.flags_text = flags_text(rule_set.flags)
        return context


def _rule_set_form(request: HttpRequest, rule_set: SelectionRuleSet | None) -> HttpResponse:
    initial = {}
    if rule_set is not None:
        initial = {
            "name": rule_set.name, "region": rule_set.region.code, "county_threshold": rule_set.county_threshold,
            "city_threshold": rule_set.city_threshold, "flags": flags_text(rule_set.flags),
            "county_cap": rule_set.county_cap, "city_cap": rule_set.city_cap, "is_active": rule_set.is_active,
        }  # fmt: skip
    form = RuleSetForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.rule_set_save(
                acting_user=request.user, region=d["region"], name=d["name"], county_threshold=d["county_threshold"],
                city_threshold=d["city_threshold"], flags=d["flags"], county_cap=d["county_cap"],
                city_cap=d["city_cap"], is_active=d["is_active"], rule_set=rule_set,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The rule set is saved."))
            return redirect("elevated:ruleset-list")
    title = _("Change the rule set") if rule_set else _("New rule set")
    return render(
        request, "elevated/form.html", {"form": form, "title": title, "cancel_url": "/elevated/rules/"}
    )


@permission_required("elevated.add_selectionruleset", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ruleset_create(request: HttpRequest) -> HttpResponse:
    return _rule_set_form(request, None)


@reads(SelectionRuleSet)
@permission_required("elevated.change_selectionruleset", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ruleset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _rule_set_form(request, get_visible_or_404(request, SelectionRuleSet, CHANGE, pk=pk))


# --- 三资 --------------------------------------------------------------------------------------------------


class AssetsListView(ScopedListView):
    model = VillageAssets
    template_name = "elevated/assets_list.html"
    partial_template_name = "elevated/_assets_table.html"
    filterset_class = VillageAssetsFilterSet
    search_fields = ("village__name", "village__code")
    sort_fields = {"village": "village__code", "year": "year", "funds": "funds", "assets": "assets"}
    default_sort = "village"

    def base_queryset(self) -> Any:
        return VillageAssets.objects.select_related("village", "village__parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("elevated.add_villageassets")
        return context


@reads(None, reason="a list of the user's own scope")
@require_GET
def assets_export(request: HttpRequest) -> FileResponse:
    """The 三资 list as xlsx, with the list page's search and filters."""
    view = AssetsListView()
    view.setup(request)
    records = list(view.get_queryset()[:50_000])
    header = [_("Code"), _("Village"), _("Township"), _("Year"), _("Funds (10,000 yuan)"),
              _("Assets (10,000 yuan)"), _("Resources (10,000 yuan)"), _("Total"), _("Source")]  # fmt: skip
    rows = [
        [a.village.code, a.village.name, a.village.parent.name if a.village.parent else "", a.year,
         float(a.funds), float(a.assets), float(a.resources), float(a.total), a.source]
        for a in records
    ]  # fmt: skip
    audit.audit_export(request, VillageAssets, len(rows), dict(request.GET.items()))
    return xlsx_response(_("三资"), header, rows, "village-assets.xlsx")


@permission_required("elevated.add_villageassets", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assets_create(request: HttpRequest) -> HttpResponse:
    form = AssetsForm(request.POST or None, initial={"village": request.GET.get("village", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record, _changed = services.village_assets_save(acting_user=request.user, **d)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The 三资 of %(village)s are saved.") % {"village": record.village.name}
            )
            return redirect("elevated:assets-list")
    return render(
        request,
        "elevated/form.html",
        {"form": form, "title": _("三资 of a village"), "cancel_url": "/elevated/assets/"},
    )


@permission_required("elevated.add_villageassets", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assets_import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = assets_import(
                acting_user=request.user,
                data=form.cleaned_data["file"].read(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except PermissionDenied:
            raise
        if report.written:
            messages.success(
                request,
                _("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.") % report.as_dict(),
            )
            return redirect("elevated:assets-list")
    return render(request, "elevated/assets_import.html", {"form": form, "report": report})


# --- integrity files ---------------------------------------------------------------------------------------


class IntegrityFileListView(ScopedListView):
    model = IntegrityFile
    template_name = "elevated/file_list.html"
    partial_template_name = "elevated/_file_table.html"
    filterset_class = IntegrityFileFilterSet
    search_fields = ("name", "village__name", "village__code")
    sort_fields = {"name": "name", "village": "village__code", "since": "in_office_since"}
    default_sort = "village"

    def base_queryset(self) -> Any:
        return IntegrityFile.objects.select_related("village", "village__parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("elevated.add_integrityfile")
        return context


@reads(IntegrityFile)
@require_http_methods(["GET", "POST"])
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An integrity file with its entries; every view is in the audit trail. POST adds an entry."""
    file = get_visible_or_404(request, IntegrityFile, pk=pk)
    changeable = IntegrityFile.objects.visible_to(request.user, CHANGE).filter(pk=file.pk).exists()
    can_add = changeable and request.user.has_perm("elevated.add_integrityentry")
    form = EntryForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            from jiandu.ledger.models import Problem

            d = form.cleaned_data
            problem = None
            if d["problem"]:
                problem = Problem.objects.visible_to(request.user).filter(pk=d["problem"]).first()
                if problem is None:
                    form.add_error("problem", _("No problem with this number in your scope."))
            if not form.errors:
                try:
                    services.integrity_entry_add(
                        acting_user=request.user, file=file, kind=d["kind"], date=d["date"],
                        content=d["content"], problem=problem,
                    )  # fmt: skip
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("The entry is added."))
                    return redirect("elevated:file-detail", pk=file.pk)
    audit.audit_view(request, file)
    return render(
        request,
        "elevated/file_detail.html",
        {
            "file": file,
            "entries": file.entries.select_related("problem").order_by("-date", "-pk"),
            "audits": DepartureAudit.objects.visible_to(request.user)
            .filter(file=file)
            .select_related("auditor"),
            "form": form,
            "can_audit": changeable and request.user.has_perm("elevated.add_departureaudit"),
            "can_edit": changeable and request.user.has_perm("elevated.change_integrityfile"),
        },
    )


def _file_form(request: HttpRequest, file: IntegrityFile | None) -> HttpResponse:
    initial: dict[str, Any] = {"village": request.GET.get("village", "")}
    if file is not None:
        initial = {
            "village": file.village.code, "role": file.role, "name": file.name, "gender": file.gender,
            "birth_year": file.birth_year, "in_office_since": file.in_office_since,
            "left_office_on": file.left_office_on,
        }  # fmt: skip
    form = IntegrityFileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.integrity_file_save(acting_user=request.user, file=file, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("elevated:file-detail", pk=saved.pk)
    title = _("Change the integrity file") if file else _("New integrity file")
    return render(
        request, "elevated/form.html", {"form": form, "title": title, "cancel_url": "/elevated/files/"}
    )


@permission_required("elevated.add_integrityfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def file_create(request: HttpRequest) -> HttpResponse:
    return _file_form(request, None)


@reads(IntegrityFile)
@permission_required("elevated.change_integrityfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def file_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_form(request, get_visible_or_404(request, IntegrityFile, CHANGE, pk=pk))


# --- departure audits --------------------------------------------------------------------------------------


class DepartureAuditListView(ScopedListView):
    model = DepartureAudit
    template_name = "elevated/audit_list.html"
    partial_template_name = "elevated/_audit_table.html"
    filterset_class = DepartureAuditFilterSet
    search_fields = ("file__name", "file__village__name", "findings")
    sort_fields = {"left": "left_office_on", "village": "file__village__code"}
    default_sort = "-left"

    def base_queryset(self) -> Any:
        return DepartureAudit.objects.select_related("file", "file__village", "auditor")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("elevated.add_departureaudit")
        return context


def _audit_form(request: HttpRequest, record: DepartureAudit | None) -> HttpResponse:
    initial: dict[str, Any] = {"file": request.GET.get("file")}
    if record is not None:
        initial = {
            "file": record.file_id, "left_office_on": record.left_office_on, "auditor": record.auditor_id,
            "audit_date": record.audit_date, "status": record.status, "findings": record.findings,
            "amount_questioned": record.amount_questioned,
            "problems": " ".join(str(p) for p in record.problems.values_list("pk", flat=True)),
        }  # fmt: skip
    form = DepartureAuditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        from jiandu.ledger.models import Problem

        d = form.cleaned_data
        problems = list(Problem.objects.visible_to(request.user).filter(pk__in=d["problems"]))
        if len(problems) != len(set(d["problems"])):
            form.add_error("problems", _("Some of these problems are not in your scope."))
        else:
            try:
                saved = services.departure_audit_save(
                    acting_user=request.user, file=d["file"], left_office_on=d["left_office_on"],
                    auditor=d["auditor"], audit_date=d["audit_date"], findings=d["findings"],
                    amount_questioned=d["amount_questioned"], status=d["status"], problems=problems,
                    departure_audit=record,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The departure audit is saved."))
                return redirect("elevated:file-detail", pk=saved.file_id)
    title = _("Change the departure audit") if record else _("New departure audit")
    return render(
        request, "elevated/form.html", {"form": form, "title": title, "cancel_url": "/elevated/audits/"}
    )


@permission_required("elevated.add_departureaudit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def audit_create(request: HttpRequest) -> HttpResponse:
    return _audit_form(request, None)


@reads(DepartureAudit)
@permission_required("elevated.change_departureaudit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _audit_form(request, get_visible_or_404(request, DepartureAudit, CHANGE, pk=pk))
