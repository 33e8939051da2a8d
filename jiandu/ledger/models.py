"""The one problem ledger: every problem found by any source and any body, in one place.

A problem lands in one of two ledgers by its responsible unit: a township (`responsible_region`) puts it in
the townships' ledger, a county department (`responsible_department`) in the departments' ledger. Sources
and categories are editable catalogues. A likely duplicate found across sources is a `DuplicateCandidate`;
merging keeps both problems (the merged one points at the one kept, so both sources stay on record).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import (
    VIEW,
    DependentQuerySet,
    ScopedQuerySet,
    TimeStampedModel,
    VocabularyQuerySet,
)

if TYPE_CHECKING:
    from jiandu.access.scoping import Scope


class Source(models.Model):
    """Where a problem came from: 日常监督, 专项监督, 巡察, 派驻监督, 审计监督 … (extensible)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem source")
        verbose_name_plural = _("problem sources")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A kind of problem (惠民政策落实, 村级三资管理 …), with the sector whose departments answer for it."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    sector = models.CharField(
        _("sector"),
        max_length=30,
        blank=True,
        help_text=_("The departments' sector that answers for this kind of problem (民政, 农业农村 …)."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Ledger(models.TextChoices):
    """The two rectification ledgers (双台账), decided by the kind of responsible unit."""

    TOWNSHIP = "township", _("townships' ledger")
    DEPARTMENT = "department", _("departments' ledger")


class ProblemStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    RECTIFYING = "rectifying", _("being rectified")
    CLOSED = "closed", _("closed after verification")
    TRANSFERRED = "transferred", _("transferred as a clue")
    NO_ACTION = "no_action", _("no rectification needed")
    MERGED = "merged", _("merged into another")


# A scope over a county or more, or of this many parts, is read newest first across the ledger.
LARGE_LEVELS = frozenset({"province", "city", "county"})
SCOPE_MAX_PARTS = 64


class ProblemQuerySet(ScopedQuerySet):
    """A problem is seen by the bodies whose region holds the place it was found, by a dispatched group
    when the responsible unit is one of its departments, and always by the body that found it."""

    region_path = "region"
    scope_may_repeat_rows = False  # found_by, region and department are foreign keys: one row each

    def scope_q(self, scope: Scope, action: str) -> Q:
        # `scope_parts` splits the same rule into parts: change them together.
        own = Q(found_by=scope.body_id)
        if scope.department_ids is not None:
            return own | Q(responsible_department__in=scope.department_ids)
        return own | scope.region_q("region")

    def scope_parts(
        self, user: Any, *, searching: bool = True, max_parts: int = SCOPE_MAX_PARTS
    ) -> list[Q] | None:
        """The problems `visible_to(user)` may show, as a few parts that together hold them all: those the
        body found, those of each of its departments (a dispatched group) or of each place of its regions,
        and those shared with it. Each but the last is the rows of one key an index starts with, then the
        date (`ledger_problem_finder_date`, `_dept_date`, `_region_date`): the newest of a part are read
        without reading the others. A part may hold rows outside the scope; read them through
        `visible_to`. None for a county's or the city's scope (their share of the ledger is large enough to
        walk the newest-first index), one of `max_parts` parts or more, or one without bounds; and for a
        scope of places (a township) unless `searching`: without a word, its rows, one or two per cent of
        the ledger, come often enough in the newest-first walk (measured: docs/benchmarks.md,
        ledger-list)."""
        from jiandu.access.scoping import scope_for
        from jiandu.org.models import Region

        scope = scope_for(user)
        if scope.nothing or scope.everything or scope.body_id is None:
            return None
        parts = [Q(found_by=scope.body_id)]
        if scope.department_ids is not None:
            parts += [Q(responsible_department=pk) for pk in sorted(scope.department_ids)]
        elif not searching or any(region.level in LARGE_LEVELS for region in scope.regions):
            return None
        else:
            places = Region.objects.filter(scope.region_q("")).order_by("pk").values_list("pk", flat=True)
            parts += [Q(region=pk) for pk in places[:max_parts]]
        if len(parts) >= max_parts:
            return None
        return [*parts, self._shared_q(scope, VIEW)]

    def in_ledger(self, ledger: str) -> ProblemQuerySet:
        return self.filter(ledger=ledger)


class Problem(TimeStampedModel):
    """Something found by supervision, kept in the one ledger."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT)
    found_by = models.ForeignKey(
        "org.Body",
        verbose_name=_("found by"),
        on_delete=models.PROTECT,
        related_name="problems_found",
        db_index=False,  # `ledger_problem_finder_date` starts with it
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="problems",
        help_text=_("The village, township or county where the problem was found."),
        db_index=False,  # `ledger_problem_region_date` starts with it
    )
    ledger = models.CharField(_("ledger"), max_length=12, choices=Ledger.choices, editable=False)
    responsible_region = models.ForeignKey(
        "org.Region",
        verbose_name=_("responsible township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_answered",
        db_index=False,  # partial index in Meta: half the ledger has no responsible township
    )
    responsible_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
        db_index=False,  # partial index in Meta
    )
    # No index of its own: `ledger_problem_cat_status` starts with the category.
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, db_index=False
    )
    facts = models.TextField(_("facts"))
    amount = models.DecimalField(
        _("amount involved (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    found_on = models.DateField(_("date found"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.REGISTERED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_problems",
        db_index=False,  # partial index in Meta: few problems are ever merged
    )
    # Hash of the normalised row an import made it from: the same row imported again creates nothing.
    fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        ledger="township",
                        responsible_region__isnull=False,
                        responsible_department__isnull=True,
                    )
                    | Q(
                        ledger="department",
                        responsible_region__isnull=True,
                        responsible_department__isnull=False,
                    )
                ),
                name="ledger_problem_one_responsible_unit",
            ),
            models.UniqueConstraint(
                fields=["found_by", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="ledger_problem_unique_fingerprint",
            ),
        ]
        indexes = [
            models.Index(fields=["found_on", "id"]),
            models.Index(fields=["status", "found_on"]),
            models.Index(fields=["ledger", "status"]),
            # The list filtered by category and status, newest first, without walking the whole ledger.
            models.Index(fields=["category", "status", "found_on", "id"], name="ledger_problem_cat_status"),
            # The nullable keys indexed where set: an import of 100,000 rows then writes 250,000 fewer
            # index entries (docs/benchmarks.md, import-ledger), and lookups by a value still use them.
            models.Index(
                fields=["responsible_region"],
                condition=Q(responsible_region__isnull=False),
                name="ledger_problem_resp_region",
            ),
            # A part of a small scope (ProblemQuerySet.scope_parts) newest first: a place, a department,
            # the finder.
            models.Index(fields=["region", "found_on", "id"], name="ledger_problem_region_date"),
            models.Index(
                fields=["responsible_department", "found_on", "id"],
                condition=Q(responsible_department__isnull=False),
                name="ledger_problem_dept_date",
            ),
            models.Index(fields=["found_by", "found_on", "id"], name="ledger_problem_finder_date"),
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="ledger_problem_merged_into",
            ),
            # On PostgreSQL also a trigram index of the facts (migration 0004, not expressible here).
        ]

    def __str__(self) -> str:
        return f"{self.found_on:%Y-%m-%d} {self.facts[:30]}"

    @property
    def responsible_unit(self) -> object:
        """The township (a Region) or the department (a Department) that must rectify."""
        return self.responsible_region if self.ledger == Ledger.TOWNSHIP else self.responsible_department


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.problem_id}/{filename}"


class EvidenceQuerySet(DependentQuerySet):
    parent_paths = ("problem",)


class Evidence(TimeStampedModel):
    """A file that backs a problem (a photo, a scanned record, a spreadsheet)."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["problem", "created_at"]

    def __str__(self) -> str:
        return self.name


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("to be decided")
    MERGED = "merged", _("merged")
    DISMISSED = "dismissed", _("not a duplicate")


class DuplicateCandidateQuerySet(DependentQuerySet):
    """A pair is seen by those who see both of its problems."""

    parent_paths = ("first", "second")


class DuplicateCandidate(TimeStampedModel):
    """Two problems, likely the same one reported twice (e.g. by a dispatched group and a township)."""

    first = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("similarity"))
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("likely duplicate")
        verbose_name_plural = _("likely duplicates")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="ledger_duplicate_unique_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="ledger_duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score:.2f})"
