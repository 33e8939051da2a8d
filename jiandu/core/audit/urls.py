from django.urls import path

from jiandu.core.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditEntryListView.as_view(), name="list"),
    path("export/", views.entry_csv, name="export"),
    path("<int:pk>/", views.AuditEntryDetailView.as_view(), name="detail"),
]
