from django.urls import path

from jiandu.filing import views

app_name = "filing"
urlpatterns = [
    path("", views.FilingStatusView.as_view(), name="status"),
    path("submit/", views.submit, name="submit"),
    path("<int:pk>/", views.FilingDetailView.as_view(), name="detail"),
    path("rules/", views.FilingRuleListView.as_view(), name="rules"),
    path("rules/new/", views.rule_edit, name="rule-create"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule-edit"),
]
