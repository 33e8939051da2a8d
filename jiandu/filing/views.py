"""Pages of periodic filing: who filed a period in a region (with the city's per-county overview and an
xlsx export), submitting one's own body's filing, a filing's page, and the rule table."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from jiandu.access.scoping import scope_for
from jiandu.calendar import days as calendar_days
from jiandu.calendar.days import CalendarNotCovered
from jiandu.calendar.views import refuse_without_calendar
from jiandu.core.audit import audit_export
from jiandu.core.views import ScopedDetailView, ScopedListView, get_visible_or_404, reads
from jiandu.filing import selectors, services
from jiandu.filing.export import status_workbook
from jiandu.filing.filtersets import FilingStatusFilterSet
from jiandu.filing.forms import FilingRuleForm, SubmitForm
from jiandu.filing.models import Filing, FilingRule
from jiandu.filing.rules import active_rules, due_date, must_file
from jiandu.ledger.models import Problem
from jiandu.lib.periods import FREQUENCIES, MONTHLY, Period, PeriodError, ended_periods, parse_period
from jiandu.org.filtersets import within_choices
from jiandu.org.models import Body, Region

# How many ended periods the pages offer: a year of months, two years of quarters.
OFFERED = {"monthly": 12, "quarterly": 8}


def offered_periods(today: Any) -> list[Period]:
    """The ended periods of the frequencies some active rule uses, newest first, months before quarters."""
    frequencies = {rule.frequency for rule in active_rules().values()}
    periods: list[Period] = []
    for frequency in FREQUENCIES:
        if frequency in frequencies:
            periods += ended_periods(today, frequency, OFFERED[frequency])
    return periods


class FilingStatusView(ScopedListView):
    """For a period and a region: every body that must file, and whether it filed, filed late or is
    missing; above county level, the figures per county first."""

    model = Body
    template_name = "filing/status.html"
    partial_template_name = "filing/_status_table.html"
    search_fields = ("name", "region__name")
    filterset_class = FilingStatusFilterSet
    sort_fields = {
        "name": "name",
        "region": "region__code",
        "status": "status",
        "filed_at": "filed_at",
        "problems": "problem_count",
        "due_on": "due_on",
    }
    default_sort = "region"

    @method_decorator(refuse_without_calendar)
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.today = timezone.localdate()
        self.periods = offered_periods(self.today)
        self.period = self._period()
        self.region = self._region()
        if request.GET.get("format") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def _period(self) -> Period:
        text = self.request.GET.get("period", "").strip()
        if text:
            try:
                return parse_period(text)
            except PeriodError:
                messages.error(
                    self.request,
                    _("“%(value)s” is not a period: write a month as 2026-10 or a quarter as 2026-Q3.")
                    % {"value": text},
                )
        return self.periods[0] if self.periods else ended_periods(self.today, MONTHLY, 1)[0]

    def _region(self) -> Region:
        regions = Region.objects.visible_to(self.request.user)
        code = self.request.GET.get("region", "").strip()
        if code:
            region = regions.filter(code=code).first()
            if region is None:
                raise Http404  # out of scope reads as missing
            return region
        scope = scope_for(self.request.user)
        region = scope.region or regions.filter(parent__isnull=True).order_by("code").first()
        if region is None:
            raise Http404
        return region

    def base_queryset(self) -> QuerySet:
        return selectors.annotated_bodies(Body.objects.all(), self.region, self.period, self.today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for body in context["object_list"]:
            body.status_label = selectors.STATUS_LABELS[body.status]
        context["file_for"] = self.file_for(context["object_list"])
        offered = [str(p) for p in self.periods]
        if str(self.period) not in offered:
            offered.insert(0, str(self.period))
        context.update(
            {
                "period": self.period,
                "region": self.region,
                "periods": offered,
                "regions": within_choices(self.request),
                "overview": selectors.overview(user, self.region, self.period, self.today),
                "status_labels": selectors.STATUS_LABELS,
                "own": selectors.own_filings(user, self.today),
                "ancestors": [
                    a
                    for a in self.region.ancestors()
                    if Region.objects.visible_to(user).filter(pk=a.pk).exists()
                ],
            }
        )
        return context

    def file_for(self, bodies: Any) -> set[int]:
        """The listed bodies the user may file for: other bodies in their change scope."""
        user = self.request.user
        if not user.has_perm("filing.add_filing"):
            return set()
        return set(
            Body.objects.visible_to(user, "change")
            .filter(pk__in=[body.pk for body in bodies])
            .exclude(pk=user.body_id)
            .values_list("pk", flat=True)
        )

    def export(self) -> HttpResponse:
        bodies = list(self.get_queryset())
        audit_export(
            self.request,
            Filing,
            len(bodies),
            {"period": str(self.period), "region": self.region.code, **self.request.GET.dict()},
        )
        content = status_workbook(bodies, self.period, self.region)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"filing-{self.period}-{self.region.code}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def problem_links(user: Any, ids: list[int]) -> tuple[list[tuple[Problem, str]], int]:
    """The problems of a filing the user may see, each with its page (when the ledger pages exist), and how
    many the user may not see."""
    visible = list(Problem.objects.visible_to(user).filter(pk__in=ids).select_related("region", "category"))
    links = []
    for problem in visible:
        try:
            url = reverse("ledger:problem-detail", args=[problem.pk])
        except NoReverseMatch:
            url = ""
        links.append((problem, url))
    return links, len(ids) - len(visible)


def filing_body(request: HttpRequest) -> Body | None:
    """The body the user files for: their own, or the one named by `body` (query or form) when it is in
    their change scope — a county files for a township without access. Any other reads as missing."""
    user = request.user
    own = Body.objects.filter(pk=user.body_id).select_related("region").first() if user.body_id else None
    raw = (request.POST.get("body") or request.GET.get("body") or "").strip()
    if not raw or (own is not None and raw == str(own.pk)):
        return own
    if not raw.isdigit():
        raise Http404
    body = Body.objects.visible_to(user, "change").select_related("region").filter(pk=int(raw)).first()
    if body is None:
        raise Http404
    return body


@permission_required("filing.add_filing", raise_exception=True)
@refuse_without_calendar
def submit(request: HttpRequest) -> HttpResponse:
    """File a body's ledger for a period — the user's own, or one they file for: choose the period, see
    what will be filed, confirm."""
    user = request.user
    today = timezone.localdate()
    body = filing_body(request)
    on_behalf = body is not None and body.pk != user.body_id
    rule = active_rules().get(body.kind) if body is not None else None
    if body is None or rule is None or not body.is_active:
        return render(request, "filing/submit.html", {"body": body, "rule": None, "on_behalf": on_behalf})
    periods = [str(p) for p in ended_periods(today, rule.frequency, OFFERED[rule.frequency])]
    chosen = request.POST.get("period") or request.GET.get("period") or periods[0]
    if chosen not in periods:
        chosen = periods[0]
    form = SubmitForm(request.POST or None, periods=periods, initial={"period": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.filing_submit(
                acting_user=user,
                period=form.cleaned_data["period"],
                body=body if on_behalf else None,
                nothing_to_report=form.cleaned_data["nothing_to_report"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            text = {
                services.CREATED: _("Filed the ledger of %(period)s."),
                services.REVISED: _("Filed a correction of %(period)s (revision %(revision)d)."),
                services.UNCHANGED: _(
                    "%(period)s was already filed with the same problems; nothing changed."
                ),
            }[result.outcome]
            messages.success(
                request, text % {"period": result.filing.period, "revision": result.filing.revision}
            )
            return redirect("filing:detail", pk=result.filing.pk)
    period = parse_period(chosen)
    ids = services.period_problems(body, period)
    problems, hidden = problem_links(user, ids)
    context = {
        "body": body,
        "rule": rule,
        "form": form,
        "periods": periods,
        "period": period,
        "due_on": due_date(rule, period),
        "problems": problems,
        "hidden": hidden,
        "count": len(ids),
        "existing": Filing.objects.visible_to(user).filter(body=body, period=chosen).first(),
        "own": selectors.own_filings(user, today, body=body),
        "on_behalf": on_behalf,
        "status_labels": selectors.STATUS_LABELS,
    }
    return render(request, "filing/submit.html", context)


def add_errors(form: Form, error: ValidationError) -> None:
    """A service's errors on the form: on their field when the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


