from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "jiandu.filing"
    label = "filing"
    verbose_name = _("Periodic filing")  # zh: 定期报备
