from django.urls import path

from reviews.views import assignment, dashboard, decisions, reviewer

app_name = "reviews"
urlpatterns = [
    path("", reviewer.my_reviews, name="my-reviews"),
    path("calls/", dashboard.call_list, name="call-list"),
    path("calls/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path(
        "calls/<slug:slug>/export.<str:fmt>",
        dashboard.dashboard_export,
        name="dashboard-export",
    ),
    path("calls/<slug:slug>/reviewers/", dashboard.reviewer_list, name="reviewer-list"),
    path(
        "calls/<slug:slug>/profile/", reviewer.reviewer_profile, name="reviewer-profile"
    ),
    path(
        "calls/<slug:slug>/release/",
        decisions.decision_release,
        name="decision-release",
    ),
    path("calls/<slug:slug>/outbox/", decisions.outbox, name="outbox"),
    path(
        "calls/<slug:slug>/templates/<str:outcome>/",
        decisions.template_edit,
        name="template-edit",
    ),
    # assignment
    path(
        "calls/<slug:slug>/assignment/",
        assignment.assignment,
        name="assignment",
    ),
    path(
        "calls/<slug:slug>/assignment/run/",
        assignment.assignment_run,
        name="assignment-run",
    ),
    path(
        "calls/<slug:slug>/assignment/add/",
        assignment.assignment_add,
        name="assignment-add",
    ),
    path(
        "assignments/<int:pk>/remove/",
        assignment.assignment_remove,
        name="assignment-remove",
    ),
    path(
        "assignments/<int:pk>/pin/",
        assignment.assignment_pin,
        name="assignment-pin",
    ),
    # end assignment
    path("outbox/<int:pk>/", decisions.outbox_message, name="outbox-message"),
    path("submissions/<int:pk>/", reviewer.review_edit, name="review-edit"),
    path(
        "submissions/<int:pk>/conflict/",
        reviewer.review_conflict,
        name="review-conflict",
    ),
    path(
        "submissions/<int:pk>/reviews/",
        dashboard.submission_reviews,
        name="submission-reviews",
    ),
    path(
        "submissions/<int:pk>/decision/", decisions.decision_edit, name="decision-edit"
    ),
    path(
        "submissions/<int:pk>/feedback/",
        decisions.submission_feedback,
        name="submission-feedback",
    ),
]
