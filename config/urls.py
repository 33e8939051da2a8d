from django.contrib import admin
from django.urls import include, path

from jiandu.org.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("jiandu.access.urls")),
    path("org/", include("jiandu.org.urls")),
    path("ledger/duplicates/", include("jiandu.ledger.duplicate_urls")),
    path("ledger/import/", include("jiandu.ledger.import_urls", namespace="ledger-import")),
    path("ledger/", include("jiandu.ledger.urls")),
    path("consultation/", include("jiandu.consultation.urls")),
    path("filing/", include("jiandu.filing.urls")),
    path("notices/", include("jiandu.notices.urls")),
    path("recusals/", include("jiandu.access.recusal_urls")),
    path("audit/", include("jiandu.core.audit.urls")),
    path("rectification/", include("jiandu.rectification.urls")),
    path("insights/", include("jiandu.insights.urls")),
    path("calendar/", include("jiandu.calendar.urls")),
    path("geo/", include("jiandu.geo.urls")),
    path("zones/", include("jiandu.zones.urls")),
    path("crossing/", include("jiandu.crossing.urls")),
    path("elevated/", include("jiandu.elevated.urls")),
    path("api/", include("jiandu.api_urls")),
    path("", include("jiandu.core.urls")),
]
