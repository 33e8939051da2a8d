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
        # The admin reads tables whole, past scope and recusal: it is for superusers only, never for
        # staff accounts of a body, whatever model permissions they hold.
        from django.contrib import admin

        admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
