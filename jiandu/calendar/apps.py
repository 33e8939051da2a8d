from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "jiandu.calendar"
    label = "calendar"
    verbose_name = _("Working-day calendar")  # zh: 工作日历

    def ready(self) -> None:
        from jiandu.calendar import days

        days.connect_signals()