class FilingDetailView(ScopedDetailView):
    model = Filing
    template_name = "filing/detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("body__region", "filed_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filing: Filing = self.object
        problems, hidden = problem_links(user, filing.problem_ids)
        period = parse_period(filing.period)
        context.update(
            {
                "problems": problems,
                "hidden": hidden,
                "revisions": filing.revisions.select_related("filed_by").order_by("-number"),
                "can_refile": user.has_perm("filing.add_filing")
                and user.body_id == filing.body_id
                and must_file(filing.body, period) is not None,
            }
        )
        return context


class FilingRuleListView(ScopedListView):
    model = FilingRule
    template_name = "filing/rule_list.html"
    paginate_by = 100


@reads(FilingRule)
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    permission = "filing.change_filingrule" if pk is not None else "filing.add_filingrule"
    if not request.user.has_perm(permission):
        raise PermissionDenied
    rule = get_visible_or_404(request, FilingRule, "change", pk=pk) if pk is not None else None
    form = FilingRuleForm(request.POST or None, instance=copy.copy(rule))
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.filing_rule_save(
                acting_user=request.user, rule=rule, fields=dict(form.cleaned_data)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved the filing rule %(rule)s.") % {"rule": rule})
            return redirect("filing:rules")
    context = {
        "form": form,
        "object": rule,
        "title": _("Edit filing rule") if rule else _("New filing rule"),
        "cancel_url": reverse("filing:rules"),
        "due_example": _due_example(rule),
    }
    return render(request, "filing/rule_form.html", context)


def _due_example(rule: FilingRule | None) -> str:
    if rule is None:
        return ""
    period = ended_periods(timezone.localdate(), rule.frequency, 1)[0]
    try:
        return _("%(period)s is due on %(day)s.") % {"period": period, "day": due_date(rule, period)}
    except CalendarNotCovered as missing:
        return calendar_days.missing_message(missing.year)
