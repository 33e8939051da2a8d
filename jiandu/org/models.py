"""The organisation registry: regions, bodies, departments, people and their posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import ScopedQuerySet, TimeStampedModel, VocabularyQuerySet

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope


class Level(models.TextChoices):
    """Administrative level of a region or a body."""

    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")


# Significant digits of a statistical code at each level; the rest are zeros.
CODE_DIGITS = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
code_validator = RegexValidator(r"^\d{12}$", _("A division code has exactly 12 digits."))


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")
    FUNCTIONAL_ZONE = "functional_zone", _("functional zone")


class RegionQuerySet(ScopedQuerySet):
    region_path = ""

    def scope_q(self, scope: Scope, action: str) -> Q:
        return scope.region_q("")

    def subtree(self, region: Region) -> RegionQuerySet:
        return self.filter(region.subtree_q())


class Region(TimeStampedModel):
    """A division of the statistical code (省/市/县/乡/村) or a functional zone (经开区, 旅游区).

    A statutory subtree is a code prefix. A functional zone has a code outside the statistical code space
    (`is_statistical=False`); the townships carved out of statutory counties for it, and their villages,
    point to it through `functional_zone`, and drop out of their statutory county's scope.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(
        _("short name"),
        max_length=50,
        blank=True,
        help_text=_("How people usually write it, e.g. 马官 for 马官镇."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    functional_zone = models.ForeignKey(
        "self",
        verbose_name=_("functional zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carved_regions",
        limit_choices_to={"kind": RegionKind.FUNCTIONAL_ZONE},
    )
    is_statistical = models.BooleanField(_("in the statistical code"), default=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The significant digits of the code: every region below this one starts with them."""
        return self.code[: CODE_DIGITS[Level(self.level)]]

    def subtree_q(self, path: str = "") -> Q:
        """A filter selecting this region and everything below it; `path` leads to the region field."""
        field = f"{path}__" if path else ""
        if self.kind == RegionKind.FUNCTIONAL_ZONE:
            return Q(**{f"{field}pk": self.pk}) | Q(**{f"{field}functional_zone": self.pk})
        q = Q(**{f"{field}code__startswith": self.prefix})
        if self.kind == RegionKind.COUNTY:
            q &= Q(**{f"{field}functional_zone__isnull": True})
        return q

    def ancestors(self) -> list[Region]:
        """The statutory chain above this region, top first (for breadcrumbs)."""
        chain: list[Region] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class BodyKind(models.TextChoices):
    COMMISSION = "commission", _("commission for discipline inspection and supervision")
    OFFICE = "office", _("internal office")
    WORKING_COMMISSION = "working_commission", _("working commission")
    DISPATCHED_GROUP = "dispatched_group", _("dispatched group")
    INSPECTION_OFFICE = "inspection_office", _("inspection office")
    INSPECTION_TEAM = "inspection_team", _("inspection team")
    TOWNSHIP_OFFICE = "township_office", _("township office")
    VILLAGE_COMMITTEE = "village_committee", _("village affairs supervision committee")
    ZONE_GROUP = "zone_group", _("zone group")
    TASK_FORCE = "task_force", _("task force")


class BodyQuerySet(ScopedQuerySet):
    region_path = "region"

    def scope_q(self, scope: Scope, action: str) -> Q:
        if scope.department_ids is not None:
            # A dispatched group sees itself and nothing else of the body tree.
            return Q(pk=scope.body_id)
        return scope.region_q("region") | Q(pk=scope.body_id)


class Body(TimeStampedModel):
    """An organ of the supervision force: a commission, one of its offices, a dispatched group, a township
    office, a village affairs supervision committee, a zone group or a task force.

    `establishment` (编制) is set on bodies that hold authorised posts; a body without it (an internal
    office, a village committee) is staffed within its parent's establishment. Headcount (实有) is never
    stored: it is counted from active posts.
    """

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="bodies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    establishment = models.PositiveIntegerField(
        _("establishment (posts)"),
        null=True,
        blank=True,
        help_text=_("Authorised posts (编制). Leave empty when the body is staffed within its parent's."),
    )
    supervised_departments = models.ManyToManyField(
        "Department", verbose_name=_("supervised departments"), blank=True, related_name="supervising_bodies"
    )
    covered_regions = models.ManyToManyField(
        Region,
        verbose_name=_("covered regions"),
        blank=True,
        related_name="covering_bodies",
        help_text=_(
            "Regions a zone group or task force covers besides its own region; they widen its scope."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["region__code", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "name"], name="org_body_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentQuerySet(ScopedQuerySet):
    region_path = "region"

    def scope_q(self, scope: Scope, action: str) -> Q:
        if scope.department_ids is not None:
            return Q(pk__in=scope.department_ids)
        return scope.region_q("region")


class Department(TimeStampedModel):
    """A county (or city) department as a supervised unit (县直部门), with the names people write."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("full name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=60, help_text=_("e.g. 县卫健局"))
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="org_department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A professional skill in the talent pool (法律, 财务, 审计 …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("postgraduate")
    BACHELOR = "bachelor", _("bachelor")
    COLLEGE = "college", _("junior college")
    SENIOR = "senior", _("senior secondary")
    JUNIOR = "junior", _("junior secondary or below")


class Gender(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")


class PersonQuerySet(ScopedQuerySet):
    person_path = ""

    def scope_q(self, scope: Scope, action: str) -> Q:
        if scope.department_ids is not None:
            return Q(posts__body=scope.body_id, posts__ended_on__isnull=True)
        return scope.region_q("posts__region") & Q(posts__ended_on__isnull=True)


class Person(TimeStampedModel):
    """A member of the supervision force, cadre or village supervisor."""

    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1930), MaxValueValidator(2015)],
    )
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="people")
    is_party_member = models.BooleanField(_("Party member"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class PostKind(models.TextChoices):
    """Kinds of post. The first group sits in a body; the village group sits on a village."""

    LEADER = "leader", _("leader")
    DIRECTOR = "director", _("director")
    DEPUTY_DIRECTOR = "deputy_director", _("deputy director")
    SUPERVISOR = "supervisor", _("full-time supervisor")
    STAFF = "staff", _("cadre")
    VILLAGE_DISCIPLINE_MEMBER = "village_discipline_member", _("village discipline member")
    LIVELIHOOD_SUPERVISOR = "livelihood_supervisor", _("livelihood supervisor")
    VILLAGE_COMMITTEE_CHAIR = (
        "village_committee_chair",
        _("chair of the village affairs supervision committee"),
    )
    VILLAGE_COMMITTEE_MEMBER = (
        "village_committee_member",
        _("member of the village affairs supervision committee"),
    )


VILLAGE_POST_KINDS = (
    PostKind.VILLAGE_DISCIPLINE_MEMBER,
    PostKind.LIVELIHOOD_SUPERVISOR,
    PostKind.VILLAGE_COMMITTEE_CHAIR,
    PostKind.VILLAGE_COMMITTEE_MEMBER,
)
VILLAGE_COMMITTEE_POST_KINDS = (PostKind.VILLAGE_COMMITTEE_CHAIR, PostKind.VILLAGE_COMMITTEE_MEMBER)


class PostQuerySet(ScopedQuerySet):
    region_path = "region"
    person_path = "person"

    def scope_q(self, scope: Scope, action: str) -> Q:
        if scope.department_ids is not None:
            return Q(body=scope.body_id)
        return scope.region_q("region")

    def active(self) -> PostQuerySet:
        return self.filter(ended_on__isnull=True)


class Post(TimeStampedModel):
    """A person's post in a body, or on a village for the village posts that have no body of their own.

    `region` is always set (the body's region, or the village) so that scope is one filter.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(_("post"), max_length=30, choices=PostKind.choices)
    title = models.CharField(_("title"), max_length=80, blank=True)
    body = models.ForeignKey(
        Body, verbose_name=_("body"), null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="posts"
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["region__code", "kind", "pk"]
        indexes = [models.Index(fields=["kind", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None
