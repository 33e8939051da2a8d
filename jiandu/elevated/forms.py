"""Forms of the elevated-supervision pages. Rules that contradict each other come back from the service at
their fields (`form.add_error(None, exc)`), and nothing is saved."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import CHANGE
from jiandu.elevated.models import (
    AuditStatus,
    EntryKind,
    IntegrityFile,
    Role,
    SelectionRuleSet,
)
from jiandu.lib.elevation import FLAG_KINDS
from jiandu.org.models import Body, Gender, Level, Region

FLAGS_HELP = _(
    "One rule per line: “problems 3” (at least 3 problems in the period), “open 2” (at least 2 still open), "
    "“category 村级三资管理” (any problem of that category), “amount 50000” (yuan involved); add “city” at "
    "the end to raise to city level instead of county level."
)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def flags_text(flags: list[dict[str, Any]]) -> str:
    lines = []
    for f in flags:
        words = [f["kind"], f["category"] if f["kind"] == "category" else str(f["threshold"])]
        if f["kind"] == "category" and str(f.get("threshold", "1")) not in ("1", "1.0"):
            words.append(str(f["threshold"]))
        if f.get("level") == "city":
            words.append("city")
        lines.append(" ".join(words))
    return "\n".join(lines)


def parse_flags(text: str) -> list[dict[str, Any]]:
    flags = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        level = "county"
        if words[-1] in ("city", "county"):
            level = words.pop()
        kind = words[0] if words else ""
        if kind not in FLAG_KINDS or len(words) < 2:
            raise ValidationError(
                _("Line %(line)s: “%(text)s” is not a flag rule.") % {"line": number, "text": line.strip()}
            )
        category, threshold = "", words[1]
        if kind == "category":
            category, threshold = words[1], (words[2] if len(words) > 2 else "1")
        try:
            value = Decimal(threshold)
        except InvalidOperation:
            raise ValidationError(
                _("Line %(line)s: “%(value)s” is not a number.") % {"line": number, "value": threshold}
            ) from None
        flags.append({"kind": kind, "threshold": str(value), "category": category, "level": level})
    return flags


def region_choices(user: Any, levels: tuple[str, ...]) -> list[tuple[str, str]]:
    regions = Region.objects.visible_to(user, CHANGE).filter(level__in=levels).order_by("code")
    return [(r.code, f"{r.name} ({r.code})") for r in regions[:500]]


class RuleFieldsMixin(forms.Form):
    county_threshold = forms.DecimalField(
        label=_("County-level threshold of total 三资 (10,000 yuan)"), min_value=0, initial=200
    )
    city_threshold = forms.DecimalField(
        label=_("City-level threshold of total 三资 (10,000 yuan)"), min_value=0, initial=1000
    )
    flags = forms.CharField(
        label=_("Ledger flag rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=FLAGS_HELP,
    )
    county_cap = forms.IntegerField(
        label=_("At most this many county-level villages"), required=False, min_value=0
    )
    city_cap = forms.IntegerField(
        label=_("At most this many city-level villages"), required=False, min_value=0
    )

    def clean_flags(self) -> list[dict[str, Any]]:
        return parse_flags(self.cleaned_data.get("flags") or "")


class RuleSetForm(RuleFieldsMixin):
    name = forms.CharField(label=_("Name"), max_length=160, required=False)
    region = forms.ChoiceField(label=_("City or county"))
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Only active rule sets can be chosen for a run."),
    )

    field_order = ["name", "region"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, (Level.CITY, Level.COUNTY))


class RunForm(RuleFieldsMixin):
    """A new selection run: the region, the year of the 三资, the ledger period, and either a saved rule
    set or rules given here."""

    region = forms.ChoiceField(label=_("City or county"))
    year = forms.IntegerField(label=_("Year of the 三资 figures"), min_value=2000, max_value=2100)
    period_start = forms.DateField(label=_("Ledger period from"), required=False, widget=date_input())
    period_end = forms.DateField(label=_("Ledger period to"), required=False, widget=date_input())
    rule_set = forms.ModelChoiceField(
        label=_("Rule set"),
        queryset=SelectionRuleSet.objects.none(),
        required=False,
        empty_label=_("— the rules below —"),
    )
    name = forms.CharField(label=_("Name"), max_length=160, required=False)

    field_order = ["region", "year", "period_start", "period_end", "rule_set"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, (Level.CITY, Level.COUNTY))
        self.fields["rule_set"].queryset = SelectionRuleSet.objects.visible_to(user).filter(is_active=True)
        self.fields["year"].initial = datetime.date.today().year - 1


class AssetsForm(forms.Form):
    village = forms.CharField(
        label=_("Village code"), max_length=12, help_text=_("The 12-digit division code.")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    funds = forms.DecimalField(label=_("Funds (10,000 yuan)"), min_value=0, decimal_places=2)
    assets = forms.DecimalField(label=_("Assets (10,000 yuan)"), min_value=0, decimal_places=2)
    resources = forms.DecimalField(label=_("Resources (10,000 yuan)"), min_value=0, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx, .xls, .ods or .csv)"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False, initial=True)


class IntegrityFileForm(forms.Form):
    village = forms.CharField(label=_("Village code"), max_length=12)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    name = forms.CharField(label=_("Name"), max_length=40)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2100, required=False)
    in_office_since = forms.DateField(label=_("In office since"), required=False, widget=date_input())
    left_office_on = forms.DateField(label=_("Left office on"), required=False, widget=date_input())


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    date = forms.DateField(label=_("Date"), widget=date_input())
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    problem = forms.IntegerField(label=_("Problem number in the ledger"), required=False, min_value=1)


class DepartureAuditForm(forms.Form):
    file = forms.ModelChoiceField(label=_("Person leaving"), queryset=IntegrityFile.objects.none())
    left_office_on = forms.DateField(label=_("Left office on"), widget=date_input())
    auditor = forms.ModelChoiceField(label=_("Auditing body"), queryset=Body.objects.none())
    audit_date = forms.DateField(label=_("Audit date"), required=False, widget=date_input())
    status = forms.ChoiceField(label=_("Status"), choices=AuditStatus.choices)
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    amount_questioned = forms.DecimalField(
        label=_("Amount questioned (10,000 yuan)"), required=False, min_value=0, decimal_places=2
    )
    problems = forms.CharField(
        label=_("Problems filed to the ledger"),
        required=False,
        help_text=_("Problem numbers, separated by spaces or commas."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].queryset = IntegrityFile.objects.visible_to(user, CHANGE).select_related(
            "village"
        )
        self.fields["file"].label_from_instance = lambda f: (
            f"{f.name} · {f.village.name} · {f.get_role_display()}"
        )
        self.fields["auditor"].queryset = (
            Body.objects.visible_to(user).filter(is_active=True).order_by("name")
        )

    def clean_problems(self) -> list[int]:
        text = (self.cleaned_data.get("problems") or "").replace(",", " ").replace("，", " ")
        numbers = []
        for word in text.split():
            if not word.isdigit():
                raise ValidationError(_("“%(value)s” is not a problem number.") % {"value": word})
            numbers.append(int(word))
        return numbers
