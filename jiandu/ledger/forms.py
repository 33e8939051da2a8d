"""Forms of the problem ledger. Choices are limited to the user's scope; the service checks again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.core.widgets import Select
from jiandu.ledger.filtersets import DateInput
from jiandu.ledger.models import Category, Problem, ProblemStatus, Source
from jiandu.org.models import Body, BodyKind, Department, Region, RegionKind

UNIT_TOWNSHIP = "township"
UNIT_DEPARTMENT = "department"
# Places a problem is found at: a county (or zone), a township or a village.
PLACE_KINDS = [RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE, RegionKind.TOWNSHIP, RegionKind.VILLAGE]


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code[:9] if obj.kind != RegionKind.VILLAGE else obj.code} {obj.name}"


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.name}（{obj.region.name}）"


def evidence_max_bytes() -> int:
    return int(getattr(settings, "LEDGER_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


class ProblemForm(forms.ModelForm):
    """Enter or edit a problem. The responsible unit is a township or a department: the kind is chosen
    first, and only the matching field counts (the ledger follows from it)."""

    unit_kind = forms.ChoiceField(
        label=_("responsible unit is"),
        choices=[(UNIT_TOWNSHIP, _("a township")), (UNIT_DEPARTMENT, _("a county department"))],
        widget=forms.RadioSelect,
        initial=UNIT_TOWNSHIP,
    )

    class Meta:
        model = Problem
        fields = [
            "source",
            "category",
            "found_on",
            "region",
            "unit_kind",
            "responsible_region",
            "responsible_department",
            "facts",
            "amount",
        ]
        widgets = {
            "found_on": DateInput(),
            "source": Select,
            "category": Select,
            "region": Select,
            "responsible_region": Select,
            "responsible_department": Select,
            "facts": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {
            "region": RegionChoiceField,
            "responsible_region": RegionChoiceField,
            "responsible_department": DepartmentChoiceField,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.visible_to(user, "view")
        self.fields["source"].queryset = Source.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.source_id or 0)
        )
        self.fields["category"].queryset = Category.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.category_id or 0)
        )
        self.fields["region"].queryset = regions.filter(kind__in=PLACE_KINDS).order_by("code")
        self.fields["responsible_region"].queryset = regions.filter(kind=RegionKind.TOWNSHIP).order_by("code")
        self.fields["responsible_department"].queryset = (
            Department.objects.visible_to(user).filter(is_active=True).select_related("region")
        )
        self.fields["responsible_region"].help_text = _("For the townships' ledger.")
        self.fields["responsible_department"].help_text = _("For the departments' ledger.")
        self.fields["source"].widget.attrs["autofocus"] = True
        if self.instance.pk and self.instance.responsible_department_id:
            self.initial["unit_kind"] = UNIT_DEPARTMENT
        if self.instance.pk is None:
            self.initial.setdefault("found_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("unit_kind")
        if kind == UNIT_TOWNSHIP:
            data["responsible_department"] = None
            if not data.get("responsible_region") and "responsible_region" not in self.errors:
                self.add_error("responsible_region", _("Choose the responsible township."))
        elif kind == UNIT_DEPARTMENT:
            data["responsible_region"] = None
            if not data.get("responsible_department") and "responsible_department" not in self.errors:
                self.add_error("responsible_department", _("Choose the responsible department."))
        return data

    def _post_clean(self) -> None:
        # The service validates the model (with the scope checks a form cannot know) and saves it.
        pass

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data.get(name) for name in self._meta.fields if name != "unit_kind"}


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = evidence_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("%(name)s is %(size)s; a file of evidence may be at most %(limit)s.")
                % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("%(name)s is empty.") % {"name": upload.name})
        return upload


BULK_STATUS = "status"
BULK_CATEGORY = "category"
BULK_SHARE = "share"
BULK_ACTIONS = [
    (BULK_STATUS, _("Change status")),
    (BULK_CATEGORY, _("Change category")),
    (BULK_SHARE, _("Share with another body")),
]
# Statuses a bulk action may set: closure needs a verified rectification, a merge a duplicate pair.
BULK_STATUSES = [
    (value, label)
    for value, label in ProblemStatus.choices
    if value not in (ProblemStatus.CLOSED, ProblemStatus.MERGED)
]


def share_targets(user: Any) -> QuerySet:
    """Bodies a problem may be shared with: active bodies in the user's scope and the commissions above
    it, never a village committee (they file, they do not receive)."""
    from jiandu.access.scoping import scope_for

    scope = scope_for(user)
    above = [region.pk for region in scope.region.ancestors()] if scope.region else []
    return (
        Body.objects.filter(
            Q(pk__in=Body.objects.visible_to(user).values("pk"))
            | Q(region__in=above, kind__in=[BodyKind.COMMISSION, BodyKind.WORKING_COMMISSION])
        )
        .filter(is_active=True)
        .exclude(kind=BodyKind.VILLAGE_COMMITTEE)
        .exclude(pk=getattr(user, "body_id", None))
        .select_related("region")
        .order_by("region__code", "sort_order", "name")
    )


class BulkForm(forms.Form):
    """The second step of a bulk action: what to set, for the problems chosen on the list."""

    action = forms.ChoiceField(label=_("action"), choices=BULK_ACTIONS)
    status = forms.ChoiceField(label=_("new status"), choices=BULK_STATUSES, required=False, widget=Select)
    category = forms.ModelChoiceField(
        label=_("new category"), queryset=Category.objects.none(), required=False, widget=Select
    )
    body = forms.ModelChoiceField(
        label=_("share with"), queryset=Body.objects.none(), required=False, widget=Select
    )
    can_change = forms.BooleanField(label=_("they may also change them"), required=False)
    reason = forms.CharField(label=_("reason for sharing"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["body"].queryset = share_targets(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        required = {
            BULK_STATUS: ["status"],
            BULK_CATEGORY: ["category"],
            BULK_SHARE: ["body", "reason"],
        }.get(action or "", [])
        for name in required:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Required for this action."))
        return data


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["code", "name", "sort_order", "is_active"]


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "sector", "sort_order", "is_active"]
