from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiandu.org.models import Body, Department, Person, PostKind, Region, RegionKind, Skill


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "establishment", "parent", "is_active", "supervised_departments"]
        widgets = {"supervised_departments": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Body.objects.visible_to(user).exclude(pk=self.instance.pk)
        departments = Department.objects.visible_to(user).filter(region=self.instance.region_id)
        if self.instance.kind != "dispatched_group":
            del self.fields["supervised_departments"]
        else:
            self.fields["supervised_departments"].queryset = departments


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["region", "name", "short_name", "sector", "is_active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(
            kind__in=[RegionKind.CITY, RegionKind.COUNTY, RegionKind.FUNCTIONAL_ZONE]
        )


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "gender", "birth_year", "education", "is_party_member", "skills"]
        widgets = {"skills": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.all()
        if self.instance.pk is None:
            # A new person is entered with their first post, which places them in the user's scope.
            self.fields["body"] = forms.ModelChoiceField(
                label=_("body"), queryset=Body.objects.visible_to(user, "change")
            )
            self.fields["post_kind"] = forms.ChoiceField(label=_("post"), choices=PostKind.choices)
            self.fields["post_title"] = forms.CharField(label=_("title"), required=False, max_length=80)
