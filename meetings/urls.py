from django.urls import path

from core.routing import routes
from meetings.views import agenda, requests, sessions

app_name = "meetings"
urlpatterns = [
    path("", agenda.agenda, name="agenda"),
    path("agenda.pdf", agenda.agenda_pdf, name="agenda-pdf"),
    *routes(
        "requests/",
        ("", requests.request_list, "request-list"),
        ("new/", requests.request_create, "request-create"),
        ("<int:pk>/", requests.request_detail, "request-detail"),
    ),
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
    *routes(
        "sessions/<int:pk>/",
        ("", sessions.session_detail, "session-detail"),
        ("slots/", sessions.session_slots, "session-slots"),
        ("tables/", sessions.session_tables, "session-tables"),
        ("participants/", sessions.session_participants, "session-participants"),
        (
            "participants/<int:participant_pk>/group/",
            sessions.participant_group,
            "participant-group",
        ),
        ("run/", sessions.session_run, "session-run"),
        ("progress/", sessions.session_progress, "session-progress"),
        ("meetings/<int:meeting_pk>/pin/", sessions.meeting_pin, "meeting-pin"),
        ("disruption/", sessions.session_disruption, "session-disruption"),
        ("availability/", sessions.session_availability, "session-availability"),
    ),
]
