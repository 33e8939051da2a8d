from django.urls import path

from jiandu.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("read-all/", views.notice_read_all, name="read-all"),
    path("<int:pk>/read/", views.notice_read, name="read"),
    path("<int:pk>/open/", views.notice_open, name="open"),
]
