"""Forms of the consultation pages. Every choice offered is cut to what the user may see."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.consultation.models import FollowUp, FollowUpStatus, PeriodKind, Session
from jiandu.consultation.services import Guest, Participants
from jiandu.ledger.models import Category, Ledger
from jiandu.org.models import Body, BodyKind, Department, Person, Region, RegionKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Regions a session's problems are usually picked by.
PICK_REGION_KINDS = [RegionKind.CITY, RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE, RegionKind.TOWNSHIP]


def participant_bodies(user: Any) -> QuerySet:
    """Bodies that can take part: those in scope, leaving out the many village committees."""
    return (
        Body.objects.visible_to(user)
        .filter(is_active=True)
        .exclude(kind=BodyKind.VILLAGE_COMMITTEE)
        .select_related("region")
        .order_by("region__code", "sort_order", "name")
    )


def participant_people(user: Any) -> QuerySet:
    """People in scope with a current post in a body other than a village committee."""
    return (
        Person.objects.visible_to(user)
        .filter(posts__ended_on__isnull=True, posts__body__isnull=False)
        .exclude(posts__body__kind=BodyKind.VILLAGE_COMMITTEE)
        .distinct()
        .order_by("name", "pk")
    )


GUEST_SPLIT = re.compile(r"\s*[,，、（(]\s*")


def parse_guests(text: str) -> list[Guest]:
    """One guest a line: "name, unit" (a Chinese comma or brackets do too)."""
    guests = []
    for line in text.splitlines():
        line = line.strip().rstrip("）)")
        if not line:
            continue
        name, unit = ([*GUEST_SPLIT.split(line, maxsplit=1), ""])[:2]
        guests.append(Guest(name=name.strip(), unit=unit.strip()))
    return guests


class SessionForm(forms.ModelForm):
    participant_bodies = forms.ModelMultipleChoiceField(
        label=_("participating bodies"),
        queryset=Body.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    participant_people = forms.ModelMultipleChoiceField(
        label=_("participants"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("People of the registry; each is listed with the body of their post."),
    )
    guests = forms.CharField(
        label=_("guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: name, unit (e.g. 王明, 县审计局)."),
    )

    class Meta:
        model = Session
        fields = ["title", "held_on", "place", "analysis"]
        widgets = {"held_on": DATE, "analysis": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant_bodies"].queryset = participant_bodies(user)
        self.fields["participant_people"].queryset = participant_people(user)
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
        elif self.instance.pk is not None and not self.is_bound:
            rows = list(self.instance.participants.all())
            self.initial["participant_bodies"] = [r.body_id for r in rows if r.body_id and not r.person_id]
            self.initial["participant_people"] = [r.person_id for r in rows if r.person_id]
            self.initial["guests"] = "\n".join(
                f"{r.name}, {r.unit}" if r.unit else r.name for r in rows if r.name
            )

    def session_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def participants(self) -> Participants:
        return Participants(
            bodies=list(self.cleaned_data["participant_bodies"]),
            people=list(self.cleaned_data["participant_people"]),
            guests=parse_guests(self.cleaned_data["guests"]),
        )


class ProblemFilterForm(forms.Form):
    """Which problems to put to a session: a region, a category, a period, a ledger."""

    region = forms.ModelChoiceField(
        label=_("region"), queryset=Region.objects.none(), required=False, to_field_name="code"
    )
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.none(), required=False)
    found_from = forms.DateField(label=_("found from"), required=False, widget=DATE)
    found_to = forms.DateField(label=_("found until"), required=False, widget=DATE)
    ledger = forms.ChoiceField(label=_("ledger"), choices=[("", _("both"))] + Ledger.choices, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.visible_to(user).filter(kind__in=PICK_REGION_KINDS).order_by("code")
        )
        self.fields["category"].queryset = Category.objects.visible_to(user).filter(is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("found_from") and data.get("found_to") and data["found_from"] > data["found_to"]:
            self.add_error("found_to", _("The end of the period comes before its start."))
        return data

    def filters(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or None for name in self.fields} | {
            "ledger": self.cleaned_data.get("ledger") or ""
        }


class PickModeForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("problems of the session"),
        choices=[
            ("filter", _("all problems matching the filter")),
            ("pick", _("only the problems ticked below")),
        ],
        widget=forms.RadioSelect,
        initial="filter",
    )


class ProposalKeyForm(forms.Form):
    """A proposal as the pages pass it back: category, period, the threshold it was proposed at."""

    category = forms.ModelChoiceField(queryset=Category.objects.all(), widget=forms.HiddenInput)
    period_kind = forms.ChoiceField(choices=PeriodKind.choices, widget=forms.HiddenInput)
    period_start = forms.DateField(widget=forms.HiddenInput)
    threshold = forms.IntegerField(min_value=1, max_value=100, required=False, widget=forms.HiddenInput)


class ConfirmForm(ProposalKeyForm):
    analysis = forms.CharField(label=_("analysis"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DismissForm(ProposalKeyForm):
    reason = forms.CharField(label=_("reason"), required=False, max_length=300)


class ProposalFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("period"), choices=PeriodKind.choices, required=False)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
    threshold = forms.IntegerField(
        label=_("at least units"),  # zh: 至少涉及单位数
        min_value=1,
        max_value=100,
        required=False,
    )


class SystemicForm(forms.Form):
    analysis = forms.CharField(label=_("analysis"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["kind", "number", "issued_on", "recipient", "note"]
        widgets = {"issued_on": DATE}

    def __init__(self, *args: Any, user: Any, sector: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.visible_to(user).filter(is_active=True).select_related("region")
        if sector:
            departments = departments.filter(sector=sector)
        self.fields["recipient"].queryset = departments.order_by("region__code", "name")
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate())


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(choices=FollowUpStatus.choices)
    on = forms.DateField(label=_("date"), required=False, widget=DATE)
