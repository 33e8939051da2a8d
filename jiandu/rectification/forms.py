"""Forms of the rectification pages. They only shape input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiandu.rectification.models import LimitUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class OpenForm(forms.Form):
    measures = forms.CharField(
        label=_("measures"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the unit must do, and how the result will be checked."),
    )
    workdays_allowed = forms.IntegerField(
        label=_("working days allowed"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Counted on the Chinese calendar from the opening date, holidays and 调休 included."),
    )
    deadline = forms.DateField(
        label=_("or a deadline"),
        required=False,
        widget=DATE,
        help_text=_("A date overrides the working days."),
    )
    opened_on = forms.DateField(label=_("opened on"), required=False, widget=DATE)


class EditForm(forms.Form):
    measures = forms.CharField(label=_("measures"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("deadline"), widget=DATE)


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("progress"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What has been done since the last report."),
    )
    claims_done = forms.BooleanField(
        label=_("The rectification is done: ask for verification"), required=False
    )
    files = MultipleFileField(label=_("evidence files"), required=False)
    reported_on = forms.DateField(label=_("reported on"), required=False, widget=DATE)


class VerifyForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("result"),
        choices=[("1", _("Passed: the rectification is done")), ("0", _("Sent back: not done yet"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was checked; why it is sent back (required then)."),
    )
    verified_on = forms.DateField(label=_("verified on"), required=False, widget=DATE)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("closed on"), required=False, widget=DATE)


class TimeLimitForm(forms.Form):
    amount = forms.IntegerField(label=_("amount"), min_value=0, max_value=10_000)
    unit = forms.ChoiceField(label=_("unit"), choices=LimitUnit.choices)
    rule = forms.CharField(label=_("rule"), max_length=200)
