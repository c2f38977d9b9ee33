from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("month/", views.event_month, name="event-month"),
    path("month/<int:year>/<int:month>/", views.event_month, name="event-month"),
    path("mine/", views.my_events, name="my-events"),
    path("new/", views.event_create, name="event-create"),
    path("feed.ics", views.public_feed, name="feed"),
    path("calendar/<str:token>.ics", views.personal_feed, name="personal-feed"),
    path(
        "calendar/regenerate/",
        views.calendar_token_regenerate,
        name="calendar-token-regenerate",
    ),
    path("e/<slug:slug>/", views.event_detail, name="event-detail"),
    path("e/<slug:slug>/event.ics", views.event_ics, name="event-ics"),
    path("e/<slug:slug>/edit/", views.event_edit, name="event-edit"),
    path("e/<slug:slug>/publish/", views.event_publish, name="event-publish"),
    path("e/<slug:slug>/cancel/", views.event_cancel, name="event-cancel"),
    path("e/<slug:slug>/register/", views.event_register, name="event-register"),
    path(
        "e/<slug:slug>/unregister/",
        views.registration_cancel,
        name="registration-cancel",
    ),
    path(
        "e/<slug:slug>/participants/",
        views.event_participants,
        name="event-participants",
    ),
    path(
        "e/<slug:slug>/participants.csv",
        views.event_participants_csv,
        name="event-participants-csv",
    ),
]
