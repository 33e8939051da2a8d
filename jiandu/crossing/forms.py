"""Forms of the cross-supervision pages: a new round and a recorded relative."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import CHANGE
from jiandu.crossing.models import Relation
from jiandu.org.models import Level, Person, Region
from jiandu.zones.models import PlanStatus, Zone


class RoundForm(forms.Form):
    """Where, at which level, and under which rules; the service says whether a round fits."""

    region = forms.ChoiceField(
        label=_("Region"), help_text=_("The city (counties), county (townships) or township (villages).")
    )
    level = forms.ChoiceField(
        label=_("Units"),
        choices=[
            (Level.COUNTY, _("counties")),
            (Level.TOWNSHIP, _("townships")),
            (Level.VILLAGE, _("villages")),
        ],
    )
    zone = forms.TypedChoiceField(
        label=_("Or a village zone"), coerce=int, required=False, empty_value=None,
        help_text=_("Villages of an approved village livelihood zone; the region is then its plan's."),
    )  # fmt: skip
    avoid_reciprocal = forms.BooleanField(
        label=_("No reciprocal pair (A checks B and B checks A)"), initial=True, required=False
    )
    avoid_adjacent = forms.BooleanField(label=_("No adjacent pair"), required=False)
    no_repeat_rounds = forms.IntegerField(
        label=_("No pair of the last rounds"), initial=2, min_value=0, max_value=10,
        help_text=_("How many approved rounds of the same units to look back on; 0 allows repeats."),
    )  # fmt: skip
    team_size = forms.IntegerField(
        label=_("People per team"), required=False, min_value=0, max_value=20,
        help_text=_("Empty: 2 for villages, 3 for townships and counties."),
    )  # fmt: skip
    seed = forms.IntegerField(label=_("Seed"), initial=0, min_value=0)
    name = forms.CharField(label=_("Name"), required=False, max_length=160)
    accept_nearest = forms.BooleanField(
        label=_("Save the nearest round if the rules cannot all hold"), required=False,
        help_text=_("The round then names the rules it gives up."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = (
            Region.objects.visible_to(user, CHANGE)
            .filter(level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP])
            .order_by("code")
            .only("code", "name")
        )
        self.fields["region"].choices = [(r.code, f"{r.name} {r.code}") for r in regions]
        zones = (
            Zone.objects.visible_to(user)
            .filter(plan__unit_level=Level.VILLAGE, plan__status=PlanStatus.APPROVED)
            .select_related("plan__region")
            .order_by("plan__region__code", "number")
        )
        self.zones = {z.pk: z for z in zones}
        self.fields["zone"].choices = [
            ("", "—"),
            *((z.pk, f"{z.plan.region.name} · {z.name}") for z in zones),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["zone_obj"] = self.zones.get(data.get("zone"))  # type: ignore[arg-type]
        code = data.get("region")
        data["region_obj"] = Region.objects.filter(code=code).first() if code else None
        if data["zone_obj"] is not None:
            data["region_obj"] = data["zone_obj"].plan.region
            data["level"] = Level.VILLAGE
        return data


class KinshipForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    relative_name = forms.CharField(label=_("Relative's name"), max_length=40)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    works_in = forms.CharField(
        label=_("Works in (division code)"), max_length=12,
        help_text=_("The 12-digit code of the village, township or county where the relative works."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        people = Person.objects.visible_to(user, CHANGE).distinct().order_by("name", "pk")[:2000]
        self.fields["person"].choices = [("", "—"), *((p.pk, p.name) for p in people)]

    def clean_person(self) -> Person:
        person = Person.objects.visible_to(self.user, CHANGE).filter(pk=self.cleaned_data["person"]).first()
        if person is None:
            raise forms.ValidationError(_("No person with this number in your scope."))
        return person

    def clean_works_in(self) -> Region:
        code = self.cleaned_data["works_in"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("“%(code)s” is not a division code in the registry.") % {"code": code}
            )
        return region
