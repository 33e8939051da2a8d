from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElevatedConfig(AppConfig):
    name = "jiandu.elevated"
    label = "elevated"
    verbose_name = _("Elevated supervision")  # zh: 提级监督
