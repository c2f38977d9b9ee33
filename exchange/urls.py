from django.urls import path

from exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.call_list, name="call-list"),
    path("calls/new/", views.call_create, name="call-create"),
    path("calls/<slug:slug>/", views.call_detail, name="call-detail"),
    path("calls/<slug:slug>/edit/", views.call_edit, name="call-edit"),
    path("calls/<slug:slug>/phase/", views.call_phase, name="call-phase"),
    path(
        "calls/<slug:slug>/submissions/",
        views.call_submissions,
        name="call-submissions",
    ),
    path(
        "calls/<slug:slug>/submit/", views.submission_create, name="submission-create"
    ),
    path("submissions/mine/", views.my_submissions, name="my-submissions"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission-edit"),
    path(
        "submissions/<int:pk>/submit/",
        views.submission_submit,
        name="submission-submit",
    ),
    path(
        "submissions/<int:pk>/withdraw/",
        views.submission_withdraw,
        name="submission-withdraw",
    ),
    path(
        "submissions/<int:pk>/english-needed/",
        views.submission_english,
        name="submission-english",
    ),
    path(
        "submissions/<int:pk>/translate/<str:language>/",
        views.submission_translate,
        name="submission-translate",
    ),
    path(
        "submissions/<int:pk>/versions/", views.submission_diff, name="submission-diff"
    ),
    path(
        "submissions/<int:pk>/messages/",
        views.submission_messages,
        name="submission-messages",
    ),
    path(
        "submissions/<int:pk>/attachments/",
        views.attachment_upload,
        name="attachment-upload",
    ),
    path(
        "submissions/<int:pk>/attachments/<int:attachment>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        "submissions/<int:pk>/attachments/<int:attachment>/delete/",
        views.attachment_delete,
        name="attachment-delete",
    ),
]
