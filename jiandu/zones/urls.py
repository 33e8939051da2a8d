from django.urls import path

from jiandu.zones import views

app_name = "zones"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/shapes.json", views.plan_shapes, name="plan-shapes"),
    path("<int:pk>/move/", views.plan_move, name="plan-move"),
    path("<int:pk>/compare/", views.plan_compare, name="plan-compare"),
    path("<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<int:pk>/replan/", views.plan_replan, name="plan-replan"),
    path("zone/<int:pk>/lock/", views.zone_lock, name="zone-lock"),
    path("zone/<int:pk>/chief-reviewer/", views.zone_chief_reviewer, name="zone-chief-reviewer"),
]
