"""Forms of the zone pages: a new plan (kind, region, rules) and moving a unit between zones."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import CHANGE
from jiandu.org.models import Level, Region
from jiandu.zones.models import PlanKind, Zone, ZonePlan

GROUP_HELP = _("One group per line, codes separated by spaces or commas.")


def parse_groups(text: str) -> list[list[str]]:
    groups = []
    for line in text.splitlines():
        codes = [c for c in re.split(r"[\s,，、;；]+", line) if c]
        if codes:
            groups.append(codes)
    return groups


class PlanForm(forms.Form):
    """The rules of a new plan. Rules that contradict each other come back from the service, each at its
    field (`form.add_error(None, exc)`), and nothing is saved."""

    kind = forms.ChoiceField(label=_("Kind of zones"), choices=PlanKind.choices)
    region = forms.ChoiceField(label=_("Region"), help_text=_("The county (or township, or city) to zone."))
    unit_level = forms.ChoiceField(
        label=_("Units (custom zones only)"),
        choices=[(Level.TOWNSHIP, _("townships")), (Level.VILLAGE, _("villages"))],
        required=False,
    )
    min_size = forms.IntegerField(label=_("Minimum units per zone"), initial=3)
    max_size = forms.IntegerField(label=_("Maximum units per zone"), initial=5)
    min_staff = forms.IntegerField(
        label=_("Minimum staff per zone"),
        required=False,
        help_text=_("Empty: 13 cadres for township zones, 3 supervisors for village zones."),
    )
    target_zones = forms.IntegerField(label=_("Target number of zones"), required=False)
    seed = forms.IntegerField(label=_("Seed"), initial=0, min_value=0)
    together = forms.CharField(
        label=_("Units that must share a zone"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=GROUP_HELP,
    )  # fmt: skip
    apart = forms.CharField(
        label=_("Units that must not share a zone"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=GROUP_HELP,
    )  # fmt: skip
    name = forms.CharField(label=_("Name"), required=False, max_length=160)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = (
            Region.objects.visible_to(user, CHANGE)
            .filter(level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP])
            .order_by("code")
            .only("code", "name")
        )
        self.fields["region"].choices = [(r.code, f"{r.name} {r.code}") for r in regions]

    def clean_together(self) -> list[list[str]]:
        return parse_groups(self.cleaned_data["together"])

    def clean_apart(self) -> list[list[str]]:
        return parse_groups(self.cleaned_data["apart"])


class MoveForm(forms.Form):
    """Which unit goes to which zone; the choices are the plan's units and zones."""

    unit = forms.ChoiceField(label=_("Unit"))
    zone = forms.TypedChoiceField(label=_("To zone"), coerce=int)

    def __init__(
        self, *args: Any, plan: ZonePlan, units: list[tuple[str, str]], zones: list[Zone], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["unit"].choices = [("", "—"), *units]
        self.fields["zone"].choices = [("", "—"), *((z.pk, z.name) for z in zones)]
        self.zones = {z.pk: z for z in zones}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        zone = self.zones.get(data.get("zone"))  # type: ignore[arg-type]
        region = Region.objects.filter(code=data.get("unit")).first()
        if zone is None or region is None:
            raise ValidationError(_("Choose a unit and a zone."))
        data["zone_obj"], data["region_obj"] = zone, region
        return data
