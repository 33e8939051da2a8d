"""Pages of rectification: the two ledgers (townships, county departments), their reconciliation (对账),
a rectification with its reports and verifications, and the acts on it (open, report, verify, close)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core import audit
from jiandu.core.querysets import CHANGE
from jiandu.core.views import ScopedDetailView, ScopedListView, get_visible_or_404, reads, render_htmx
from jiandu.ledger.models import Ledger, Problem, ProblemStatus
from jiandu.rectification import export, services
from jiandu.rectification.filtersets import RectificationFilterSet
from jiandu.rectification.forms import CloseForm, EditForm, OpenForm, ReportForm, TimeLimitForm, VerifyForm
from jiandu.rectification.models import (
    OPEN_STATUSES,
    ProgressEvidence,
    Rectification,
    RectificationStatus,
    TimeLimit,
    units_visible_q,
)
from jiandu.rectification.selectors import horizon, reconciliation, rectifications_for

LEDGER_TITLES = {
    Ledger.TOWNSHIP: gettext_lazy("Townships' rectification ledger"),  # zh: 乡镇整改台账
    Ledger.DEPARTMENT: gettext_lazy("County departments' rectification ledger"),  # zh: 县直部门整改台账
}


class RectificationListView(ScopedListView):
    """One of the two ledgers (or both, `ledger=None`), with search, filters, sort and xlsx export."""

    model = Rectification
    template_name = "rectification/rectification_list.html"
    partial_template_name = "rectification/_rectification_table.html"
    search_fields = (
        "problem__facts",
        "measures",
        "problem__responsible_region__name",
        "problem__responsible_department__name",
        "problem__responsible_department__short_name",
    )
    filterset_class = RectificationFilterSet
    sort_fields = {
        "deadline": "deadline",
        "opened_on": "opened_on",
        "status": "status",
        "unit": "problem__responsible_region__code",
        "department": "problem__responsible_department__name",
        "reports": "n_reports",
    }
    default_sort = "deadline"
    ledger: str | None = None

    def base_queryset(self) -> QuerySet:
        qs = rectifications_for(self.request.user)
        return qs.filter(problem__ledger=self.ledger) if self.ledger else qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("format") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self) -> FileResponse:
        rows = self.get_queryset()
        audit.audit_export(self.request, Rectification, rows.count(), dict(self.request.GET.items()))
        name = f"rectification-{self.ledger or 'all'}.xlsx"
        title = str(LEDGER_TITLES.get(self.ledger or "", _("Rectifications")))
        return export.ledger_xlsx(rows.iterator(chunk_size=2000), horizon(), name, title)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(ledger_context(self.request, self.ledger))
        return context


# The filterset takes the ledger, so each ledger offers only its own kind of unit.
def _make_filterset(ledger: str | None) -> Any:
    class LedgerFilterSet(RectificationFilterSet):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, ledger=ledger, **kwargs)

    return LedgerFilterSet


class TownshipLedgerView(RectificationListView):
    ledger = Ledger.TOWNSHIP
    filterset_class = _make_filterset(Ledger.TOWNSHIP)


class DepartmentLedgerView(RectificationListView):
    ledger = Ledger.DEPARTMENT
    filterset_class = _make_filterset(Ledger.DEPARTMENT)


def ledger_context(request: HttpRequest, ledger: str | None) -> dict[str, Any]:
    h = horizon()
    return {
        "ledger": ledger,
        "ledger_title": LEDGER_TITLES.get(ledger or "", _("All rectifications")),
        "horizon": h,
        "open_statuses": OPEN_STATUSES,
    }


def _reconciliation(request: HttpRequest, ledger: str) -> HttpResponse:
    h = horizon()
    qs = Rectification.objects.visible_to(request.user)
    filterset = _make_filterset(ledger)(request.GET or None, queryset=qs, request=request)
    result = reconciliation(filterset.qs, ledger, h)
    if request.GET.get("format") == "xlsx":
        audit.audit_export(request, Rectification, result.totals.total, dict(request.GET.items()))
        title = _("Reconciliation") + " · " + str(LEDGER_TITLES[ledger])
        return export.reconciliation_xlsx(result, f"reconciliation-{ledger}.xlsx", title)
    params = request.GET.copy()
    params.pop("format", None)
    context = {
        "ledger": ledger,
        "ledger_title": LEDGER_TITLES[ledger],
        "result": result,
        "totals": result.totals,
        "filterset": filterset,
        "horizon": h,
        "query_string": params.urlencode(),
        "list_url": reverse(
            "rectification:township-ledger"
            if ledger == Ledger.TOWNSHIP
            else "rectification:department-ledger"
        ),
        "unit_param": "township" if ledger == Ledger.TOWNSHIP else "department",
    }
    return render_htmx(
        request, "rectification/reconciliation.html", "rectification/_reconciliation_table.html", context
    )


def township_reconciliation(request: HttpRequest) -> HttpResponse:
    return _reconciliation(request, Ledger.TOWNSHIP)


def department_reconciliation(request: HttpRequest) -> HttpResponse:
    return _reconciliation(request, Ledger.DEPARTMENT)


class RectificationDetailView(ScopedDetailView):
    model = Rectification
    template_name = "rectification/rectification_detail.html"

    def base_queryset(self) -> QuerySet:
        return Rectification.objects.select_related(
            "problem__responsible_region",
            "problem__responsible_department",
            "problem__region",
            "problem__category",
            "problem__source",
            "problem__found_by",
            "supervisor",
            "unit_body",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        r: Rectification = self.object
        user = self.request.user
        body_id = user.body_id
        can_change = Rectification.objects.visible_to(user, CHANGE).filter(pk=r.pk).exists()
        supervises = body_id is not None and services.may_supervise(body_id, r)
        is_unit = body_id is not None and (r.unit_body_id == body_id if r.unit_body_id else not supervises)
        S = RectificationStatus
        context.update(
            {
                "reports": r.reports.select_related("body", "reported_by").prefetch_related("evidence"),
                "verifications": r.verifications.select_related("body", "verified_by"),
                "horizon": horizon(),
                "open_statuses": OPEN_STATUSES,
                "can_report": can_change
                and is_unit
                and user.has_perm("rectification.add_progressreport")
                and r.status in services.TRANSITIONS["report"],
                "can_verify": can_change
                and supervises
                and user.has_perm("rectification.verify_rectification")
                and r.status == S.CLAIMED,
                "can_close": can_change
                and supervises
                and user.has_perm("rectification.verify_rectification")
                and r.status == S.VERIFIED,
                "can_edit": can_change
                and supervises
                and user.has_perm("rectification.change_rectification")
                and r.status in OPEN_STATUSES,
            }
        )
        return context


def _act_page(
    request: HttpRequest,
    form: Form,
    rectification: Rectification | None,
    title: str,
    template: str = "rectification/form.html",
    **extra: Any,
) -> HttpResponse:
    cancel = (
        reverse("rectification:detail", args=[rectification.pk])
        if rectification
        else reverse("rectification:candidates")
    )
    context = {"form": form, "object": rectification, "title": title, "cancel_url": cancel, **extra}
    return render(request, template, context)


def _refused(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class CandidateListView(ScopedListView):
    """Problems in the user's scope that wait for a rectification (registered, none opened yet)."""

    model = Problem
    template_name = "rectification/candidate_list.html"
    partial_template_name = "rectification/_candidate_table.html"
    search_fields = ("facts", "responsible_region__name", "responsible_department__name", "region__name")
    sort_fields = {"found_on": "found_on"}
    default_sort = "-found_on"
    scope_action = CHANGE

    def base_queryset(self) -> QuerySet:
        return Problem.objects.filter(
            units_visible_q(self.request.user, CHANGE),
            status=ProblemStatus.REGISTERED,
            rectification__isnull=True,
        ).select_related("region", "responsible_region", "responsible_department", "category")


