"""The working-day calendar entered by administrators (工作日历).

The `chinese-calendar` package knows the State Council's holiday arrangements (放假安排) up to the year it
was released for; each autumn the notice for the next year comes out. Administrators enter it here,
without a software release: a `CalendarYear` (the notice it comes from, who entered it, and whether it is
complete) with its `CalendarDay`s — the days off (春节, 国庆节 …, weekends inside a holiday included) and
the adjusted working days (调休上班). Entered days override the package's; a year marked complete is
counted even where the package does not know it (its other days follow Monday to Friday). Deadlines read
them through jiandu/calendar/days.py, which hands them to the pure jiandu/lib/workdays.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core.querysets import TimeStampedModel, VocabularyQuerySet

FIRST_YEAR = 2000
LAST_YEAR = 2100


class CalendarYear(TimeStampedModel):
    """One year's holiday arrangement as entered: the notice it comes from and whether it is complete."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_(
            "The notice the arrangement comes from, e.g. 国务院办公厅关于2027年部分节假日安排的通知."
        ),
    )
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_(
            "Every holiday and adjusted working day of the year is entered: deadlines in this year are "
            "counted with it."
        ),
    )  # zh: 已录入完整
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The same calendar for everyone: a shared table of the platform, not a record about anyone.
    objects = VocabularyQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar year")  # zh: 日历年度
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(TimeStampedModel):
    """A day that differs from the usual week: a day off (is_workday False) or an adjusted working day."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("worked"), help_text=_("Ticked for an adjusted working day (调休上班), clear for a day off.")
    )
    name = models.CharField(_("name"), max_length=40, blank=True, help_text=_("e.g. 春节, 国庆节, 调休上班"))

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")  # zh: 日历日
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_workday else _("day off")
        return f"{self.date:%Y-%m-%d} {kind} {self.name}".strip()

    def clean(self) -> None:
        if self.date and self.calendar_year_id and self.date.year != self.calendar_year.year:
            raise ValidationError(
                {
                    "date": _("%(date)s is not in %(year)s.")
                    % {"date": self.date.isoformat(), "year": self.calendar_year.year}
                }
            )
