"""Pages of consultation sessions (会商研判) and systemic problems (普遍性问题).

Reads go through `visible_to`; a session's problems are the `SessionItem`s the viewer may see (both the
session and the problem), on the page and in the minutes alike. Writes go through services.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.consultation import services
from jiandu.consultation.filtersets import SessionFilterSet, SystemicFilterSet
from jiandu.consultation.forms import (
    ConfirmForm,
    DismissForm,
    FollowUpForm,
    FollowUpStatusForm,
    PickModeForm,
    ProblemFilterForm,
    ProposalFilterForm,
    SessionForm,
    SystemicForm,
)
from jiandu.consultation.minutes import minutes_docx
from jiandu.consultation.models import (
    Decision,
    Dismissal,
    FollowUp,
    FollowUpStatus,
    Participant,
    PeriodKind,
    Session,
    SessionItem,
    SystemicProblem,
)
from jiandu.consultation.selectors import (
    MAX_SESSION_PROBLEMS,
    default_threshold,
    problems_matching,
    systemic_proposals,
)
from jiandu.core.audit import audit_export
from jiandu.core.querysets import CHANGE
from jiandu.core.views import ScopedDetailView, ScopedListView, get_visible_or_404, reads
from jiandu.ledger.models import Problem


def visible_items(user: Any, session: Session) -> QuerySet:
    """The problems of a session the user may see, with what the pages and the minutes show of them."""
    return (
        SessionItem.objects.visible_to(user)
        .filter(session=session)
        .select_related(
            "problem__category",
            "problem__region",
            "problem__responsible_region",
            "problem__responsible_department",
            "systemic",
        )
        .order_by("pk")
    )


def participants_of(session: Session) -> QuerySet:
    return Participant.objects.filter(session=session).select_related("body", "person").order_by("pk")


def visible_problem_count(user: Any) -> Count:
    return Count("items", filter=Q(items__problem__in=Problem.objects.visible_to(user).values("pk")))


# --- sessions -------------------------------------------------------------------------------------------


class SessionListView(ScopedListView):
    model = Session
    template_name = "consultation/session_list.html"
    partial_template_name = "consultation/_session_table.html"
    search_fields = ("title", "place", "convener__name", "analysis")
    filterset_class = SessionFilterSet
    sort_fields = {"held_on": "held_on", "title": "title", "convener": "convener__name"}
    default_sort = "-held_on"

    def base_queryset(self) -> QuerySet:
        return Session.objects.select_related("convener").annotate(
            n_problems=visible_problem_count(self.request.user)
        )


class SessionDetailView(ScopedDetailView):
    model = Session
    template_name = "consultation/session_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("convener", "convener__region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        items = list(visible_items(user, self.object))
        context["items"] = items
        context["participants"] = participants_of(self.object)
        context["counts"] = {value: sum(1 for i in items if i.decision == value) for value in Decision.values}
        context["undecided"] = sum(1 for i in items if not i.decision)
        context["can_change"] = user.has_perm("consultation.change_session") and (
            Session.objects.visible_to(user, CHANGE).filter(pk=self.object.pk).exists()
        )
        return context


def _candidate_context(request: HttpRequest, filter_form: ProblemFilterForm) -> dict[str, Any]:
    """The problems matching the filter, as the session form lists them (at most the session's limit)."""
    if not filter_form.is_valid():
        return {"candidates": [], "candidate_count": 0, "too_many": False}
    qs = problems_matching(request.user, **filter_form.filters()).order_by("-found_on", "-pk")
    candidates = list(qs[: MAX_SESSION_PROBLEMS + 1])
    return {
        "candidates": candidates[:MAX_SESSION_PROBLEMS],
        "candidate_count": len(candidates),
        "too_many": len(candidates) > MAX_SESSION_PROBLEMS,
        "max_problems": MAX_SESSION_PROBLEMS,
    }


@permission_required("consultation.add_session", raise_exception=True)
def session_create(request: HttpRequest) -> HttpResponse:
    """A new session: its particulars, then its problems, by filter or ticked by hand. Changing the filter
    refreshes the list of problems in place (htmx); without JavaScript, "Show matching problems" does."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    filter_form = ProblemFilterForm(data, user=request.user)
    if request.method == "GET" and request.htmx:
        context = {"filter_form": filter_form, "picked": None, **_candidate_context(request, filter_form)}
        return render(request, "consultation/_candidates.html", context)
    form = SessionForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "GET" and request.GET:
        form = SessionForm(
            initial={k: v for k, v in request.GET.items() if k in form.fields}, user=request.user
        )
    mode_form = PickModeForm(request.POST if request.method == "POST" else None)
    picked: set[int] | None = None
    if request.method == "POST":
        picked = {int(v) for v in request.POST.getlist("problems") if v.isdigit()}
        if form.is_valid() and mode_form.is_valid() and filter_form.is_valid():
            if mode_form.cleaned_data["mode"] == "filter":
                ids = list(
                    problems_matching(request.user, **filter_form.filters())
                    .order_by("-found_on", "-pk")
                    .values_list("pk", flat=True)[: MAX_SESSION_PROBLEMS + 1]
                )
            else:
                ids = [int(v) for v in request.POST.getlist("problems") if v.strip().isdigit()]
                if len(ids) != len(request.POST.getlist("problems")):
                    form.add_error(None, _("A ticked problem is not a problem number."))
            if not form.errors:
                try:
                    session = services.session_create(
                        acting_user=request.user,
                        fields=form.session_fields(),
                        problem_ids=ids,
                        participants=form.participants(),
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    messages.success(
                        request,
                        _("Session “%(title)s” created with %(count)s problems.")
                        % {"title": session.title, "count": len(set(ids))},
                    )
                    return redirect("consultation:session-detail", pk=session.pk)
    context = {
        "form": form,
        "filter_form": filter_form,
        "mode_form": mode_form,
        "picked": picked,
        "title": _("New consultation session"),
        **_candidate_context(request, filter_form),
    }
    return render(request, "consultation/session_create.html", context)


@reads(Session)
@permission_required("consultation.change_session", raise_exception=True)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_visible_or_404(request, Session, CHANGE, pk=pk)
    form = SessionForm(request.POST or None, instance=Session.objects.get(pk=session.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                acting_user=request.user,
                session=session,
                fields=form.session_fields(),
                participants=form.participants(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": session.title})
            return redirect("consultation:session-detail", pk=session.pk)
    context = {
        "form": form,
        "object": session,
        "title": _("Edit session"),
        "cancel_url": reverse("consultation:session-detail", args=[session.pk]),
    }
    return render(request, "core/form.html", context)


def _decisions_from_post(request: HttpRequest) -> tuple[list[services.DecisionInput], list[str]]:
    """The decisions posted as decision-<problem id>, note-<id>, systemic-<id>."""
    decisions, errors = [], []
    for key in request.POST:
        if not key.startswith("decision-"):
            continue
        raw = key.removeprefix("decision-")
        if not raw.isdigit():
            errors.append(_("“%(value)s” is not a problem number.") % {"value": raw})
            continue
        decision = request.POST.get(key, "").strip()
        # The systemic problem chosen counts only with the decision to treat the problem as systemic.
        systemic = request.POST.get(f"systemic-{raw}", "").strip() if decision == Decision.SYSTEMIC else ""
        if systemic and not systemic.isdigit():
            errors.append(_("Problem #%(id)s: no such systemic problem.") % {"id": raw})
            continue
        decisions.append(
            services.DecisionInput(
                problem_id=int(raw),
                decision=decision,
                note=request.POST.get(f"note-{raw}", "").strip(),
                systemic_id=int(systemic) if systemic else None,
            )
        )
    return decisions, errors


@reads(Session)
@permission_required("consultation.change_session", raise_exception=True)
def session_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision per problem: rectify, transfer as a clue, treat as systemic; with a note."""
    session = get_visible_or_404(request, Session, CHANGE, pk=pk)
    items = list(visible_items(request.user, session))
    errors: list[str] = []
    if request.method == "POST":
        decisions, errors = _decisions_from_post(request)
        if not errors:
            try:
                services.session_decide(acting_user=request.user, session=session, decisions=decisions)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Decisions saved."))
                return redirect("consultation:session-detail", pk=session.pk)
    categories = {item.problem.category_id for item in items}
    systemic_choices: dict[int, list[SystemicProblem]] = {}
    for systemic in SystemicProblem.objects.visible_to(request.user, CHANGE).filter(category__in=categories):
        systemic_choices.setdefault(systemic.category_id, []).append(systemic)
    rows = [
        {
            "item": item,
            "decision": request.POST.get(f"decision-{item.problem_id}", item.decision)
            if request.method == "POST"
            else item.decision,
            "note": request.POST.get(f"note-{item.problem_id}", item.note)
            if request.method == "POST"
            else item.note,
            "systemic_choices": systemic_choices.get(item.problem.category_id, []),
        }
        for item in items
    ]
    context = {
        "session": session,
        "rows": rows,
        "errors": errors,
        "decisions": Decision.choices,
    }
    return render(request, "consultation/session_decide.html", context)


@reads(Session)
def session_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as .docx, with the problems the reader may see; the download is in the audit trail."""
    session = get_visible_or_404(request, Session, pk=pk)
    items = list(visible_items(request.user, session))
    content = minutes_docx(session, list(participants_of(session)), items)
    audit_export(request, SessionItem, len(items), {"session": session.pk}, detail={"format": "docx"})
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{session.pk}-{session.held_on:%Y%m%d}.docx"'
    )
    return response


# --- systemic problems ------------------------------------------------------------------------------------


def proposals(request: HttpRequest) -> HttpResponse:
    """What Jiandu proposes as systemic in the user's scope: categories found at several units in a period."""
    form = ProposalFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    period = data.get("period") or PeriodKind.QUARTER
    year = data.get("year") or timezone.localdate().year
    threshold = data.get("threshold") or default_threshold()
    views = systemic_proposals(request.user, period_kind=period, year=year, threshold=threshold)
    problem_ids = {pid for view in views for unit in view.units for pid in unit.problem_ids}
    facts = dict(
        Problem.objects.visible_to(request.user).filter(pk__in=problem_ids).values_list("pk", "facts")
    )
    context = {
        "form": form,
        "period": period,
        "year": year,
        "threshold": threshold,
        "open": [
            {
                "view": v,
                "units": [
                    {"unit": u, "problems": [(pid, facts.get(pid, "")) for pid in u.problem_ids]}
                    for u in v.units
                ],
            }
            for v in views
            if not v.confirmed and not v.dismissal
        ],
        "confirmed": [v for v in views if v.confirmed],
        "dismissed": [v for v in views if v.dismissal and not v.confirmed],
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
    }
    return render(request, "consultation/proposals.html", context)


def _proposal_url(form: Any) -> str:
    data = form.cleaned_data if form.is_valid() else {}
    query = ""
    if data:
        query = (
            f"?period={data['period_kind']}&year={data['period_start'].year}"
            f"&threshold={data.get('threshold') or default_threshold()}"
        )
    return reverse("consultation:proposals") + query


@require_POST
@permission_required("consultation.add_systemicproblem", raise_exception=True)
def proposal_confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This proposal could not be read; reload the page and try again."))
        return redirect(_proposal_url(form))
    data = form.cleaned_data
    try:
        systemic = services.systemic_confirm(
            acting_user=request.user,
            category=data["category"],
            period_kind=data["period_kind"],
            period_start=data["period_start"],
            analysis=data["analysis"],
            threshold=data.get("threshold"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_proposal_url(form))
    messages.success(request, _("Confirmed as systemic: %(name)s.") % {"name": systemic})
    return redirect("consultation:systemic-detail", pk=systemic.pk)


@require_POST
@permission_required("consultation.add_dismissal", raise_exception=True)
def proposal_dismiss(request: HttpRequest) -> HttpResponse:
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This proposal could not be read; reload the page and try again."))
        return redirect(_proposal_url(form))
    data = form.cleaned_data
    try:
        dismissal = services.systemic_dismiss(
            acting_user=request.user,
            category=data["category"],
            period_kind=data["period_kind"],
            period_start=data["period_start"],
            reason=data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Dismissed: %(name)s. It is not proposed again.") % {"name": dismissal})
    return redirect(_proposal_url(form))


@reads(Dismissal)
@require_POST
@permission_required("consultation.add_dismissal", raise_exception=True)
def proposal_restore(request: HttpRequest, pk: int) -> HttpResponse:
    dismissal = get_visible_or_404(request, Dismissal, CHANGE, pk=pk)
    services.systemic_restore(acting_user=request.user, dismissal=dismissal)
    messages.success(request, _("Proposed again: %(name)s.") % {"name": dismissal})
    return redirect(
        reverse("consultation:proposals")
        + f"?period={dismissal.period_kind}&year={dismissal.period_start.year}"
    )


class SystemicListView(ScopedListView):
    model = SystemicProblem
    template_name = "consultation/systemic_list.html"
    partial_template_name = "consultation/_systemic_table.html"
    search_fields = ("category__name", "analysis", "region__name")
    filterset_class = SystemicFilterSet
    sort_fields = {"period": "period_start", "category": "category__sort_order", "region": "region__code"}
    default_sort = "-period"

    def base_queryset(self) -> QuerySet:
        return (
            SystemicProblem.objects.select_related("category", "region", "confirmed_by")
            .annotate(
                n_problems=Count(
                    "problems",
                    filter=Q(problems__in=Problem.objects.visible_to(self.request.user).values("pk")),
                    distinct=True,
                ),
                n_follow_ups=Count("follow_ups", distinct=True),
            )
            .order_by("-period_start", "pk")
        )


class SystemicDetailView(ScopedDetailView):
    model = SystemicProblem
    context_object_name = "systemic"
    template_name = "consultation/systemic_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("category", "region", "confirmed_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        systemic: SystemicProblem = self.object
        problems = list(
            Problem.objects.visible_to(user)
            .filter(systemic_problems=systemic)
            .select_related("category", "region", "responsible_region", "responsible_department")
            .order_by("found_on", "pk")
        )
        units = {p.responsible_unit.name for p in problems if p.responsible_unit is not None}
        context["problems"] = problems
        context["unit_count"] = len(units)
        context["amount"] = sum((p.amount for p in problems if p.amount is not None), start=0)
        context["follow_ups"] = (
            FollowUp.objects.visible_to(user).filter(systemic=systemic).select_related("recipient")
        )
        context["sessions"] = (
            Session.objects.visible_to(user).filter(items__systemic=systemic).distinct().order_by("-held_on")
        )
        context["can_change"] = user.has_perm("consultation.change_systemicproblem") and (
            SystemicProblem.objects.visible_to(user, CHANGE).filter(pk=systemic.pk).exists()
        )
        context["can_follow_up"] = context["can_change"] and user.has_perm("consultation.add_followup")
        context["can_change_follow_up"] = context["can_change"] and user.has_perm(
            "consultation.change_followup"
        )
        context["next_status"] = {
            FollowUpStatus.DRAFTED: (FollowUpStatus.SENT, _("Mark as sent")),
            FollowUpStatus.SENT: (FollowUpStatus.ANSWERED, _("Mark as answered")),
        }
        context["today"] = timezone.localdate()
        return context


@reads(SystemicProblem)
@permission_required("consultation.change_systemicproblem", raise_exception=True)
def systemic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    systemic = get_visible_or_404(request, SystemicProblem, CHANGE, pk=pk)
    form = SystemicForm(request.POST or None, initial={"analysis": systemic.analysis})
    if request.method == "POST" and form.is_valid():
        services.systemic_update(
            acting_user=request.user, systemic=systemic, analysis=form.cleaned_data["analysis"]
        )
        messages.success(request, _("Saved %(name)s.") % {"name": systemic})
        return redirect("consultation:systemic-detail", pk=systemic.pk)
    context = {
        "form": form,
        "object": systemic,
        "title": _("Edit systemic problem"),
        "cancel_url": reverse("consultation:systemic-detail", args=[systemic.pk]),
    }
    return render(request, "core/form.html", context)


def _follow_up_form_page(
    request: HttpRequest, systemic: SystemicProblem, follow_up: FollowUp | None
) -> HttpResponse:
    form = FollowUpForm(
        request.POST or None,
        instance=FollowUp.objects.get(pk=follow_up.pk) if follow_up else None,
        user=request.user,
        sector=systemic.category.sector,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in FollowUpForm.Meta.fields}
        try:
            services.follow_up_save(
                acting_user=request.user, systemic=systemic, follow_up=follow_up, fields=fields
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("consultation:systemic-detail", pk=systemic.pk)
    context = {
        "form": form,
        "object": systemic,
        "title": _("Edit follow-up") if follow_up else _("New follow-up"),
        "cancel_url": reverse("consultation:systemic-detail", args=[systemic.pk]),
    }
    return render(request, "core/form.html", context)


@reads(SystemicProblem)
@permission_required("consultation.add_followup", raise_exception=True)
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    systemic = get_visible_or_404(request, SystemicProblem, CHANGE, pk=pk)
    return _follow_up_form_page(request, systemic, None)


@reads(FollowUp)
@permission_required("consultation.change_followup", raise_exception=True)
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_visible_or_404(request, FollowUp, CHANGE, pk=pk)
    systemic = SystemicProblem.objects.select_related("category").get(pk=follow_up.systemic_id)
    return _follow_up_form_page(request, systemic, follow_up)


@reads(FollowUp)
@require_POST
@permission_required("consultation.change_followup", raise_exception=True)
def follow_up_status(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_visible_or_404(request, FollowUp, CHANGE, pk=pk)
    form = FollowUpStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status and a valid date."))
    else:
        try:
            services.follow_up_set_status(
                acting_user=request.user,
                follow_up=follow_up,
                status=form.cleaned_data["status"],
                on=form.cleaned_data.get("on"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s is now %(status)s.")
                % {"name": follow_up, "status": follow_up.get_status_display()},
            )
    return redirect("consultation:systemic-detail", pk=follow_up.systemic_id)