@reads(Problem)
@permission_required("rectification.add_rectification", raise_exception=True)
def rectification_open(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_visible_or_404(request, Problem, CHANGE, pk=pk)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rectification = services.rectification_open(
                acting_user=request.user,
                problem=problem,
                measures=data["measures"],
                deadline=data["deadline"],
                workdays_allowed=data["workdays_allowed"],
                opened_on=data["opened_on"],
            )
        except ValidationError as error:
            _refused(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Rectification opened; deadline %(date)s.") % {"date": rectification.deadline.isoformat()},
            )
            return redirect("rectification:detail", pk=rectification.pk)
    limit = TimeLimit.objects.filter(key=services.DEADLINE_LIMIT).first()
    return _act_page(
        request,
        form,
        None,
        _("Open a rectification"),
        template="rectification/open.html",
        problem=problem,
        default_limit=limit,
    )


def _act(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    title: str,
    act: Any,
    done: str,
    permission: str,
    files: bool = False,
) -> HttpResponse:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    rectification = get_visible_or_404(request, Rectification, CHANGE, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, request.FILES if files and data is not None else None)
    if request.method == "POST" and form.is_valid():
        try:
            act(rectification, form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, done)
            return redirect("rectification:detail", pk=rectification.pk)
    return _act_page(request, form, rectification, title, multipart=files)


@reads(Rectification)
def rectification_report(request: HttpRequest, pk: int) -> HttpResponse:
    def act(r: Rectification, data: dict[str, Any]) -> None:
        services.rectification_report(
            acting_user=request.user,
            rectification=r,
            text=data["text"],
            claims_done=data["claims_done"],
            files=data["files"],
            reported_on=data["reported_on"],
        )

    return _act(
        request,
        pk,
        ReportForm,
        _("Report progress"),
        act,
        _("Progress reported."),
        "rectification.add_progressreport",
        files=True,
    )


@reads(Rectification)
def rectification_verify(request: HttpRequest, pk: int) -> HttpResponse:
    def act(r: Rectification, data: dict[str, Any]) -> None:
        services.rectification_verify(
            acting_user=request.user,
            rectification=r,
            passed=data["passed"],
            reasons=data["reasons"],
            verified_on=data["verified_on"],
        )

    return _act(
        request,
        pk,
        VerifyForm,
        _("Verify the rectification"),
        act,
        _("Verification recorded."),
        "rectification.verify_rectification",
    )


@reads(Rectification)
def rectification_close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(r: Rectification, data: dict[str, Any]) -> None:
        services.rectification_close(acting_user=request.user, rectification=r, closed_on=data["closed_on"])

    return _act(
        request,
        pk,
        CloseForm,
        _("Close the rectification (销号)"),
        act,
        _("Rectification closed; the problem is closed."),
        "rectification.verify_rectification",
    )


@reads(Rectification)
def rectification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("rectification.change_rectification"):
        raise PermissionDenied
    rectification = get_visible_or_404(request, Rectification, CHANGE, pk=pk)
    initial = {"measures": rectification.measures, "deadline": rectification.deadline}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_update(
                acting_user=request.user,
                rectification=rectification,
                measures=form.cleaned_data["measures"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("rectification:detail", pk=rectification.pk)
    return _act_page(request, form, rectification, _("Change measures and deadline"))


@reads(ProgressEvidence)
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_visible_or_404(request, ProgressEvidence, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


def time_limits(request: HttpRequest) -> HttpResponse:
    limits = TimeLimit.objects.visible_to(request.user)
    return render(request, "rectification/time_limits.html", {"limits": limits})


@reads(TimeLimit)
@permission_required("rectification.change_timelimit", raise_exception=True)
def time_limit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    limit = get_visible_or_404(request, TimeLimit, CHANGE, pk=pk)
    initial = {"amount": limit.amount, "unit": limit.unit, "rule": limit.rule}
    form = TimeLimitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.time_limit_update(acting_user=request.user, limit=limit, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": limit.name})
            return redirect("rectification:time-limits")
    context = {
        "form": form,
        "object": limit,
        "title": _("Change a time limit"),
        "cancel_url": reverse("rectification:time-limits"),
    }
    return render(request, "rectification/form.html", context)
