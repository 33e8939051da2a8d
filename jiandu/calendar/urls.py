from django.urls import path

from jiandu.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.CalendarYearListView.as_view(), name="year-list"),
    path("new/", views.calendar_year_create, name="year-create"),
    path("import/", views.arrangement_import, name="import"),
    path("<int:pk>/", views.CalendarYearDetailView.as_view(), name="year-detail"),
    path("<int:pk>/edit/", views.calendar_year_edit, name="year-edit"),
    path("<int:pk>/days/new/", views.calendar_day_create, name="day-create"),
    path("days/<int:pk>/", views.calendar_day_edit, name="day-edit"),
    path("days/<int:pk>/delete/", views.calendar_day_delete, name="day-delete"),
]
