"""Consultation sessions (会商研判) and systemic problems (普遍性问题).

A `Session` gathers bodies around a set of problems from the ledger: who took part, where and when, the
analysis, and for each problem (`SessionItem`) a decision — rectify, transfer as a clue, or treat as
systemic. A `SystemicProblem` is a category found across several units in one period, confirmed from a
proposal (jiandu/lib/systemic.py) or from a session's decisions; its `FollowUp`s are the work prompts and
recommendations sent to the sector's departments. A `Dismissal` remembers a proposal a body turned down.

A session is seen by those whose scope holds its convener and by the bodies that took part; its problems
are shown only to those who may see each of them (`SessionItem` hangs from both).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import CHANGE, VIEW, DependentQuerySet, ScopedQuerySet, TimeStampedModel
from jiandu.lib.systemic import MONTH, QUARTER, period_end

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope


def bodies_in_scope_q(scope: Scope, action: str, path: str) -> Q:
    """Rows whose body (reached by `path`) lies in the scope, as the body list would show it."""
    from jiandu.org.models import Body

    bodies = Body.objects.filter(Body.objects.all().scope_q(scope, action)).values("pk")
    return Q(**{f"{path}__in": bodies})


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


def period_label(start: datetime.date, kind: str) -> str:
    """How people name a period: 2026年3月, 2026年第1季度, 2026年."""
    if kind == MONTH:
        return _g("%(year)s-%(month)02d") % {
            "year": start.year,
            "month": start.month,
        }  # zh: %(year)s年%(month)s月
    if kind == QUARTER:
        # zh: %(year)s年第%(quarter)s季度
        return _g("%(year)s Q%(quarter)s") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return _g("year %(year)s") % {"year": start.year}  # zh: %(year)s年


class Decision(models.TextChoices):
    """What a session decides for one problem."""

    RECTIFY = "rectify", _("rectify")  # zh: 督促整改
    TRANSFER = "transfer", _("transfer as a clue")  # zh: 作为问题线索移送
    SYSTEMIC = "systemic", _("treat as systemic")  # zh: 作为普遍性问题研究


class SessionQuerySet(ScopedQuerySet):
    """Seen by those whose scope holds the convener, and by every body that took part; changed only by
    those whose scope holds the convener."""

    region_path = "convener__region"

    def scope_q(self, scope: Scope, action: str) -> Q:
        q = bodies_in_scope_q(scope, action, "convener")
        if action == VIEW:
            q |= Q(participants__body=scope.body_id)
        return q


class Session(TimeStampedModel):
    """A consultation session (会商研判会): several bodies analyse a set of problems together."""

    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    convener = models.ForeignKey(
        "org.Body", verbose_name=_("convened by"), on_delete=models.PROTECT, related_name="+"
    )
    analysis = models.TextField(
        _("analysis"), blank=True, help_text=_("What the participants found the problems have in common.")
    )
    problems = models.ManyToManyField(
        "ledger.Problem", through="SessionItem", related_name="consultations", verbose_name=_("problems")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation session")
        verbose_name_plural = _("consultation sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class ParticipantQuerySet(DependentQuerySet):
    parent_paths = ("session",)


class Participant(models.Model):
    """A body, a person of the registry (with the body they came for) or a free-text guest."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    body = models.ForeignKey(
        "org.Body", verbose_name=_("body"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("A guest's name."))
    unit = models.CharField(_("unit"), max_length=120, blank=True, help_text=_("A guest's unit."))

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["session", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(person__isnull=False) | ~Q(name=""),
                name="consultation_participant_named",
            )
        ]

    def __str__(self) -> str:
        if self.person_id:
            return f"{self.person.name}（{self.body.name}）" if self.body_id else self.person.name
        if self.body_id:
            return self.body.name
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class SessionItemQuerySet(DependentQuerySet):
    """A problem of a session is seen by those who see the session and the problem."""

    parent_paths = ("session", "problem")


