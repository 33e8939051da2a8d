from django.urls import path

from jiandu.crossing import views

app_name = "crossing"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="round-list"),
    path("new/", views.round_create, name="round-create"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/export.xlsx", views.round_export, name="round-export"),
    path("<int:pk>/approve/", views.round_approve, name="round-approve"),
    path("<int:pk>/delete/", views.round_delete, name="round-delete"),
    path("relatives/", views.KinshipListView.as_view(), name="kinship-list"),
    path("relatives/new/", views.kinship_create, name="kinship-create"),
    path("relatives/<int:pk>/", views.kinship_edit, name="kinship-edit"),
    path("relatives/<int:pk>/delete/", views.kinship_delete, name="kinship-delete"),
]
