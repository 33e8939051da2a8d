"""The form a recusal decider fills: who is recused, from what, and why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from jiandu.access.models import User
from jiandu.org.models import Body, Department, Person, Region


class RecusalForm(forms.Form):
    TARGETS = (
        ("region", _("a region and everything in it")),
        ("person", _("everything about a person")),
        ("department", _("a department")),
        ("body", _("a body")),
    )

    user = forms.ModelChoiceField(label=_("recused user"), queryset=User.objects.none())
    target = forms.ChoiceField(label=_("recused from"), choices=TARGETS, widget=forms.RadioSelect)
    region = forms.CharField(
        label=_("region code"),
        required=False,
        max_length=12,
        help_text=_("12 digits, e.g. 520422101233 for a village."),
    )
    person = forms.ModelChoiceField(label=_("person"), queryset=Person.objects.none(), required=False)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False
    )
    body = forms.ModelChoiceField(label=_("body"), queryset=Body.objects.none(), required=False)
    reason = forms.CharField(
        label=_("reason"),
        max_length=200,
        help_text=_("Why this person must not see it, e.g. a close relative works there."),
    )

    def __init__(self, *args: Any, acting_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        bodies = Body.objects.visible_to(acting_user)
        self.fields["user"].queryset = (
            User.objects.filter(body__in=bodies, is_active=True)
            .exclude(pk=acting_user.pk)
            .order_by("username")
        )
        self.fields["person"].queryset = Person.objects.visible_to(acting_user).order_by("name")
        self.fields["department"].queryset = Department.objects.visible_to(acting_user).order_by("name")
        self.fields["body"].queryset = bodies.order_by("region__code", "name")

    def clean_region(self) -> Region | None:
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        if not (code.isascii() and code.isdigit() and len(code) == 12):
            raise forms.ValidationError(_("A region code has exactly 12 digits."))
        region = Region.objects.visible_to(self.acting_user).filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No region in your scope has the code %(code)s.") % {"code": code})
        return region

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        target = data.get("target")
        if target and not data.get(target):
            self.add_error(target, _("Choose what the user is recused from."))
        return data

    @property
    def target_record(self) -> Model:
        return self.cleaned_data[self.cleaned_data["target"]]
