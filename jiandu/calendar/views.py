"""Pages of the working-day calendar: the years entered, a year's days, entering and importing them.

Everybody signed in may read the calendar (deadlines are counted with it); entering it takes the
permissions of the "calendar administrators" role.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiandu.calendar import days, services
from jiandu.calendar.filtersets import CalendarDayFilterSet, CalendarYearFilterSet
from jiandu.calendar.forms import ArrangementImportForm, CalendarDayForm, CalendarYearForm
from jiandu.calendar.models import CalendarDay, CalendarYear
from jiandu.core.querysets import CHANGE
from jiandu.core.views import ScopedDetailView, ScopedListView, get_visible_or_404, reads


class CheckForm(forms.Form):
    start = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    n = forms.IntegerField(label=_("working days"), min_value=0, max_value=366)


def coverage(year: int) -> dict[str, Any]:
    """How the working days of `year` are known: from the package, from an entered complete year, or not."""
    if days.package_covers(year):
        how = "package"
    elif days.is_covered(year):
        how = "entered"
    else:
        how = "missing"
    return {"year": year, "how": how}


class CalendarYearListView(ScopedListView):
    model = CalendarYear
    template_name = "calendar/year_list.html"
    search_fields = ("source",)
    sort_fields = {"year": "year", "updated": "updated_at"}
    default_sort = "-year"
    filterset_class = CalendarYearFilterSet

    def base_queryset(self) -> QuerySet:
        return CalendarYear.objects.select_related("entered_by").annotate(
            days_off=Count("days", filter=Q(days__is_workday=False)),
            days_worked=Count("days", filter=Q(days__is_workday=True)),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        first, last = days.covered_years()
        context.update(
            package_first=first,
            package_last=last,
            years_ahead=[coverage(this_year), coverage(this_year + 1)],
            check=self.check_result(),
        )
        return context

    def check_result(self) -> dict[str, Any]:
        form = CheckForm(self.request.GET if "start" in self.request.GET else None)
        result: dict[str, Any] = {"form": form}
        if form.is_bound and form.is_valid():
            start, n = form.cleaned_data["start"], form.cleaned_data["n"]
            try:
                result["end"] = days.add_workdays(start, n)
            except days.CalendarNotCovered as error:
                result["missing"] = error.year
        return result


class CalendarYearDetailView(ScopedDetailView):
    model = CalendarYear
    template_name = "calendar/year_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year_days = CalendarDay.objects.visible_to(self.request.user).filter(calendar_year=self.object)
        filterset = CalendarDayFilterSet(self.request.GET or None, queryset=year_days)
        rows = filterset.qs
        term = self.request.GET.get("q", "").strip()
        if term:
            rows = rows.filter(name__icontains=term)
        context.update(
            filterset=filterset, q=term, day_list=rows.order_by("date"), coverage=coverage(self.object.year)
        )
        return context


def _refused(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(
    request: HttpRequest, form: forms.Form, title: str, cancel_url: str, obj: Any = None
) -> HttpResponse:
    return render(
        request, "core/form.html", {"form": form, "title": title, "cancel_url": cancel_url, "object": obj}
    )


@permission_required("calendar.add_calendaryear", raise_exception=True)
def calendar_year_create(request: HttpRequest) -> HttpResponse:
    form = CalendarYearForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            year = services.calendar_year_save(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("%(year)s entered: now enter its days.") % {"year": year.year})
            return redirect("calendar:year-detail", pk=year.pk)
    return _form_page(request, form, _("Enter a year's holiday arrangement"), reverse("calendar:year-list"))


@reads(CalendarYear)
@permission_required("calendar.change_calendaryear", raise_exception=True)
def calendar_year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    year = get_visible_or_404(request, CalendarYear, CHANGE, pk=pk)
    initial = {"source": year.source, "complete": year.complete}
    form = CalendarYearForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_year_save(acting_user=request.user, calendar_year=year, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved %(year)s.") % {"year": year.year})
            return redirect("calendar:year-detail", pk=year.pk)
    back = reverse("calendar:year-detail", args=[year.pk])
    return _form_page(request, form, _("Change a year's holiday arrangement"), back, year)


def _day_form_page(request: HttpRequest, year: CalendarYear, day: CalendarDay | None) -> HttpResponse:
    initial = (
        {"date": day.date, "kind": "workday" if day.is_workday else "holiday", "name": day.name}
        if day
        else {}
    )
    form = CalendarDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.calendar_day_save(
                acting_user=request.user,
                calendar_year=year,
                day=day,
                date=data["date"],
                is_workday=data["kind"] == "workday",
                name=data["name"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved %(day)s.") % {"day": saved})
            return redirect("calendar:year-detail", pk=year.pk)
    title = (
        _("Change a day of %(year)s") % {"year": year.year}
        if day
        else _("Add a day to %(year)s") % {"year": year.year}
    )
    return _form_page(request, form, title, reverse("calendar:year-detail", args=[year.pk]), day)


@reads(CalendarYear)
@permission_required("calendar.add_calendarday", raise_exception=True)
def calendar_day_create(request: HttpRequest, pk: int) -> HttpResponse:
    year = get_visible_or_404(request, CalendarYear, CHANGE, pk=pk)
    return _day_form_page(request, year, None)


@reads(CalendarDay)
@permission_required("calendar.change_calendarday", raise_exception=True)
def calendar_day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_visible_or_404(request, CalendarDay, CHANGE, pk=pk)
    return _day_form_page(request, day.calendar_year, day)


@reads(CalendarDay)
@permission_required("calendar.delete_calendarday", raise_exception=True)
@require_http_methods(["GET", "POST"])
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_visible_or_404(request, CalendarDay, CHANGE, pk=pk)
    year = day.calendar_year
    error = None
    if request.method == "POST":
        try:
            services.calendar_day_delete(acting_user=request.user, day=day)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Removed %(day)s.") % {"day": day})
            return redirect("calendar:year-detail", pk=year.pk)
    return render(request, "calendar/day_confirm_delete.html", {"day": day, "year": year, "error": error})


@permission_required("calendar.add_calendarday", raise_exception=True)
def arrangement_import(request: HttpRequest) -> HttpResponse:
    form = ArrangementImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.calendar_import(
                acting_user=request.user,
                data=data["file"].read(),
                source=data["source"],
                complete=data["complete"],
            )
        except services.ArrangementRejected as rejected:
            errors = rejected.errors
        except ValidationError as refused:
            _refused(form, refused)
        else:
            messages.success(
                request,
                _("Imported %(years)s: %(created)s days added, %(changed)s changed, %(unchanged)s unchanged.")
                % {
                    "years": "、".join(str(y) for y in result.years),
                    "created": result.created,
                    "changed": result.changed,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("calendar:year-list")
    return render(request, "calendar/import.html", {"form": form, "row_errors": errors, "example": EXAMPLE})


EXAMPLE = "date,kind,name\n2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n2027-02-14,workday,调休上班\n"


def refuse_without_calendar(view: Any) -> Any:
    """For a page that cannot be shown without counting working days (filing due dates): when a year's
    arrangement is missing, the page says so, names the year and links the calendar, instead of guessing."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response
        except days.CalendarNotCovered as error:
            context = {"year": error.year, "message": days.missing_message(error.year)}
            return render(request, "calendar/missing.html", context)

    return wrapped
