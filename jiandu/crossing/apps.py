from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrossingConfig(AppConfig):
    name = "jiandu.crossing"
    label = "crossing"
    verbose_name = _("Cross supervision")  # zh: 交叉监督
