"""Forms of the working-day calendar pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiandu.calendar.models import FIRST_YEAR, LAST_YEAR

ARRANGEMENT_MAX_BYTES = 1024 * 1024


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    source = forms.CharField(
        label=_("source"),
        max_length=200,
        help_text=_(
            "The notice the arrangement comes from, e.g. 国务院办公厅关于2027年部分节假日安排的通知."
        ),
    )
    complete = forms.BooleanField(
        label=_("every holiday and adjusted working day of the year is entered"),
        required=False,
        help_text=_("Only then are deadlines in this year counted with it."),
    )

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if editing:
            del self.fields["year"]


KIND_CHOICES = [("holiday", _("day off (放假)")), ("workday", _("adjusted working day (调休上班)"))]


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("kind"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    name = forms.CharField(label=_("name"), max_length=40, required=False, help_text=_("e.g. 春节, 国庆节"))


class ArrangementImportForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "CSV (UTF-8 or GBK) or a spreadsheet, one day a row: date,kind,name — kind is holiday (a day off) "
            "or workday (an adjusted working day)."
        ),
    )
    source = forms.CharField(
        label=_("source"),
        max_length=200,
        required=False,
        help_text=_("The notice the arrangement comes from; needed for a year not entered yet."),
    )
    complete = forms.BooleanField(
        label=_("the file holds the whole arrangement of its years: mark them complete"),
        required=False,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > ARRANGEMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 1 MB; an arrangement is a few dozen rows.")
            )
        return upload