class SessionItem(models.Model):
    """One problem put to a session, and what the session decided for it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    problem = models.ForeignKey(
        "ledger.Problem", verbose_name=_("problem"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    systemic = models.ForeignKey(
        "SystemicProblem",
        verbose_name=_("systemic problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_items",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = SessionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem of a session")
        verbose_name_plural = _("problems of a session")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "problem"], name="consultation_item_unique"),
            models.CheckConstraint(
                condition=Q(systemic__isnull=True) | Q(decision="systemic"),
                name="consultation_item_systemic_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.problem_id}"


class SystemicProblemQuerySet(ScopedQuerySet):
    """Seen in the scope that holds its region and by the body that confirmed it; a dispatched group sees
    those whose follow-ups go to its departments. Changed by those whose scope holds the confirming body."""

    region_path = "region"

    def scope_q(self, scope: Scope, action: str) -> Q:
        if action == CHANGE:
            return bodies_in_scope_q(scope, action, "confirmed_by")
        own = Q(confirmed_by=scope.body_id)
        if scope.department_ids is not None:
            return own | Q(follow_ups__recipient__in=scope.department_ids)
        return own | scope.region_q("region")


class SystemicProblem(TimeStampedModel):
    """A category of problem found across several units in one period, confirmed as systemic."""

    category = models.ForeignKey("ledger.Category", verbose_name=_("category"), on_delete=models.PROTECT)
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period begins"))
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where it is systemic: the region of the body that confirmed it."),
    )
    problems = models.ManyToManyField(
        "ledger.Problem", related_name="systemic_problems", verbose_name=_("problems"), blank=True
    )
    analysis = models.TextField(_("analysis"), blank=True)
    confirmed_by = models.ForeignKey(
        "org.Body", verbose_name=_("confirmed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SystemicProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("systemic problem")
        verbose_name_plural = _("systemic problems")
        ordering = ["-period_start", "category__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category", "period_kind", "period_start"],
                name="consultation_systemic_unique_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_kind)

    @property
    def period_end(self) -> datetime.date:
        return period_end(self.period_start, self.period_kind)


class FollowUpKind(models.TextChoices):
    WORK_PROMPT = "work_prompt", _("work prompt")  # zh: 工作提示
    DISCIPLINE_RECOMMENDATION = "discipline", _("discipline-inspection recommendation")  # zh: 纪律检查建议书
    SUPERVISORY_RECOMMENDATION = "supervisory", _("supervisory recommendation")  # zh: 监察建议书


class FollowUpStatus(models.TextChoices):
    DRAFTED = "drafted", _("drafted")  # zh: 已拟稿
    SENT = "sent", _("sent")  # zh: 已发出
    ANSWERED = "answered", _("answered")  # zh: 已回复


# The allowed moves of a follow-up; a service refuses any other.
FOLLOW_UP_TRANSITIONS: dict[str, tuple[str, ...]] = {
    FollowUpStatus.DRAFTED: (FollowUpStatus.SENT,),
    FollowUpStatus.SENT: (FollowUpStatus.ANSWERED,),
    FollowUpStatus.ANSWERED: (),
}


class FollowUpQuerySet(DependentQuerySet):
    parent_paths = ("systemic",)


class FollowUp(TimeStampedModel):
    """A work prompt or recommendation sent to the sector's department about a systemic problem. The
    document itself is written elsewhere (a later issue); this is its register entry."""

    systemic = models.ForeignKey(
        SystemicProblem,
        verbose_name=_("systemic problem"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FollowUpKind.choices)
    number = models.CharField(_("document number"), max_length=60, blank=True)  # zh: 文号
    issued_on = models.DateField(_("date"))
    recipient = models.ForeignKey(
        "org.Department", verbose_name=_("recipient department"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.DRAFTED
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["systemic", "issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class DismissalQuerySet(ScopedQuerySet):
    """A body's dismissals are its own."""

    def scope_q(self, scope: Scope, action: str) -> Q:
        return Q(body=scope.body_id)


class Dismissal(TimeStampedModel):
    """A proposal a body turned down: it is not proposed to that body again."""

    body = models.ForeignKey("org.Body", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("ledger.Category", verbose_name=_("category"), on_delete=models.CASCADE)
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period begins"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DismissalQuerySet.as_manager()

    class Meta:
        verbose_name = _("dismissed proposal")
        verbose_name_plural = _("dismissed proposals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "category", "period_kind", "period_start"],
                name="consultation_dismissal_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} · {period_label(self.period_start, self.period_kind)}"
