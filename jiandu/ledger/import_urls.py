from django.urls import path

from jiandu.ledger import import_views

app_name = "ledger-import"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("<str:token>/", import_views.preview, name="preview"),
]
