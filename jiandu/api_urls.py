"""The REST API under /api/. `router.registry` lists every endpoint (prefix, viewset): tests walk it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from jiandu.access.api.views import MeView, TokenView, UserViewSet
from jiandu.consultation.api import views as consultation
from jiandu.core.api.viewsets import NotFoundView
from jiandu.crossing.api import views as crossing
from jiandu.elevated.api import views as elevated
from jiandu.filing.api import views as filing
from jiandu.geo.api import views as geo
from jiandu.ledger.api import views as ledger
from jiandu.org.api import views as org
from jiandu.rectification.api import views as rectification
from jiandu.zones.api import views as zones

app_name = "api"

router = DefaultRouter()
router.register("regions", org.RegionViewSet, basename="region")
router.register("bodies", org.BodyViewSet, basename="body")
router.register("departments", org.DepartmentViewSet, basename="department")
router.register("people", org.PersonViewSet, basename="person")
router.register("posts", org.PostViewSet, basename="post")
router.register("skills", org.SkillViewSet, basename="skill")
router.register("users", UserViewSet, basename="user")
router.register("problems", ledger.ProblemViewSet, basename="problem")
router.register("problem-sources", ledger.SourceViewSet, basename="problem-source")
router.register("problem-categories", ledger.CategoryViewSet, basename="problem-category")
router.register("evidence", ledger.EvidenceViewSet, basename="evidence")
router.register("rectifications", rectification.RectificationViewSet, basename="rectification")
router.register("progress-reports", rectification.ProgressReportViewSet, basename="progress-report")
router.register("filings", filing.FilingViewSet, basename="filing")
router.register("filing-rules", filing.FilingRuleViewSet, basename="filing-rule")
router.register("consultation-sessions", consultation.SessionViewSet, basename="consultation-session")
router.register("systemic-problems", consultation.SystemicProblemViewSet, basename="systemic-problem")
router.register("region-shapes", geo.RegionShapeViewSet, basename="region-shape")
router.register("adjacencies", geo.AdjacencyViewSet, basename="adjacency")
router.register("zone-plans", zones.ZonePlanViewSet, basename="zone-plan")
router.register("zones", zones.ZoneViewSet, basename="zone")
router.register("cross-rounds", crossing.CrossRoundViewSet, basename="cross-round")
router.register("selection-runs", elevated.SelectionRunViewSet, basename="selection-run")
router.register("elevated-villages", elevated.ElevatedVillageViewSet, basename="elevated-village")

urlpatterns = [
    path("token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A person opening the docs signed out is sent to the login page, as for any page.
    path("docs/", login_required(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("", include(router.urls)),
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
