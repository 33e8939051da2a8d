from django.urls import path

from jiandu.insights import views

app_name = "insights"
urlpatterns = [path("", views.dashboard, name="dashboard")]
