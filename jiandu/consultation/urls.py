from django.urls import path

from jiandu.consultation import views

app_name = "consultation"
urlpatterns = [
    path("", views.SessionListView.as_view(), name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/decisions/", views.session_decide, name="session-decide"),
    path("sessions/<int:pk>/minutes.docx", views.session_minutes, name="session-minutes"),
    path("systemic/", views.SystemicListView.as_view(), name="systemic-list"),
    path("systemic/proposals/", views.proposals, name="proposals"),
    path("systemic/proposals/confirm/", views.proposal_confirm, name="proposal-confirm"),
    path("systemic/proposals/dismiss/", views.proposal_dismiss, name="proposal-dismiss"),
    path("systemic/dismissals/<int:pk>/restore/", views.proposal_restore, name="proposal-restore"),
    path("systemic/<int:pk>/", views.SystemicDetailView.as_view(), name="systemic-detail"),
    path("systemic/<int:pk>/edit/", views.systemic_edit, name="systemic-edit"),
    path("systemic/<int:pk>/follow-ups/new/", views.follow_up_create, name="follow-up-create"),
    path("follow-ups/<int:pk>/edit/", views.follow_up_edit, name="follow-up-edit"),
    path("follow-ups/<int:pk>/status/", views.follow_up_status, name="follow-up-status"),
]
