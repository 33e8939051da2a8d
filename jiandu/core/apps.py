from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jiandu.core"
    label = "core"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Every app is loaded here, so the audited models (all of jiandu.*) are known.
        from jiandu.core.audit import capture

        capture.connect()
