import django_filters
from django.utils.translation import gettext_lazy as _

from jiandu.org.models import Body, BodyKind, Department, Education, Level, Person, PostKind, Region, RegionKind


class RegionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=RegionKind.choices)

    class Meta:
        model = Region
        fields = ["kind"]


class BodyFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=BodyKind.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices)

    class Meta:
        model = Body
        fields = ["kind", "level"]


class DepartmentFilterSet(django_filters.FilterSet):
    class Meta:
        model = Department
        fields = ["is_active"]


class PersonFilterSet(django_filters.FilterSet):
    education = django_filters.ChoiceFilter(label=_("education"), choices=Education.choices)
    post = django_filters.ChoiceFilter(
        label=_("post"), choices=PostKind.choices, field_name="posts__kind", distinct=True
    )

    class Meta:
        model = Person
        fields = ["education", "post"]
