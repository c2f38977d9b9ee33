from django.urls import path

from exchange.views import attachments, calls, submissions, thread

app_name = "exchange"
urlpatterns = [
    path("", calls.call_list, name="call-list"),
    path("calls/new/", calls.call_create, name="call-create"),
    path("calls/<slug:slug>/", calls.call_detail, name="call-detail"),
    path("calls/<slug:slug>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<slug:slug>/phase/", calls.call_phase, name="call-phase"),
    path(
        "calls/<slug:slug>/submissions/",
        calls.call_submissions,
        name="call-submissions",
    ),
    path(
        "calls/<slug:slug>/submit/",
        submissions.submission_create,
        name="submission-create",
    ),
    path("submissions/mine/", submissions.my_submissions, name="my-submissions"),
    path(
        "submissions/<int:pk>/", submissions.submission_detail, name="submission-detail"
    ),
    path(
        "submissions/<int:pk>/edit/",
        submissions.submission_edit,
        name="submission-edit",
    ),
    path(
        "submissions/<int:pk>/submit/",
        submissions.submission_submit,
        name="submission-submit",
    ),
    path(
        "submissions/<int:pk>/withdraw/",
        submissions.submission_withdraw,
        name="submission-withdraw",
    ),
    path(
        "submissions/<int:pk>/english-needed/",
        submissions.submission_english,
        name="submission-english",
    ),
    path(
        "submissions/<int:pk>/translate/<str:language>/",
        submissions.submission_translate,
        name="submission-translate",
    ),
    path(
        "submissions/<int:pk>/versions/",
        submissions.submission_diff,
        name="submission-diff",
    ),
    path(
        "submissions/<int:pk>/messages/",
        thread.submission_messages,
        name="submission-messages",
    ),
    path(
        "submissions/<int:pk>/attachments/",
        attachments.attachment_upload,
        name="attachment-upload",
    ),
    path(
        "submissions/<int:pk>/attachments/<int:attachment>/",
        attachments.attachment_download,
        name="attachment-download",
    ),
    path(
        "submissions/<int:pk>/attachments/<int:attachment>/delete/",
        attachments.attachment_delete,
        name="attachment-delete",
    ),
]
