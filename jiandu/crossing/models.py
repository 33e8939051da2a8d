"""Cross supervision (交叉监督): rounds that pair units which check each other's work, with their teams, and
the relatives on record that make a person step aside (回避).

A round is drafted by the solver (jiandu/lib/crossing) for the units of one level inside a region (villages
of a township or of a zone, townships of a county, counties of the city), read, and approved; approved
rounds are the history the next ones avoid repeating. A round, its pairs and teams are visible exactly when
the round's region is; a recorded relative exactly when the person is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import DependentQuerySet, ScopedQuerySet, TimeStampedModel
from jiandu.org.models import Level, Person, Region
from jiandu.zones.models import Zone

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("spouse")
    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    SIBLING = "sibling", _("brother or sister")
    IN_LAW = "in_law", _("in-law")
    OTHER = "other", _("other close relative")


class KinshipQuerySet(DependentQuerySet):
    parent_paths = ("person",)


class Kinship(TimeStampedModel):
    """A relative of a member of the supervision force and the unit where the relative works: the person
    never goes on a team that checks that unit."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="kin")
    relative_name = models.CharField(_("relative's name"), max_length=40)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    works_in = models.ForeignKey(
        Region, verbose_name=_("works in"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = KinshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("recorded relative")
        verbose_name_plural = _("recorded relatives")
        ordering = ["person__name", "relative_name", "pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.relative_name}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class CrossRoundQuerySet(ScopedQuerySet):
    region_path = "region"
    scope_may_repeat_rows = False

    def scope_q(self, scope: Scope, action: str) -> Q:
        if scope.department_ids is not None:
            return Q(pk__in=[])  # a dispatched group watches departments, not these rounds
        return scope.region_q("region")


class CrossRound(TimeStampedModel):
    """One round of cross supervision among the units of `level` inside `region` (or inside `zone`), with
    the rules it was solved under. `figures` holds what the solver said: the explanation when the rules
    could not all hold, the rule groups the saved pairs give up, and the teams left short."""

    name = models.CharField(_("name"), max_length=160)
    level = models.CharField(_("level of the units"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    avoid_reciprocal = models.BooleanField(_("no reciprocal pair"), default=True)
    avoid_adjacent = models.BooleanField(_("no adjacent pair"), default=False)
    no_repeat_rounds = models.PositiveSmallIntegerField(_("no pair of the last rounds"), default=2)
    team_size = models.PositiveSmallIntegerField(_("people per team"), default=2)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    figures = models.JSONField(_("solver's figures"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = CrossRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("cross-supervision round")
        verbose_name_plural = _("cross-supervision rounds")
        ordering = ["-created_at", "-pk"]
        permissions = [("approve_crossround", _("Can approve cross-supervision rounds"))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == RoundStatus.DRAFT


class CrossPairQuerySet(DependentQuerySet):
    parent_paths = ("round",)


class CrossPair(models.Model):
    """`supervisor` checks `supervised` in this round."""

    round = models.ForeignKey(
        CrossRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="pairs"
    )
    supervisor = models.ForeignKey(
        Region, verbose_name=_("checking unit"), on_delete=models.PROTECT, related_name="+"
    )
    supervised = models.ForeignKey(
        Region, verbose_name=_("checked unit"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CrossPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("cross-supervision pair")
        verbose_name_plural = _("cross-supervision pairs")
        ordering = ["round", "supervised__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "supervised"], name="crossing_pair_one_supervisor"),
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("supervised")), name="crossing_pair_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.supervised}"


class CrossTeamMemberQuerySet(DependentQuerySet):
    parent_paths = ("pair",)


class CrossTeamMember(models.Model):
    pair = models.ForeignKey(CrossPair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")

    objects = CrossTeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["pair", "person__name"]

    def __str__(self) -> str:
        return f"{self.pair} · {self.person}"
