from django.urls import path

from jiandu.elevated import views

app_name = "elevated"

urlpatterns = [
    path("", views.elevated_list, name="elevated-list"),
    path("runs/", views.RunListView.as_view(), name="run-list"),
    path("runs/new/", views.run_create, name="run-create"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/export.xlsx", views.run_export, name="run-export"),
    path("runs/<int:pk>/approve/", views.run_approve, name="run-approve"),
    path("rules/", views.RuleSetListView.as_view(), name="ruleset-list"),
    path("rules/new/", views.ruleset_create, name="ruleset-create"),
    path("rules/<int:pk>/edit/", views.ruleset_edit, name="ruleset-edit"),
    path("assets/", views.AssetsListView.as_view(), name="assets-list"),
    path("assets/export.xlsx", views.assets_export, name="assets-export"),
    path("assets/new/", views.assets_create, name="assets-create"),
    path("assets/import/", views.assets_import_view, name="assets-import"),
    path("files/", views.IntegrityFileListView.as_view(), name="file-list"),
    path("files/new/", views.file_create, name="file-create"),
    path("files/<int:pk>/", views.file_detail, name="file-detail"),
    path("files/<int:pk>/edit/", views.file_edit, name="file-edit"),
    path("audits/", views.DepartureAuditListView.as_view(), name="audit-list"),
    path("audits/new/", views.audit_create, name="audit-create"),
    path("audits/<int:pk>/edit/", views.audit_edit, name="audit-edit"),
]
