from django.urls import path

from jiandu.access import views

app_name = "users"
urlpatterns = [
    path("", views.UserListView.as_view(), name="list"),
    path("new/", views.user_create, name="create"),
    path("<int:pk>/", views.user_edit, name="edit"),
    path("<int:pk>/deactivate/", views.user_deactivate, name="deactivate"),
    path("<int:pk>/activate/", views.user_activate, name="activate"),
    path("<int:pk>/password/", views.user_reset_password, name="reset-password"),
    path("<int:pk>/two-factor/", views.user_reset_2fa, name="reset-two-factor"),
]
