from django.urls import path

from jiandu.access import recusal_views as views

app_name = "recusals"
urlpatterns = [
    path("", views.RecusalListView.as_view(), name="list"),
    path("new/", views.recusal_create, name="create"),
    path("<int:pk>/lift/", views.recusal_lift, name="lift"),
]
