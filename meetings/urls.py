from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("agenda.pdf", views.agenda_pdf, name="agenda-pdf"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    *(
        path(
            f"requests/<int:pk>/{answer}/",
            views.request_answer,
            {"answer": answer},
            name=f"request-{answer}",
        )
        for answer in ("accept", "decline", "cancel")
    ),
    path("times/<int:pk>/accept/", views.time_accept, name="time-accept"),
    path("hours/", views.working_hours, name="working-hours"),
    path("<int:pk>/outcome/", views.meeting_outcome, name="meeting-outcome"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/slots/", views.session_slots, name="session-slots"),
    path("sessions/<int:pk>/tables/", views.session_tables, name="session-tables"),
    path(
        "sessions/<int:pk>/participants/",
        views.session_participants,
        name="session-participants",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/group/",
        views.participant_group,
        name="participant-group",
    ),
    path("sessions/<int:pk>/run/", views.session_run, name="session-run"),
    path(
        "sessions/<int:pk>/progress/", views.session_progress, name="session-progress"
    ),
    path(
        "sessions/<int:pk>/meetings/<int:meeting_pk>/pin/",
        views.meeting_pin,
        name="meeting-pin",
    ),
    path(
        "sessions/<int:pk>/disruption/",
        views.session_disruption,
        name="session-disruption",
    ),
    path(
        "sessions/<int:pk>/availability/",
        views.session_availability,
        name="session-availability",
    ),
]
