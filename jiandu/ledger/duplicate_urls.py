"""/ledger/duplicates/: likely duplicates across sources, and the merge and dismiss decisions."""

from django.urls import path

from jiandu.ledger import duplicate_views as views

app_name = "ledger-duplicates"
urlpatterns = [
    path("", views.DuplicateListView.as_view(), name="list"),
    path("<int:pk>/merge/", views.duplicate_merge_view, name="merge"),
    path("<int:pk>/dismiss/", views.duplicate_dismiss_view, name="dismiss"),
]
