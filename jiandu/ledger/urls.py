from django.urls import path

from jiandu.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.ProblemListView.as_view(), name="problem-list"),
    path("new/", views.problem_create, name="problem-create"),
    path("export/", views.problem_export, name="problem-export"),
    path("bulk/", views.problem_bulk, name="problem-bulk"),
    path("<int:pk>/", views.ProblemDetailView.as_view(), name="problem-detail"),
    path("<int:pk>/edit/", views.problem_edit, name="problem-edit"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("catalogues/", views.catalogues, name="catalogues"),
    path("catalogues/sources/new/", views.source_edit, name="source-create"),
    path("catalogues/sources/<int:pk>/", views.source_edit, name="source-edit"),
    path("catalogues/categories/new/", views.category_edit, name="category-create"),
    path("catalogues/categories/<int:pk>/", views.category_edit, name="category-edit"),
]
