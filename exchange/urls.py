from django.urls import path

from core.routing import routes
from exchange.views import attachments, calls, submissions, thread

app_name = "exchange"
urlpatterns = [
    path("", calls.call_list, name="call-list"),
    path("calls/new/", calls.call_create, name="call-create"),
    *routes(
        "calls/<slug:slug>/",
        ("", calls.call_detail, "call-detail"),
        ("edit/", calls.call_edit, "call-edit"),
        ("phase/", calls.call_phase, "call-phase"),
        ("submissions/", calls.call_submissions, "call-submissions"),
        ("submit/", submissions.submission_create, "submission-create"),
    ),
    path("submissions/mine/", submissions.my_submissions, name="my-submissions"),
    *routes(
        "submissions/<int:pk>/",
        ("", submissions.submission_detail, "submission-detail"),
        ("edit/", submissions.submission_edit, "submission-edit"),
        ("submit/", submissions.submission_submit, "submission-submit"),
        ("withdraw/", submissions.submission_withdraw, "submission-withdraw"),
        ("english-needed/", submissions.submission_english, "submission-english"),
        (
            "translate/<str:language>/",
            submissions.submission_translate,
            "submission-translate",
        ),
        ("versions/", submissions.submission_diff, "submission-diff"),
        ("messages/", thread.submission_messages, "submission-messages"),
        ("attachments/", attachments.attachment_upload, "attachment-upload"),
    ),
    *routes(
        "submissions/<int:pk>/attachments/<int:attachment>/",
        ("", attachments.attachment_download, "attachment-download"),
        ("delete/", attachments.attachment_delete, "attachment-delete"),
    ),
]
