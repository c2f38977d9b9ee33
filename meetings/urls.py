from django.urls import path

from meetings.views import agenda, requests, sessions

app_name = "meetings"
urlpatterns = [
    path("", agenda.agenda, name="agenda"),
    path("agenda.pdf", agenda.agenda_pdf, name="agenda-pdf"),
    path("requests/", requests.request_list, name="request-list"),
    path("requests/new/", requests.request_create, name="request-create"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
    *(
        path(
            f"requests/<int:pk>/{answer}/",
            requests.request_answer,
            {"answer": answer},
            name=f"request-{answer}",
        )
        for answer in ("accept", "decline", "cancel")
    ),
    path("times/<int:pk>/accept/", requests.time_accept, name="time-accept"),
    path("hours/", requests.working_hours, name="working-hours"),
    path("<int:pk>/outcome/", agenda.meeting_outcome, name="meeting-outcome"),
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/new/", sessions.session_create, name="session-create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/slots/", sessions.session_slots, name="session-slots"),
    path("sessions/<int:pk>/tables/", sessions.session_tables, name="session-tables"),
    path(
        "sessions/<int:pk>/participants/",
        sessions.session_participants,
        name="session-participants",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_pk>/group/",
        sessions.participant_group,
        name="participant-group",
    ),
    path("sessions/<int:pk>/run/", sessions.session_run, name="session-run"),
    path(
        "sessions/<int:pk>/progress/",
        sessions.session_progress,
        name="session-progress",
    ),
    path(
        "sessions/<int:pk>/meetings/<int:meeting_pk>/pin/",
        sessions.meeting_pin,
        name="meeting-pin",
    ),
    path(
        "sessions/<int:pk>/disruption/",
        sessions.session_disruption,
        name="session-disruption",
    ),
    path(
        "sessions/<int:pk>/availability/",
        sessions.session_availability,
        name="session-availability",
    ),
]
