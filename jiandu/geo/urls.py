from django.urls import path

from jiandu.geo import views

app_name = "geo"

urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("upload/<str:token>/", views.upload_preview, name="upload-preview"),
    path("<str:code>/", views.region_map, name="region-map"),
    path("<str:code>/shapes.json", views.region_shapes, name="region-shapes"),
]
