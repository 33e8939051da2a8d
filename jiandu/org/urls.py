from django.urls import path

from jiandu.org import views

app_name = "org"
urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("bodies/", views.BodyListView.as_view(), name="body-list"),
    path("bodies/<int:pk>/", views.BodyDetailView.as_view(), name="body-detail"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body-edit"),
    path("departments/", views.DepartmentListView.as_view(), name="department-list"),
    path("departments/new/", views.department_edit, name="department-create"),
    path("departments/<int:pk>/", views.DepartmentDetailView.as_view(), name="department-detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department-edit"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/new/", views.person_edit, name="person-create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("staffing/", views.staffing, name="staffing"),
]
