from django.urls import path

from jiandu.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.RectificationListView.as_view(), name="list"),
    path("townships/", views.TownshipLedgerView.as_view(), name="township-ledger"),
    path("townships/reconciliation/", views.township_reconciliation, name="township-reconciliation"),
    path("departments/", views.DepartmentLedgerView.as_view(), name="department-ledger"),
    path("departments/reconciliation/", views.department_reconciliation, name="department-reconciliation"),
    path("new/", views.CandidateListView.as_view(), name="candidates"),
    path("new/<int:pk>/", views.rectification_open, name="open"),
    path("<int:pk>/", views.RectificationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.rectification_edit, name="edit"),
    path("<int:pk>/report/", views.rectification_report, name="report"),
    path("<int:pk>/verify/", views.rectification_verify, name="verify"),
    path("<int:pk>/close/", views.rectification_close, name="close"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("time-limits/", views.time_limits, name="time-limits"),
    path("time-limits/<int:pk>/", views.time_limit_edit, name="time-limit-edit"),
]
