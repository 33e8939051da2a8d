"""Forms of periodic filing: submitting a period, and editing a rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiandu.filing.models import FilingRule
from jiandu.filing.services import RULE_FIELDS


class SubmitForm(forms.Form):
    """The period to file (the body's recent ended periods) and, when it found nothing, the nil report."""

    period = forms.ChoiceField(label=_("Period"))
    nothing_to_report = forms.BooleanField(
        label=_("Nothing to report in this period (nil report)"),  # zh: 本期无问题（零报告）
        required=False,
    )

    def __init__(self, *args: Any, periods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period, period) for period in periods]


class FilingRuleForm(forms.ModelForm):
    class Meta:
        model = FilingRule
        fields = list(RULE_FIELDS)
